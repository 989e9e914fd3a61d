import { RequestHandler } from 'express';
import { Logger } from 'pino';

/**
 * Logs one line per request once its response is done (or the client went away):
 * method, path (without the query string, which holds what people search for),
 * status and milliseconds.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      logger.info({ method: request.method, path: request.originalUrl.split('?')[0], status: response.statusCode, ms }, 'request');
    });
    next();
  };
}
