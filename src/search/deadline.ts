import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { SearchInterrupted } from '../errors';

/** A clock in nanoseconds, and the nanoseconds of it this thread spent in one-time builds (see `untimed`). */
interface Clock {
  read: () => bigint;
  untimedNs: bigint;
}

/** Wall-clock time: what a person waiting sees. */
const wallClock: Clock = { read: () => process.hrtime.bigint(), untimedNs: 0n };

/** Linux's count of the nanoseconds the calling thread has run on a CPU (first field of the file). */
const THREAD_SCHEDSTAT = '/proc/thread-self/schedstat';

/** The first decimal number in `bytes[0, length)`. */
function leadingNumber(bytes: Uint8Array, length: number): bigint {
  let end = 0;
  while (end < length && bytes[end] >= 0x30 && bytes[end] <= 0x39) end++;
  return BigInt(Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1'));
}

/**
 * Reads this thread's CPU time (ns), or undefined where the kernel does not count it per
 * thread (not Linux). The main thread keeps the file open (a read costs about 3 µs, like
 * `process.cpuUsage`); another thread opens it on each read (about 30 µs), since a worker
 * that is terminated could not close it and its descriptor would stay open in the process.
 */
function threadCpuReader(): (() => bigint) | undefined {
  const bytes = new Uint8Array(64);
  try {
    if (!isMainThread) {
      readFileSync(THREAD_SCHEDSTAT);
      return () => {
        const text = readFileSync(THREAD_SCHEDSTAT);
        return leadingNumber(text, text.length);
      };
    }
    const fd = openSync(THREAD_SCHEDSTAT, 'r');
    try {
      readSync(fd, bytes, 0, bytes.length, 0);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return () => leadingNumber(bytes, readSync(fd, bytes, 0, bytes.length, 0));
  } catch {
    return undefined;
  }
}

/** CPU time of the process (all its threads), in ns: the fallback where threads are not counted apart. */
const processCpu = (): bigint => {
  const { user, system } = process.cpuUsage();
  return BigInt(user + system) * 1000n;
};

/**
 * CPU time of the calling thread: what a query itself costs, however busy the machine is
 * with other processes (on a loaded machine every query takes longer by the wall clock) and
 * however busy the process's other threads are (a server's long-query thread working beside
 * the event loop must not use up the event loop's deadlines). The kernel updates it at each
 * scheduler tick, so a reading may lag by a few milliseconds. Where there is no per-thread
 * count, the whole process's CPU time.
 */
const threadCpu = threadCpuReader();
const cpuClock: Clock = { read: threadCpu ?? processCpu, untimedNs: 0n };

/** Whether `cpuClock` counts the calling thread alone (it then never runs faster than the wall clock). */
const cpuClockPerThread = threadCpu !== undefined;

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
  /**
   * An interrupting deadline on the thread's clock: the (timed) wall-clock time before which
   * the deadline cannot have been reached, since a thread runs no longer than the time that
   * passes. Checkpoints before it read no CPU clock; 0 (read at every checkpoint) on the
   * process's clock, whose threads together may run longer than the time that passes.
   */
  private unreachableUntil = 0n;

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
   * A deadline `ms` of this thread's CPU time from now (see `cpuClock`) at which the next
   * checkpoint throws SearchInterrupted: it sorts out the queries that are costly themselves,
   * not those slowed by a busy machine or by the process's other threads (which running them
   * again elsewhere would only slow more). At 0 ms the first checkpoint throws.
   */
  static interrupting(ms: number): Deadline {
    const budget = BigInt(Math.round(ms * 1e6));
    const deadline = new Deadline(cpuClock, timedNow(cpuClock) + budget, true);
    if (cpuClockPerThread) deadline.unreachableUntil = timedNow(wallClock) + budget;
    return deadline;
  }

  /** A checkpoint: throws SearchInterrupted once an interrupting deadline has been reached; nothing otherwise. */
  checkpoint(): void {
    if (this.interrupting && this.reached()) throw new SearchInterrupted();
  }

  /**
   * Whether the search should stop extending its answer now (a cutting deadline that has
   * passed, which `cut` remembers); an interrupting deadline throws instead.
   */
  passed(): boolean {
    if (this.expired) return true;
    if (!this.interrupting) {
      if (timedNow(this.clock) <= this.at) return false;
      this.expired = true;
      return true;
    }
    if (this.reached()) throw new SearchInterrupted();
    return false;
  }

  /** Whether the search was cut short: `passed()` said so at least once. */
  get cut(): boolean {
    return this.expired;
  }

  /** Whether an interrupting deadline's CPU time has been used up (reading the CPU clock only when the wall clock allows it). */
  private reached(): boolean {
    const wall = cpuClockPerThread ? timedNow(wallClock) : 0n;
    if (wall < this.unreachableUntil) return false;
    const now = timedNow(this.clock);
    if (now >= this.at) return true;
    if (cpuClockPerThread) this.unreachableUntil = wall + (this.at - now);
    return false;
  }
}
