import { RequestHandler } from 'express';
import { Logger } from 'pino';

/**
 * Logs one line per request once its response is sent (or the client went away):
 * method, path (without the query string, which holds what people search for),
 * status and milliseconds.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    let logged = false;
    // On 'finish' (the answer is handed to the system), before its connection can close, so that a
    // stopping server has logged every request before it says "Stopped."; on 'close' if the client left first.
    const log = (): void => {
      if (logged) return;
      logged = true;
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      logger.info({ method: request.method, path: request.originalUrl.split('?')[0], status: response.statusCode, ms }, 'request');
    };
    response.once('finish', log);
    response.once('close', log);
    next();
  };
}
