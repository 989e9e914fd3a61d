/**
 * The HTTP surface against bad input: every parameter validated, oversized URLs and
 * bodies refused, malformed encoding a 400 and never a 500, no stack trace ever sent,
 * no file outside the public folder ever served, slow clients cut off, and requests
 * per address limited.
 */
import fc from 'fast-check';
import * as http from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { SearchEngine } from '../../src/engine';
import { SearchResult } from '../../src/search/types';
import { MAX_BODY_BYTES, MAX_URL_LENGTH } from '../../src/server/limits';
import { RunningServer, startServer, stopServer } from '../../src/server/serve';
import { ROOT, demoEngine, doc } from '../helpers';
import { parseRaw, rawExchange } from '../process';
import { brokenEngine, quietApp } from './helpers';

const app = quietApp(demoEngine());
let running: RunningServer;

beforeAll(async () => {
  running = await startServer(app, 0, '127.0.0.1', { requestTimeoutMs: 600 });
});
afterAll(() => stopServer(running.server));

/** Sends a request line and headers exactly as given; resolves with the parsed answer. */
async function raw(target: string, headers = ''): Promise<ReturnType<typeof parseRaw>> {
  const { response } = await rawExchange(running.address.port, `GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`);
  return parseRaw(response);
}

/** A body never carries a stack trace, an error's class name or a file path of the server. */
function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/\bat \S+ \(\S+:\d+:\d+\)|\bat (?:node:|file:)|[A-Z][a-z]+Error\b|node_modules|\.ts:\d+/);
  expect(body).not.toContain(ROOT);
}

describe('q, limit, offset and unknown parameters', () => {
  const searchQ = (q: string) => request(app).get('/api/search').query({ q });

  it('accepts 256 characters after normalization and refuses 257', async () => {
    expect((await searchQ('字'.repeat(256)).expect(200)).body.query).toBe('字'.repeat(256));
    expect((await searchQ('字'.repeat(257)).expect(400)).body).toEqual({ error: 'The query is too long: at most 256 characters.', code: 'query_too_long' });
    // ㈠ normalizes to three characters, (一): 85 of them are 255, 86 are 258.
    await searchQ('㈠'.repeat(85)).expect(200);
    expect((await searchQ('㈠'.repeat(86)).expect(400)).body.error).toBe('The query is too long: at most 256 characters.');
  });

  it('takes its query length limit from the engine (serve --max-query-length)', async () => {
    const short = quietApp(SearchEngine.build([doc('a', '标题', '正文')], { maxQueryLength: 10 }));
    await request(short).get('/api/search').query({ q: '字'.repeat(10) }).expect(200);
    expect((await request(short).get('/api/search').query({ q: '字'.repeat(11) }).expect(400)).body.error).toBe('The query is too long: at most 10 characters.');
  });

  it('ignores unknown parameters, also ones named like object internals', async () => {
    const plain = (await request(app).get('/api/search').query({ q: '郑州', limit: '2' }).expect(200)).body as SearchResult;
    const noisy = (await request(app).get(`/api/search?q=${encodeURIComponent('郑州')}&limit=2&LIMIT=1000&foo=bar&__proto__=x&constructor=y&hasOwnProperty=1`).expect(200))
      .body as SearchResult;
    expect({ ...noisy, took_ms: 0 }).toEqual({ ...plain, took_ms: 0 });
    await request(app).get('/api/suggest?q=%E5%8C%BA&toString=1&valueOf=2').expect(200);
  });

  it.each([
    ['limit=1', { limit: '1' }, 200],
    ['limit=100', { limit: '100' }, 200],
    ['limit=0', { limit: '0' }, 400],
    ['limit=101', { limit: '101' }, 400],
    ['limit=1e2', { limit: '1e2' }, 400],
    ['limit=+5', { limit: '+5' }, 400],
    ['limit= 5', { limit: ' 5' }, 400],
    ['limit=0x10', { limit: '0x10' }, 400],
    ['offset=10000', { offset: '10000' }, 200],
    ['offset=10001', { offset: '10001' }, 400],
    ['offset=99999999999999999999', { offset: '99999999999999999999' }, 400],
  ])('%s', async (_name, query, status) => {
    await request(app).get('/api/search').query({ q: '郑州', ...query }).expect(status);
  });
});

describe('parameters in the API\'s own words', () => {
  it('says a huge limit is out of range without zod internals', async () => {
    const answer = await request(app).get('/api/search').query({ q: '郑州', limit: '99999999999999999999' }).expect(400);
    expect(answer.body).toEqual({ error: 'limit must be a whole number from 1 to 100', code: 'bad_parameter' });
  });

  it.each(['limit%5B%5D=1', 'filter%5B%5D=kind%3Aphoto', 'filter%5B0%5D=kind%3Aphoto', 'q%5Ba%5D=x', 'facets[]=3'])('refuses the array or object form %s', async (form) => {
    const answer = await request(app).get(`/api/search?q=%E9%83%91%E5%B7%9E&${form}`).expect(400).expect('Content-Type', /json/);
    expect(answer.body.error).toMatch(/^"[a-z]+\[[a-z0-9]*\]" is not a parameter: give each one as name=value/);
  });
});

describe('requests Node itself refuses', () => {
  it('answers 414 in JSON for a 27 KB URL', async () => {
    const answer = await raw(`/api/search?q=${'a'.repeat(27_000)}`);
    expect(answer.status).toBe(414);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the URL is too long' });
  });

  it('answers 400 in JSON for an HTTP/1.1 request without Host', async () => {
    const { response } = await rawExchange(running.address.port, 'GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n');
    const answer = parseRaw(response);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'bad request: an HTTP/1.1 request must have a Host header' });
  });

  it('answers 417 in JSON for an Expect it cannot meet', async () => {
    const answer = await raw('/api/health', 'Expect: foo\r\n');
    expect(answer.status).toBe(417);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the server cannot meet "Expect: foo": send the request without Expect (or with Expect: 100-continue)' });
  });
});

describe('oversized requests', () => {
  it(`answers 414 for a URL over ${MAX_URL_LENGTH} characters, both below and above Node's 16 KB header limit`, async () => {
    const long = `/api/search?q=${'a'.repeat(MAX_URL_LENGTH)}`;
    expect((await request(app).get(long).expect(414).expect('Content-Type', /json/)).body).toEqual({ error: `the URL is too long: at most ${MAX_URL_LENGTH} characters` });
    await request(app).get(long.slice(0, MAX_URL_LENGTH - 100)).expect(400); // a long q, but a readable URL: the query is refused for its length
    const huge = await raw(`/api/search?q=${'a'.repeat(100_000)}`);
    expect(huge.status).toBe(414);
    expect(JSON.parse(huge.body)).toEqual({ error: 'the URL is too long' });
  });

  it('answers 431 for oversized headers with a short URL', async () => {
    const answer = await raw('/api/health', `X-Padding: ${'p'.repeat(20_000)}\r\n`);
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the request headers are too large' });
  });

  it(`answers 413 for a body over ${MAX_BODY_BYTES} bytes, declared or chunked, and closes the connection`, async () => {
    const declared = parseRaw(
      (await rawExchange(running.address.port, `POST /api/search?q=a HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n${'x'.repeat(1000)}`)).response,
    );
    expect(declared.status).toBe(413);
    expect(declared.headers).toMatch(/^Connection: close$/im);
    expect(JSON.parse(declared.body)).toEqual({ error: `the request body is too large: at most ${MAX_BODY_BYTES} bytes (the API takes no body)` });
    const chunk = 'y'.repeat(8000);
    const chunks = Array.from({ length: 4 }, () => `${(8000).toString(16)}\r\n${chunk}\r\n`).join('');
    const chunked = parseRaw(
      (await rawExchange(running.address.port, `GET /api/search?q=a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`)).response,
    );
    expect(chunked.status).toBe(413);
  });

  it('reads and ignores a small body', async () => {
    const small = parseRaw(
      (await rawExchange(running.address.port, `GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`)).response,
    );
    expect(small.status).toBe(200);
    const chunked = parseRaw(
      (await rawExchange(running.address.port, `GET /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`)).response,
    );
    expect(chunked.status).toBe(200);
  });
});

describe('malformed percent-encoding', () => {
  it.each([
    '/api/search?q=%E0%A4%A',
    '/api/search?q=%',
    '/api/search?q=%zz',
    '/api/search?q=%C0%AF',
    '/api/search?q=%ED%A0%80',
    '/api/search?q=%E6%96&limit=1',
    '/api/search?q=a&filter=kind%3Aphoto%',
    '/api/search?q%FF=a',
    '/api/suggest?q=%E0%A4%A',
    '/api/doc/x?q=%E0%A4%A',
    '/api/doc/%E0%A4%A',
    '/doc/%E0%A4%A',
    '/%E0%A4%A',
    '/js/%',
    '/style.css?v=%',
  ])('%s → 400 JSON', async (target) => {
    const answer = await raw(target);
    expect(answer.status).toBe(400);
    expect(answer.headers).toMatch(/^Content-Type: application\/json/im);
    expect(JSON.parse(answer.body).error).toMatch(/^bad request: /);
  });

  it('decodes well-formed escapes, %25 and + included', async () => {
    expect((await request(app).get('/api/search?q=100%25+%E6%96%B9%E7%89%B9').expect(200)).body.query).toBe('100% 方特');
  });
});

describe('no stack trace, ever', () => {
  it('answers 500 without details even when the error handler itself fails (its logger throws)', async () => {
    const logger = pino({ level: 'silent' });
    logger.error = (() => {
      throw new Error('log disk full');
    }) as typeof logger.error;
    const quietConsole = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const failing = quietApp(brokenEngine(), { logger });
      for (const url of ['/api/search?q=a', '/api/health']) {
        const response = await request(failing).get(url).expect(500);
        expect(response.text).not.toMatch(/disk on fire|log disk full/);
        expectNoInternals(response.text);
      }
    } finally {
      // Express reports the failure on the console after answering.
      await new Promise((resolve) => setImmediate(resolve));
      quietConsole.mockRestore();
    }
  });
});

describe('static files stay inside the public folder', () => {
  const attacks = [
    '/..%2f..%2fpackage.json',
    '/..%2f..%2f..%2fpackage.json',
    '/..%2f..%2fcli.ts',
    '/..%2F..%2F..%2Fpackage.json',
    '/%2e%2e/%2e%2e/%2e%2e/package.json',
    '/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
    '/../../../package.json',
    '/js/../../../package.json',
    '/js/..%2f..%2f..%2f..%2fpackage.json',
    '/..%5c..%5c..%5cpackage.json',
    '/%252e%252e%252f%252e%252e%252f%252e%252e%252fpackage.json',
    '/..%c0%af..%c0%af..%c0%afpackage.json',
    '/.%2e/.%2e/.%2e/package.json',
    '/....//....//....//package.json',
    '/%2e%2e/%2e%2e/app.ts',
    '/..%2fapp.ts',
    '/js/..%2f..%2fapp.ts',
    '/%2fetc%2fpasswd',
    '//etc/passwd',
    '/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/js/main.js%00.css',
    '/%00../package.json',
    '/..;/..;/..;/package.json',
    '/doc/..%2f..%2f..%2fpackage.json',
    '/.git/config',
    '/../.git/config',
    '/..%2f..%2f..%2f.git%2fconfig',
  ];

  it.each(attacks)('%s reveals nothing', async (target) => {
    const answer = await raw(target);
    expect([400, 403, 404]).toContain(answer.status);
    expect(answer.body).not.toContain('"name": "jiansuo"');
    expect(answer.body).not.toMatch(/root:.*:0:0:/);
    expect(answer.body).not.toMatch(/from '(express|commander)'/);
    expect(answer.body).not.toContain('[core]');
    expectNoInternals(answer.body);
  });

  it('still serves the public files themselves', async () => {
    expect((await raw('/js/main.js')).status).toBe(200);
    expect((await raw('/js/../style.css')).status).toBe(200);
  });
});

describe('arbitrary request targets (fast-check)', () => {
  // Pieces that tend to break routers, decoders and static file servers, and random bytes.
  const piece = fc.oneof(
    fc.constantFrom('/', '..', '.', '%2e', '%2f', '%2F', '%5c', '%00', '%', '%e0%a4', '%ff', '%c0%af', '%25', '+', '?', '&', '=', '#', ';', '\\'),
    fc.constantFrom('api', 'search', 'suggest', 'doc', 'health', 'openapi.json', 'js', 'main.js', 'index.html', 'q', 'limit', 'offset', 'filter', 'facets', 'kind:photo'),
    fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, '0')}`),
    fc.integer({ min: 0x21, max: 0xff }).map((code) => String.fromCharCode(code)),
    fc.integer({ min: 0, max: 12 }).map((n) => '9'.repeat(n)),
  );
  const target = fc.array(piece, { maxLength: 24 }).map((parts) => `/${parts.join('')}`);

  /** Sends a GET with the target as given (Node's client passes bytes 0x21–0xFF through). */
  function get(path: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: running.address.port, path, headers: { connection: 'close' } }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
      });
      req.on('error', reject);
    });
  }

  it('never answers 5xx, always JSON or the page, never with internals', async () => {
    await fc.assert(
      fc.asyncProperty(target, async (path) => {
        const answer = await get(path);
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(500);
        expect(answer.type).toMatch(/^(application\/json|text\/html|text\/css|text\/javascript|application\/javascript|image\/svg\+xml)/);
        expectNoInternals(answer.body);
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});

describe('slow clients', () => {
  it('answers 408 and closes when a request does not arrive in time (slowloris)', async () => {
    const started = Date.now();
    const { response, timedOut } = await rawExchange(running.address.port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n', 9000);
    expect(timedOut).toBe(false);
    expect(parseRaw(response).status).toBe(408);
    expect(JSON.parse(parseRaw(response).body)).toEqual({ error: 'the request took too long to arrive' });
    // Cut off by the 600 ms timeout given, not by a default one (headers: 10 s), however loaded the machine.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('answers 408 and closes a connection that sends nothing', async () => {
    const started = Date.now();
    const { response, timedOut } = await rawExchange(running.address.port, '', 9000);
    expect(timedOut).toBe(false);
    expect(parseRaw(response).status).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });
});

describe('rate limiting per client address', () => {
  it('answers 429 with Retry-After past the burst, when loopback clients are limited too', async () => {
    const limited = quietApp(demoEngine(), { rateLimit: { perMinute: 60, burst: 3, limitLoopback: true } });
    for (let i = 0; i < 3; i++) await request(limited).get('/api/health').expect(200);
    const refused = await request(limited).get('/api/health').expect(429).expect('Content-Type', /json/);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({ error: 'too many requests from your address (at most 60 per minute): retry in 1 s' });
  });

  it('leaves loopback clients alone by default', async () => {
    const limited = quietApp(demoEngine(), { rateLimit: { perMinute: 60, burst: 3 } });
    for (let i = 0; i < 10; i++) await request(limited).get('/api/health').expect(200);
  });

  it('limits other addresses by default (600 a minute, 100 at once)', async () => {
    const defaults = quietApp(demoEngine());
    // Behind a proxy that says who the client is: request.ip becomes that address.
    defaults.set('trust proxy', true);
    const from = (address: string) => request(defaults).get('/api/health').set('X-Forwarded-For', address);
    const started = Date.now();
    let accepted = 0;
    for (let i = 0; i < 120; i++) if ((await from('203.0.113.7')).status === 200) accepted++;
    // 100 at once, then 10 a second.
    expect(accepted).toBeGreaterThanOrEqual(100);
    expect(accepted).toBeLessThanOrEqual(100 + Math.ceil(((Date.now() - started) / 1000) * 10));
    await from('198.51.100.1').expect(200);
    await from('127.0.0.1').expect(200);
  });
});
