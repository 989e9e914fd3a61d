import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_DICT_DIR, Dictionaries, dictionariesIn } from './analysis/dictionaries';
import { EmbeddedBackend } from './backend/embedded';
import { openBackend } from './backend/open';
import { SphinxBackend } from './backend/sphinx/backend';
import { ClusterLoadOptions, ClusterLoadSummary, loadIntoCluster, removeFromCluster } from './backend/sphinx/writes';
import { BuildSummary, buildIndex, indexIsStale } from './build';
import { EngineOptions, SearchEngine } from './engine';
import { IndexError, IngestError, JiansuoError } from './errors';
import { Recovery, recoverIndex, recoverLostPointer } from './index/recovery';
import { withoutHint } from './index/store';
import { formatProblem, loadSources } from './ingest';
import { isValidDate } from './ingest/date';
import { MAX_ID_BYTES, idProblem } from './ingest/id';
import { DEFAULT_RATE_LIMIT, MAX_LIMIT, MAX_OFFSET, MIN_TOKEN_LENGTH, REQUEST_TIMEOUT_MS } from './server/defaults';
import { formatBuildSummary, formatSearchResult, formatUpdateSummary } from './terminal/format';
import { optimizeIndex, updateIndex, updatesSinceBuild } from './update';
import { progressDisplay } from './terminal/progress';

/** Where `jiansuo` looks by default, relative to the working directory (the repository root for `npm start`). */
const DEFAULT_SOURCE = path.join('index-data', 'sources');
const DEFAULT_INDEX = path.join('index-data', 'index');

interface IndexOptions {
  dict: string;
  source?: string[];
  out: string;
  date?: string;
  threads?: number;
  force?: boolean;
  backend?: string;
  shards?: number;
}

interface SearchCommandOptions {
  dict: string;
  index: string;
  backend?: string;
  limit: number;
  offset: number;
  json?: boolean;
  /** False with --no-collapse. */
  collapse: boolean;
}

interface ServeOptions {
  dict: string;
  index: string;
  backend?: string;
  requireAllShards?: boolean;
  port: number;
  host: string;
  ensureIndex?: boolean;
  source?: string[];
  maxQueryLength: number;
  rateLimit: number;
  rateLimitLoopback?: boolean;
  requestTimeout: number;
  adminToken?: string;
}

function out(text: string): void {
  process.stdout.write(text);
}

function err(text: string): void {
  process.stderr.write(text);
}

/** A commander argument parser for a whole number in [min, max]; anything else is a usage error. */
function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** The environment variable `serve` reads the admin token from when no token file is given. */
const TOKEN_VARIABLE = 'JIANSUO_ADMIN_TOKEN';

function adminToken(value: string): string {
  if (value.length < MIN_TOKEN_LENGTH) throw new InvalidArgumentError(`The admin token must have at least ${MIN_TOKEN_LENGTH} characters (e.g. from: openssl rand -hex 24).`);
  return value;
}

/** The admin token in the first line of `file` (`serve --admin-token-file`); a missing file or a short token is a usage error. */
function tokenFromFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`Cannot read the admin token file ${file}: ${(error as Error).message}`);
  }
  return adminToken(text.split(/\r?\n/)[0].trim());
}

/** The admin token in JIANSUO_ADMIN_TOKEN, if set and not empty (a short one is a usage error). */
function tokenFromEnvironment(): string | undefined {
  const value = process.env[TOKEN_VARIABLE];
  return value ? adminToken(value) : undefined;
}

/** A commander parser collecting the ids of a variadic argument; an id that could not be indexed (see idProblem) is a usage error. */
function documentIds(value: string, previous: string[] = []): string[] {
  const problem = idProblem(value);
  if (problem) throw new InvalidArgumentError(`${problem}.`);
  return [...previous, value];
}

function dateArgument(value: string): string {
  if (!isValidDate(value)) throw new InvalidArgumentError('Expected a real date as YYYY-MM-DD, e.g. 2020-07-04.');
  return value;
}

function sourceOption(): Option {
  return new Option('--source <path...>', `source files or directories: .txt pages, .jsonl, .jsonl.gz (default: "${DEFAULT_SOURCE}")`);
}

function backendOption(): Option {
  return new Option('--backend <url>', 'a Sphinx/Manticore cluster instead of the index directory: sphinx://host:port/index?shards=host:port,… (see README "Scale-out")');
}

function dictOption(): Option {
  return new Option('--dict <dir>', 'directory of user.dict.txt (jieba user dictionary) and synonyms.txt, each used when present').default(DEFAULT_DICT_DIR);
}

/** Builds the index, drawing progress on stderr when it is a terminal; prints problems to stderr and the summary to stdout. */
async function runIndex(sources: string[], outDir: string, dictionaries: Dictionaries, date?: string, threads?: number, force?: boolean): Promise<void> {
  const progress = process.stderr.isTTY ? progressDisplay(process.stderr) : undefined;
  let summary: BuildSummary;
  try {
    summary = await buildIndex({ sources, out: outDir, date, dictionaries, threads, force, onProgress: progress && ((p) => progress.update(p)) });
  } finally {
    progress?.stop();
  }
  for (const problem of summary.problems) err(`${formatProblem(problem)}\n`);
  for (const rejected of summary.rejected) err(`${rejected.id}: not indexed: ${rejected.message}\n`);
  out(formatBuildSummary(summary, outDir));
}

/** Reads documents from source files and adds them to the index (replacing same ids); problems go to stderr. */
async function runAdd(paths: string[], indexDir: string, date?: string): Promise<void> {
  const loaded = await loadSources(paths, { date });
  for (const problem of loaded.problems) err(`${formatProblem(problem)}\n`);
  if (loaded.documents.length === 0) throw new IngestError(`no documents found in ${paths.join(', ')}; the index was not changed`);
  const summary = updateIndex(indexDir, { add: loaded.documents });
  for (const rejected of summary.rejected) err(`${rejected.id}: not indexed: ${rejected.message}\n`);
  out(formatUpdateSummary(summary, indexDir));
}

async function runSearch(words: string[], options: SearchCommandOptions): Promise<void> {
  const backend = await openBackend(options.backend, options.index, dictionariesIn(options.dict));
  try {
    const warning = backend instanceof EmbeddedBackend ? backend.engine.dictionaryWarning() : undefined;
    if (warning) err(`warning: ${warning}\n`);
    const result = await backend.search(words.join(' ').trim(), { limit: options.limit, offset: options.offset, collapse: options.collapse });
    for (const line of result.warnings ?? []) err(`warning: partial result: ${line}\n`);
    out(options.json ? `${JSON.stringify(result)}\n` : formatSearchResult(result, options.offset, Boolean(process.stdout.isTTY)));
  } finally {
    await backend.close();
  }
}

/** `index|add --backend`: writes the sources' documents to the cluster, drawing progress on stderr when it is a terminal. */
async function runClusterLoad(url: string, sources: string[], rebuild: boolean, options: ClusterLoadOptions): Promise<void> {
  const progress = process.stderr.isTTY ? progressDisplay(process.stderr) : undefined;
  let summary: ClusterLoadSummary;
  try {
    summary = await loadIntoCluster(url, sources, rebuild, { ...options, onProgress: progress && ((p) => progress.update(p)) });
  } finally {
    progress?.stop();
  }
  for (const problem of summary.problems) err(`${formatProblem(problem)}\n`);
  const removed = summary.removed > 0 ? `, removed ${summary.removed} no longer in the sources` : '';
  out(`Wrote ${summary.written} documents to the ${summary.shards} shards of ${url}${removed} (${(summary.ms / 1000).toFixed(1)} s)\n`);
}

/** How `serve` opens its index: the dictionaries of `--dict`, the query length of `--max-query-length`. */
function servingOptions(options: ServeOptions): EngineOptions {
  return { ...dictionariesIn(options.dict), maxQueryLength: options.maxQueryLength };
}

/**
 * `serve --ensure-index` builds on the main thread: the server loads jieba there anyway,
 * whereas the memory of worker threads' jieba, though freed, stays with the process
 * (about 300 MB more RSS for the server's lifetime). Large corpora are best indexed with
 * `jiansuo index` before serving.
 */
const SERVE_BUILD_THREADS = 0;

/** What `jiansuo recover` and `serve --ensure-index` say about a recovery. */
function recoveryLine(dir: string, recovery: Recovery): string {
  const what = `${recovery.generation} (written ${recovery.manifest.createdAt}, ${recovery.manifest.documents} documents)`;
  if (recovery.action === 'none') return `The index at ${dir} is intact: ${what}; nothing to recover.\n`;
  if (recovery.action === 'pointer') return `Recovered the index at ${dir}: its CURRENT file was lost; it names ${what} again.\n`;
  const aside = recovery.setAside!;
  return (
    `Recovered the index at ${dir}: ${aside.problem}. It is back to ${what}; what was written after it is lost. ` +
    `The damaged ${aside.generations.join(', ')} moved to ${aside.folder} (delete it when you no longer need it).\n`
  );
}

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
      out(`warning: not rebuilding the index in ${options.index} although ${reason}: it holds ${updates} ${updates === 1 ? 'update' : 'updates'} (add/remove, admin API) that a rebuild from the sources would lose. Run jiansuo index --force to rebuild anyway.\n`);
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
async function runServe(options: ServeOptions): Promise<void> {
  const started = performance.now();
  // The server's modules load only for `serve`: the other commands start faster without them.
  const [{ createApp }, { EngineHolder }, { Suggester }, { IndexReloader }, { startServer, stopServer }, { servedUpdates }, { RequestLog }, { pino }] = await Promise.all([
    import('./server/app'),
    import('./server/holder'),
    import('./server/suggest'),
    import('./server/reload'),
    import('./server/serve'),
    import('./server/servedUpdates'),
    import('./server/logging'),
    import('pino'),
  ]);
  const engine = await openForServing(options);
  const warning = engine.dictionaryWarning();
  if (warning) out(`warning: ${warning}\n`);
  // Aborted on SIGINT/SIGTERM: work beside the server (warm-up, reloads) stops, and says nothing more.
  const stopping = new AbortController();
  // The typeahead fills in slices after the server starts: searches are answered at once.
  const typeahead = Suggester.inSlices(engine, stopping.signal);
  const holder = new EngineHolder(engine, typeahead.suggester);
  const rateLimit = options.rateLimit > 0 && { perMinute: options.rateLimit, limitLoopback: options.rateLimitLoopback };
  const reloader = new IndexReloader({ dir: options.index, holder, open: (previous) => SearchEngine.openAsync(options.index, servingOptions(options), previous instanceof SearchEngine ? previous : undefined), log: (line) => out(`${line}\n`) });
  const admin = options.adminToken ? { token: options.adminToken, update: servedUpdates(options.index, reloader) } : undefined;
  // One JSON line per request on stdout, all of them written before "Stopped.".
  const logger = pino();
  const requestLog = new RequestLog(logger);
  const app = createApp(holder, { rateLimit, admin, logger, requestLog });
  const { server, address } = await startServer(app, options.port, options.host, { requestTimeoutMs: options.requestTimeout * 1000 });
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
  out(`jiansuo serving ${engine.documentCount} documents on ${address.url}${reach}\n`);
  // The pinyin index, speller and typeahead are built in slices beside the first answers, so that no query waits for them.
  const warmedUp = Promise.all([typeahead.ready, engine.warmUpInSlices(stopping.signal)]).then(
    () => out(`Typeahead, pinyin and "did you mean" ready (${Math.round(performance.now() - started)} ms after start).\n`),
    (error: Error) => {
      if (!stopping.signal.aborted) out(`warning: could not prepare typeahead and pinyin: ${error.message}\n`);
    },
  );
  const signal = await stopSignal;
  process.off('SIGHUP', onHangUp);
  stopping.abort();
  const reloadsStopped = reloader.close();
  // Stops accepting at once; the line below tells whoever waits for it that new connections are refused.
  const stopped = stopServer(server);
  out(`Received ${signal}, closing connections…\n`);
  // Nothing runs or prints after "Stopped.": the warm-up and a reload under way stop at their next slice.
  await Promise.all([stopped, warmedUp, reloadsStopped]);
  // The last answers' 'finish' and 'close' events (which log them) may come after the server closed.
  await requestLog.settled();
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  out('Stopped.\n');
}

/**
 * `serve --backend`: serves the cluster's distributed index until SIGINT or SIGTERM. The
 * cluster's own updates show at once: there is no index to reload; the typeahead offers
 * the titles of the best hits (BackendSuggester).
 */
async function runServeBackend(url: string, options: ServeOptions): Promise<void> {
  const [{ createApp }, { EngineHolder }, { BackendSuggester }, { startServer, stopServer }, { RequestLog }, { pino }] = await Promise.all([
    import('./server/app'),
    import('./server/holder'),
    import('./server/backendSuggest'),
    import('./server/serve'),
    import('./server/logging'),
    import('pino'),
  ]);
  const backend = await SphinxBackend.open(url, { ...dictionariesIn(options.dict), maxQueryLength: options.maxQueryLength, requireAllShards: options.requireAllShards });
  const info = await backend.info();
  const logger = pino();
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
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  out('Stopped.\n');
}

interface WordsOptions {
  dict: string;
  source?: string[];
  top: number;
  minCount?: number;
  newOnly?: boolean;
  out?: string;
}

/**
 * Finds candidate new words in the sources and prints the best `top` as a table, marking
 * those already listed by jieba's dictionary or the user dictionary in `--dict`. With
 * `--out`, writes the best `top` unknown ones as a jieba user dictionary for review.
 */
async function runWords(options: WordsOptions): Promise<void> {
  const [{ formatUserDictionary, lookUpWords }, { discoverWordsInDocuments }, { formatWordTable }] = await Promise.all([
    import('./analysis/jiebaDictionary'),
    import('./analysis/wordDiscovery'),
    import('./terminal/wordTable'),
  ]);
  const { documents, problems } = await loadSources(options.source ?? [DEFAULT_SOURCE]);
  for (const problem of problems) err(`${formatProblem(problem)}\n`);
  const discovery = discoverWordsInDocuments(documents, { minCount: options.minCount });
  const { known, frequencyTotal } = lookUpWords(
    discovery.candidates.map((c) => c.word),
    dictionariesIn(options.dict).userDict,
  );
  const unknown = discovery.candidates.filter((c) => !known.has(c.word));
  out(
    `${discovery.candidates.length} candidate words (${unknown.length} new) in ${discovery.characters} Han characters of ${documents.length} documents` +
      ` (count >= ${discovery.minCount}, PMI >= ${discovery.minPmi}, entropy >= ${discovery.minEntropy})\n\n`,
  );
  out(formatWordTable((options.newOnly ? unknown : discovery.candidates).slice(0, options.top), known));
  if (options.out) {
    const written = unknown.slice(0, options.top);
    fs.writeFileSync(options.out, formatUserDictionary(written, discovery.characters, frequencyTotal));
    out(`\nWrote ${written.length} new words to ${options.out} (jieba user dictionary: word frequency n)\n`);
  }
}

function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** The commander program; each action runs one command and rejects on failure. */
function program(): Command {
  const cli = new Command('jiansuo')
    .description('Chinese full-text search: index newspaper pages and JSON Lines, search them, serve a search page')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError('(add --help for usage)');

  cli
    .command('index')
    .description('build the search index from source files')
    .addOption(sourceOption())
    .option('--out <dir>', 'index directory to write', DEFAULT_INDEX)
    .addOption(dictOption())
    .option('--date <YYYY-MM-DD>', 'issue date of newspaper pages whose file name carries none', dateArgument)
    .option('--threads <n>', 'worker threads segmenting documents, 0 to segment on the main thread (default: one per core)', wholeNumber(0, 256))
    .option('--force', 'rebuild even over an index holding updates (add/remove, admin API), which are dropped, or a damaged one holding updates (moved to damaged-<time>/)')
    .addOption(backendOption())
    .option('--shards <n>', 'with --backend: the number of shards expected (refused when the cluster has another)', wholeNumber(1, 4096))
    .action(async (options: IndexOptions) => {
      if (options.backend !== undefined) {
        return runClusterLoad(options.backend, options.source ?? [DEFAULT_SOURCE], true, { ...dictionariesIn(options.dict), date: options.date, shards: options.shards });
      }
      await runIndex(options.source ?? [DEFAULT_SOURCE], options.out, dictionariesIn(options.dict), options.date, options.threads, options.force);
    });

  cli
    .command('search')
    .description('search the index and print the best matches')
    .argument('<query...>', 'the text to search for (words are joined with spaces; -word excludes a word)')
    .option('--index <dir>', 'index directory', DEFAULT_INDEX)
    .addOption(dictOption())
    .option('--limit <n>', `results to show (1-${MAX_LIMIT})`, wholeNumber(1, MAX_LIMIT), 10)
    .option('--offset <n>', `results to skip, for paging (0-${MAX_OFFSET})`, wholeNumber(0, MAX_OFFSET), 0)
    .option('--json', 'print the result as one JSON object (as GET /api/search answers)')
    .option('--no-collapse', 'list every copy of an article as a hit of its own (default: copies are folded into one hit)')
    .addOption(backendOption())
    .allowUnknownOption()
    .action(async (words: string[], options: SearchCommandOptions, command: Command) => {
      // Unknown single-dash words are exclusions (方特 -暑期); a double dash is a mistyped option.
      const unknown = words.find((word) => word.startsWith('--') && word.length > 2);
      if (unknown) command.error(`error: unknown option '${unknown}'`, { exitCode: 2 });
      await runSearch(words, options);
    });

  cli
    .command('serve')
    .description('serve the search page and the /api/search JSON API')
    .option('--index <dir>', 'index directory', DEFAULT_INDEX)
    .addOption(dictOption())
    .option('--port <n>', 'port to listen on (0: any free port)', wholeNumber(0, 65535), 3000)
    .option('--host <address>', 'address to listen on (0.0.0.0: all interfaces)', '127.0.0.1')
    .option('--ensure-index', 'first (re)build the index from the sources if it is missing, damaged or out of date')
    .addOption(sourceOption())
    .option('--max-query-length <n>', 'longest query accepted, in characters after normalization', wholeNumber(1, 10000), 256)
    .option('--rate-limit <n>', 'requests per minute one client address may make (0: no limit)', wholeNumber(0, 1_000_000), DEFAULT_RATE_LIMIT)
    .option('--rate-limit-loopback', 'apply the rate limit to clients on this machine too (exempt by default)')
    .option(
      '--admin-token-file <file>',
      `enable POST /api/documents and DELETE /api/documents/:id for clients sending "Authorization: Bearer <token>", the token being the first line of <file> (at least ${MIN_TOKEN_LENGTH} characters); or set ${TOKEN_VARIABLE}`,
    )
    .addOption(new Option('--admin-token <token>', `the admin token itself: deprecated, every user of this machine sees it (ps); use --admin-token-file or ${TOKEN_VARIABLE}`).argParser(adminToken))
    .option('--request-timeout <seconds>', 'time a client has to send a whole request (408 and the connection closed after it)', wholeNumber(1, 3600), REQUEST_TIMEOUT_MS / 1000)
    .addOption(backendOption())
    .option('--require-all-shards', 'with --backend: answer 503 when a shard does not answer, instead of a partial result ("partial": true)')
    .action(async (options: ServeOptions & { adminTokenFile?: string }, command: Command) => {
      if (options.backend !== undefined && (options.ensureIndex || options.adminTokenFile !== undefined || options.adminToken !== undefined || tokenFromEnvironment())) {
        command.error('error: with --backend, serve only searches: index with jiansuo index --backend, update with jiansuo add/remove --backend (no --ensure-index, no admin token)', { exitCode: 2 });
      }
      if (options.backend !== undefined) return runServeBackend(options.backend, options);
      if (options.source && !options.ensureIndex) command.error('error: --source is only used with --ensure-index', { exitCode: 2 });
      if (options.adminToken !== undefined && options.adminTokenFile !== undefined) command.error('error: give the admin token once: --admin-token-file or --admin-token, not both', { exitCode: 2 });
      if (options.adminToken !== undefined) err(`warning: --admin-token shows the token to every user of this machine (ps, /proc); give it with --admin-token-file FILE or ${TOKEN_VARIABLE} instead.\n`);
      let token: string | undefined;
      try {
        token = options.adminTokenFile !== undefined ? tokenFromFile(options.adminTokenFile) : (options.adminToken ?? tokenFromEnvironment());
      } catch (error) {
        command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
      }
      await runServe({ ...options, adminToken: token });
    });

  cli
    .command('add')
    .description('add documents to the index, or replace those with the same id, without rebuilding it')
    .argument('<path...>', 'source files or directories: .txt pages, .jsonl, .jsonl.gz')
    .option('--index <dir>', 'index directory', DEFAULT_INDEX)
    .option('--date <YYYY-MM-DD>', 'issue date of newspaper pages whose file name carries none', dateArgument)
    .addOption(dictOption())
    .addOption(backendOption())
    .action(async (paths: string[], options: { index: string; date?: string; dict: string; backend?: string }) => {
      if (options.backend !== undefined) return runClusterLoad(options.backend, paths, false, { ...dictionariesIn(options.dict), date: options.date });
      await runAdd(paths, options.index, options.date);
    });

  cli
    .command('remove')
    .description('remove documents from the index by id (all of them, or none when an id is unknown)')
    .argument('<id...>', `ids of the documents to remove (each at most ${MAX_ID_BYTES} bytes)`, documentIds)
    .option('--index <dir>', 'index directory', DEFAULT_INDEX)
    .addOption(backendOption())
    .action(async (ids: string[], options: { index: string; backend?: string }) => {
      if (options.backend !== undefined) {
        const summary = await removeFromCluster(options.backend, ids);
        out(`Removed ${summary.removed} documents from ${options.backend}\n`);
        return;
      }
      out(formatUpdateSummary(updateIndex(options.index, { remove: ids }), options.index));
    });

  cli
    .command('optimize')
    .description("merge the index's segments into one, dropping deleted documents")
    .option('--index <dir>', 'index directory', DEFAULT_INDEX)
    .action((options: { index: string }) => {
      const result = optimizeIndex(options.index);
      const what =
        result.segmentsBefore <= 1 && result.deletedBefore === 0
          ? `The index in ${options.index} is already one segment without deleted documents`
          : `Merged ${result.segmentsBefore} segments of ${options.index} into one, dropping ${result.deletedBefore} deleted documents`;
      out(`${what}: ${result.documents} documents (${(result.ms / 1000).toFixed(2)} s)\n`);
    });

  cli
    .command('recover')
    .description('make a damaged index usable again: rewrite a lost CURRENT, or go back to the newest complete generation (damaged ones are moved to damaged-<time>/, never deleted)')
    .option('--index <dir>', 'index directory', DEFAULT_INDEX)
    .action((options: { index: string }) => {
      out(recoveryLine(options.index, recoverIndex(options.index)));
    });

  cli
    .command('words')
    .description('find candidate new words in the sources (frequency, cohesion, neighbour entropy)')
    .addOption(sourceOption())
    .addOption(dictOption())
    .option('--top <n>', 'candidates to print, and new words to write with --out', wholeNumber(1, 1_000_000), 50)
    .option('--min-count <n>', 'fewest occurrences (default: 3, or 5 per million Han characters in a big corpus)', wholeNumber(1, 1_000_000_000))
    .option('--new-only', "print only the words neither jieba's dictionary nor the user dictionary lists")
    .option('--out <file>', 'write the top new words as a jieba user dictionary (word frequency n per line)')
    .action(async (options: WordsOptions) => {
      await runWords(options);
    });
  return cli;
}

/**
 * Reports a failed command on stderr and returns its exit code: 0 for help and version,
 * 2 for usage errors (commander has printed them), 1 for everything else. jiansuo's own
 * errors and system errors (a missing file, a full disk) print their message alone; any
 * other error is a bug and prints its stack.
 */
function failure(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof JiansuoError || isSystemError(error)) {
    err(`error: ${error.message}\n`);
    return 1;
  }
  err(`error: unexpected failure (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
  return 1;
}

/** Node's errors from the file system or network (checked by shape: they may come from another realm under jest). */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

/**
 * Runs the `jiansuo` command line with `argv` (without node and the script) and resolves
 * with the exit code: 0 success, 1 failure, 2 usage error. Never exits the process itself,
 * so it can run in-process in tests; `serve` resolves once the server has stopped.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    return failure(error);
  }
}
