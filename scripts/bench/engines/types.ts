import type { SearchDocument } from '../../../src/document';

/** A query whose latency is measured, under a label (jiansuo has two: with and without snippets). */
export interface TimedSearch {
  label: string;
  run: (query: string) => unknown;
}

/**
 * One search engine as the benchmark drives it. Documents are known by their ordinal
 * (position in the corpus), so every engine's answers compare with the same ground truth.
 * Each instance lives in its own child process and serves one task.
 */
export interface BenchEngine {
  /** Indexes the documents (title and body; ordinal = position in the array). */
  build(docs: readonly SearchDocument[]): Promise<void>;
  /**
   * Optional: indexes the JSON Lines records in `file` (ordinal = line) straight into the
   * directory `dir`, as the engine's own indexing command does, without the documents in
   * memory. When present, the benchmark's build step calls it instead of `build` and `save`,
   * so the build's time and peak RSS are those of that command, then reads the peak and
   * calls `load(dir)` to answer the step's queries (opening the index is not building it).
   */
  buildFromRecords?(file: string, dir: string): Promise<void>;
  /** Writes the index into `dir` (an existing empty directory). */
  save(dir: string): Promise<void>;
  /** Reads an index that `save` wrote, ready to answer. */
  load(dir: string): Promise<void>;
  /** Ordinals of every document returned for a literal query, asked the engine's all-terms way without a limit. */
  matchAll(query: string): number[];
  /** The k best ordinals for a headline query, asked the engine's partial-match (ranked retrieval) way. */
  rank(query: string, k: number): number[];
  /** Top-k searches whose latency is measured. */
  timedSearches(k: number): TimedSearch[];
}

/** How each engine is configured and asked, recorded in the results. */
export interface EngineDescription {
  /** The name used with --engines. */
  name: string;
  /** The library and its installed version. */
  library: string;
  /** Index configuration. */
  config: string;
  /** How literal queries (all matches), latency queries (top 10) and headline queries are asked. */
  asked: string;
}

/** An engine's description and a factory for a fresh instance. */
export interface EngineEntry extends EngineDescription {
  create: () => BenchEngine;
}
