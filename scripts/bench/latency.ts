/**
 * jiansuo's query latency alone, without the other engines (scripts/bench/run.ts times
 * them all), k = 10, one warm-up pass then one timed pass, wall-clock and CPU time of the
 * searching thread (the latter moves less on a shared machine):
 * - literal: the same 1,000 seeded literal queries as the benchmark (substrings and
 *   words), without and with 120-character snippets;
 * - long ranked: the benchmark's known-item headlines (`--headlines N`, default 300) and
 *   the longest headlines and seeded body passages of another corpus (`--pasted`, by
 *   default the first 3,000 documents of news-large), those answered in ranked mode
 *   only, with snippets; each pasted one is also listed with its time.
 *
 *   npx tsx scripts/bench/latency.ts --index DIR [--corpus FILE] [--pasted FILE] [--headlines 300] [--seed 42] [--as-served] [--json] [--no-build]
 *
 * The engine timed is jiansuo's compiled `dist/`, as `jiansuo serve` and `npm run bench` run it
 * (engines/jiansuo.ts `compiled`), not tsx's transform of `src/`, where every call to a function
 * imported from another module goes through a getter (slower, and profiles inflate small hot
 * functions). The script first compiles `src/` into `dist/` (`npm run build`'s compiler) unless
 * `--no-build` is given; sampling the queries still runs under tsx. For a compiled profile:
 * `node --cpu-prof --import tsx scripts/bench/latency.ts …`.
 *
 * `--as-served` opens the index as `serve` does (SearchEngine.openAsync: the stored documents
 * read from their files when a snippet wants them) instead of with SearchEngine.open (held).
 *
 * DIR is an index built from the corpus (`jiansuo index --source … --out DIR`); the
 * corpus is read again only to sample the queries.
 */
import { parseArgs } from 'node:util';
import type { SearchEngine } from '../../src/engine';
import { compileJiansuo, compiled } from './engines/jiansuo';
import { readLatencyCorpora } from './corpus';
import { latencyQueries } from './queries';
import { LatencyStats, latencyStats } from './stats';

const K = 10;

/** Milliseconds one search takes, wall-clock and on this thread's CPU; a query the engine refuses counts like any other. */
function time(engine: SearchEngine, query: string, snippetLength: number): { wall: number; cpu: number } {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  try {
    engine.search(query, { limit: K, snippetLength });
  } catch (error) {
    // By name: the class is dist/'s, not src/'s.
    if (!(error instanceof Error && error.name === 'QueryError')) throw error;
  }
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e6, cpu: (used.user + used.system) / 1000 };
}

/** Wall-clock and CPU latency of one pass over the queries, after a warm-up pass. */
interface PassStats {
  wall: LatencyStats;
  cpu: LatencyStats;
}

function passes(engine: SearchEngine, queries: readonly string[], snippetLength: number): PassStats {
  for (const query of queries) time(engine, query, snippetLength);
  const times = queries.map((query) => time(engine, query, snippetLength));
  return { wall: latencyStats(times.map((t) => t.wall)), cpu: latencyStats(times.map((t) => t.cpu)) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      index: { type: 'string' },
      corpus: { type: 'string' },
      pasted: { type: 'string' },
      headlines: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      'as-served': { type: 'boolean' },
      'no-build': { type: 'boolean' },
    },
  });
  if (!values.index) throw new Error('--index DIR is required (an index built from the corpus)');
  const { docs, pastedDocs } = await readLatencyCorpora(values.corpus, values.pasted);
  const sets = latencyQueries(docs, pastedDocs, Number(values.seed ?? 42), Number(values.headlines ?? 300));
  if (!values['no-build']) compileJiansuo();
  const { SearchEngine } = compiled();
  const engine = values['as-served'] ? await SearchEngine.openAsync(values.index) : SearchEngine.open(values.index);
  engine.warmUp();
  const noSnippets = passes(engine, sets.literal, 0);
  const snippets = passes(engine, sets.literal, 120);
  const longOnes = sets.pasted;
  const ranked = [...sets.headlines, ...longOnes].filter(
    (query) => engine.search(query, { limit: 0 }).match === 'ranked',
  );
  const rankedSnippets = passes(engine, ranked, 120);
  const long = longOnes.map((query) => {
    const runs = [0, 1, 2].map(() => time(engine, query, 120).wall).sort((a, b) => a - b);
    return { query: query.slice(0, 24), length: query.length, match: engine.search(query, { limit: 0 }).match, ms: runs[1] };
  });
  if (values.json) {
    console.log(JSON.stringify({ noSnippets, snippets, ranked: rankedSnippets, long }, null, 2));
    return;
  }
  const row = (label: string, s: LatencyStats): string => `${label.padEnd(30)} p50 ${s.p50.toFixed(3)}  p95 ${s.p95.toFixed(3)}  p99 ${s.p99.toFixed(3)}  mean ${s.mean.toFixed(3)} ms`;
  for (const [label, stats] of [
    ['literal, no snippets', noSnippets],
    ['literal, snippets 120', snippets],
    [`long ranked (${ranked.length}), snippets 120`, rankedSnippets],
  ] as const) {
    console.log(row(`${label}, wall`, stats.wall));
    console.log(row(`${label}, CPU`, stats.cpu));
  }
  const sorted = [...long].sort((a, b) => b.ms - a.ms);
  console.log(`long pasted queries (${long.length}, median of 3, snippets 120): max ${sorted[0].ms.toFixed(1)} ms, mean ${(long.reduce((s, l) => s + l.ms, 0) / long.length).toFixed(1)} ms`);
  for (const l of sorted) console.log(`  ${l.ms.toFixed(2).padStart(8)} ms  ${l.match.padEnd(10)} ${String(l.length).padStart(3)} chars  ${l.query}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
