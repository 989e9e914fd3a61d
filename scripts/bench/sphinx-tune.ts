/**
 * Chooses the cluster's ranking (src/backend/sphinx/query.ts ClusterRanking) on tune
 * headlines that the benchmark (scripts/bench/sphinx.ts, seed 42) never asks:
 *
 *   npx tsx scripts/bench/sphinx-tune.ts DIR [--limit-docs 4000] [--known-item 300] [--seed 7] [--rankings JSON] [--embedded]
 *
 * Keeps a one-shard cluster in DIR between runs (writes the corpus's bodies into it on the
 * first run only, as the benchmark indexes them: titles left out), starts it if it is not
 * running, and prints MRR@10, hit@1 and latency of each ranking in `--rankings` (a JSON list of
 * partial ClusterRanking objects; default: a small grid). Leaves the cluster running: stop
 * it with `npx tsx scripts/sphinx-cluster.ts stop DIR`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SphinxBackend } from '../../src/backend/sphinx/backend';
import { clusterUrl, readCluster, startCluster, writeCluster } from '../../src/backend/sphinx/cluster';
import { ClusterRanking, DEFAULT_CLUSTER_RANKING } from '../../src/backend/sphinx/query';
import { SearchEngine } from '../../src/engine';
import { QueryError } from '../../src/errors';
import { SearchResult } from '../../src/search/types';
import { CORPUS_DIR } from '../../test/helpers';
import { readCorpus } from './corpus';
import { sampleKnownItems } from './queries';
import { knownItemStats, latencyStats } from './stats';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: 'string', default: 'news-dev.jsonl.gz' },
    'limit-docs': { type: 'string', default: '4000' },
    'known-item': { type: 'string', default: '300' },
    seed: { type: 'string', default: '7' },
    /** The benchmark's seed and size: its headlines are left out of the tune set. */
    'test-seed': { type: 'string', default: '42' },
    'test-known-item': { type: 'string', default: '300' },
    rankings: { type: 'string' },
    /** Also rank the tune headlines with the embedded engine over the same bodies: the target. */
    embedded: { type: 'boolean', default: false },
  },
});

const GRID: Array<Partial<ClusterRanking>> = [{ rerankWindow: 0, lengthNormalization: false }, { rerankWindow: 0 }, { rerankWindow: 20 }, { rerankWindow: 50 }, { rerankWindow: 100 }];

async function main(): Promise<void> {
  const dir = positionals[0];
  if (!dir) throw new Error('usage: sphinx-tune.ts DIR [options]');
  const file = path.join(CORPUS_DIR, values.corpus!);
  const { docs } = await readCorpus(file, Number(values['limit-docs']));
  const test = new Set(sampleKnownItems(docs, Number(values['test-known-item']), Number(values['test-seed'])).map((q) => q.target));
  const headlines = sampleKnownItems(docs, Number(values['known-item']) + test.size, Number(values.seed))
    .filter((q) => !test.has(q.target))
    .slice(0, Number(values['known-item']));
  console.log(`${docs.length} documents, ${headlines.length} tune headlines (none of the benchmark's ${test.size})`);

  const fresh = !fs.existsSync(path.join(dir, 'cluster.json'));
  if (fresh) await writeCluster(dir, { shards: 1, agentTimeoutMs: 60_000 });
  await startCluster(dir);
  const url = clusterUrl(readCluster(dir));
  if (fresh) {
    const writer = await SphinxBackend.open(url, { timeoutMs: 120_000 });
    await writer.write(docs.map((doc) => ({ ...doc, title: '' })), { rebuild: true });
    await writer.close();
  }

  const rankOf = async (search: (text: string) => Promise<SearchResult | undefined>): Promise<{ ranks: number[]; times: number[] }> => {
    const ranks: number[] = [];
    const times: number[] = [];
    for (const q of headlines) {
      const started = performance.now();
      const result = await search(q.text).catch((error: unknown) => {
        if (error instanceof QueryError) return undefined;
        throw error;
      });
      times.push(performance.now() - started);
      ranks.push(result ? result.hits.findIndex((hit) => hit.id === docs[q.target].id) : -1);
    }
    return { ranks, times };
  };
  const report = (name: string, { ranks, times }: { ranks: number[]; times: number[] }): void => {
    const stats = knownItemStats(ranks);
    const latency = latencyStats(times);
    console.log(`${name}  MRR@10 ${stats.mrr10.toFixed(4)}  hit@1 ${stats.hit1.toFixed(3)}  p50 / p95 ${Math.round(latency.p50)} / ${Math.round(latency.p95)} ms (load average ${os.loadavg()[0].toFixed(1)})`);
  };
  if (values.embedded) {
    const engine = SearchEngine.build(docs.map((doc) => ({ ...doc, title: '' })));
    report('embedded', await rankOf(async (text) => engine.search(text, { limit: 10, snippetLength: 0 })));
  }

  const rankings: Array<Partial<ClusterRanking>> = values.rankings ? (JSON.parse(values.rankings) as Array<Partial<ClusterRanking>>) : GRID;
  for (const partial of rankings) {
    const ranking = { ...DEFAULT_CLUSTER_RANKING, ...partial };
    const backend = await SphinxBackend.open(url, { timeoutMs: 120_000, ranking });
    const measured = await rankOf((text) => backend.search(text, { limit: 10, snippetLength: 0 }));
    await backend.close();
    report(JSON.stringify(ranking), measured);
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
