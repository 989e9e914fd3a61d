import { counted } from '../counted';
import { dictionariesIn, openingDictionaries } from '../analysis/dictionaries';
import { keepLargeBlocksMapped } from '../analysis/mallocTrim';
import { indexIsStale } from '../build';
import { EngineOptions, SearchEngine, SharedEngineIndex } from '../engine';
import { IndexError } from '../errors';
import { recoverLostPointer } from '../index/recovery';
import { withoutHint } from '../index/manifest';
import { DEFAULT_SOURCE } from '../terminal/defaults';
import { recoveryLine } from '../terminal/format';
import { runIndex } from '../terminal/indexing';
import { out } from '../terminal/output';
import { updatesSinceBuild } from '../update';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './defaults';
import type { IdleCollection } from './idleCollection';

/** What `jiansuo serve` was asked for: its command-line options, the admin token already read. */
export interface ServeOptions {
  dict: string;
  /** Whether --dict was given (not its default): only then are queries segmented with its user dictionary rather than the index's copy (see openingDictionaries). */
  dictGiven?: boolean;
  index: string;
  port: number;
  host: string;
  ensureIndex?: boolean;
  source?: string[];
  maxQueryLength: number;
  rateLimit: number;
  rateLimitLoopback?: boolean;
  requestTimeout: number;
  /** When the long-query thread (heavyLane.ts) starts: at start-up (on), the first time a query needs it (auto), or never (off). */
  longQueryThread: 'on' | 'auto' | 'off';
  /** Milliseconds a search may be expected to wait for the long-query thread before it is refused with 503 (HeavyLaneOptions.maxWaitMs). */
  maxQueueWait: number;
  /** Milliseconds the event loop may be behind before searches are refused with 503 (refuseWhenLate); 0: never. */
  maxLoopDelay: number;
  adminToken?: string;
  /** A Sphinx/Manticore cluster to serve instead of the index directory (see runServeBackend). */
  backend?: string;
  /** With `backend`: answer 503 when a shard does not answer, instead of a partial result. */
  requireAllShards?: boolean;
  /** `--facet NAME`, repeated: the facets every search counts (default: chosen from the documents). */
  facet?: string[];
  /** Percent a heap may grow past what its last full collection left alive before the next (limitHeapGrowth; 0: V8's own). Default DEFAULT_HEAP_GROWTH_PERCENT. */
  heapGrowth?: number;
}

/** How `serve` opens its index: the dictionaries of `--dict` (see openingDictionaries), the query length of `--max-query-length`. */
function servingOptions(options: ServeOptions): EngineOptions {
  return { ...openingDictionaries(options.dict, options.dictGiven === true), maxQueryLength: options.maxQueryLength };
}

/**
 * `serve --ensure-index` builds on the main thread: the server loads jieba there anyway,
 * whereas the memory of worker threads' jieba, though freed, stays with the process
 * (about 300 MB more RSS for the server's lifetime). Large corpora are best indexed with
 * `jiansuo index` before serving.
 */
const SERVE_BUILD_THREADS = 0;

/**
 * Opens the index for serving. With `ensureIndex`, first recovers a lost CURRENT (when the
 * newest generation is complete), then (re)builds the index when it is stale (saying why)
 * or turns out damaged on opening (the cheap staleness check reads only the manifest,
 * opening verifies every file), but never over updates the sources lack: a stale index
 * holding updates is served as it is, a damaged one is refused (buildIndex says what to run).
 */
async function openForServing(options: ServeOptions): Promise<SearchEngine> {
  const sources = options.source ?? [DEFAULT_SOURCE];
  if (options.ensureIndex) {
    const recovered = recoverLostPointer(options.index);
    if (recovered) out(recoveryLine(options.index, recovered));
    const reason = await indexIsStale(options.index, sources, dictionariesIn(options.dict));
    const updates = updatesSinceBuild(options.index);
    if (reason && updates > 0) {
      // Rebuilding from the sources would silently drop what was added through add or the admin API.
      out(`warning: not rebuilding the index in ${options.index} although ${reason}: it holds ${counted(updates, 'update')} (add/remove, admin API) that a rebuild from the sources would lose. Run jiansuo index --force to rebuild anyway.\n`);
    } else if (reason) {
      out(`Building the index in ${options.index}: ${reason}\n`);
      await runIndex(sources, options.index, dictionariesIn(options.dict), undefined, SERVE_BUILD_THREADS);
    }
  }
  try {
    return await SearchEngine.openAsync(options.index, servingOptions(options));
  } catch (error) {
    if (!options.ensureIndex || !(error instanceof IndexError)) throw error;
    // buildIndex refuses when the index holds updates, saying what is damaged and what to run.
    out(`The index in ${options.index} cannot be opened (${withoutHint(error.message)}); rebuilding it from the sources unless that would lose updates.\n`);
    await runIndex(sources, options.index, dictionariesIn(options.dict), undefined, SERVE_BUILD_THREADS);
    return SearchEngine.openAsync(options.index, servingOptions(options));
  }
}

/** Resolves with the first SIGINT or SIGTERM, then stops listening for them. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Serves the index until SIGINT or SIGTERM, then stops accepting connections, lets the
 * requests under way finish and resolves. A new build of the index is picked up without
 * a restart, when its CURRENT pointer changes or on SIGHUP (see IndexReloader).
 */
export async function runServe(options: ServeOptions): Promise<void> {
  const started = performance.now();
  // Before opening: large blocks malloc hands out get mappings of their own, given back once freed (a loaded
  // news-large server's arenas otherwise keep 92–103 MiB freed; see keepLargeBlocksMapped).
  keepLargeBlocksMapped();
  // The server's modules load only for `serve`: the other commands start faster without them.
  const [{ createApp }, { EngineHolder }, { IndexReloader }, { startServer, stopServer }, { servedUpdates }, { RequestLog, stdoutLogger }, { HeavyLane }, { collectWhenIdle }, { limitHeapGrowth, trimmingCollector }, { LoopDelay }] = await Promise.all([
    import('./app'),
    import('./holder'),
    import('./reload'),
    import('./serve'),
    import('./servedUpdates'),
    import('./logging'),
    import('./heavyLane'),
    import('./idleCollection'),
    import('./collectGarbage'),
    import('./loopDelay'),
  ]);
  const engine = await openForServing(options);
  // From now on every heap of the process is collected once it has grown that much past what was alive (set after opening,
  // which would only collect more often): the collection below sets the event loop's next limit by it.
  limitHeapGrowth(options.heapGrowth ?? DEFAULT_HEAP_GROWTH_PERCENT);
  // Opening leaves garbage and memory malloc keeps (about 80 MiB on news-large): given back before the first request.
  trimmingCollector()();
  const warning = engine.dictionaryWarning();
  if (warning) out(`warning: ${warning}\n`);
  const note = engine.dictionaryNote();
  if (note) out(`note: ${note}\n`);
  // Aborted on SIGINT/SIGTERM: work beside the server (warm-up, reloads) stops, and says nothing more.
  const stopping = new AbortController();
  // The typeahead, pinyin and "did you mean" read what the index stores: nothing to build before the first answer.
  const holder = new EngineHolder(engine);
  const rateLimit = options.rateLimit > 0 && { perMinute: options.rateLimit, limitLoopback: options.rateLimitLoopback };
  const reloader = new IndexReloader({ dir: options.index, holder, open: (previous) => SearchEngine.openAsync(options.index, servingOptions(options), previous instanceof SearchEngine ? previous : undefined), log: (line) => out(`${line}\n`) });
  const admin = options.adminToken ? { token: options.adminToken, update: servedUpdates(options.index, reloader) } : undefined;
  // One JSON line per request on stdout, all of them written before "Stopped.".
  const logger = stdoutLogger();
  const requestLog = new RequestLog(logger);
  // Queries still working after FAST_LANE_MS on the event loop are answered by a thread of their own.
  // It searches the served engine's own bytes in shared memory, not a second copy of the index.
  const sharedIndex = (generation: string | undefined): SharedEngineIndex | undefined => {
    const served = holder.current.engine;
    return served.info().createdAt === generation ? served.sharedIndex() : undefined;
  };
  // And analyzes with the served engine's jieba, lent to it, rather than loading its own (120 MB).
  const words = { source: () => holder.current.engine.analyzer.words, ofQuery: (query: string) => holder.current.engine.wordsOfQuery(query) };
  const heavyLane = options.longQueryThread === 'off' ? undefined : new HeavyLane({ dir: options.index, engineOptions: servingOptions(options), sharedIndex, words, maxWaitMs: options.maxQueueWait });
  // Timed from the moment the server listens: opening the index is not being behind with requests.
  const loopDelay = options.maxLoopDelay > 0 ? new LoopDelay() : undefined;
  const app = createApp(holder, { rateLimit, admin, logger, requestLog, heavyLane, ...(options.facet ? { facetFields: options.facet } : {}), ...(loopDelay ? { loopDelay: { delay: loopDelay, maxMs: options.maxLoopDelay } } : {}) });
  const { server, address } = await startServer(app, options.port, options.host, { requestTimeoutMs: options.requestTimeout * 1000 });
  loopDelay?.start();
  reloader.watch();
  const onHangUp = (): void => {
    void reloader.reload('SIGHUP', true);
  };
  process.on('SIGHUP', onHangUp);
  // Listen for signals before announcing the address: whoever reads it may signal at once.
  const stopSignal = nextStopSignal();
  const reach = address.loopback
    ? ' (loopback only: use --host 0.0.0.0 to accept connections from other machines)'
    : address.host === '0.0.0.0' || address.host === '::'
      ? ' (all network interfaces)'
      : '';
  // Said before the address: whoever waits for the address has read everything else.
  if (admin) out('Admin endpoints enabled: POST /api/documents, DELETE /api/documents/:id (Authorization: Bearer <token>)\n');
  out(`Typeahead, pinyin and "did you mean" ready (${Math.round(performance.now() - started)} ms after start).\n`);
  out(`jiansuo serving ${engine.documentCount} documents on ${address.url}${reach}\n`);
  // The groups of copies are worked out in slices beside the first answers, so that no query waits for them.
  // Once warmed up, the event loop collects its garbage whenever no request is under way (the first time: what opening and the warm-up left).
  let idleCollection: IdleCollection | undefined;
  const warmedUp = engine.warmUpInSlices(stopping.signal).then(
    () => {
      if (!stopping.signal.aborted) idleCollection = collectWhenIdle(server);
      // Then the thread for long queries, when asked for at start-up (closed with the server: nothing is said after "Stopped.").
      if (options.longQueryThread !== 'on') return;
      void heavyLane?.warmUp(engine.info().createdAt).then((ready) => {
        if (ready) out(`Long-query thread ready (${Math.round(performance.now() - started)} ms after start).\n`);
      });
    },
    (error: Error) => {
      if (!stopping.signal.aborted) out(`warning: could not group the copies of articles ahead of the first search: ${error.message}\n`);
    },
  );
  const signal = await stopSignal;
  process.off('SIGHUP', onHangUp);
  loopDelay?.stop();
  stopping.abort();
  idleCollection?.stop();
  const reloadsStopped = reloader.close();
  // Stops accepting at once; the line below tells whoever waits for it that new connections are refused.
  const stopped = stopServer(server);
  out(`Received ${signal}, closing connections…\n`);
  const laneStopped = stopped.then(() => heavyLane?.close());
  // Nothing runs or prints after "Stopped.": the warm-up and a reload under way stop at their next slice.
  await Promise.all([stopped, laneStopped, warmedUp, reloadsStopped]);
  // The last answers' 'finish' and 'close' events (which log them) may come after the server closed.
  await requestLog.settled();
  out('Stopped.\n');
}

/**
 * `serve --backend`: serves the cluster's distributed index until SIGINT or SIGTERM. The
 * cluster's own updates show at once: there is no index to reload; the typeahead offers
 * the titles of the best hits (BackendSuggester).
 */
export async function runServeBackend(url: string, options: ServeOptions): Promise<void> {
  const [{ createApp }, { EngineHolder }, { BackendSuggester }, { startServer, stopServer }, { RequestLog, stdoutLogger }, { SphinxBackend }] = await Promise.all([
    import('./app'),
    import('./holder'),
    import('./backendSuggest'),
    import('./serve'),
    import('./logging'),
    import('../backend/sphinx/backend'),
  ]);
  const backend = await SphinxBackend.open(url, { ...dictionariesIn(options.dict), maxQueryLength: options.maxQueryLength, requireAllShards: options.requireAllShards });
  const info = await backend.info();
  const logger = stdoutLogger();
  const requestLog = new RequestLog(logger);
  const rateLimit = options.rateLimit > 0 && { perMinute: options.rateLimit, limitLoopback: options.rateLimitLoopback };
  const app = createApp(new EngineHolder(backend, new BackendSuggester(backend)), { rateLimit, logger, requestLog });
  const { server, address } = await startServer(app, options.port, options.host, { requestTimeoutMs: options.requestTimeout * 1000 });
  const stopSignal = nextStopSignal();
  out(`jiansuo serving ${info.documents} documents of ${url} on ${address.url}${address.loopback ? ' (loopback only)' : ''}\n`);
  const signal = await stopSignal;
  const stopped = stopServer(server);
  out(`Received ${signal}, closing connections…\n`);
  await stopped;
  await requestLog.settled();
  await backend.close();
  out('Stopped.\n');
}
