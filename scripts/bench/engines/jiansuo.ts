import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as path from 'node:path';
import type { SearchDocument } from '../../../src/document';
import type { SearchEngine } from '../../../src/engine';
import type { SearchHit, SearchOptions } from '../../../src/search/types';
import { BenchEngine, EngineEntry, TimedSearch } from './types';

/** The compiled modules `npm run build` writes; bench/run.ts and eval/run.ts compile them (compileJiansuo) before any child starts. */
const DIST = path.resolve(__dirname, '../../../dist');

/**
 * jiansuo as `jiansuo` and `npm start` run it: the compiled dist/, not tsx's transform of src/ (whose
 * exports are getters, read on every call from one module into another: a slower tail, README "Performance, side by side").
 * Loaded on first use, so that a benchmark of the peers alone needs no dist/. latency.ts and answers.ts use it too.
 */
export function compiled(): {
  buildIndex: typeof import('../../../src/build').buildIndex;
  SearchEngine: typeof import('../../../src/engine').SearchEngine;
} {
  const { buildIndex } = require(path.join(DIST, 'build')) as typeof import('../../../src/build');
  const { SearchEngine: Engine } = require(path.join(DIST, 'engine')) as typeof import('../../../src/engine');
  return { buildIndex, SearchEngine: Engine };
}

/**
 * What `serve` does once its index is open, before its first request (src/server/run.ts): glibc's malloc keeps
 * large blocks mapped (keepLargeBlocksMapped; serve sets it before opening, here after the build, whose figures are
 * `jiansuo index`'s), V8's heap grows `--heap-growth` past what is alive (limitHeapGrowth, serve's default), and a
 * full collection with malloc's freed memory handed back (trimmingCollector). The benchmark's jiansuo child runs it
 * after opening or building, so that its searches run in the heap and malloc that serve's do, without the garbage
 * the harness's own build or reading left behind.
 */
export function asServed(): void {
  const { keepLargeBlocksMapped } = require(path.join(DIST, 'analysis/mallocTrim')) as typeof import('../../../src/analysis/mallocTrim');
  const { limitHeapGrowth, trimmingCollector } = require(path.join(DIST, 'server/collectGarbage')) as typeof import('../../../src/server/collectGarbage');
  const { DEFAULT_HEAP_GROWTH_PERCENT } = require(path.join(DIST, 'server/defaults')) as typeof import('../../../src/server/defaults');
  keepLargeBlocksMapped();
  limitHeapGrowth(DEFAULT_HEAP_GROWTH_PERCENT);
  trimmingCollector()();
}

/** Compiles src/ into dist/ (`npm run build`), for the benchmark and the evaluation to run the code as it is now. */
export function compileJiansuo(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.resolve(__dirname, '../../../tsconfig.build.json')], { stdio: 'inherit' });
}

/** The hits for `query` (no snippets); a query jiansuo rejects (QueryError) has none. */
function searchHits(engine: SearchEngine, query: string, options: SearchOptions): SearchHit[] {
  try {
    return engine.search(query, { ...options, snippetLength: 0 }).hits;
  } catch (error) {
    // By name: the engine may be the compiled one or, in eval/tune.ts, src/'s own (another class).
    if (error instanceof Error && error.name === 'QueryError') return [];
    throw error;
  }
}

/** The ids of the first `limit` results for `query`: each hit, then the copies folded into it (as the page lists them). */
export function topIds(engine: SearchEngine, query: string, limit: number): string[] {
  return searchHits(engine, query, { limit })
    .flatMap((hit) => [hit.id, ...(hit.duplicates ?? []).map((copy) => copy.id)])
    .slice(0, limit);
}

/** jiansuo through its public API (SearchEngine.buildParallel/save/open/search). */
class JiansuoEngine implements BenchEngine {
  private engine?: SearchEngine;
  private readonly ordinals = new Map<string, number>();
  /** The records file buildFromRecords indexed: `load` reads the ordinals from it. */
  private records?: string;

  async build(docs: readonly SearchDocument[]): Promise<void> {
    this.engine = await compiled().SearchEngine.buildParallel(docs);
    docs.forEach((doc, n) => this.ordinals.set(doc.id, n));
    asServed();
  }

  /**
   * As `jiansuo index --source FILE --out DIR` does: segments within the default memory budget, threads one per core.
   * Only the build: the benchmark reads its peak RSS before `load` opens the index.
   */
  async buildFromRecords(file: string, dir: string): Promise<void> {
    await compiled().buildIndex({ sources: [file], out: dir });
    this.records = file;
  }

  async save(dir: string): Promise<void> {
    this.ready().save(dir);
  }

  async load(dir: string): Promise<void> {
    this.engine = compiled().SearchEngine.open(dir);
    if (this.records === undefined) return;
    // Record n (line n + 1) of the records file built from is document n: the ids in file order give the ordinals.
    let n = 0;
    for await (const line of readline.createInterface({ input: fs.createReadStream(this.records), crlfDelay: Infinity })) {
      if (line) this.ordinals.set((JSON.parse(line) as { id: string }).id, n++);
    }
    asServed();
  }

  matchAll(query: string): number[] {
    // Every copy on its own, and only the literal matches (a long query's related documents follow them).
    return searchHits(this.ready(), query, { limit: this.ready().documentCount, collapse: false })
      .filter((hit) => hit.literal)
      .map((hit) => this.ordinal(hit.id));
  }

  rank(query: string, k: number): number[] {
    return topIds(this.ready(), query, k).map((id) => this.ordinal(id));
  }

  timedSearches(k: number): TimedSearch[] {
    const engine = this.ready();
    return [
      { label: 'jiansuo', run: (query) => engine.search(query, { limit: k, snippetLength: 120 }) },
      { label: 'jiansuo (no snippets)', run: (query) => engine.search(query, { limit: k, snippetLength: 0 }) },
    ];
  }

  private ordinal(id: string): number {
    const n = this.ordinals.get(id);
    if (n === undefined) throw new Error(`jiansuo returned unknown id ${id}`);
    return n;
  }

  private ready(): SearchEngine {
    if (!this.engine) throw new Error('jiansuo: build or load first');
    return this.engine;
  }
}

/** jiansuo with its defaults. */
export const jiansuo: EngineEntry = {
  name: 'jiansuo',
  library: 'jiansuo (this repository)',
  config:
    'buildIndex({sources: [records.jsonl], out: dir}) with default options, as `jiansuo index` builds (segmentation on one worker thread per core, segments within the default memory budget, the documents never all in memory), loaded with SearchEngine.open(dir); the known-item index of bodies only: SearchEngine.buildParallel(documents)',
  asked:
    'literal: search(q, {limit: documentCount, snippetLength: 0, collapse: false}), every hit marked literal; latency: search(q, {limit: 10, snippetLength: 120}) and {snippetLength: 0}; headlines: search(title, {limit: 10}), copies folded into a hit listed right after it',
  create: () => new JiansuoEngine(),
};
