import { SearchInterrupted } from '../errors';

/** A clock in nanoseconds, and the nanoseconds of it this thread spent in one-time builds (see `untimed`). */
interface Clock {
  read: () => bigint;
  untimedNs: bigint;
}

/** Wall-clock time: what a person waiting sees. */
const wallClock: Clock = { read: () => process.hrtime.bigint(), untimedNs: 0n };

/**
 * CPU time of the process (all its threads): what a query itself costs, however busy the
 * machine is with other processes (on a loaded machine every query takes longer by the wall clock).
 */
const cpuClock: Clock = {
  read: () => {
    const { user, system } = process.cpuUsage();
    return BigInt(user + system) * 1000n;
  },
  untimedNs: 0n,
};

/** How many `untimed` builds are running (one may start another): only the outermost is counted. */
let depth = 0;

/**
 * Runs a one-time build that a search may start on first use (the pinyin index, the
 * speller, the groups of copies, the parsed metadata: seconds on a large index, once per
 * process) without counting its time against any deadline: a cold CLI's first query is
 * not cut short for what a server builds while warming up.
 */
export function untimed<T>(build: () => T): T {
  if (depth > 0) return build();
  const started = [wallClock.read(), cpuClock.read()];
  depth++;
  try {
    return build();
  } finally {
    depth--;
    wallClock.untimedNs += wallClock.read() - started[0];
    cpuClock.untimedNs += cpuClock.read() - started[1];
  }
}

/** A clock without the time spent in one-time builds. */
function timedNow(clock: Clock): bigint {
  return clock.read() - clock.untimedNs;
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
    private readonly clock: Clock,
    private readonly at: bigint,
    private readonly interrupting: boolean,
  ) {}

  /** A deadline `ms` of wall-clock time from now past which the search answers with what it has. */
  static cutting(ms: number): Deadline {
    return new Deadline(wallClock, timedNow(wallClock) + BigInt(Math.round(ms * 1e6)), false);
  }

  /**
   * A deadline `ms` of the process's CPU time from now past which the next checkpoint
   * throws SearchInterrupted: it sorts out the queries that are costly themselves, not those
   * slowed by a busy machine (which running them again elsewhere would only slow more).
   */
  static interrupting(ms: number): Deadline {
    return new Deadline(cpuClock, timedNow(cpuClock) + BigInt(Math.round(ms * 1e6)), true);
  }

  /** A checkpoint: throws SearchInterrupted once an interrupting deadline has passed; nothing otherwise. */
  checkpoint(): void {
    if (this.interrupting && timedNow(this.clock) > this.at) throw new SearchInterrupted();
  }

  /**
   * Whether the search should stop extending its answer now (a cutting deadline that has
   * passed, which `cut` remembers); an interrupting deadline throws instead.
   */
  passed(): boolean {
    if (this.expired) return true;
    if (timedNow(this.clock) <= this.at) return false;
    if (this.interrupting) throw new SearchInterrupted();
    this.expired = true;
    return true;
  }

  /** Whether the search was cut short: `passed()` said so at least once. */
  get cut(): boolean {
    return this.expired;
  }
}
