/**
 * Ranking evaluation (issue 10, point 5): jiansuo and its peers on the evaluation sets of
 * sets.ts, each engine in a child process of its own (child.ts).
 *
 *   npm run eval -- [--sets headline,clause,…] [--engines jiansuo,lunr-jieba,…] [--split test|tune|all]
 *                   [--sample 1000] [--seed 42] [--corpus news-dev.jsonl.gz] [--step-minutes M]
 *
 * Prints MRR@10, hit@1, hit@10 and the no-result rate per set and engine as a Markdown table and
 * writes every figure and per-query outcome to scripts/eval/results/<corpus>-<split>-<time>.json (git-ignored).
 * How the sets are built: scripts/eval/README.md. To tune jiansuo in-process: tune.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readCorpus, writeDocuments } from '../bench/corpus';
import { ENGINES, engineNamed } from '../bench/engines';
import { compileJiansuo } from '../bench/engines/jiansuo';
import { EngineDescription } from '../bench/engines/types';
import { corpusPath, wholeNumber } from '../bench/args';
import { runChild } from '../bench/fork';
import { gitState } from '../bench/runInfo';
import { Column, fixed, markdownTable } from '../bench/table';
import { SetStats, setStats } from './metrics';
import { EVAL_FILES, EvalReport, EvalTask, WorkSets } from './protocol';
import { EvalQuery, SET_NAMES, SetName, Split, buildEvalSets } from './sets';

const ROOT = path.resolve(__dirname, '../..');
const RESULTS_DIR = path.join(__dirname, 'results');
const CHILD = path.join(__dirname, 'child.ts');
const K = 10;
/** Orama is left out unless named: its headline queries take most of an hour on news-dev. */
const DEFAULT_ENGINES = ['jiansuo', 'lunr-jieba', 'minisearch-jieba', 'flexsearch-cjk', 'flexsearch-jieba'];
const SPLITS = ['test', 'tune', 'all'] as const;
type SplitChoice = (typeof SPLITS)[number];

const USAGE = `npm run eval -- [--sets a,b,…] [--engines a,b,…] [--split test|tune|all] [--sample N] [--seed S] [--corpus FILE] [--step-minutes M]
  --sets          comma list of ${SET_NAMES.join(', ')} (default all)
  --engines       comma list of ${ENGINES.map((e) => e.name).join(', ')} (default ${DEFAULT_ENGINES.join(',')})
  --split         the queries whose target is in this split (default test; all: both)
  --sample        queries per split for the generated sets (default 1000; the questions are all asked)
  --seed          seed of the samples (default 42)
  --corpus        a file in ../shared/corpus or a path (default news-dev.jsonl.gz; the questions are about news-dev)
  --step-minutes  stop an engine after M minutes and record it as timed out (default: no limit)`;

interface Options {
  corpus: string;
  sets: SetName[];
  engines: string[];
  split: SplitChoice;
  sample: number;
  seed: number;
  stepMinutes?: number;
}

/** One engine's figures per set, or why it failed. */
interface EngineResult extends EngineDescription {
  stats: Partial<Record<SetName, SetStats>>;
  buildSeconds?: EvalReport['buildSeconds'];
  msPerQuery?: EvalReport['msPerQuery'];
  outcomes?: EvalReport['outcomes'];
  error?: string;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: 'news-dev.jsonl.gz' },
      sets: { type: 'string' },
      engines: { type: 'string' },
      split: { type: 'string', default: 'test' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      'step-minutes': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const corpus = corpusPath(values.corpus!);
  const sets = values.sets ? values.sets.split(',').map((s) => s.trim()) : [...SET_NAMES];
  for (const name of sets) if (!(SET_NAMES as readonly string[]).includes(name)) throw new Error(`unknown set "${name}": choose from ${SET_NAMES.join(', ')}`);
  if (!(SPLITS as readonly string[]).includes(values.split!)) throw new Error(`--split must be one of ${SPLITS.join(', ')}, got "${values.split}"`);
  return {
    corpus,
    sets: sets as SetName[],
    engines: (values.engines ? values.engines.split(',') : DEFAULT_ENGINES).map((name) => engineNamed(name.trim()).name),
    split: values.split as SplitChoice,
    sample: wholeNumber('sample', values.sample, 1000),
    seed: wholeNumber('seed', values.seed, 42),
    stepMinutes: values['step-minutes'] === undefined ? undefined : wholeNumber('step-minutes', values['step-minutes'], 0),
  };
}

function log(message: string): void {
  process.stderr.write(`[eval ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The queries of the chosen split. */
function inSplit(queries: readonly EvalQuery[], split: SplitChoice): EvalQuery[] {
  return split === 'all' ? [...queries] : queries.filter((q) => q.split === (split satisfies Split));
}

const COLUMNS: Column[] = [
  { title: 'set' },
  { title: 'queries', numeric: true },
  { title: 'engine' },
  { title: 'MRR@10', numeric: true },
  { title: 'hit@1', numeric: true },
  { title: 'hit@10', numeric: true },
  { title: 'no result', numeric: true },
];

function tableRows(sets: WorkSets, results: readonly EngineResult[]): string[][] {
  const rows: string[][] = [];
  for (const name of SET_NAMES) {
    const queries = sets[name];
    if (!queries) continue;
    for (const r of results) {
      const s = r.stats[name];
      rows.push([name, String(queries.length), r.error ? `${r.name} (failed)` : r.name, fixed(s?.mrr10, 3), fixed(s?.hit1, 3), fixed(s?.hit10, 3), s ? `${(s.noResult * 100).toFixed(1)}%` : '–']);
    }
  }
  return rows;
}

async function evaluateEngine(name: string, workDir: string, options: Options): Promise<EngineResult> {
  const { create: _create, ...description } = engineNamed(name);
  log(`${name}: build and rank`);
  const task: EvalTask = { engine: name, workDir, k: K };
  const report = await runChild<EvalReport>(CHILD, task, options.stepMinutes);
  if (report.kind === 'error') {
    log(`${name}: FAILED ${report.message}`);
    return { ...description, stats: {}, error: report.message };
  }
  const stats: EngineResult['stats'] = {};
  for (const set of SET_NAMES) if (report.outcomes[set]) stats[set] = setStats(report.outcomes[set]!);
  return { ...description, stats, buildSeconds: report.buildSeconds, msPerQuery: report.msPerQuery, outcomes: report.outcomes };
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  if (options.engines.includes('jiansuo')) {
    // The jiansuo engine runs the compiled dist/ (bench/engines/jiansuo.ts): compile the code as it is now.
    log('compiling jiansuo (npm run build)');
    compileJiansuo();
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-eval-'));
  try {
    log(`reading ${options.corpus}`);
    const { docs } = await readCorpus(options.corpus);
    log(`building the sets ${options.sets.join(', ')} (${options.sample} per split, seed ${options.seed})`);
    const built = buildEvalSets(docs, { sample: options.sample, seed: options.seed, sets: options.sets });
    const ordinal = new Map(docs.map((doc, n) => [doc.id, n]));
    const sets: WorkSets = {};
    const texts: Partial<Record<SetName, EvalQuery[]>> = {};
    for (const name of options.sets) {
      texts[name] = inSplit(built[name]!, options.split);
      sets[name] = texts[name]!.map((q) => ({ text: q.query, target: ordinal.get(q.targetId)! }));
    }
    writeDocuments(path.join(workDir, EVAL_FILES.documents), docs);
    fs.writeFileSync(path.join(workDir, EVAL_FILES.queries), JSON.stringify(sets));
    log(`${docs.length} documents; ${options.sets.map((name) => `${name} ${sets[name]!.length}`).join(', ')} queries (${options.split} split)`);

    const git = gitState();
    const loadBefore = os.loadavg();
    const results: EngineResult[] = [];
    for (const name of options.engines) results.push(await evaluateEngine(name, workDir, options));
    const wallSeconds = (performance.now() - started) / 1000;

    const cpus = os.cpus();
    const report = {
      date: new Date().toISOString(),
      git,
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() },
      corpus: { file: path.basename(options.corpus), documents: docs.length },
      options: { ...options, corpus: path.basename(options.corpus), k: K },
      wallSeconds,
      queries: texts,
      engines: results,
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const stem = path.basename(options.corpus).replace(/\.jsonl(?:\.gz)?$/i, '');
    const out = path.join(RESULTS_DIR, `${stem}-${options.split}-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.json`);
    fs.writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);

    console.log(markdownTable(COLUMNS, tableRows(sets, results)));
    console.log(
      `\n${report.corpus.file}: ${docs.length} documents; ${options.split} split; sample ${options.sample} per split, seed ${options.seed}; k = ${K}. ` +
        `${git ? `Commit ${git.commit.slice(0, 7)}${git.srcModified ? ' with src/ modified' : ''}; ` : ''}load average ${loadBefore[0].toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after; ` +
        `${(wallSeconds / 60).toFixed(1)} min. Results: ${path.relative(ROOT, out)}`,
    );
    for (const r of results) if (r.error) console.log(`${r.name} failed: ${r.error.split('\n')[0]}`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
