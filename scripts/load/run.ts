/**
 * Load test: starts `jiansuo serve` on a free loopback port, warms it up, then drives it
 * with autocannon for a while at a number of connections (the warm-up's, kept open), with a seeded mix of requests
 * sampled from a real corpus (see queries.ts), and reports requests per second, latency,
 * errors, status codes by kind of request, and the server's memory before and after.
 *
 *   npx tsx scripts/load/run.ts --index index-data/index [--duration 60] [--connections 64]
 *        [--warmup 10] [--corpus ../shared/corpus/news-dev.jsonl.gz] [--upload 10000] [--requests N]
 *        [--bin bin/jiansuo.js] [--idle 5] [--probe FILE [--probe-collect]] [--node-arg=ARG]... [--serve-arg=ARG]... [--json]
 *
 * `--requests N` makes the measured load exactly N requests of the mix instead of
 * `--duration` seconds: the same work whatever else the machine runs, for comparing the
 * server's memory between two versions on a busy machine. `--bin FILE` serves with that
 * compiled `jiansuo` (a checkout's bin/jiansuo.js, after `npx tsc -p tsconfig.build.json`)
 * instead of this checkout's sources through tsx: the server as it ships, without tsx's
 * loader threads (about 35 MiB of its RSS), and another version's server under the same load.
 *
 * `--probe FILE` preloads memoryProbe.cjs into the server, which writes each thread's heap,
 * array buffers, garbage collections and CPU to FILE every second, and the report gives each
 * thread's figures at the end of the measured load (`threads`); `--probe-collect` then also
 * has every thread run a full collection right after the end's RSS is read, and reads RSS
 * again (`rss_mib.collected`): what was alive against what V8 had not collected yet. The
 * server's CPU over the measured load (`server_cpu_s`, from /proc) is reported in any case.
 * `--node-arg=ARG` (repeated) starts the server's Node with ARG, for V8 flags NODE_OPTIONS
 * does not take (`--node-arg=--trace-gc-verbose`) or that must not reach this script.
 * `--serve-arg=ARG` (repeated) passes ARG to `jiansuo serve` itself (`--serve-arg=--heap-growth=40`).
 *
 * Then it sends the heavy query shapes HEAVY_REPEATS times each, all at once, while simple
 * searches run at UPLOAD_SEARCH_CONNECTIONS connections, and reports both (heavy.ts). Then,
 * with `--upload N` (default 10,000; 0 for none), it serves a copy of the index with an
 * admin token and posts N records made from the corpus while simple searches run, and
 * reports their latency meanwhile (upload.ts).
 *
 * Exits 1 when the server answered a 5xx other than 503, shed (503) more than a tenth of
 * the measured requests, a request failed or timed out, a request got a status other than
 * its kind calls for (a shed one aside), the server's memory grew by more than 10%
 * after the warm-up, a heavy query was not answered 200, or the upload or a search beside
 * it or the heavy queries failed. Only loopback is ever targeted.
 */
import autocannon from 'autocannon';
import { SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnJiansuo } from './jiansuo';
import { HeavyReport, heavyDuringSearches } from './heavy';
import { LoadRequest, REQUEST_KINDS, RequestKind, corpusSample, heavyQueries, sampleRequests } from './queries';
import { UploadReport, uploadDuringSearches, uploadRecords } from './upload';

const DEFAULT_CORPUS = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'news-dev.jsonl.gz');
/** The status of a request the server sheds: refused at once, with Retry-After, because its event loop is too far behind or its queue too long. */
const SHED = 503;
/** The largest share of the measured requests that may be shed in a run that passes: shedding is how an overloaded server stays responsive, not an error, unless it is most of what it does. */
const MAX_SHED = 0.1;
/** Most memory growth after the warm-up that still passes. */
const MAX_RSS_GROWTH = 0.1;
/** The admin token of the server under test when it takes an upload. */
const UPLOAD_TOKEN = 'load-test-admin-token-0123456789';
/** Connections running simple searches during the heavy queries and the upload. */
const UPLOAD_SEARCH_CONNECTIONS = 8;
/** Seconds without requests after the last phase before the server's memory is read again (rss_mib.idle), unless told otherwise. */
const IDLE_SECONDS = 5;
/** Times each heavy query shape is sent at once in the heavy phase. */
const HEAVY_REPEATS = 4;

export interface LoadOptions {
  /** The index to serve. */
  index: string;
  /** Seconds of measured load. */
  duration: number;
  /** Requests of measured load instead of `duration` (the same work on a busy machine). Default: none, `duration` counts. */
  requests?: number;
  /** Concurrent connections. */
  connections: number;
  /** Seconds of load before measuring (caches, JIT, lazily built tables), on the connections the measured load goes on with. */
  warmup: number;
  /** The corpus the queries are sampled from (.jsonl or .jsonl.gz). */
  corpus: string;
  /** Documents of the corpus to sample from. Default 2,000. */
  documents?: number;
  /** Seed of the request mix. Default 1. */
  seed?: number;
  /** Extra arguments for `jiansuo serve`. */
  serveArgs?: string[];
  /** Whether memory growth after the warm-up counts against `ok`. Default true; a run of a few seconds is too short to judge it. */
  checkRss?: boolean;
  /** Seconds a request may take before it counts as timed out (in every phase: the load, and the searches beside the heavy queries and the upload). Default 10. */
  timeoutSeconds?: number;
  /** Records to upload after the measured load, on a copy of the index, while simple searches run (see upload.ts). Default 0: none. */
  upload?: number;
  /** Seconds without requests after the last phase before reading the server's memory once more (rss_mib.idle). Default IDLE_SECONDS. */
  idleSeconds?: number;
  /** A compiled `jiansuo` to serve with (bin/jiansuo.js of a built checkout). Default: this checkout's sources through tsx. */
  bin?: string;
  /** A file for memoryProbe.cjs, preloaded into the server, to write each thread's memory to (see `threads` in the report). Default: none, no probe. */
  probe?: string;
  /** With `probe`: every thread runs a full collection once the end's RSS is read (`rss_mib.collected`). */
  probeCollect?: boolean;
  /** Arguments for Node itself when it starts the server (`--node-arg`, repeated), such as V8 flags NODE_OPTIONS does not take. Default: none. */
  nodeArgs?: string[];
}

/** A thread's figures at the end of the measured load (from memoryProbe.cjs; MiB and milliseconds), and its collections and CPU during it. */
export interface ThreadReport {
  main: boolean;
  heap_used: number;
  heap_total: number;
  new_space: number;
  old_space: number;
  external: number;
  array_buffers: number;
  /** After the full collection `--probe-collect` asked for. */
  collected?: { heap_used: number; heap_total: number; array_buffers: number };
  minor_gcs: number;
  minor_gc_ms: number;
  major_gcs: number;
  major_gc_ms: number;
  cpu_ms: number;
}

/**
 * Counts by kind of request: how many were answered, how many were shed (503: the server
 * refused them at once because it was too far behind, with Retry-After), and how many got
 * another status their kind does not call for.
 */
export type KindCounts = Record<RequestKind, { count: number; shed: number; unexpected: number }>;

export interface LoadReport {
  index: string;
  documents: number;
  duration_s: number;
  connections: number;
  requests: number;
  requests_per_s: number;
  /** Milliseconds of the measured 2xx responses (as autocannon counts latency), nearest-rank percentiles. */
  latency_ms: { p50: number; p90: number; p99: number; max: number };
  /** Requests that failed, timeouts included. */
  errors: number;
  timeouts: number;
  status: Record<string, number>;
  /** Responses 5xx other than 503 (shed). */
  server_errors: number;
  /** Responses 503: requests the server shed (see KindCounts). */
  shed: number;
  kinds: KindCounts;
  /**
   * The server's resident memory (MiB): idle after start, after the warm-up, after the
   * measured load, and once the server has had nothing asked of it for `idle_s` seconds
   * after the heavy phase and the upload.
   */
  rss_mib: { start: number; after_warmup: number; end: number; idle: number; collected?: number };
  /** The server's CPU (all threads, user and system) during the measured load, in seconds. */
  server_cpu_s: number;
  /** Each thread's memory at the end of the measured load (with `probe`). */
  threads?: ThreadReport[];
  idle_s: number;
  rss_growth: number;
  /** The upload phase, when there was one. */
  /** The heavy phase. */
  heavy: HeavyReport;
  upload?: UploadReport;
  /** The targets missed, in words (none: the run passed). */
  failures: string[];
  ok: boolean;
}

/** Resident memory of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/** CPU time (user and system) of a process so far in seconds, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A line memoryProbe.cjs writes. */
interface ProbeSample {
  t: number;
  thread: number;
  main: boolean;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  newSpace: number;
  oldSpace: number;
  gc: { minor: number; minorMs: number; major: number; majorMs: number };
  cpuMs: number;
  collected?: boolean;
}

/** Each thread's last sample at or before `end` (ms since the epoch), less its collections and CPU at or before `start`; and what its full collection after `end` left. */
function threadReports(file: string, start: number, end: number): ThreadReport[] {
  const samples = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProbeSample) : [];
  const threads = [...new Set(samples.map((s) => s.thread))].sort((a, b) => a - b);
  return threads.flatMap((thread) => {
    const own = samples.filter((s) => s.thread === thread);
    const atEnd = own.filter((s) => s.t <= end && s.collected !== true).at(-1);
    if (!atEnd) return [];
    const before = own.filter((s) => s.t <= start).at(-1) ?? { gc: { minor: 0, minorMs: 0, major: 0, majorMs: 0 }, cpuMs: 0 };
    const collected = own.find((s) => s.t > end && s.collected === true);
    return [
      {
        main: atEnd.main,
        heap_used: atEnd.heapUsed,
        heap_total: atEnd.heapTotal,
        new_space: atEnd.newSpace,
        old_space: atEnd.oldSpace,
        external: atEnd.external,
        array_buffers: atEnd.arrayBuffers,
        ...(collected ? { collected: { heap_used: collected.heapUsed, heap_total: collected.heapTotal, array_buffers: collected.arrayBuffers } } : {}),
        minor_gcs: atEnd.gc.minor - before.gc.minor,
        minor_gc_ms: atEnd.gc.minorMs - before.gc.minorMs,
        major_gcs: atEnd.gc.major - before.gc.major,
        major_gc_ms: atEnd.gc.majorMs - before.gc.majorMs,
        cpu_ms: atEnd.cpuMs - before.cpuMs,
      },
    ];
  });
}

/** Starts the server; resolves with its URL, its pid and how many documents it serves. */
function startServer(index: string, extra: string[], env: Record<string, string> = {}, bin?: string, nodeArgs: readonly string[] = []): Promise<{ url: string; pid: number; documents: number; stop: () => Promise<number | null> }> {
  const args = ['serve', '--index', index, '--port', '0', ...extra];
  const spawnOptions: SpawnOptions = { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } };
  const child = spawnJiansuo(args, spawnOptions, bin, nodeArgs);
  let head = '';
  let errors = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      head += chunk.toString();
      const found = /jiansuo serving (\d+) documents on (http:\/\/\S+).*\n/.exec(head);
      if (!found) return;
      // From now on the request log is only drained (a full pipe would stall the server).
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        url: found[2],
        pid: child.pid!,
        documents: Number(found[1]),
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    exited.then((code) => reject(new Error(`jiansuo serve exited with ${code} before listening: ${head}${errors}`)));
  });
}

/** Whether a status is what a request of this kind must get: 4xx for bad ones, 200 for the rest. */
function expected(kind: RequestKind, status: number): boolean {
  return kind === 'bad' ? status >= 400 && status < 500 : status === 200;
}

/** What the measured part of a run (after its warm-up) was answered with: the report's fields, and how long it took. */
type Measured = Pick<LoadReport, 'requests' | 'latency_ms' | 'errors' | 'timeouts' | 'status'> & { seconds: number };

/** The nearest-rank percentile `p` (0–1) of ascending `sorted` (0 when empty), to a tenth of a millisecond. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] * 10) / 10;
}

/**
 * One autocannon run over the mix, each connection walking it from its own place: `warmup`
 * seconds, then the measured load (`seconds`, or `amount` responses) on the same
 * connections. One run, not two: a new run opens all its connections at once, and a loaded
 * server accepts one connection per turn of its event loop (libuv), so a second run's
 * clients queued for seconds before their first request and timed out for it — the
 * figures measured the accept queue as much as the server. `measuring` is called when the
 * warm-up ends (the server's memory is read there). Counts statuses by kind of request.
 */
async function cannon(url: string, mix: LoadRequest[], load: { warmup: number; seconds: number; amount?: number; connections: number; timeout: number }, kinds: KindCounts, measuring: () => void): Promise<Measured> {
  let next = 0;
  interface Context {
    kind?: RequestKind;
  }
  let measured = false;
  let started = 0;
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  let timeouts = 0;
  const begin = (): void => {
    measuring();
    measured = true;
    started = performance.now();
  };
  let instance: autocannon.Instance | undefined;
  const done = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: load.connections,
        // With `amount`, the run is stopped once the measured responses are in.
        duration: load.amount ? 24 * 3600 : load.warmup + load.seconds,
        timeout: load.timeout,
        requests: [
          {
            method: 'GET',
            setupRequest: (request, context) => {
              const chosen = mix[next++ % mix.length];
              (context as Context).kind = chosen.kind;
              return { ...request, path: chosen.path };
            },
            onResponse: (code, _body, context) => {
              const kind = (context as Context).kind;
              if (!measured || !kind) return;
              kinds[kind].count++;
              if (code === SHED) kinds[kind].shed++;
              else if (!expected(kind, code)) kinds[kind].unexpected++;
            },
          },
        ],
      },
      (error) => (error ? reject(error as Error) : resolve()),
    );
  });
  const run = instance!;
  run.on('response', (_client, code, _bytes, responseTime) => {
    if (!measured) return;
    requests++;
    status[code] = (status[code] ?? 0) + 1;
    if (code >= 200 && code < 300) latencies.push(responseTime);
    if (load.amount !== undefined && requests === load.amount) run.stop();
  });
  run.on('reqError', (error) => {
    if (!measured) return;
    errors++;
    if (error.message === 'request timed out') timeouts++;
  });
  const warmup = load.warmup > 0 ? setTimeout(begin, load.warmup * 1000) : undefined;
  if (!warmup) begin();
  await done;
  clearTimeout(warmup);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests,
    seconds,
    latency_ms: { p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), p99: percentile(latencies, 0.99), max: percentile(latencies, 1) },
    errors,
    timeouts,
    status,
  };
}

function emptyKinds(): KindCounts {
  const kinds = {} as KindCounts;
  for (const kind of REQUEST_KINDS) kinds[kind] = { count: 0, shed: 0, unexpected: 0 };
  return kinds;
}

/**
 * Runs the load test (see the file's comment) and resolves with its report; the server
 * is stopped with SIGTERM afterwards. `ok` says whether every target was met.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const documents = await corpusSample(options.corpus, options.documents ?? 2000);
  const mix = sampleRequests(documents, 20000, options.seed ?? 1);
  const upload = options.upload ?? 0;
  // An upload changes the index: it goes to a copy.
  const copy = upload > 0 ? fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-load-upload-')) : undefined;
  if (copy) fs.cpSync(options.index, copy, { recursive: true });
  const env: Record<string, string> = copy ? { JIANSUO_ADMIN_TOKEN: UPLOAD_TOKEN } : {};
  if (options.probe) {
    for (const file of [options.probe, `${options.probe}.collect`]) fs.rmSync(file, { force: true });
    env.JIANSUO_MEMORY_PROBE = options.probe;
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'memoryProbe.cjs')}`.trim();
  }
  const server = await startServer(copy ?? options.index, options.serveArgs ?? [], env, options.bin, options.nodeArgs);
  try {
    const start = rssMiB(server.pid);
    let afterWarmup = start;
    let measuredFrom = { time: Date.now(), cpu: cpuSeconds(server.pid) };
    const kinds = emptyKinds();
    const load = { warmup: options.warmup, seconds: options.duration, amount: options.requests, connections: options.connections, timeout: options.timeoutSeconds ?? 10 };
    const result = await cannon(server.url, mix, load, kinds, () => {
      afterWarmup = rssMiB(server.pid);
      measuredFrom = { time: Date.now(), cpu: cpuSeconds(server.pid) };
    });
    const end = rssMiB(server.pid);
    const endTime = Date.now();
    const serverCpu = Math.round((cpuSeconds(server.pid) - measuredFrom.cpu) * 10) / 10;
    let collected: number | undefined;
    if (options.probe && options.probeCollect) {
      fs.writeFileSync(`${options.probe}.collect`, '');
      // Each thread collects at its next sample (every second), which takes it well under a second more.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      collected = rssMiB(server.pid);
    }
    const heavy = await heavyDuringSearches(server.url, heavyQueries(documents), HEAVY_REPEATS, mix.filter((r) => r.kind === 'hit'), UPLOAD_SEARCH_CONNECTIONS, load.timeout);
    const uploaded = upload > 0 ? await uploadDuringSearches(server.url, UPLOAD_TOKEN, uploadRecords(documents, upload), mix.filter((r) => r.kind === 'hit'), UPLOAD_SEARCH_CONNECTIONS, load.timeout) : undefined;
    await new Promise((resolve) => setTimeout(resolve, (options.idleSeconds ?? IDLE_SECONDS) * 1000));
    const idle = rssMiB(server.pid);
    const { status } = result;
    const serverErrors = Object.entries(status).reduce((sum, [code, count]) => sum + (Number(code) >= 500 && Number(code) !== SHED ? count : 0), 0);
    const shed = status[SHED] ?? 0;
    const unexpected = Object.values(kinds).reduce((sum, k) => sum + k.unexpected, 0);
    const growth = Math.round(((end - afterWarmup) / afterWarmup) * 1000) / 1000;
    const failures = [
      serverErrors > 0 ? `${serverErrors} responses were 5xx other than 503` : '',
      shed > MAX_SHED * result.requests ? `${shed} of ${result.requests} requests were shed (503; target: at most ${MAX_SHED * 100}%)` : '',
      result.errors + result.timeouts > 0 ? `${result.errors} requests failed (${result.timeouts} timed out)` : '',
      unexpected > 0 ? `${unexpected} requests got a status their kind does not call for` : '',
      options.checkRss !== false && growth >= MAX_RSS_GROWTH ? `RSS grew ${(growth * 100).toFixed(1)}% after the warm-up (target: under ${MAX_RSS_GROWTH * 100}%)` : '',
      heavy.heavy_status['200'] !== heavy.heavy ? `of ${heavy.heavy} heavy queries, ${heavy.heavy - (heavy.heavy_status['200'] ?? 0)} were not answered 200` : '',
      heavy.search_errors + heavy.search_non_2xx > 0 ? `${heavy.search_errors + heavy.search_non_2xx} searches beside the heavy queries failed` : '',
      uploaded && uploaded.status !== 200 ? `the upload got ${uploaded.status}` : '',
      uploaded && uploaded.search_errors + uploaded.search_non_2xx > 0 ? `${uploaded.search_errors + uploaded.search_non_2xx} searches during the upload failed` : '',
    ].filter(Boolean);
    return {
      index: options.index,
      documents: server.documents,
      duration_s: Math.round(result.seconds * 10) / 10,
      connections: options.connections,
      requests: result.requests,
      requests_per_s: Math.round(result.requests / result.seconds),
      latency_ms: result.latency_ms,
      errors: result.errors,
      timeouts: result.timeouts,
      status,
      server_errors: serverErrors,
      shed,
      kinds,
      rss_mib: { start, after_warmup: afterWarmup, end, idle, ...(collected !== undefined ? { collected } : {}) },
      server_cpu_s: serverCpu,
      ...(options.probe ? { threads: threadReports(options.probe, measuredFrom.time, endTime) } : {}),
      idle_s: options.idleSeconds ?? IDLE_SECONDS,
      rss_growth: growth,
      heavy,
      ...(uploaded ? { upload: uploaded } : {}),
      failures,
      ok: failures.length === 0,
    };
  } finally {
    await server.stop();
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** The report as a few lines for people. */
export function formatReport(report: LoadReport): string {
  const kinds = Object.entries(report.kinds)
    .map(([kind, k]) => `${kind} ${k.count}${k.shed ? ` (${k.shed} shed)` : ''}${k.unexpected ? ` (${k.unexpected} unexpected)` : ''}`)
    .join(', ');
  return [
    `${report.index}: ${report.documents} documents, ${report.connections} connections, ${report.duration_s} s`,
    `  ${report.requests} requests, ${report.requests_per_s} req/s; latency p50 ${report.latency_ms.p50} ms, p90 ${report.latency_ms.p90} ms, p99 ${report.latency_ms.p99} ms, max ${report.latency_ms.max} ms`,
    `  status ${JSON.stringify(report.status)}; shed (503) ${report.shed}, other 5xx ${report.server_errors}, errors ${report.errors}, timeouts ${report.timeouts}`,
    `  by kind: ${kinds}`,
    `  server RSS ${report.rss_mib.start} MiB at start, ${report.rss_mib.after_warmup} MiB after warm-up, ${report.rss_mib.end} MiB at the end (${(report.rss_growth * 100).toFixed(1)}%)` +
      `${report.rss_mib.collected !== undefined ? `, ${report.rss_mib.collected} MiB after a full collection` : ''}, ${report.rss_mib.idle} MiB idle ${report.idle_s} s after the last phase`,
    `  server CPU ${report.server_cpu_s} s during the measured load (${((report.server_cpu_s * 1000) / Math.max(1, report.requests)).toFixed(1)} ms per request)`,
    ...(report.threads ?? []).map(formatThread),
    formatHeavy(report.heavy),
    ...(report.upload ? [formatUpload(report.upload)] : []),
    report.ok ? '  PASS' : `  FAIL: ${report.failures.join('; ')}`,
  ].join('\n');
}

function formatThread(t: ThreadReport): string {
  const collected = t.collected ? ` (after a full collection: heap ${t.collected.heap_used} of ${t.collected.heap_total}, array buffers ${t.collected.array_buffers})` : '';
  return (
    `  ${t.main ? 'event loop' : 'worker'}: heap ${t.heap_used} MiB used of ${t.heap_total} (young ${t.new_space}, old ${t.old_space}), array buffers ${t.array_buffers}, external ${t.external}${collected}; ` +
    `during the load ${t.minor_gcs} minor GCs (${t.minor_gc_ms} ms), ${t.major_gcs} major (${t.major_gc_ms} ms), CPU ${(t.cpu_ms / 1000).toFixed(1)} s`
  );
}

function formatHeavy(heavy: HeavyReport): string {
  const { p50, p99, max } = heavy.search_latency_ms;
  return (
    `  ${heavy.heavy} heavy queries at once: status ${JSON.stringify(heavy.heavy_status)}, ${heavy.heavy_timed_out} timed out, slowest ${heavy.heavy_max_wall_ms} ms ` +
    `(took_ms ${heavy.heavy_max_took_ms}); meanwhile ${heavy.searches} simple searches at ${UPLOAD_SEARCH_CONNECTIONS} connections, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms, ` +
    `${heavy.search_errors} errors (${heavy.search_timeouts} timed out), ${heavy.search_non_2xx} non-2xx`
  );
}

function formatUpload(upload: UploadReport): string {
  const { p50, p99, max } = upload.search_latency_ms;
  return (
    `  upload of ${upload.records} records: status ${upload.status}, ${upload.wall_ms} ms (took_ms ${upload.took_ms}); meanwhile ` +
    `${upload.searches} simple searches at ${UPLOAD_SEARCH_CONNECTIONS} connections, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms, ` +
    `${upload.search_errors} errors (${upload.search_timeouts} timed out), ${upload.search_non_2xx} non-2xx`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      index: { type: 'string', default: path.join('index-data', 'index') },
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '10' },
      corpus: { type: 'string', default: DEFAULT_CORPUS },
      seed: { type: 'string', default: '1' },
      upload: { type: 'string', default: '10000' },
      requests: { type: 'string' },
      bin: { type: 'string' },
      idle: { type: 'string', default: String(IDLE_SECONDS) },
      probe: { type: 'string' },
      'probe-collect': { type: 'boolean', default: false },
      'node-arg': { type: 'string', multiple: true },
      'serve-arg': { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const report = await runLoad({
    index: values.index!,
    duration: Number(values.duration),
    connections: Number(values.connections),
    warmup: Number(values.warmup),
    corpus: values.corpus!,
    seed: Number(values.seed),
    upload: Number(values.upload),
    ...(values.requests ? { requests: Number(values.requests) } : {}),
    ...(values.bin ? { bin: path.resolve(values.bin) } : {}),
    idleSeconds: Number(values.idle),
    ...(values.probe ? { probe: path.resolve(values.probe), probeCollect: values['probe-collect'] } : {}),
    ...(values['node-arg'] ? { nodeArgs: values['node-arg'] } : {}),
    ...(values['serve-arg'] ? { serveArgs: values['serve-arg'] } : {}),
  });
  console.log(values.json ? JSON.stringify(report) : formatReport(report));
  if (!report.ok) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
