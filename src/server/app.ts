import express, { ErrorRequestHandler, Express, Request, RequestHandler } from 'express';
import * as path from 'path';
import { z } from 'zod';
import { SearchEngine } from '../engine';
import { QueryError } from '../errors';

/**
 * The static search page. Resolved through the source tree so that the same path works
 * from src/server (ts-jest, tsx) and from dist/server (compiled): tsc copies no assets.
 */
const PUBLIC_DIR = path.join(__dirname, '..', '..', 'src', 'server', 'public');

/** Largest `limit` and `offset` the API accepts: deep paging is for crawlers, not people. */
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10000;

export interface AppOptions {
  /** Called with errors that become a 500 answer (the client sees no details). Default: print to stderr. */
  onError?: (error: unknown, request: Request) => void;
}

/** A whole-number query parameter within [min, max], with a message saying what is allowed. */
function wholeNumber(name: string, min: number, max: number, fallback: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? message : `give ${name} only once`) })
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .default(fallback);
}

const searchParams = z.object({
  q: z
    .string({ error: (issue) => (issue.input === undefined ? 'q is required: the text to search for, e.g. /api/search?q=方特' : 'give q only once') })
    .trim()
    .min(1, { error: 'q must not be empty: give the text to search for' }),
  limit: wholeNumber('limit', 1, MAX_LIMIT, 10),
  offset: wholeNumber('offset', 0, MAX_OFFSET, 0),
});

/** Headers that keep the page from running anything but its own files. */
const securityHeaders: RequestHandler = (_request, response, next) => {
  response.set({
    'Content-Security-Policy': "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  next();
};

/**
 * The web front end of a search engine, as an Express app (not yet listening):
 * `GET /api/search?q=&limit=&offset=` answers with the SearchResult that
 * `jiansuo search --json` prints; `GET /` serves the search page. Client mistakes get a
 * 400 (or 404) with `{"error": "…"}` saying what to fix; anything else a bare 500.
 */
export function createApp(engine: Pick<SearchEngine, 'search'>, options: AppOptions = {}): Express {
  const onError = options.onError ?? ((error: unknown, request: Request) => {
    process.stderr.write(`jiansuo: internal error answering ${request.method} ${request.originalUrl}: ${error instanceof Error ? error.stack : String(error)}\n`);
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);

  app.get('/api/search', (request, response) => {
    const parsed = searchParams.safeParse(request.query);
    if (!parsed.success) {
      response.status(400).json({ error: parsed.error.issues.map((issue) => issue.message).join('; ') });
      return;
    }
    const { q, limit, offset } = parsed.data;
    response.set('Cache-Control', 'no-store').json(engine.search(q, { limit, offset }));
  });
  app.use('/api', (request, response) => {
    response.status(404).json({ error: `no such API endpoint: ${request.method} ${request.baseUrl}${request.path}; try GET /api/search?q=…` });
  });
  app.use(express.static(PUBLIC_DIR));

  const errors: ErrorRequestHandler = (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (error instanceof QueryError) {
      response.status(400).json({ error: error.message });
      return;
    }
    onError(error, request);
    response.status(500).json({ error: 'internal error' });
  };
  app.use(errors);
  return app;
}
