import type { IndexKind, SetName } from './sets';
import type { Outcome, TargetedQuery } from './metrics';

/** Files the parent writes once into the work directory for every child. */
export const EVAL_FILES = {
  documents: 'documents.jsonl',
  /** The sets' queries, each with its target's ordinal: a {@link WorkSets} as JSON. */
  queries: 'queries.json',
} as const;

/** The queries of each set asked in this run, targets as corpus ordinals. */
export type WorkSets = Partial<Record<SetName, Array<TargetedQuery<number>>>>;

/** One engine's task (the child's only argument, as JSON): build the indexes the sets need and rank every query. */
export interface EvalTask {
  engine: string;
  workDir: string;
  k: number;
}

/** What the child reports. */
export interface EvalReport {
  kind: 'eval';
  /** Seconds to build each index the sets needed. */
  buildSeconds: Partial<Record<IndexKind, number>>;
  /** Per set, one outcome per query, in order. */
  outcomes: Partial<Record<SetName, Outcome[]>>;
  /** Per set, mean milliseconds per query. */
  msPerQuery: Partial<Record<SetName, number>>;
}
