import * as http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { ServerError } from '../errors';
import { isLoopback } from './address';
import { REQUEST_TIMEOUT_MS } from './defaults';
import { MAX_URL_LENGTH } from './limits';

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

/** Most time a client may take to send the request headers (at most the request timeout). */
const HEADERS_TIMEOUT_MS = 10_000;

export interface ServerOptions {
  /**
   * Time a client has to send its whole request, counted from its first byte or from
   * the connection: after it, 408 and the connection is closed, so that slow or silent
   * clients (slowloris) cannot hold connections. Headers must arrive within 10 s of it.
   * Default REQUEST_TIMEOUT_MS.
   */
  requestTimeoutMs?: number;
}

/**
 * Starts an HTTP server for `handler` on `host:port` and resolves once it listens, with
 * the address actually bound. Throws ServerError, saying what to do, when the port is
 * taken or the host cannot be bound. Requests that cannot be parsed get a JSON error
 * (see answerClientError); slow clients are cut off (see ServerOptions).
 */
export function startServer(handler: http.RequestListener, port: number, host: string, options: ServerOptions = {}): Promise<RunningServer> {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const server = http.createServer(
      {
        requestTimeout,
        headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
        // Node checks the two timeouts above this often (30 s by default, too coarse for short timeouts).
        connectionsCheckingInterval: Math.max(100, Math.min(1000, requestTimeout / 4)),
        // Node would answer a missing Host with an empty 400: the app answers it in JSON (hostRequired).
        requireHostHeader: false,
      },
      handler,
    );
    server.on('clientError', answerClientError);
    server.on('checkExpectation', refuseExpectation);
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

/**
 * Answers a request whose `Expect` header is anything but `100-continue` with 417 in
 * JSON (Node's own answer has an empty body), closing the connection: its body, if any,
 * is never read.
 */
function refuseExpectation(request: http.IncomingMessage, response: http.ServerResponse): void {
  const body = JSON.stringify({ error: `the server cannot meet "Expect: ${request.headers.expect ?? ''}": send the request without Expect (or with Expect: 100-continue)` });
  response.writeHead(417, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  response.end(body);
}

/** A parse error's raw bytes, which Node attaches to the errors of its HTTP parser. */
interface ParseError extends NodeJS.ErrnoException {
  rawPacket?: Buffer;
}

/**
 * Answers a request Node could not parse, in place of Node's bare reply: 414 when the
 * header block overflowed before the request line ended (the URL is too long), 431 for
 * other oversized headers, 408 for a request not received in time, 400 otherwise, each
 * with a JSON `{"error": …}` and the connection closed. Never a stack trace.
 */
function answerClientError(error: ParseError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  let status = 400;
  let message = 'bad request: the request could not be parsed as HTTP';
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const urlTooLong = error.rawPacket !== undefined && requestLineOverflowed(error.rawPacket);
    status = urlTooLong ? 414 : 431;
    message = urlTooLong ? 'the URL is too long' : 'the request headers are too large';
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'the request took too long to arrive';
  }
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Whether the header block overflowed in the request line (the URL is too long), judged
 * from the bytes Node was parsing when it overflowed: no line end at all, or a first line
 * that ends the request line (`… HTTP/1.1`) and is either the tail of a line begun in
 * earlier bytes or a whole request line already too long.
 */
function requestLineOverflowed(raw: Buffer): boolean {
  const end = raw.indexOf('\r\n');
  if (end < 0) return true;
  const first = raw.subarray(0, end).toString('latin1');
  if (!/ HTTP\/\d\.\d$/.test(first)) return false;
  return !/^[A-Z]+ /.test(first) || first.length > MAX_URL_LENGTH;
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
