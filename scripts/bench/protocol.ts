import type { LatencyStats, LiteralOutcome } from './stats';

/** Files the parent writes once into the work directory for every child. */
export const WORK_FILES = {
  documents: 'documents.jsonl',
  /** The same documents as JSON Lines records (`{id, title, body, date?, …}`), for engines that index a file (buildFromRecords). */
  records: 'records.jsonl',
  literal: 'literal.json',
  knownItem: 'known-item.json',
} as const;

/** What a child process is asked to do (its only argument, as JSON). */
export type ChildTask =
  | { kind: 'build'; engine: string; workDir: string; indexDir: string; k: number }
  | { kind: 'load'; engine: string; indexDir: string; query: string }
  | { kind: 'known-item'; engine: string; workDir: string; k: number };

/** Building, saving and querying an index in one process. */
export interface BuildReport {
  kind: 'build';
  buildSeconds: number;
  /** RSS before the build (bytes): with the documents in memory, unless the engine built from the records file. */
  baselineRss: number;
  /** Peak RSS during the build (bytes): VmHWM reset just before it, or the lifetime peak when it cannot be reset. */
  peakRss: number;
  peakRssSinceReset: boolean;
  /** True when the engine indexed the records file into its directory itself (buildFromRecords): the build includes saving, and saveSeconds is 0. */
  fromRecords: boolean;
  saveSeconds: number;
  indexBytes: number;
  /** Per timed search label. */
  latency: Record<string, LatencyStats>;
  /** One per literal query, in order. */
  literal: LiteralOutcome[];
  literalSeconds: number;
}

/** Opening a saved index in a fresh process and answering one query. */
export interface LoadReport {
  kind: 'load';
  /** From reading the first file to the first answer. */
  loadSeconds: number;
  /** RSS after loading and answering (bytes). */
  rss: number;
  /** Peak RSS of the whole process (bytes). */
  peakRss: number;
}

/** Headline queries against an index of bodies only. */
export interface KnownItemReport {
  kind: 'known-item';
  buildSeconds: number;
  /** Per query: the target's 0-based rank in the top k, or -1. */
  ranks: number[];
  msPerQuery: number;
  /** Each headline query timed on its own (the second of two passes): the long ranked queries' latency. */
  latency: LatencyStats;
}

/** What a child sends back: its report, or why it failed. */
export type ChildMessage = BuildReport | LoadReport | KnownItemReport | { kind: 'error'; message: string };
