import express from 'express';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { RequestLog } from '../../src/server/logging';
import { capturingLogger } from './helpers';

/** An app whose one route answers when `release` is called. */
function slowApp(log: RequestLog): { app: express.Express; release: () => void; arrived: Promise<void> } {
  let release = (): void => undefined;
  let arrived = (): void => undefined;
  const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
  const app = express();
  app.use(log.handler);
  app.get('/slow', (_request, response) => {
    release = () => response.json({ ok: true });
    arrived();
  });
  return { app, release: () => release(), arrived: arrivedPromise };
}

describe('RequestLog', () => {
  it('logs method, path without the query string, status and milliseconds; settled waits for requests under way', async () => {
    const { logger, lines } = capturingLogger();
    const log = new RequestLog(logger);
    const { app, release, arrived } = slowApp(log);
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = fetch(`http://127.0.0.1:${port}/slow?q=secret`);
      await arrived;
      let settled = false;
      const waiting = log.settled().then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      expect(lines).toHaveLength(0);
      release();
      expect((await answer).status).toBe(200);
      await waiting;
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ method: 'GET', path: '/slow', status: 200, msg: 'request' });
      expect(typeof lines[0].ms).toBe('number');
      expect(JSON.stringify(lines[0])).not.toContain('secret');
      // Nothing under way: resolves at once.
      await expect(log.settled()).resolves.toBeUndefined();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
