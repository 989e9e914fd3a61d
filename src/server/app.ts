import express, { ErrorRequestHandler, Express, Request, Response } from 'express';
import { z } from 'zod';
import { STATUS_CODES } from 'node:http';
import * as path from 'node:path';
import pino, { Logger } from 'pino';
import { BackendError, QueryError, ServerBusyError, UnsupportedQueryError } from '../errors';
import { idProblem } from '../ingest/id';
import { AdminOptions, adminRoutes } from './admin';
import { shownHits, shownView, withoutBidiControls } from './display';
import { DEFAULT_RATE_LIMIT } from './defaults';
import { AbandonedCall } from './heavyLane';
import { AppEngine, EngineHolder, ServedEngine } from './holder';
import { bodyLimit, hostRequired, urlLimit, wellFormedUrl } from './limits';
import { LoopDelay, refuseWhenLate } from './loopDelay';
import { RequestLog } from './logging';
import { openApiDocument } from './openapi';
import { ErrorCode, sendError } from './errorReasons';
import { pageLanguage } from './language';
import { PageHtml } from './pageHtml';
import { bracketedParameter, describeIssues, docParams, issueCode, searchParams, suggestParams } from './params';
import { RateLimitOptions, rateLimit } from './rateLimit';
import { HeavyRunner, SearchLanes } from './searchLanes';
import { securityHeaders } from './security';
import { Suggester } from './suggest';


/**
 * The static search page. Resolved through the source tree so that the same path works
 * from src/server (ts-jest, tsx) and from dist/server (compiled): tsc copies no assets.
 */
const PUBLIC_DIR = path.join(__dirname, '..', '..', 'src', 'server', 'public');
const PAGE_FILE = path.join(PUBLIC_DIR, 'index.html');



export interface AppOptions {
  /** Where request lines and internal errors are logged. Default: pino to stdout. */
  logger?: Logger;
  /** The request log, which a stopping server waits on (RequestLog.settled). Default: a RequestLog writing to `logger`. */
  requestLog?: RequestLog;
  /** The typeahead. Default: built from the engine's titles and frequent words when the app is created. Not used with an EngineHolder, which has its own. */
  suggester?: Pick<Suggester, 'suggest'>;
  /** Per-address rate limit, or false for none. Default: DEFAULT_RATE_LIMIT per minute, loopback clients exempt. */
  rateLimit?: RateLimitOptions | false;
  /** Token and update function for `POST /api/documents` and `DELETE /api/documents/:id`. Default: none, and those endpoints do not exist. */
  admin?: AdminOptions;
  /** Where queries the event loop gives up on run (see searchLanes.ts). Default: none, every query runs on the event loop. */
  heavyLane?: HeavyRunner;
  /** The facet fields every search counts (`serve --facet`). Default: those the engine chooses from its documents. */
  facetFields?: string[];
  /** Searches, suggestions and document views are refused (503 `overloaded`) while `delay` says the event loop is more than `maxMs` behind (refuseWhenLate). Default: never. */
  loopDelay?: { delay: Pick<LoopDelay, 'lateMs'>; maxMs: number };
}

/** An error with an HTTP status of its own, as Express and its middleware raise them (e.g. a malformed URL). */
function clientStatus(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Aborts when the connection closes before the response was sent: the client will not read it. */
function clientGone(response: Response): AbortSignal {
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  return gone.signal;
}

function badRequest(request: Request, response: Response, error: string, code: ErrorCode = 'bad_parameter', parameter?: string): void {
  sendError(request, response, 400, code, error, { parameter });
}

/** A 400 for parameters that did not parse: every issue's message, the first issue's parameter named in the Chinese reason. */
function badParameters(request: Request, response: Response, error: z.ZodError): void {
  badRequest(request, response, describeIssues(error), issueCode(error), String(error.issues[0]?.path[0] ?? ''));
}

/**
 * The web front end of a search engine, as an Express app (not yet listening):
 * - `GET /api/search?q=&limit=&offset=&filter=field:value&facets=`: a SearchResult with facet counts;
 * - `GET /api/suggest?q=&limit=`: typeahead suggestions (titles and frequent words);
 * - `GET /api/doc/:id?q=`: a whole document with the query's matches highlighted, and 相关报道;
 * - `GET /api/health`, `GET /api/openapi.json` (the description of all of these);
 * - `GET /` and `GET /doc/:id`: the search page and article view (one page, in zh or en);
 * - with `options.admin`: `POST /api/documents` and `DELETE /api/documents/:id` (see admin.ts).
 * Client mistakes get a 4xx with `{"error": "…", "code": "…"}` saying what to fix (in the
 * language Accept-Language prefers, see errorReasons.ts); anything else a 500
 * `{"error": "internal error", "code": "internal"}`, the details going to the log only.
 * The page is rendered in the language the request asks for (language.ts, pageHtml.ts).
 * Before routing, requests are refused when their URL is too long (414) or not valid
 * percent-encoding (400), their address made too many (429) or their body is too
 * large (413), and searches, suggestions and document views while the event loop is
 * too far behind (503, `options.loopDelay`).
 *
 * Give an EngineHolder to be able to replace the index while serving: each request
 * answers from the engine held when it started.
 */
export function createApp(source: AppEngine | EngineHolder<ServedEngine>, options: AppOptions = {}): Express {
  const logger = options.logger ?? pino();
  const holder = source instanceof EngineHolder ? source : new EngineHolder(source, options.suggester);
  const lanes = new SearchLanes(holder, options.heavyLane);
  const started = Date.now();
  const page = new PageHtml(PAGE_FILE);
  const app = express();
  app.disable('x-powered-by');
  // Should the error handler below itself fail, Express's last resort answers without the stack trace it shows in development.
  app.set('env', 'production');
  app.use((options.requestLog ?? new RequestLog(logger)).handler);
  app.use(securityHeaders());
  app.use(hostRequired());
  app.use(urlLimit());
  app.use(wellFormedUrl());
  if (options.rateLimit !== false) app.use(rateLimit(options.rateLimit ?? { perMinute: DEFAULT_RATE_LIMIT }));
  // Uploads bring bodies, so their routes come before the limit that refuses every other body.
  if (options.admin) app.use(adminRoutes(options.admin));
  app.use(bodyLimit());
  if (options.loopDelay) app.use(['/api/search', '/api/suggest', '/api/doc'], refuseWhenLate(options.loopDelay.delay, options.loopDelay.maxMs));
  app.use('/api', (request, response, next) => {
    response.set('Cache-Control', 'no-store');
    const bracketed = bracketedParameter(request.query);
    if (bracketed) return badRequest(request, response, bracketed, 'bad_parameter', Object.keys(request.query).find((key) => /[[\]]/.test(key)));
    next();
  });

  app.get('/api/search', async (request, response) => {
    const parsed = searchParams.safeParse(request.query);
    if (!parsed.success) return badParameters(request, response, parsed.error);
    const { q, limit, offset, filter, facets, collapse, sort, timeline, correct } = parsed.data;
    const searchOptions = { limit, offset, filters: filter, facets, collapse, sort, timeline, correct, ...(options.facetFields ? { facetFields: options.facetFields } : {}) };
    const result = await lanes.search(q, searchOptions, clientGone(response));
    if (result.partial) logger.warn({ q, warnings: result.warnings }, 'partial result: some shards did not answer');
    response.json({ ...result, hits: shownHits(result.hits) });
  });

  app.get('/api/suggest', async (request, response) => {
    const parsed = suggestParams.safeParse(request.query);
    if (!parsed.success) return badParameters(request, response, parsed.error);
    const { q, limit } = parsed.data;
    const suggestions = (await holder.current.suggester.suggest(q, limit)).map((suggestion) => ({ ...suggestion, text: withoutBidiControls(suggestion.text) }))
      .filter((suggestion) => suggestion.text !== '');
    response.json({ query: q, suggestions });
  });

  app.get('/api/doc/:id', async (request, response) => {
    const parsed = docParams.safeParse(request.query);
    if (!parsed.success) return badParameters(request, response, parsed.error);
    const badId = idProblem(request.params.id);
    if (badId) return badRequest(request, response, badId, 'bad_id');
    const view = await lanes.documentView(request.params.id, parsed.data.q, clientGone(response));
    if (!view) {
      sendError(request, response, 404, 'no_such_document', `no document has the id "${request.params.id}"`, { id: request.params.id });
      return;
    }
    response.json(shownView(view));
  });

  app.get('/api/health', async (_request, response) => {
    const info = await holder.current.engine.info();
    response.json({
      status: 'ok',
      documents: info.documents,
      format_version: info.formatVersion,
      ...(info.createdAt ? { index_created_at: info.createdAt } : {}),
      uptime_s: Math.round(Date.now() - started) / 1000,
    });
  });

  app.get('/api/openapi.json', (_request, response) => {
    response.json(openApiDocument);
  });

  app.use('/api', (request, response) => {
    const endpoint = `${request.method} ${request.baseUrl}${request.path}`;
    sendError(request, response, 404, 'no_such_endpoint', `no such API endpoint: ${endpoint}; see GET /api/openapi.json`, { path: endpoint });
  });

  /** The search page, in the language the request asks for (see language.ts). */
  const sendPage = (request: Request, response: Response, status: number): void => {
    const html = page.render(pageLanguage(request, response));
    response.status(status).type('html').set('Cache-Control', 'no-cache').send(html);
  };
  app.get(['/', '/index.html'], (request, response) => sendPage(request, response, 200));
  // The article view is the search page too; an unknown id gets it with a 404 status (the page says so).
  app.get('/doc/:id', async (request, response) => {
    sendPage(request, response, (await holder.current.engine.getDocument(request.params.id)) ? 200 : 404);
  });
  app.use(express.static(PUBLIC_DIR, { index: false }));
  app.use((request, response) => sendPage(request, response, 404));

  const errors: ErrorRequestHandler = (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    // The client went away before its query reached the heavy lane: nobody to answer.
    if (error instanceof AbandonedCall) return;
    if (error instanceof UnsupportedQueryError) return sendError(request, response, 400, error.code, error.message, {}, { unsupported: error.option });
    if (error instanceof QueryError) return sendError(request, response, 400, error.code, error.message, { limit: error.limit });
    if (error instanceof ServerBusyError) {
      response.set('Retry-After', '5');
      sendError(request, response, 503, 'busy', error.message);
      return;
    }
    if (error instanceof BackendError) {
      // The cluster (or a shard a strict backend demands) did not answer: worth retrying later.
      logger.warn({ err: error, path: request.originalUrl.split('?')[0] }, 'backend unavailable');
      sendError(request, response, 503, 'unavailable', error.message);
      return;
    }
    const status = clientStatus(error);
    if (status !== undefined) {
      if (status === 400) sendError(request, response, status, 'bad_request', 'bad request: the URL or its parameters could not be read');
      else sendError(request, response, status, 'refused', (STATUS_CODES[status] ?? 'request refused').toLowerCase());
      return;
    }
    logger.error({ err: error, method: request.method, path: request.originalUrl.split('?')[0] }, 'internal error');
    sendError(request, response, 500, 'internal', 'internal error');
  };
  app.use(errors);
  return app;
}
