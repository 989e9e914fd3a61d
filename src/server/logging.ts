import { RequestHandler } from 'express';
import pino, { Logger } from 'pino';

/**
 * Logs one line per request once its response is sent (or the client went away):
 * method, path (without the query string, which holds what people search for),
 * status and milliseconds. It counts the requests not yet logged, so that a stopping
 * server can wait for the last lines before it says "Stopped." (Node emits a response's
 * 'finish' and 'close' in no fixed order relative to the server's own 'close').
 */
export class RequestLog {
  /** The middleware that logs each request. */
  readonly handler: RequestHandler;
  private pending = 0;
  private waiting: Array<() => void> = [];

  constructor(logger: Logger) {
    this.handler = (request, response, next) => {
      const started = process.hrtime.bigint();
      let logged = false;
      this.pending++;
      const log = (): void => {
        if (logged) return;
        logged = true;
        const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
        try {
          logger.info({ method: request.method, path: request.originalUrl.split('?')[0], status: response.statusCode, ms }, 'request');
        } finally {
          this.pending--;
          if (this.pending === 0) for (const resolve of this.waiting.splice(0)) resolve();
        }
      };
      // Every response emits 'close' (after 'finish' when it was sent, alone when the client left first).
      response.once('finish', log);
      response.once('close', log);
      next();
    };
  }

  /** Resolves once every request seen so far has been logged. */
  settled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/**
 * The logger of `serve`: JSON lines on stdout, written synchronously, so that they come out
 * in the order of the command's other lines on stdout ("Stopped." last). pino's default
 * destination writes asynchronously, and a line still being written could land after a
 * later `process.stdout.write` (seen on a loaded machine, even after `logger.flush`).
 */
export function stdoutLogger(): Logger {
  return pino(pino.destination({ dest: 1, sync: true }));
}
