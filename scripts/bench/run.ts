/**
 * Benchmark: jiansuo and its peers side by side on one corpus (issue 5).
 *
 *   npm run bench -- [--corpus news-dev.jsonl.gz] [--engines jiansuo,flexsearch-cjk,…] [--queries 1000]
 *                    [--known-item 2000] [--seed 42] [--limit-docs N]
 *
 * Each engine builds, saves, loads and answers in child processes of its own (child.ts), one
 * after another. Literal queries time short queries (p50/p95/p99 columns); the headlines of
 * the known-item step, ranked against bodies, time long ranked ones (headline columns). Prints a table and writes scripts/bench/results/<corpus>[-limitN][-engines]-<date>.json.
 * Method and caveats: scripts/bench/README.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readCorpus, writeDocuments, writeRecords } from './corpus';
import { ENGINES, engineNamed } from './engines';
import { compileJiansuo } from './engines/jiansuo';
import { corpusPath, wholeNumber } from './args';
import { runChild } from './fork';
import { gitState, localDate } from './runInfo';
import { EngineDescription } from './engines/types';
import { BuildReport, ChildMessage, ChildTask, KnownItemReport, LoadReport, WORK_FILES } from './protocol';
import { KnownItemQuery, LiteralQuery, QueryKind, groundTruth, sampleKnownItems, sampleLiteralQueries } from './queries';
import { KnownItemStats, LatencyStats, LiteralStats, knownItemStats, literalStats } from './stats';
import { Column, fixed, formatTable } from './table';

const ROOT = path.resolve(__dirname, '../..');
const RESULTS_DIR = path.join(__dirname, 'results');
const CHILD = path.join(__dirname, 'child.ts');
/** Top k for latency and known-item ranking. */
const K = 10;
const MB = 1e6;

const USAGE = `npm run bench -- [--corpus FILE] [--engines a,b,…] [--queries N] [--known-item N] [--seed S] [--limit-docs N] [--step-minutes M]
  --corpus      a file in ../shared/corpus or a path (default news-dev.jsonl.gz)
  --engines     comma list of ${ENGINES.map((e) => e.name).join(', ')} (default all)
  --queries     literal queries, half substrings and half jieba words (default 1000)
  --known-item  headline queries for MRR@10, 0 to skip (default 2000)
  --seed        random seed for the query samples (default 42)
  --limit-docs  only the first N documents (for a quick check of the harness)
  --step-minutes  stop an engine's step (build, load, headlines) after M minutes and record it as timed out (default: no limit)`;

interface Options {
  corpus: string;
  engines: string[];
  queries: number;
  knownItem: number;
  seed: number;
  limitDocs?: number;
  /** Longest one step of one engine may run, in minutes; undefined: no limit. */
  stepMinutes?: number;
}

/** Everything measured for one engine. */
interface EngineResult extends EngineDescription {
  build?: Omit<BuildReport, 'kind' | 'latency' | 'literal'> & { mbPerSecond: number };
  load?: Omit<LoadReport, 'kind'>;
  latency?: Record<string, LatencyStats>;
  literal?: Record<'all' | QueryKind, LiteralStats>;
  knownItem?: KnownItemStats & Omit<KnownItemReport, 'kind' | 'ranks'>;
  errors: string[];
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: 'news-dev.jsonl.gz' },
      engines: { type: 'string' },
      queries: { type: 'string' },
      'known-item': { type: 'string' },
      seed: { type: 'string' },
      'limit-docs': { type: 'string' },
      'step-minutes': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const corpus = corpusPath(values.corpus!);
  const engines = values.engines ? values.engines.split(',').map((name) => engineNamed(name.trim()).name) : ENGINES.map((e) => e.name);
  return {
    corpus,
    engines,
    queries: wholeNumber('queries', values.queries, 1000),
    knownItem: wholeNumber('known-item', values['known-item'], 2000),
    seed: wholeNumber('seed', values.seed, 42),
    limitDocs: values['limit-docs'] === undefined ? undefined : wholeNumber('limit-docs', values['limit-docs'], 0),
    stepMinutes: values['step-minutes'] === undefined ? undefined : wholeNumber('step-minutes', values['step-minutes'], 0),
  };
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs one task in a fresh child process (child.ts) and returns its message; kills it after `minutes`. */
function runTask(task: ChildTask, minutes?: number): Promise<ChildMessage> {
  return runChild<ChildMessage>(CHILD, task, minutes);
}

/** Recall and precision over all literal queries and per kind. */
function literalByKind(queries: readonly LiteralQuery[], report: BuildReport): Record<'all' | QueryKind, LiteralStats> {
  const subset = (kind?: QueryKind): LiteralStats => {
    const picked = queries.map((q, i) => ({ q, i })).filter(({ q }) => kind === undefined || q.kind === kind);
    return literalStats(
      picked.map(({ q }) => q.truth.length),
      picked.map(({ i }) => report.literal[i]),
    );
  };
  return { all: subset(), substring: subset('substring'), word: subset('word') };
}

/** Builds, loads and ranks with one engine, each step in its own child; a failed step is recorded, not fatal. */
async function benchEngine(name: string, workDir: string, queries: LiteralQuery[], options: Options, textBytes: number): Promise<{ result: EngineResult; outcomes?: BuildReport['literal'] }> {
  const { create: _create, ...description } = engineNamed(name);
  const result: EngineResult = { ...description, errors: [] };
  const indexDir = path.join(workDir, `index-${name}`);
  let outcomes: BuildReport['literal'] | undefined;

  log(`${name}: build, save, latency, literal recall`);
  const built = await runTask({ kind: 'build', engine: name, workDir, indexDir, k: K }, options.stepMinutes);
  if (built.kind === 'build') {
    const { kind: _kind, latency, literal, ...figures } = built;
    result.build = { ...figures, mbPerSecond: textBytes / MB / built.buildSeconds };
    result.latency = latency;
    result.literal = literalByKind(queries, built);
    outcomes = literal;

    log(`${name}: load in a fresh process`);
    const loaded = await runTask({ kind: 'load', engine: name, indexDir, query: queries[0].text }, options.stepMinutes);
    if (loaded.kind === 'load') {
      const { kind: _loadKind, ...load } = loaded;
      result.load = load;
    } else result.errors.push(`load: ${loaded.kind === 'error' ? loaded.message : 'unexpected report'}`);
  } else result.errors.push(`build: ${built.kind === 'error' ? built.message : 'unexpected report'}`);
  fs.rmSync(indexDir, { recursive: true, force: true });

  if (options.knownItem > 0) {
    log(`${name}: known-item (bodies only)`);
    const ranked = await runTask({ kind: 'known-item', engine: name, workDir, k: K }, options.stepMinutes);
    if (ranked.kind === 'known-item') {
      result.knownItem = { ...knownItemStats(ranked.ranks), buildSeconds: ranked.buildSeconds, msPerQuery: ranked.msPerQuery, latency: ranked.latency };
    } else result.errors.push(`known-item: ${ranked.kind === 'error' ? ranked.message : 'unexpected report'}`);
  }
  for (const error of result.errors) log(`${name}: FAILED ${error}`);
  return { result, outcomes };
}

const COLUMNS: Column[] = [
  { title: 'engine' },
  { title: 'build s', numeric: true },
  { title: 'MB/s', numeric: true },
  { title: 'peak RSS MB', numeric: true },
  { title: 'index MB', numeric: true },
  { title: 'load s', numeric: true },
  { title: 'p50 ms', numeric: true },
  { title: 'p95 ms', numeric: true },
  { title: 'p99 ms', numeric: true },
  { title: 'recall substr', numeric: true },
  { title: 'recall words', numeric: true },
  { title: 'precision', numeric: true },
  { title: 'exact sets', numeric: true },
  { title: 'MRR@10', numeric: true },
  { title: 'headline p50 ms', numeric: true },
  { title: 'p95 ms', numeric: true },
  { title: 'p99 ms', numeric: true },
];

/** One row per engine, plus a row for each further timed search (jiansuo without snippets) with its latency only. */
function tableRows(results: readonly EngineResult[]): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    const latency = Object.entries(r.latency ?? { [r.name]: undefined });
    latency.forEach(([label, stats], i) => {
      const lat = [fixed(stats?.p50, 2), fixed(stats?.p95, 2), fixed(stats?.p99, 2)];
      if (i > 0) {
        rows.push([label, '', '', '', '', '', ...lat]);
        return;
      }
      rows.push([
        r.errors.length ? `${r.name} (failed)` : r.name,
        fixed(r.build?.buildSeconds, 1),
        fixed(r.build?.mbPerSecond, 2),
        fixed(r.build && r.build.peakRss / MB, 0),
        fixed(r.build && r.build.indexBytes / MB, 1),
        fixed(r.load?.loadSeconds, 2),
        ...lat,
        fixed(r.literal?.substring.recall, 3),
        fixed(r.literal?.word.recall, 3),
        fixed(r.literal?.all.precision, 3),
        fixed(r.literal && r.literal.all.exactSets * 100, 1) + (r.literal ? '%' : ''),
        fixed(r.knownItem?.mrr10, 3),
        fixed(r.knownItem?.latency.p50, 2),
        fixed(r.knownItem?.latency.p95, 2),
        fixed(r.knownItem?.latency.p99, 2),
      ]);
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  if (options.engines.includes('jiansuo')) {
    // The jiansuo engine runs the compiled dist/ (engines/jiansuo.ts): compile the code as it is now.
    log('compiling jiansuo (npm run build)');
    compileJiansuo();
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-bench-'));
  try {
    log(`reading ${options.corpus}${options.limitDocs === undefined ? '' : ` (first ${options.limitDocs} documents)`}`);
    const corpus = await readCorpus(options.corpus, options.limitDocs);
    if (corpus.docs.length === 0) throw new Error('the corpus has no documents');
    writeDocuments(path.join(workDir, WORK_FILES.documents), corpus.docs);
    writeRecords(path.join(workDir, WORK_FILES.records), corpus.docs);

    log(`sampling ${options.queries} literal queries (seed ${options.seed}) and their ground truth by brute force`);
    const queries = groundTruth(corpus.docs, sampleLiteralQueries(corpus.docs, options.queries, options.seed));
    fs.writeFileSync(path.join(workDir, WORK_FILES.literal), JSON.stringify(queries));
    const known: KnownItemQuery[] = sampleKnownItems(corpus.docs, options.knownItem, options.seed);
    fs.writeFileSync(path.join(workDir, WORK_FILES.knownItem), JSON.stringify(known));
    log(`${corpus.docs.length} documents, ${(corpus.textBytes / MB).toFixed(1)} MB of text; ${queries.length} literal queries, ${known.length} headline queries`);

    const git = gitState();
    const loadBefore = os.loadavg();
    const results: EngineResult[] = [];
    const outcomes: Record<string, Array<[number, number]>> = {};
    for (const name of options.engines) {
      const { result, outcomes: perQuery } = await benchEngine(name, workDir, queries, options, corpus.textBytes);
      results.push(result);
      if (perQuery) outcomes[name] = perQuery.map((o) => [o.returned, o.correct]);
    }

    const cpus = os.cpus();
    const truthSizes = queries.map((q) => q.truth.length).sort((a, b) => a - b);
    const report = {
      date: new Date().toISOString(),
      git,
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}`, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() },
      corpus: { file: path.basename(options.corpus), documents: corpus.docs.length, problems: corpus.problems, textBytes: corpus.textBytes, limitDocs: options.limitDocs ?? null },
      options: { engines: options.engines, queries: options.queries, knownItem: options.knownItem, seed: options.seed, k: K },
      literalQueries: {
        count: queries.length,
        substrings: queries.filter((q) => q.kind === 'substring').length,
        words: queries.filter((q) => q.kind === 'word').length,
        medianTruth: truthSizes[Math.floor(truthSizes.length / 2)],
        truthPairs: truthSizes.reduce((a, b) => a + b, 0),
        truthPairsOnlyAfterNormalization: queries.reduce((sum, q) => sum + q.truth.length - q.rawTruth, 0),
      },
      knownItemQueries: known.length,
      engines: results,
      queries: queries.map((q) => ({ text: q.text, kind: q.kind, truth: q.truth.length, rawTruth: q.rawTruth })),
      outcomes,
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const stem = path.basename(options.corpus).replace(/\.jsonl(?:\.gz)?$/i, '');
    const subset = options.engines.length === ENGINES.length ? '' : `-${options.engines.join('+')}`;
    const out = path.join(RESULTS_DIR, `${stem}${options.limitDocs === undefined ? '' : `-limit${options.limitDocs}`}${subset}-${localDate()}.json`);
    fs.writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);

    console.log(formatTable(COLUMNS, tableRows(results)));
    console.log(
      `\n${report.corpus.file}: ${corpus.docs.length} documents, ${(corpus.textBytes / MB).toFixed(1)} MB of title+body text (UTF-8); ` +
        `${queries.length} literal queries (${report.literalQueries.substrings} substrings, ${report.literalQueries.words} words, median ${report.literalQueries.medianTruth} matching documents), ` +
        `${known.length} headline queries; seed ${options.seed}; k = ${K}; MB = 10^6 bytes.`,
    );
    console.log(`${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${git ? `commit ${git.commit.slice(0, 7)}${git.srcModified ? ' with src/ modified' : ''}; ` : ''}load average ${loadBefore[0].toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after. Results: ${path.relative(ROOT, out)}`);
    for (const r of results) for (const error of r.errors) console.log(`${r.name} ${error.split('\n')[0]}`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
