import { SearchInterrupted } from '../errors';

/** Nanoseconds this thread has spent in one-time builds (see `untimed`). */
let untimedNs = 0n;
/** How many `untimed` builds are running (one may start another): only the outermost is counted. */
let depth = 0;

/**
 * Runs a one-time build that a search may start on first use (the pinyin index, the
 * speller, the groups of copies, the parsed metadata: seconds on a large index, once per
 * process) without counting its time against any deadline: a cold CLI's first query is
 * not cut short for what a server builds while warming up.
 */
export function untimed<T>(build: () => T): T {
  const started = process.hrtime.bigint();
  depth++;
  try {
    return build();
  } finally {
    if (--depth === 0) untimedNs += process.hrtime.bigint() - started;
  }
}

/** The thread's clock without the time spent in one-time builds. */
function timedNow(): bigint {
  return process.hrtime.bigint() - untimedNs;
}

/**
 * How long one search may work. Elasticsearch's search `timeout` is the model: past the
 * deadline a search stops extending what it has and answers with what it found so far,
 * saying so (`timed_out: true` in SearchResult). A server's first try of a query is
 * instead *interrupted* at its (short) deadline, by throwing SearchInterrupted from the
 * next checkpoint, so that it can run the query again off the event loop (see
 * server/searchLanes.ts): interrupting is safe anywhere, since a search changes nothing
 * outside itself.
 *
 * Time spent in one-time builds (`untimed`) does not count. Checkpoints sit where work is
 * done in units: each postings look-up (QueryMatches), each feature accumulated (topk.ts),
 * each tier ranked and each hit built (searcher.ts).
 */
export class Deadline {
  private expired = false;

  private constructor(
    private readonly at: bigint,
    private readonly interrupting: boolean,
  ) {}

  /** A deadline `ms` from now past which the search answers with what it has. */
  static cutting(ms: number): Deadline {
    return new Deadline(timedNow() + BigInt(Math.round(ms * 1e6)), false);
  }

  /** A deadline `ms` from now past which the next checkpoint throws SearchInterrupted. */
  static interrupting(ms: number): Deadline {
    return new Deadline(timedNow() + BigInt(Math.round(ms * 1e6)), true);
  }

  /** A checkpoint: throws SearchInterrupted once an interrupting deadline has passed; nothing otherwise. */
  checkpoint(): void {
    if (this.interrupting && timedNow() > this.at) throw new SearchInterrupted();
  }

  /**
   * Whether the search should stop extending its answer now (a cutting deadline that has
   * passed, which `cut` remembers); an interrupting deadline throws instead.
   */
  passed(): boolean {
    if (this.expired) return true;
    if (timedNow() <= this.at) return false;
    if (this.interrupting) throw new SearchInterrupted();
    this.expired = true;
    return true;
  }

  /** Whether the search was cut short: `passed()` said so at least once. */
  get cut(): boolean {
    return this.expired;
  }
}
