import { KnownItemStats, knownItemStats } from '../bench/stats';

/** What one query got: its target's 0-based rank in the top k (-1 when absent) and how many results came back. */
export interface Outcome {
  rank: number;
  returned: number;
}

/** A set's figures for one engine: MRR@10, hit@1, hit@10, and the share of queries with no result at all. */
export interface SetStats extends KnownItemStats {
  noResult: number;
}

/** One query with its one right answer (an ordinal for the bench engines, an id for jiansuo in-process). */
export interface TargetedQuery<T> {
  text: string;
  target: T;
}

/** Asks each query for its top k with `rank` and records where the target came. */
export function outcomes<T>(queries: ReadonlyArray<TargetedQuery<T>>, rank: (text: string) => readonly T[]): Outcome[] {
  return queries.map((q) => {
    const answer = rank(q.text);
    return { rank: answer.indexOf(q.target), returned: answer.length };
  });
}

/** The figures of a set from its queries' outcomes. */
export function setStats(results: readonly Outcome[]): SetStats {
  const empty = results.filter((o) => o.returned === 0).length;
  return { ...knownItemStats(results.map((o) => o.rank)), noResult: empty / Math.max(1, results.length) };
}
