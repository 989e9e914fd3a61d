/**
 * One engine, one task, one process (started by run.ts), so that memory figures are its own:
 *   build       read documents → build (timed, peak RSS) → save (bytes on disk) → latency → literal recall
 *               (an engine with buildFromRecords indexes the records file into its directory instead, and
 *               opens it after its build's peak RSS is read)
 *   load        open the saved index in a fresh process and answer one query (timed)
 *   known-item  build an index of bodies only, then rank each sampled headline (twice: the second pass timed per query)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readDocuments } from './corpus';
import { engineNamed } from './engines';
import { BenchEngine } from './engines/types';
import { collectGarbage, directoryBytes, peakRss, resetPeakRss } from './memory';
import { BuildReport, ChildMessage, ChildTask, KnownItemReport, LoadReport, WORK_FILES } from './protocol';
import { KnownItemQuery, LiteralQuery } from './queries';
import { LatencyStats, LiteralOutcome, latencyStats } from './stats';

/** Seconds since `start` (a process.hrtime.bigint() value). */
function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Each timed search: one pass over the queries to warm up, then one timed pass. */
function measureLatency(engine: BenchEngine, queries: readonly string[], k: number): Record<string, LatencyStats> {
  const latency: Record<string, LatencyStats> = {};
  for (const { label, run } of engine.timedSearches(k)) {
    for (const query of queries) run(query);
    const samples: number[] = [];
    for (const query of queries) {
      const start = process.hrtime.bigint();
      run(query);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    latency[label] = latencyStats(samples);
  }
  return latency;
}

/** Every match of each literal query, counted against its ground truth. */
function measureLiteral(engine: BenchEngine, queries: readonly LiteralQuery[]): LiteralOutcome[] {
  return queries.map(({ text, truth }) => {
    const expected = new Set(truth);
    const returned = new Set(engine.matchAll(text));
    let correct = 0;
    for (const n of returned) if (expected.has(n)) correct++;
    return { returned: returned.size, correct };
  });
}

async function build(engine: BenchEngine, task: Extract<ChildTask, { kind: 'build' }>): Promise<BuildReport> {
  const fromRecords = engine.buildFromRecords !== undefined;
  // An engine that indexes the records file never has the documents in memory, as its own command would not.
  const docs = fromRecords ? [] : readDocuments(path.join(task.workDir, WORK_FILES.documents));
  collectGarbage();
  const baselineRss = process.memoryUsage().rss;
  const peakRssSinceReset = resetPeakRss();
  fs.mkdirSync(task.indexDir, { recursive: true });
  let start = process.hrtime.bigint();
  if (engine.buildFromRecords) await engine.buildFromRecords(path.join(task.workDir, WORK_FILES.records), task.indexDir);
  else await engine.build(docs);
  const buildSeconds = since(start);
  const peak = peakRss();

  start = process.hrtime.bigint();
  // An engine that built into its directory opens it now, after its build's peak was read (as the load step does).
  if (fromRecords) await engine.load(task.indexDir);
  else await engine.save(task.indexDir);
  const saveSeconds = since(start);

  const queries = readJson<LiteralQuery[]>(path.join(task.workDir, WORK_FILES.literal));
  const latency = measureLatency(engine, queries.map((q) => q.text), task.k);
  start = process.hrtime.bigint();
  const literal = measureLiteral(engine, queries);
  return {
    kind: 'build',
    buildSeconds,
    baselineRss,
    peakRss: peak,
    peakRssSinceReset,
    fromRecords,
    saveSeconds: fromRecords ? 0 : saveSeconds,
    indexBytes: directoryBytes(task.indexDir),
    latency,
    literal,
    literalSeconds: since(start),
  };
}

async function load(engine: BenchEngine, task: Extract<ChildTask, { kind: 'load' }>): Promise<LoadReport> {
  const start = process.hrtime.bigint();
  await engine.load(task.indexDir);
  engine.timedSearches(10)[0].run(task.query);
  const loadSeconds = since(start);
  collectGarbage();
  return { kind: 'load', loadSeconds, rss: process.memoryUsage().rss, peakRss: peakRss() };
}

/**
 * Builds the engine's index of the bodies only (titles empty). The documents are referenced only here, so that once
 * it returns a collection frees them: the headlines are then timed without the harness's copy of the corpus (some
 * 150 MB of strings on news-large) in the heap, which every full collection would otherwise mark again.
 */
async function buildBodies(engine: BenchEngine, workDir: string): Promise<void> {
  const bodies = readDocuments(path.join(workDir, WORK_FILES.documents)).map((doc) => ({ ...doc, title: '', subtitle: undefined }));
  await engine.build(bodies);
}

async function knownItem(engine: BenchEngine, task: Extract<ChildTask, { kind: 'known-item' }>): Promise<KnownItemReport> {
  let start = process.hrtime.bigint();
  await buildBodies(engine, task.workDir);
  const buildSeconds = since(start);
  collectGarbage();
  const queries = readJson<KnownItemQuery[]>(path.join(task.workDir, WORK_FILES.knownItem));
  start = process.hrtime.bigint();
  const ranks = queries.map((q) => engine.rank(q.text, task.k).indexOf(q.target));
  const msPerQuery = (since(start) * 1000) / Math.max(1, queries.length);
  // The first pass above warmed the engine up; the second times each query on its own.
  const samples = queries.map((q) => {
    const began = process.hrtime.bigint();
    engine.rank(q.text, task.k);
    return Number(process.hrtime.bigint() - began) / 1e6;
  });
  return { kind: 'known-item', buildSeconds, ranks, msPerQuery, latency: latencyStats(samples) };
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2]) as ChildTask;
  const engine = engineNamed(task.engine).create();
  let message: ChildMessage;
  try {
    if (task.kind === 'build') message = await build(engine, task);
    else if (task.kind === 'load') message = await load(engine, task);
    else message = await knownItem(engine, task);
  } catch (error) {
    message = { kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send!(message, () => process.exit(message.kind === 'error' ? 1 : 0));
}

void main();
