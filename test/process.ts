import { ChildProcess, SpawnOptions } from 'node:child_process';
import * as net from 'node:net';
import { spawnJiansuo } from '../scripts/load/jiansuo';
import { BIN, distIsCurrent } from './compiled';

let compiled: boolean | undefined;
/**
 * Starts `jiansuo …args` as a child process: the compiled command when dist/ is current
 * (decided once per test file), else the sources through tsx. Both run the same code; the
 * compiled one loads in about a third of the CPU time, which tests starting many processes
 * feel most on a loaded machine.
 */
export function spawnCli(args: string[], options: SpawnOptions = {}, nodeArgs: readonly string[] = []): ChildProcess {
  compiled ??= distIsCurrent();
  return spawnJiansuo(args, options, compiled ? BIN : undefined, nodeArgs);
}

/** A `jiansuo serve` child process, with what it printed so far. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** Resolves once the output matches (rejects after `timeoutMs`). */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `jiansuo serve --port 0 …args` from the sources in `cwd` (Node itself given `nodeArgs`); resolves once it announces its address. */
export function startServe(args: string[], cwd: string, nodeArgs: readonly string[] = []): Promise<ServeProcess> {
  const child = spawnCli(['serve', '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }, nodeArgs);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (!pattern.test(output)) return false;
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
        return true;
      };
      const poll = setInterval(check, 20);
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`serve did not print ${pattern} within ${timeoutMs} ms; it printed:\n${output}`));
      }, timeoutMs);
      check();
    });
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return new Promise((resolve, reject) => {
    exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${output}`)));
    waitFor(/jiansuo serving \d+ documents on http:\/\/\S+.*\n/, 90_000).then(() => {
      const url = /jiansuo serving \d+ documents on (http:\/\/\S+)/.exec(output)![1];
      resolve({ child, url, port: Number(new URL(url).port), output: () => output, waitFor, exited });
    }, reject);
  });
}

/** Stops a serve process if it is still running (SIGKILL: for clean-up after a failed test). */
export function kill(serve: ServeProcess | undefined): void {
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
}

/**
 * Sends `text` as is over a new TCP connection to 127.0.0.1:port and resolves with
 * everything received until the server closes the connection (or `timeoutMs` passes:
 * then with what came, and `timedOut`). Nothing is normalized on the way, unlike an
 * HTTP client (which would resolve `..` and reject raw bytes).
 */
export function rawExchange(port: number, text: string | Buffer, timeoutMs = 5000): Promise<{ response: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const received = (): string => Buffer.concat(chunks).toString('utf8');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response: received(), timedOut: true });
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while we still write (a refused body): what came is the answer.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response: received(), timedOut: false });
    });
    socket.write(text);
  });
}

/** The status code and the body of a raw HTTP/1.1 response. */
export function parseRaw(response: string): { status: number; headers: string; body: string } {
  const end = response.indexOf('\r\n\r\n');
  const head = end >= 0 ? response.slice(0, end) : response;
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: end >= 0 ? response.slice(end + 4) : '' };
}
