/**
 * What discovered words are worth. For each SIGHAN 2005 test set (PKU, MSR): word
 * segmentation precision, recall and F1 against the gold file, first with jieba alone
 * (nodejieba cut with HMM), then with jieba plus the words `discoverWords` finds, without
 * supervision, in the unsegmented test text itself, loaded as a user dictionary (the gold
 * files are used only for scoring). Then known-item MRR@10 on news-dev (scripts/known-item.ts),
 * before and after adding the words discovered in the indexed news-dev bodies.
 *
 *   npx tsx scripts/segmentation-eval.ts [--corpus-dir ../shared/corpus] [--sample N] [--skip-known-item]
 *                                        [--dict-dir DIR] [--json]
 *
 * --sample asks a seeded sample of N headlines instead of all 11,035; --dict-dir keeps the
 * discovered user dictionaries there (default: a temporary directory, removed at the end).
 * Scoring is the bakeoff's: a word is right when its span [start, end) in the line is a
 * gold word's span; "R unknown" is the recall of the gold words jieba's dictionary lacks.
 */
import * as fs from 'node:fs';
import * as nodejieba from 'nodejieba';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatUserDictionary, lookUpWords } from '../src/discovery/jiebaDictionary';
import { loadJieba } from '../src/analysis/jieba';
import { Discovery, discoverWords, discoverWordsInDocuments } from '../src/discovery/wordDiscovery';
import { KnownItemReport, knownItem, readKnownItemCorpus } from './known-item';

/** One test set: each non-empty line and its gold words. */
interface SegmentationSet {
  name: string;
  lines: string[];
  gold: string[][];
}

interface Scores {
  precision: number;
  recall: number;
  f1: number;
  /** Recall of the gold words that jieba's dictionary does not list. */
  unknownRecall: number;
}

interface SetResult {
  name: string;
  goldWords: number;
  /** Words discovered in the test text and new to jieba (the user dictionary's size). */
  discovered: number;
  jieba: Scores;
  withDiscovered: Scores;
}

interface KnownItemResult {
  discovered: number;
  before: KnownItemReport;
  after: KnownItemReport;
  /** Standard error of the MRR@10 difference, from the per-query reciprocal ranks (paired). */
  mrrDifferenceError: number;
}

/** Lines of a SIGHAN file without the BOM and carriage returns. */
function readLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r/g, '').split('\n');
}

/** Reads a test file and its gold file; checks that each gold line is its test line with spaces. */
function readSet(dir: string, name: string): SegmentationSet {
  const test = readLines(path.join(dir, `${name}_test.utf8`));
  const gold = readLines(path.join(dir, `${name}_test_gold.utf8`));
  if (test.length !== gold.length) throw new Error(`${name}: ${test.length} test lines but ${gold.length} gold lines`);
  const set: SegmentationSet = { name: name.toUpperCase(), lines: [], gold: [] };
  test.forEach((line, i) => {
    if (!line) return;
    // Gold words are separated by spaces (two, once one); a test line has none.
    const words = gold[i].split(/ +/).filter(Boolean);
    if (words.join('') !== line) throw new Error(`${name}: line ${i + 1} of the gold file is not its test line segmented`);
    set.lines.push(line);
    set.gold.push(words);
  });
  return set;
}

/** The spans [start, end) of a line's words, each as start · 2^20 + end. */
function spans(words: string[]): Set<number> {
  const found = new Set<number>();
  let start = 0;
  for (const word of words) {
    found.add(start * 2 ** 20 + start + word.length);
    start += word.length;
  }
  return found;
}

/** Precision, recall and F1 of word spans, and the recall of gold words that `unknown` says jieba lacks. */
function score(gold: string[][], predicted: string[][], unknown: ReadonlySet<string>): Scores {
  let goldCount = 0;
  let predictedCount = 0;
  let correct = 0;
  let unknownCount = 0;
  let unknownCorrect = 0;
  gold.forEach((words, i) => {
    const right = spans(predicted[i]);
    let start = 0;
    for (const word of words) {
      const hit = right.has(start * 2 ** 20 + start + word.length);
      if (hit) correct++;
      if (unknown.has(word)) {
        unknownCount++;
        if (hit) unknownCorrect++;
      }
      start += word.length;
    }
    goldCount += words.length;
    predictedCount += predicted[i].length;
  });
  const precision = correct / predictedCount;
  const recall = correct / goldCount;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), unknownRecall: unknownCorrect / unknownCount };
}

/** Each line cut by jieba (HMM on) with this user dictionary, or none. */
function segment(lines: string[], userDict?: string): string[][] {
  loadJieba(userDict);
  return lines.map((line) => {
    const words = nodejieba.cut(line, true);
    if (words.join('') !== line) throw new Error(`jieba changed the text of a line: ${line.slice(0, 40)}…`);
    return words;
  });
}

/** Writes the discovered words jieba does not know as a user dictionary; returns how many. */
function writeDiscovered(discovery: Discovery, file: string): number {
  const { known, frequencyTotal } = lookUpWords(discovery.candidates.map((c) => c.word));
  const unknown = discovery.candidates.filter((c) => !known.has(c.word));
  fs.writeFileSync(file, formatUserDictionary(unknown, discovery.characters, frequencyTotal));
  return unknown.length;
}

function evaluateSet(set: SegmentationSet, dictDir: string): SetResult {
  const goldVocabulary = new Set(set.gold.flat());
  const { known } = lookUpWords(goldVocabulary);
  const unknown = new Set([...goldVocabulary].filter((w) => !known.has(w)));
  const jieba = score(set.gold, segment(set.lines), unknown);
  const file = path.join(dictDir, `${set.name.toLowerCase()}-discovered.dict.txt`);
  const discovered = writeDiscovered(discoverWords(set.lines), file);
  const withDiscovered = score(set.gold, segment(set.lines, file), unknown);
  return { name: set.name, goldWords: set.gold.reduce((n, words) => n + words.length, 0), discovered, jieba, withDiscovered };
}

async function evaluateKnownItem(corpusDir: string, dictDir: string, sample?: number): Promise<KnownItemResult> {
  const corpus = await readKnownItemCorpus(path.join(corpusDir, 'news-dev.jsonl.gz'));
  const reciprocal = (ranks: number[]) => (rank: number) => ranks.push(rank === 0 ? 0 : 1 / rank);
  const beforeRanks: number[] = [];
  const before = knownItem(corpus, { sample, onRank: reciprocal(beforeRanks) });
  const file = path.join(dictDir, 'news-dev-discovered.dict.txt');
  // The index holds the bodies only (titles are the queries), so the words come from the bodies.
  const discovered = writeDiscovered(discoverWordsInDocuments(corpus.bodies), file);
  const afterRanks: number[] = [];
  const after = knownItem(corpus, { sample, engine: { userDict: file }, onRank: reciprocal(afterRanks) });
  return { discovered, before, after, mrrDifferenceError: standardError(afterRanks.map((r, i) => r - beforeRanks[i])) };
}

/** The standard error of the mean of `values`. */
function standardError(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance / values.length);
}

/** F1 changes smaller than this count as no change. */
const F1_MARGIN = 0.005;

/**
 * "keep" when something improves and nothing gets worse, "drop" when something gets worse
 * and nothing improves, else "mixed". An F1 change under 0.005 is no change; an MRR@10
 * change is one only beyond two standard errors of the paired difference.
 */
function verdict(sets: SetResult[], known?: KnownItemResult): string {
  const changes = sets.map((s) => ({ what: `F1 ${s.name}`, delta: s.withDiscovered.f1 - s.jieba.f1, margin: F1_MARGIN }));
  if (known) changes.push({ what: 'MRR@10', delta: known.after.mrr10 - known.before.mrr10, margin: 2 * known.mrrDifferenceError });
  const better = changes.filter((c) => c.delta >= c.margin).length;
  const worse = changes.filter((c) => c.delta <= -c.margin).length;
  const decision = worse === 0 && better > 0 ? 'keep: discovered words help' : better === 0 && worse > 0 ? 'drop: discovered words hurt' : 'mixed: no clear gain';
  const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
  const described = changes.map((c) => `${c.what} ${signed(c.delta)}${Math.abs(c.delta) < c.margin ? ` (no change: under ${c.margin.toFixed(4)})` : ''}`);
  return `Verdict: ${decision} (${described.join(', ')})`;
}

function table(sets: SetResult[], known?: KnownItemResult): string {
  const f = (x: number): string => x.toFixed(4);
  const rows = [['set', 'segmenter', 'user words', 'P', 'R', 'F1', 'R unknown']];
  for (const s of sets) {
    rows.push([s.name, 'jieba', '0', f(s.jieba.precision), f(s.jieba.recall), f(s.jieba.f1), f(s.jieba.unknownRecall)]);
    rows.push([s.name, 'jieba + discovered', String(s.discovered), f(s.withDiscovered.precision), f(s.withDiscovered.recall), f(s.withDiscovered.f1), f(s.withDiscovered.unknownRecall)]);
  }
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  const lines = rows.map((r) => r.map((cell, col) => (col < 2 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '));
  if (known) {
    const k = (label: string, r: KnownItemReport, words: number): string =>
      `  ${label.padEnd(19)} user words ${String(words).padStart(5)}  MRR@10 ${f(r.mrr10)}  hit@1 ${f(r.hit1)}  hit@10 ${f(r.hit10)}  build ${r.buildSeconds} s`;
    lines.push('', `known-item on ${known.before.corpus}: ${known.before.documents} bodies, ${known.before.queries} headline queries`);
    lines.push(k('jieba', known.before, 0), k('jieba + discovered', known.after, known.discovered));
    lines.push(`  MRR@10 difference ${(known.after.mrr10 - known.before.mrr10).toFixed(4)}, standard error ${known.mrrDifferenceError.toFixed(4)} (paired by query)`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'corpus-dir': { type: 'string', default: path.resolve(__dirname, '../../shared/corpus') },
      sample: { type: 'string' },
      'skip-known-item': { type: 'boolean', default: false },
      'dict-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const corpusDir = values['corpus-dir']!;
  const dictDir = values['dict-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-words-'));
  fs.mkdirSync(dictDir, { recursive: true });
  try {
    const sets = ['pku', 'msr'].map((name) => evaluateSet(readSet(path.join(corpusDir, 'segmentation'), name), dictDir));
    const known = values['skip-known-item']
      ? undefined
      : await evaluateKnownItem(corpusDir, dictDir, values.sample === undefined ? undefined : Number(values.sample));
    const conclusion = verdict(sets, known);
    if (values.json) console.log(JSON.stringify({ segmentation: sets, knownItem: known, verdict: conclusion }));
    else console.log(`${table(sets, known)}\n\n${conclusion}`);
  } finally {
    if (!values['dict-dir']) fs.rmSync(dictDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
