/**
 * The embedded engine against Sphinx clusters of 1, 2, … shards on one corpus, in one run
 * (README "Scale-out"; a benchmark, not a test):
 *
 *   npx tsx scripts/bench/sphinx.ts [--corpus news-dev.jsonl.gz] [--shards 1,2] [--known-item 500] [--queries 300] [--limit-docs N] [--seed 42]
 *                                   [--work-dir DIR] [--skip-embedded] [--out FILE] [--cluster DIR]
 *
 * Indexes the corpus's bodies (titles left out, as scripts/known-item.ts does) into the
 * embedded engine (built on worker threads, as `jiansuo index` does) and into each cluster
 * (a fresh one on free loopback ports in a temporary directory under --work-dir, default
 * the system's, stopped at the end, also on a failure or Ctrl-C), then asks, for each:
 * headline queries (known-item MRR@10, hit@1, latency of the user's request: the top 10
 * with snippets) and literal queries (latency of the same top-10 request; recall and
 * precision of every literal match, by id only and untimed, against a brute-force scan).
 * It also compares each cluster's scores with the one-shard cluster's for the same hits:
 * how much IDF depends on the shard a document landed on. Memory is each process's RSS
 * after its queries (the embedded engine's: this process, which also holds the corpus).
 * `--cluster DIR` measures a running cluster (scripts/sphinx-cluster.ts) that already holds the
 * corpus's bodies instead of building new ones: its build is not timed, and it is left running.
 * Prints a table; writes every figure, after each backend, to --out (default
 * scripts/bench/results/sphinx-<corpus>-<date>.json).
 */
import * as fs from 'node:fs';
import mysql from 'mysql2/promise';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EmbeddedBackend } from '../../src/backend/embedded';
import { SphinxBackend } from '../../src/backend/sphinx/backend';
import { ClusterLayout, clusterUrl, nodeFolders, readCluster, runningPid, startCluster, stopCluster, writeCluster } from '../../src/backend/sphinx/cluster';
import { literalMatch } from '../../src/backend/sphinx/query';
import { documentNumber } from '../../src/backend/sphinx/tokens';
import { SearchBackend } from '../../src/backend/types';
import { SearchEngine } from '../../src/engine';
import { QueryError } from '../../src/errors';
import { parseQuery } from '../../src/search/parser';
import { CORPUS_DIR } from '../../test/helpers';
import { readCorpus } from './corpus';
import { groundTruth, sampleKnownItems, sampleLiteralQueries } from './queries';
import { knownItemStats, latencyStats } from './stats';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'news-dev.jsonl.gz' },
    shards: { type: 'string', default: '1,2' },
    'known-item': { type: 'string', default: '500' },
    queries: { type: 'string', default: '300' },
    'limit-docs': { type: 'string' },
    seed: { type: 'string', default: '42' },
    'work-dir': { type: 'string', default: os.tmpdir() },
    'skip-embedded': { type: 'boolean', default: false },
    out: { type: 'string' },
    cluster: { type: 'string' },
  },
});

/** Size of the files under a directory, in MB. */
function directoryMb(dir: string): number {
  const bytes = (folder: string): number =>
    fs.readdirSync(folder, { withFileTypes: true }).reduce((sum, entry) => {
      const file = path.join(folder, entry.name);
      return sum + (entry.isDirectory() ? bytes(file) : fs.statSync(file).size);
    }, 0);
  return Math.round(bytes(dir) / 2 ** 20);
}

/** Each shard's data directory in MB after FLUSH RAMCHUNK has written its RAM chunk to disk. */
async function flushedDiskMb(layout: ClusterLayout): Promise<number[]> {
  const sizes: number[] = [];
  for (const shard of layout.shards) {
    const connection = await mysql.createConnection({ host: layout.host, port: shard.sqlPort });
    await connection.query(`FLUSH RAMCHUNK ${shard.name}`);
    await connection.end();
    sizes.push(directoryMb(path.join(layout.dir, shard.name, 'data')));
  }
  return sizes;
}

/** Resident memory of a process in MB (Linux). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

interface Row {
  backend: string;
  buildSeconds: number;
  mrr10: number;
  hit1: number;
  headline: ReturnType<typeof latencyStats>;
  literal: ReturnType<typeof latencyStats>;
  recall: number;
  precision: number;
  /** RSS after the queries, MB: the embedded process, or each shard's searchd then the head's. */
  memoryMb: number[];
  /** The embedded index saved, or each shard's index once its RAM chunk is flushed, in MB. */
  diskMb?: number[];
  /** Documents written a second (build). */
  docsPerSecond: number;
  /** Each headline query's hits as `[query number, id, score]`: to compare scores between runs. */
  headlineScores: Array<[number, string, number]>;
  /** Mean and largest relative difference of a hit's score from the one-shard cluster's. */
  scoreDrift?: { mean: number; max: number; compared: number };
}

async function main(): Promise<void> {
  const seed = Number(values.seed);
  const file = path.isAbsolute(values.corpus!) ? values.corpus! : path.join(CORPUS_DIR, values.corpus!);
  const { docs } = await readCorpus(file, values['limit-docs'] ? Number(values['limit-docs']) : Infinity);
  const headlines = sampleKnownItems(docs, Number(values['known-item']), seed);
  const bodies = docs.map((doc) => ({ ...doc, title: '' }));
  const literal = groundTruth(bodies, sampleLiteralQueries(bodies, Number(values.queries), seed));
  console.log(`${docs.length} documents, ${headlines.length} headline queries, ${literal.length} literal queries`);

  const rows: Row[] = [];
  const out = values.out ?? path.join(__dirname, 'results', `sphinx-${path.basename(file).replace(/\.jsonl(\.gz)?$/, '')}${values['limit-docs'] ? `-limit${values['limit-docs']}` : ''}-${new Date().toISOString().slice(0, 10)}.json`);
  const save = (): void => {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify({ corpus: path.basename(file), documents: docs.length, headlines: headlines.length, literalQueries: literal.length, loadAverage: os.loadavg(), rows }, null, 2)}\n`);
  };
  const oneShardScores = new Map<string, number>();
  /** Every literal match of a query, by id: the embedded engine's literal hits, or the cluster's literal level by document number alone. */
  type LiteralIds = (query: string) => Promise<string[]>;
  const measure = async (name: string, backend: SearchBackend, buildSeconds: number, memoryMb: () => number[], literalIds: LiteralIds, shards?: number): Promise<void> => {
    const ranks: number[] = [];
    const headlineMs: number[] = [];
    let drift = { sum: 0, max: 0, compared: 0 };
    const headlineScores: Row['headlineScores'] = [];
    for (const [number, q] of headlines.entries()) {
      const started = performance.now();
      const result = await backend.search(q.text, { limit: 10 }).catch((error: unknown) => {
        if (error instanceof QueryError) return undefined;
        throw error;
      });
      headlineMs.push(performance.now() - started);
      ranks.push(result ? result.hits.findIndex((h) => h.id === docs[q.target].id) : -1);
      for (const hit of result?.hits ?? []) {
        headlineScores.push([number, hit.id, hit.score]);
        const key = `${q.text}\u0000${hit.id}`;
        if (shards === 1) oneShardScores.set(key, hit.score);
        const base = oneShardScores.get(key);
        if (shards !== undefined && shards > 1 && base !== undefined && base > 0) {
          const d = Math.abs(hit.score - base) / base;
          drift = { sum: drift.sum + d, max: Math.max(drift.max, d), compared: drift.compared + 1 };
        }
      }
    }
    const literalMs: number[] = [];
    let recall = 0;
    let precision = 0;
    for (const q of literal) {
      const text = /^[-－]|^OR$/.test(q.text) ? `"${q.text}"` : q.text;
      const started = performance.now();
      await backend.search(text, { limit: 10 });
      literalMs.push(performance.now() - started);
      const truth = new Set(q.truth.map((n) => docs[n].id));
      const got = await literalIds(text);
      const correct = got.filter((id) => truth.has(id)).length;
      recall += truth.size === 0 ? 1 : correct / truth.size;
      precision += got.length === 0 ? 1 : correct / got.length;
    }
    const known = knownItemStats(ranks);
    rows.push({
      backend: name,
      buildSeconds: Number(buildSeconds.toFixed(1)),
      docsPerSecond: Math.round(docs.length / buildSeconds),
      mrr10: Number(known.mrr10.toFixed(4)),
      hit1: Number(known.hit1.toFixed(4)),
      headline: latencyStats(headlineMs),
      literal: latencyStats(literalMs),
      recall: Number((recall / literal.length).toFixed(4)),
      precision: Number((precision / literal.length).toFixed(4)),
      memoryMb: memoryMb(),
      headlineScores,
      ...(drift.compared > 0 ? { scoreDrift: { mean: Number((drift.sum / drift.compared).toFixed(4)), max: Number(drift.max.toFixed(4)), compared: drift.compared } } : {}),
    });
    console.log(JSON.stringify(rows[rows.length - 1], (key, value: unknown) => (key === 'headlineScores' ? undefined : value)));
    save();
  };

  if (!values['skip-embedded']) {
    const started = performance.now();
    const engine = await SearchEngine.buildParallel(bodies);
    const build = (performance.now() - started) / 1000;
    const backend = new EmbeddedBackend(engine);
    const embeddedIds: LiteralIds = async (query) => (await backend.search(query, { limit: docs.length, snippetLength: 0, collapse: false })).hits.filter((h) => h.literal).map((h) => h.id);
    await measure('embedded', backend, build, () => [rssMb(process.pid)], embeddedIds);
    const saved = fs.mkdtempSync(path.join(values['work-dir']!, 'jiansuo-bench-embedded-'));
    try {
      engine.save(saved);
      rows[rows.length - 1].diskMb = [directoryMb(saved)];
      save();
    } finally {
      fs.rmSync(saved, { recursive: true, force: true });
    }
  }

  // A cluster running when the run is interrupted is stopped before the process ends.
  let running: string | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the cluster${running ? ` in ${running}` : ''}`);
      const dir = running;
      void (dir ? stopCluster(dir).then(() => fs.rmSync(dir, { recursive: true, force: true })) : Promise.resolve()).catch(() => undefined).finally(() => process.exit(130));
    });
  }
  const byNumber = new Map(docs.map((doc) => [documentNumber(doc.id), doc.id]));
  const measureCluster = async (layout: ClusterLayout, buildSeconds: number): Promise<void> => {
    const backend = await SphinxBackend.open(clusterUrl(layout), { timeoutMs: 120_000 });
    // A pool, not one connection: searchd closes a connection left idle (e.g. through a long build).
    const head = mysql.createPool({ host: layout.host, port: layout.head.sqlPort, connectionLimit: 1, supportBigNumbers: true, bigNumberStrings: true });
    try {
      const clusterIds: LiteralIds = async (query) => {
        const match = literalMatch(parseQuery(query, backend.analyzer));
        const [found] = await head.query({ sql: `SELECT id FROM ${layout.index} WHERE MATCH('${match}') LIMIT ${docs.length} OPTION max_matches=${docs.length}`, timeout: 120_000 });
        return (found as Array<{ id: string }>).map((row) => byNumber.get(String(row.id)) ?? String(row.id));
      };
      const shards = layout.shards.length;
      await measure(`sphinx ${shards} shard${shards > 1 ? 's' : ''}`, backend, buildSeconds, () => nodeFolders(layout).map((folder) => rssMb(runningPid(folder)!)), clusterIds, shards);
      rows[rows.length - 1].diskMb = await flushedDiskMb(layout);
      save();
    } finally {
      await head.end();
      await backend.close();
    }
  };
  if (values.cluster) await measureCluster(readCluster(values.cluster), NaN);
  for (const shards of values.cluster ? [] : values.shards!.split(',').map(Number)) {
    const dir = fs.mkdtempSync(path.join(values['work-dir']!, 'jiansuo-bench-sphinx-'));
    try {
      // Literal recall fetches every match's id: on a loaded machine a frequent term's take seconds, which is no fault here.
      const layout = await writeCluster(dir, { shards, agentTimeoutMs: 60_000 });
      running = dir;
      await startCluster(dir);
      const writer = await SphinxBackend.open(clusterUrl(layout), { timeoutMs: 120_000 });
      const started = performance.now();
      let reported = started;
      await writer
        .write(bodies, {
          rebuild: true,
          onWritten: (done) => {
            if (performance.now() - reported < 60_000) return;
            reported = performance.now();
            console.log(`  ${shards} shard(s): ${done} of ${docs.length} written, ${Math.round(done / ((reported - started) / 1000))} a second, load ${os.loadavg()[0].toFixed(1)}`);
          },
        })
        .finally(() => writer.close());
      await measureCluster(layout, (performance.now() - started) / 1000);
    } finally {
      await stopCluster(dir).catch(() => undefined);
      running = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  console.log('\nbackend            build s  docs/s  MRR@10  hit@1  headline p50/p95/p99 ms  literal p50/p95/p99 ms  recall  precision  RSS MB (shards…, head)  disk MB  score drift vs 1 shard');
  for (const r of rows) {
    const lat = (s: Row['headline']): string => `${s.p50.toFixed(1)}/${s.p95.toFixed(1)}/${s.p99.toFixed(1)}`.padEnd(24);
    console.log(
      `${r.backend.padEnd(18)} ${String(r.buildSeconds).padStart(7)}  ${String(r.docsPerSecond).padStart(6)}  ${r.mrr10.toFixed(4)}  ${r.hit1.toFixed(3)}  ${lat(r.headline)} ${lat(r.literal)} ${r.recall.toFixed(4)}  ${r.precision.toFixed(4)}     ${r.memoryMb.join(', ').padEnd(22)}  ${(r.diskMb ?? []).join(', ').padEnd(7)}  ${r.scoreDrift ? `mean ${(r.scoreDrift.mean * 100).toFixed(1)}%, max ${(r.scoreDrift.max * 100).toFixed(1)}% (${r.scoreDrift.compared} hits)` : ''}`,
    );
  }
  save();
  console.log(`\nWrote ${out}`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
