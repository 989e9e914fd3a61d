import * as http from 'http';
import { AddressInfo } from 'net';
import { ServerError } from '../errors';

/** Where a started server listens. */
export interface BoundAddress {
  host: string;
  /** The real port, also when port 0 asked the system to pick one. */
  port: number;
  /** `http://host:port`, with an IPv6 host in brackets. */
  url: string;
  /** True when only this machine can connect (127.0.0.0/8 or ::1). */
  loopback: boolean;
}

export interface RunningServer {
  server: http.Server;
  address: BoundAddress;
}

/**
 * Starts an HTTP server for `handler` on `host:port` and resolves once it listens, with
 * the address actually bound. Throws ServerError, saying what to do, when the port is
 * taken or the host cannot be bound.
 */
export function startServer(handler: http.RequestListener, port: number, host: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, port, host)));
    server.listen(port, host, () => {
      const { address, port: bound } = server.address() as AddressInfo;
      const urlHost = address.includes(':') ? `[${address}]` : address;
      resolve({ server, address: { host: address, port: bound, url: `http://${urlHost}:${bound}`, loopback: isLoopback(address) } });
    });
  });
}

/**
 * Stops accepting connections and resolves when the open ones have finished; requests
 * still running after `graceMs` are cut off, so that a stuck client cannot keep the
 * process alive after SIGTERM.
 */
export function stopServer(server: http.Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ServerError(`port ${port} on ${host} is already in use: stop the other server or choose another port with --port`);
    case 'EACCES':
      return new ServerError(`not allowed to listen on port ${port}: choose a port above 1023 with --port`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ServerError(`cannot listen on host "${host}": use an address of this machine, e.g. --host 127.0.0.1 or --host 0.0.0.0`);
    default:
      return error;
  }
}
