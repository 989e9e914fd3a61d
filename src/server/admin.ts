import { createHash, timingSafeEqual } from 'node:crypto';
import express, { ErrorRequestHandler, RequestHandler, Response, Router } from 'express';
import { IndexError, IndexLockedError, UnservedUpdateError, UpdateError } from '../errors';
import { decodeUtf8, idProblem, uploadedDocuments } from '../ingest';
import type { IndexChange, UpdateSummary } from '../update';
import { MIN_TOKEN_LENGTH } from './defaults';

/** Largest upload `POST /api/documents` reads when AdminOptions.maxBodyBytes is not given. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;
/** Records one upload may hold. */
export const MAX_UPLOAD_DOCUMENTS = 10_000;

export interface AdminOptions {
  /** The secret a client sends as `Authorization: Bearer <token>`; at least MIN_TOKEN_LENGTH characters. */
  token: string;
  /** Applies a change to the index and serves the result before resolving (throws UpdateError for unknown ids). */
  update: (change: IndexChange) => UpdateSummary | Promise<UpdateSummary>;
  /** Largest request body accepted, in bytes. Default MAX_UPLOAD_BYTES. */
  maxBodyBytes?: number;
}

/** What POST and DELETE answer: the update's summary (the `rejected` documents were not indexed) and the time taken. */
export interface AdminAnswer extends Omit<UpdateSummary, 'ms'> {
  /** Milliseconds from the request's arrival to the answer: reading the body, the update and serving its result. */
  took_ms: number;
  /** Records kept with a remark, e.g. an invalid date dropped: `record N: …`. */
  warnings: string[];
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The type of the error strictUtf8 raises. */
const NOT_UTF8 = 'entity.not.utf8';

/**
 * Refuses a JSON body declared (or taken to be) UTF-8 whose bytes are not: the parser
 * would store U+FFFD in their place, whereas a source file's line with such bytes is
 * refused (decodeUtf8). Runs on the raw bytes before they are decoded.
 */
function strictUtf8(_request: unknown, _response: unknown, bytes: Buffer, encoding: string): void {
  if (!/^utf-?8$/i.test(encoding)) return;
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    throw Object.assign(new Error(`the body is not valid UTF-8 (line ${decoded.line}): send the documents as UTF-8 JSON; nothing was changed`), { status: 400, type: NOT_UTF8 });
  }
}

/**
 * Refuses with 401 (and closes the connection, leaving any body unread) a request that
 * does not carry the token; compares in constant time so the token cannot be guessed
 * byte by byte from response times.
 */
function requireToken(token: string): RequestHandler {
  const expected = digest(token);
  return (request, response, next) => {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]), expected)) return next();
    response.set({ 'WWW-Authenticate': 'Bearer realm="jiansuo admin"', Connection: 'close' });
    response.status(401).json({ error: 'this endpoint needs the admin token: send "Authorization: Bearer <token>" (the one given to serve --admin-token-file or JIANSUO_ADMIN_TOKEN)' });
  };
}

/**
 * Runs an update and answers with its summary; a refused one gets a status saying why:
 * 404 for an unknown id, 409 for an update the index cannot take as it is (a user
 * dictionary changed since the build, another process writing), 503 for an index that
 * cannot be read or an update written but not served yet. The admin is trusted with the message.
 */
async function apply(response: Response, update: () => UpdateSummary | Promise<UpdateSummary>, warnings: string[]): Promise<void> {
  let summary: UpdateSummary;
  try {
    summary = await update();
  } catch (error) {
    if (error instanceof UpdateError && error.missingIds.length > 0) {
      response.status(404).json({ error: `no document has the id ${error.missingIds.map((id) => JSON.stringify(id)).join(', ')}; nothing was changed` });
    } else if (error instanceof UpdateError || error instanceof IndexLockedError) {
      response.status(409).json({ error: error.message });
    } else if (error instanceof IndexError || error instanceof UnservedUpdateError) response.status(503).json({ error: error.message });
    else throw error;
    return;
  }
  const { ms: _writing, ...rest } = summary;
  const body: AdminAnswer = { ...rest, took_ms: Math.round(performance.now() - (response.locals.received as number)), warnings };
  response.json(body);
}

/**
 * The index-changing endpoints, mounted only when `serve` is given an admin token:
 * - `POST /api/documents`: a JSON record `{id, title, body, date?, …}` (the JSON Lines
 *   shape) or an array of them; adds them, replacing documents with the same ids;
 * - `DELETE /api/documents/:id`: removes one document (404 when there is none).
 * Both answer once the change is on disk and being served, with what changed. A bad
 * record refuses the whole upload (400) and changes nothing.
 */
export function adminRoutes(options: AdminOptions): Router {
  if (options.token.length < MIN_TOKEN_LENGTH) throw new RangeError(`the admin token must have at least ${MIN_TOKEN_LENGTH} characters`);
  const maxBytes = options.maxBodyBytes ?? MAX_UPLOAD_BYTES;
  const router = Router();
  router.use('/api/documents', (_request, response, next) => {
    // took_ms counts from here: reading the body, the update and the reopening, all of what the client waits for.
    response.locals.received = performance.now();
    next();
  });
  router.use('/api/documents', requireToken(options.token));
  router.post('/api/documents', express.json({ limit: maxBytes, type: 'application/json', verify: strictUtf8 }), async (request, response) => {
    if (!request.is('application/json')) {
      response.set('Connection', 'close');
      response.status(415).json({ error: 'send the documents as JSON (Content-Type: application/json)' });
      return;
    }
    const upload = uploadedDocuments(request.body, MAX_UPLOAD_DOCUMENTS);
    if ('error' in upload) {
      response.status(400).json({ error: upload.error });
      return;
    }
    await apply(response, () => options.update({ add: upload.documents }), upload.warnings);
  });
  router.delete('/api/documents/:id', async (request, response) => {
    const badId = idProblem(request.params.id);
    if (badId) {
      response.status(400).json({ error: badId });
      return;
    }
    await apply(response, () => options.update({ remove: [request.params.id] }), []);
  });
  const bodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number; message?: string }, _request, response, next) => {
    if (error.type === 'entity.too.large') {
      response.set('Connection', 'close');
      response.status(413).json({ error: `the upload is too large: at most ${maxBytes} bytes; send the documents in several requests` });
    } else if (error.type === 'entity.parse.failed') response.status(400).json({ error: `the body is not valid JSON (${error.message})` });
    else if (error.type === NOT_UTF8) response.status(400).json({ error: error.message });
    else if (error.status === 415 || error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      response.status(415).json({ error: 'send the documents as UTF-8 JSON (Content-Type: application/json)' });
    } else next(error);
  };
  router.use(bodyErrors);
  return router;
}
