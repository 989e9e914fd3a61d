/** Latency of one kind of search over the query set, in milliseconds. */
export interface LatencyStats {
  queries: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** The nearest-rank percentile `p` (0–100) of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50/p95/p99 and mean of latency samples in milliseconds. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return { queries: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean };
}

/** What an engine returned for one literal query, against its ground truth. */
export interface LiteralOutcome {
  /** Distinct documents returned. */
  returned: number;
  /** Of those, how many are in the ground truth. */
  correct: number;
}

/** Recall and precision of an engine's literal answers. */
export interface LiteralStats {
  queries: number;
  /** Mean over queries of correct / truth. */
  recall: number;
  /** Mean of correct / returned over the queries that returned anything. */
  precision: number;
  /** Σ correct / Σ truth (dominated by frequent terms). */
  microRecall: number;
  /** Σ correct / Σ returned. */
  microPrecision: number;
  /** Share of queries answered with exactly the right set. */
  exactSets: number;
  /** Share of queries that returned nothing. */
  empty: number;
}

/** Aggregates per-query outcomes; `truth[i]` is the ground-truth size of query i (at least 1). */
export function literalStats(truth: readonly number[], outcomes: readonly LiteralOutcome[]): LiteralStats {
  let recall = 0;
  let precision = 0;
  let answered = 0;
  let correct = 0;
  let relevant = 0;
  let returned = 0;
  let exact = 0;
  outcomes.forEach((o, i) => {
    recall += o.correct / truth[i];
    if (o.returned > 0) {
      precision += o.correct / o.returned;
      answered++;
    }
    correct += o.correct;
    relevant += truth[i];
    returned += o.returned;
    if (o.correct === truth[i] && o.returned === truth[i]) exact++;
  });
  const n = outcomes.length;
  return {
    queries: n,
    recall: recall / n,
    precision: answered ? precision / answered : NaN,
    microRecall: correct / relevant,
    microPrecision: returned ? correct / returned : NaN,
    exactSets: exact / n,
    empty: (n - answered) / n,
  };
}

/** Ranking quality on headline queries. */
export interface KnownItemStats {
  queries: number;
  mrr10: number;
  hit1: number;
  hit10: number;
}

/** MRR@10, hit@1 and hit@10 from each query's 0-based rank of its target (-1: not in the top 10). */
export function knownItemStats(ranks: readonly number[]): KnownItemStats {
  let reciprocal = 0;
  let hit1 = 0;
  let hit10 = 0;
  for (const rank of ranks) {
    if (rank < 0 || rank >= 10) continue;
    reciprocal += 1 / (rank + 1);
    hit10++;
    if (rank === 0) hit1++;
  }
  const n = Math.max(1, ranks.length);
  return { queries: ranks.length, mrr10: reciprocal / n, hit1: hit1 / n, hit10: hit10 / n };
}
