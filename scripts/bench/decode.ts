/**
 * How fast the stored postings lists of an index decode, apart from everything else a query
 * does: every bigram list of at least `--min-df` documents (default 1,000) decoded whole
 * (positions too), every words list decoded whole (documents and counts), and the
 * blocks holding a sample of wanted documents (what literal and long ranked queries mostly
 * read: appendPositionalHolding, countsHolding, countsAmong). Each set is decoded `--rounds`
 * times (default 5) after one warm-up round; the report gives each round's CPU time per
 * million values (documents plus positions for bigrams, documents times two for counts),
 * and a checksum of what was decoded, so that two versions of the decoders can be compared.
 *
 *   npx tsx scripts/bench/decode.ts --index DIR [--min-df 1000] [--rounds 5] [--json]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PositionalDecoding, appendPositional, appendPositionalHolding } from '../../src/index/bigramEntry';
import { FieldCounts, countsAmong, countsHolding, countsIn, decodeCountsInto } from '../../src/index/countsEntry';
import { IndexData, PostingsFamily } from '../../src/index/data';
import { Manifest } from '../../src/index/manifest';
import { readSegmentData } from '../../src/index/segmentFiles';
import { freshArray } from '../../src/index/spareArrays';

/** The segments of the index at `dir` (its current generation), read whole. */
function readSegments(dir: string): IndexData[] {
  const generation = path.join(dir, readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim());
  const manifest = JSON.parse(readFileSync(path.join(generation, 'manifest.json'), 'utf8')) as Manifest;
  const load = (name: string): Uint8Array => readFileSync(path.join(generation, name));
  return manifest.segments.map((entry) => readSegmentData(dir, load, entry));
}

/** One set of lists to decode: `run` decodes them all once and returns a checksum; `values` is how many values one run decodes. */
interface DecodeSet {
  name: string;
  lists: Lists[];
  values: number;
  run: () => number;
}

/** The terms of `family` with at least `minDf` documents. */
function termsFrom(family: PostingsFamily, minDf: number): number[] {
  const terms: number[] = [];
  for (let t = 0; t < family.df.length; t++) if (family.df[t] >= minDf) terms.push(t);
  return terms;
}

/** Every `step`-th document of a segment of `documents`, from a seeded start: the wanted documents of the holding sets. */
function wantedOf(documents: number, step: number, seed: number): Uint32Array {
  const out: number[] = [];
  for (let d = seed % step; d < documents; d += step) out.push(d);
  return Uint32Array.from(out);
}

/** The terms of each segment's family to decode, and the documents wanted in that segment. */
interface Lists {
  family: PostingsFamily;
  terms: number[];
  wanted: Uint32Array;
}

/** Calls `decode` on every term of `lists`; returns the sum of what it returns (a checksum, modulo 1e9). */
function overTerms(lists: Lists[], decode: (family: PostingsFamily, term: number, wanted: Uint32Array) => number): number {
  let sum = 0;
  for (const { family, terms, wanted } of lists) for (const t of terms) sum = (sum + decode(family, t, wanted)) % 1e9;
  return sum;
}

/** How many documents the terms of `lists` hold. */
const documentsOf = (lists: Lists[]): number => lists.reduce((sum, { family, terms }) => sum + terms.reduce((s, t) => s + family.df[t], 0), 0);

function sets(segments: IndexData[], minDf: number): DecodeSet[] {
  const decoding = new PositionalDecoding();
  const bigrams: Lists[] = segments.map((s) => ({ family: s.bigrams, terms: termsFrom(s.bigrams, minDf), wanted: wantedOf(s.documentCount, 1009, 13) }));
  const words: Lists[] = segments.map((s) => ({ family: s.words, terms: termsFrom(s.words, 1), wanted: new Uint32Array(0) }));
  const common: Lists[] = segments.map((s) => ({ family: s.words, terms: termsFrom(s.words, 1000), wanted: wantedOf(s.documentCount, 211, 7) }));
  const maxDf = Math.max(...segments.map((s) => s.documentCount));
  const counts: FieldCounts = countsIn(freshArray, maxDf);
  const among: FieldCounts = countsIn(freshArray, maxDf);
  const held = new Uint32Array(maxDf);
  // A bigram list decoded (whole, or its blocks holding a wanted document): a checksum of it, and its values counted.
  let values = 0;
  const positional = (holding: boolean) => (family: PostingsFamily, term: number, wanted: Uint32Array): number => {
    decoding.reset();
    if (holding) appendPositionalHolding(family, term, wanted, decoding);
    else appendPositional(family, term, decoding);
    values += decoding.n + decoding.count;
    return decoding.n === 0 ? 0 : decoding.docs[decoding.n - 1] + decoding.positions[decoding.count - 1] + decoding.count;
  };
  const bigramValues = (holding: boolean): number => {
    values = 0;
    overTerms(bigrams, positional(holding));
    return values;
  };
  return [
    { name: `bigram lists df>=${minDf} whole`, lists: bigrams, values: bigramValues(false), run: () => overTerms(bigrams, positional(false)) },
    { name: `bigram lists df>=${minDf}, blocks holding every 1009th doc`, lists: bigrams, values: bigramValues(true), run: () => overTerms(bigrams, positional(true)) },
    {
      name: 'words lists whole',
      lists: words,
      values: documentsOf(words) * 2,
      run: () =>
        overTerms(words, (family, t) => {
          const n = family.df[t];
          decodeCountsInto(family, t, counts, 0);
          return counts.docs[n - 1] + counts.body[n - 1] + counts.title[n >>> 1];
        }),
    },
    {
      name: 'words lists df>=1000: holding / among every 211th doc',
      lists: common,
      values: documentsOf(common) * 2,
      run: () =>
        overTerms(common, (family, t, wanted) => {
          const k = countsHolding(family, t, wanted, held, 0);
          const a = countsAmong(family, t, wanted, among, 0);
          return k + (k > 0 ? held[k - 1] : 0) + (a > 0 ? among.body[a - 1] + among.title[0] : 0);
        }),
    },
  ];
}

/** CPU milliseconds `run` takes, and what it returns. */
function timed(run: () => number): { ms: number; sum: number } {
  const start = process.cpuUsage();
  const sum = run();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, sum };
}

function main(): void {
  const { values } = parseArgs({ options: { index: { type: 'string' }, 'min-df': { type: 'string' }, rounds: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.index) throw new Error('--index DIR is required');
  const rounds = Number(values.rounds ?? 5);
  const all = sets(readSegments(values.index), Number(values['min-df'] ?? 1000));
  const results = all.map((set) => {
    timed(set.run);
    const times = Array.from({ length: rounds }, () => timed(set.run));
    const perMillion = times.map((t) => (t.ms * 1e6) / set.values).sort((a, b) => a - b);
    return { name: set.name, lists: set.lists.reduce((sum, l) => sum + l.terms.length, 0), values: set.values, checksum: times[0].sum, msPerMillion: perMillion, median: perMillion[rounds >>> 1] };
  });
  if (values.json) console.log(JSON.stringify(results));
  else for (const r of results) console.log(`${r.name}: ${r.lists} lists, ${r.values} values, checksum ${r.checksum}; ms per million values ${r.msPerMillion.map((m) => m.toFixed(1)).join(' ')} (median ${r.median.toFixed(1)})`);
}

main();
