/**
 * What jiansuo answers to the latency benchmark's queries (scripts/bench/latency.ts: the
 * 1,000 seeded literal queries, the known-item headlines and the long pasted queries, k = 10
 * with 120-character snippets), written one JSON line per query (everything but `took_ms`),
 * so that a change meant to leave results alone can be checked against the answers from
 * before it; and each query's CPU time (a second pass), the slowest listed: where the tail is.
 *
 *   npx tsx scripts/bench/answers.ts --index DIR [--corpus FILE] [--pasted FILE] [--out FILE] [--compare FILE] [--slowest 20] [--kinds literal,headline,pasted] [--as-served] [--postings-cache INTS] [--no-build]
 *
 * The answers and times are those of jiansuo's compiled `dist/` (as in latency.ts: compiled
 * first by `npm run build`'s compiler unless `--no-build`), not of tsx's transform of `src/`;
 * `--compare` against a file written by another checkout compares what each checkout's `src/` compiles to.
 *
 * `--kinds` keeps only queries of those kinds (to profile one of them with `node --cpu-prof`).
 * `--as-served` opens the index as `serve` does (SearchEngine.openAsync: the stored documents
 * read from their files when wanted) instead of with SearchEngine.open. `--postings-cache INTS`
 * opens it with that postings cache (SearcherOptions.postingsCacheInts; the long-query thread's
 * is smaller than the event loop's): answers must not depend on it.
 *
 * With `--compare FILE` (an earlier `--out`), every query whose answer differs is listed and
 * the exit code is 1.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { SearchEngine } from '../../src/engine';
import { compileJiansuo, compiled } from './engines/jiansuo';
import { readLatencyCorpora } from './corpus';
import { latencyQueries } from './queries';
import { latencyStats } from './stats';

const K = 10;
const SNIPPET = 120;

/** One query's answer as a JSON line (without took_ms), or its refusal. */
function answer(engine: SearchEngine, query: string): string {
  try {
    const { took_ms: _took, ...rest } = engine.search(query, { limit: K, snippetLength: SNIPPET });
    return JSON.stringify({ q: query, ...rest });
  } catch (error) {
    // By name: the class is dist/'s, not src/'s.
    if (!(error instanceof Error && error.name === 'QueryError')) throw error;
    return JSON.stringify({ q: query, error: error.message });
  }
}

/** CPU milliseconds (user + system) of one search of `query`. */
function cpuMs(engine: SearchEngine, query: string): number {
  const cpu = process.cpuUsage();
  answer(engine, query);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      index: { type: 'string' },
      corpus: { type: 'string' },
      pasted: { type: 'string' },
      out: { type: 'string' },
      compare: { type: 'string' },
      slowest: { type: 'string' },
      kinds: { type: 'string' },
      'as-served': { type: 'boolean' },
      'postings-cache': { type: 'string' },
      'no-build': { type: 'boolean' },
    },
  });
  if (!values.index) throw new Error('--index DIR is required (an index built from the corpus)');
  const { docs, pastedDocs } = await readLatencyCorpora(values.corpus, values.pasted);
  const sets = latencyQueries(docs, pastedDocs, 42, 300);
  const kinds = new Set((values.kinds ?? 'literal,headline,pasted').split(','));
  const queries = [
    ...sets.literal.map((text) => ({ kind: 'literal', text })),
    ...sets.headlines.map((text) => ({ kind: 'headline', text })),
    ...sets.pasted.map((text) => ({ kind: 'pasted', text })),
  ].filter((q) => kinds.has(q.kind));
  if (!values['no-build']) compileJiansuo();
  const { SearchEngine } = compiled();
  const options = values['postings-cache'] ? { postingsCacheInts: Number(values['postings-cache']) } : {};
  const engine = values['as-served'] ? await SearchEngine.openAsync(values.index, options) : SearchEngine.open(values.index, options);
  // Answers compared across indexes mean nothing if queries are segmented unlike the documents (a moved user dictionary).
  const dictionaryWarning = engine.dictionaryWarning();
  if (dictionaryWarning) console.error(`warning: ${dictionaryWarning}`);
  engine.warmUp();
  const lines = queries.map((q) => answer(engine, q.text));
  if (values.out) fs.writeFileSync(values.out, lines.join('\n') + '\n');
  const times = queries.map((q) => ({ ...q, ms: cpuMs(engine, q.text) }));
  const slowest = Number(values.slowest ?? 20);
  for (const kind of kinds) {
    const ofKind = times.filter((t) => t.kind === kind).sort((a, b) => b.ms - a.ms);
    const s = latencyStats(ofKind.map((t) => t.ms));
    console.log(`${kind}: ${ofKind.length} queries, CPU p50 ${s.p50.toFixed(2)} p95 ${s.p95.toFixed(2)} p99 ${s.p99.toFixed(2)} mean ${s.mean.toFixed(2)} ms; slowest:`);
    for (const t of ofKind.slice(0, slowest)) console.log(`  ${t.ms.toFixed(2).padStart(8)}  ${t.text.slice(0, 40)}`);
  }
  if (values.compare) {
    const before = fs.readFileSync(values.compare, 'utf8').split('\n').filter((l) => l.length > 0);
    let differing = 0;
    for (let i = 0; i < Math.max(before.length, lines.length); i++) {
      if (before[i] === lines[i]) continue;
      differing++;
      if (differing <= 5) console.log(`differs: ${queries[i]?.text ?? '(missing)'}\n  before ${before[i]?.slice(0, 400)}\n  now    ${lines[i]?.slice(0, 400)}`);
    }
    console.log(`${lines.length} answers compared with ${values.compare}: ${differing} differ`);
    if (differing > 0) process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
