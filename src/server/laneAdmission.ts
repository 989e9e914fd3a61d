/**
 * Weight of the latest call in the running average of call times: Elasticsearch's
 * resizing search queue used 0.3 for its task execution EWMA.
 */
const EWMA_ALPHA = 0.3;

/**
 * Whether a queue served one call at a time can take one more call and still start it
 * within `maxWaitMs`: the wait is estimated from the calls ahead and an exponentially
 * weighted average of how long calls took (Little's law), as Elasticsearch's resizing
 * search queue sized itself from its task execution time and a targeted response time.
 * A running call that has already taken longer than the average counts with what it ran
 * past it: one slow call makes the whole queue that much later. Before any call has been
 * timed, nothing is refused on time (only by count, see HeavyLaneOptions.maxWaiting).
 */
export class LaneAdmission {
  /** Average milliseconds of a call; undefined until one has been timed. */
  private averageMs?: number;

  constructor(readonly maxWaitMs: number) {}

  /** Notes how long a call took (from the moment the thread got it to its answer). */
  timed(ms: number): void {
    this.averageMs = this.averageMs === undefined ? ms : this.averageMs + EWMA_ALPHA * (ms - this.averageMs);
  }

  /**
   * Milliseconds a call queued now would wait before it runs, with `waiting` calls queued
   * ahead of it and the running one (if any) started `runningMs` ago; 0 before any call was timed.
   */
  estimatedWaitMs(waiting: number, runningMs: number | undefined): number {
    const average = this.averageMs;
    if (average === undefined) return 0;
    if (runningMs === undefined) return waiting * average;
    return (waiting + 1) * average + Math.max(0, runningMs - average);
  }

  /** Whether a call queued now is expected to wait longer than maxWaitMs (see estimatedWaitMs). */
  refuses(waiting: number, runningMs: number | undefined): boolean {
    return this.estimatedWaitMs(waiting, runningMs) > this.maxWaitMs;
  }
}
