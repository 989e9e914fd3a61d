import { counted } from './counted';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DICT_DIR, dictionariesIn, openingDictionaries } from './analysis/dictionaries';
import { EmbeddedBackend } from './backend/embedded';
import { openBackend } from './backend/open';
import { removeFromCluster } from './backend/sphinx/writes';
import { DEFAULT_BUILD_MEMORY_MB } from './build';
import { IngestError, JiansuoError } from './errors';
import { recoverIndex } from './index/recovery';
import { formatProblem, loadSources } from './ingest';
import { isValidDate } from './ingest/date';
import { MAX_ID_BYTES, idProblem } from './ingest/id';
import { DATE_RANGE_EXAMPLES } from './search/dateRange';
import { FIELD_NAME, parseFilterText } from './search/fields';
import { SORT_ORDERS, SearchFilter, SortOrder } from './search/types';
import { DEFAULT_HEAP_GROWTH_PERCENT, DEFAULT_MAX_LOOP_DELAY_MS, DEFAULT_MAX_QUEUE_WAIT_MS, DEFAULT_RATE_LIMIT, MAX_LIMIT, MAX_OFFSET, MIN_TOKEN_LENGTH, REQUEST_TIMEOUT_MS } from './server/defaults';
import { ServeOptions, runServe, runServeBackend } from './server/run';
import { DEFAULT_INDEX, DEFAULT_SOURCE } from './terminal/defaults';
import { formatSearchResult, formatUpdateSummary, recoveryLine } from './terminal/format';
import { runClusterLoad, runIndex } from './terminal/indexing';
import { err, out } from './terminal/output';
import { optimizeIndex, updateIndex } from './update';

interface IndexOptions {
  dict: string;
  source?: string[];
  out: string;
  date?: string;
  threads?: number;
  force?: boolean;
  memory?: number;
  backend?: string;
  shards?: number;
}

interface SearchCommandOptions {
  dict: string;
  /** Whether --dict was given (not its default): see openingDictionaries. */
  dictGiven?: boolean;
  index: string;
  backend?: string;
  limit: number;
  offset: number;
  json?: boolean;
  /** False with --no-collapse. */
  collapse: boolean;
  /** --filter field:value, repeated; --date RANGE adds date:RANGE. */
  filter: SearchFilter[];
  date?: string;
  sort: SortOrder;
  /** --facet NAME, repeated: count these facets and print them. */
  facet?: string[];
  /** With --as-typed: no results of a "did you mean" spelling in place of none. */
  asTyped?: boolean;
}

/** A commander argument parser for `--filter field:value`, repeatable; a malformed one is a usage error. */
function filterArgument(value: string, previous: SearchFilter[]): SearchFilter[] {
  const filter = parseFilterText(value);
  if (typeof filter !== 'object') {
    throw new InvalidArgumentError(filter ?? 'Expected field:value, e.g. category:体育, reporter:孙志刚 or date:2018-01..2018-06 (kind: article or photo).');
  }
  return [...previous, filter];
}

/** A commander argument parser for `--date RANGE` (a day, month, year or range of them); anything else is a usage error. */
function dateRangeArgument(value: string): string {
  const filter = parseFilterText(`date:${value}`);
  if (typeof filter !== 'object') throw new InvalidArgumentError(filter ?? `Expected a date or range, e.g. ${DATE_RANGE_EXAMPLES}.`);
  return value;
}

/** A commander argument parser for `--facet NAME`, repeatable. */
function facetArgument(value: string, previous: string[] = []): string[] {
  if (!FIELD_NAME.test(value)) throw new InvalidArgumentError('Expected a field name, e.g. category, source, year or month.');
  return [...previous, value];
}

/** The facets option of `search` and `serve`. */
function facetOption(what: string): Option {
  return new Option('--facet <name>', `${what} (repeat for several; default: chosen from the documents, see README "Facets, dates and the timeline")`).argParser(facetArgument);
}

/** Values of each `--facet` field `jiansuo search` prints. */
const FACET_VALUES_PRINTED = 10;

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
  // A cluster has no copy of the dictionary: its documents and queries are segmented with --dict's, default or not.
  const dictionaries = options.backend === undefined ? openingDictionaries(options.dict, options.dictGiven === true) : dictionariesIn(options.dict);
  const backend = await openBackend(options.backend, options.index, dictionaries);
  try {
    const warning = backend instanceof EmbeddedBackend ? backend.engine.dictionaryWarning() : undefined;
    if (warning) err(`warning: ${warning}\n`);
    const note = backend instanceof EmbeddedBackend ? backend.engine.dictionaryNote() : undefined;
    if (note) err(`note: ${note}\n`);
    const filters = [...options.filter, ...(options.date !== undefined ? [{ field: 'date', value: options.date }] : [])];
    const result = await backend.search(words.join(' ').trim(), {
      limit: options.limit,
      offset: options.offset,
      collapse: options.collapse,
      correct: !options.asTyped,
      ...(filters.length > 0 ? { filters } : {}),
      ...(options.sort !== 'relevance' ? { sort: options.sort } : {}),
      ...(options.facet ? { facets: FACET_VALUES_PRINTED, facetFields: options.facet } : {}),
    });
    for (const line of result.warnings ?? []) err(`warning: partial result: ${line}\n`);
    out(options.json ? `${JSON.stringify(result)}\n` : formatSearchResult(result, options.offset, Boolean(process.stdout.isTTY)));
  } finally {
    await backend.close();
  }
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
    import('./discovery/jiebaDictionary'),
    import('./discovery/wordDiscovery'),
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
    .option(
      '--memory <MB>',
      `peak memory (RSS, MB) the build aims to stay under: past it the index is written in several segments, which answer exactly as one (default: ${DEFAULT_BUILD_MEMORY_MB})`,
      wholeNumber(1, 1_000_000),
    )
    .addOption(backendOption())
    .option('--shards <n>', 'with --backend: the number of shards expected (refused when the cluster has another)', wholeNumber(1, 4096))
    .action(async (options: IndexOptions) => {
      if (options.backend !== undefined) {
        return runClusterLoad(options.backend, options.source ?? [DEFAULT_SOURCE], true, { ...dictionariesIn(options.dict), date: options.date, shards: options.shards });
      }
      await runIndex(options.source ?? [DEFAULT_SOURCE], options.out, dictionariesIn(options.dict), options.date, options.threads, options.force, options.memory);
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
    .option('--filter <field:value>', 'keep only documents with this value, e.g. category:体育 or reporter:孙志刚 (repeat: one field ORs, different fields AND)', filterArgument, [])
    .option('--date <range>', `keep only documents dated within: ${DATE_RANGE_EXAMPLES}`, dateRangeArgument)
    .addOption(new Option('--sort <order>', 'hit order: relevance (literal matches first), newest or oldest (undated last)').choices([...SORT_ORDERS]).default('relevance'))
    .addOption(facetOption('count the values of this field among all matches, e.g. category, and print them'))
    .option('--as-typed', 'search the query as typed even when it finds nothing (default: then show the results of its "did you mean" spelling)')
    .addOption(backendOption())
    .allowUnknownOption()
    .action(async (words: string[], options: SearchCommandOptions, command: Command) => {
      // Unknown single-dash words are exclusions (方特 -暑期); a double dash is a mistyped option.
      const unknown = words.find((word) => word.startsWith('--') && word.length > 2);
      if (unknown) command.error(`error: unknown option '${unknown}'`, { exitCode: 2 });
      await runSearch(words, { ...options, dictGiven: command.getOptionValueSource('dict') === 'cli' });
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
    .addOption(
      new Option(
        '--long-query-thread <when>',
        'the worker thread (its own jieba and copy of the index) where long queries and those still working after 100 ms of CPU time run, beside the others: ' +
          'started the first time a query needs it (auto), at start-up (on), or never, every query then running on the event loop within its time limit (off)',
      )
        .choices(['auto', 'on', 'off'])
        .default('auto'),
    )
    .option(
      '--max-queue-wait <ms>',
      'how long a search may be expected to wait for the long-query thread (the searches ahead of it times their average time) before the server refuses it at once with 503 and Retry-After',
      wholeNumber(1, 600_000),
      DEFAULT_MAX_QUEUE_WAIT_MS,
    )
    .option(
      '--max-loop-delay <ms>',
      'how far behind with the requests it received the event loop may be before the server refuses searches, suggestions and document views at once with 503 and Retry-After (0: never)',
      wholeNumber(0, 600_000),
      DEFAULT_MAX_LOOP_DELAY_MS,
    )
    .option(
      '--heap-growth <percent>',
      "how far the server's JavaScript heaps may grow past what their last full garbage collection left alive before the next one: less memory under load for more collection work (0: V8's own choice, up to 300 on a machine with a few GB)",
      wholeNumber(0, 1000),
      DEFAULT_HEAP_GROWTH_PERCENT,
    )
    .addOption(facetOption('the facets the search page offers, e.g. category'))
    .addOption(backendOption())
    .option('--require-all-shards', 'with --backend: answer 503 when a shard does not answer, instead of a partial result ("partial": true)')
    .action(async (options: ServeOptions & { adminTokenFile?: string }, command: Command) => {
      if (options.backend !== undefined && (options.ensureIndex || options.adminTokenFile !== undefined || options.adminToken !== undefined || tokenFromEnvironment())) {
        command.error('error: with --backend, serve only searches: index with jiansuo index --backend, update with jiansuo add/remove --backend (no --ensure-index, no admin token)', { exitCode: 2 });
      }
      if (options.backend !== undefined && options.facet) command.error('error: --facet needs an index directory: a cluster counts kind, reporter, source and date only', { exitCode: 2 });
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
      await runServe({ ...options, adminToken: token, dictGiven: command.getOptionValueSource('dict') === 'cli' });
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
    .description("merge the index's segments into one, dropping deleted documents (streamed from disk: about 360 MB of memory for news-large's 213 MB; builds merge into one only indexes up to 150 MB, updates never)")
    .option('--index <dir>', 'index directory', DEFAULT_INDEX)
    .action((options: { index: string }) => {
      const result = optimizeIndex(options.index);
      const what =
        result.segmentsBefore <= 1 && result.deletedBefore === 0
          ? `The index in ${options.index} is already one segment without deleted documents`
          : `Merged ${result.segmentsBefore} segments of ${options.index} into one, dropping ${counted(result.deletedBefore, 'deleted document')}`;
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
