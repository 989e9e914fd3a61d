/**
 * When a build finishes a segment: Lucene's RAM buffer, with the budget taken from the
 * process's measured memory rather than from estimates alone. A build of a large corpus
 * holds one segment's postings and stored documents at a time, so its peak stays near
 * the budget however many documents there are.
 */

/** Default `--memory` of `jiansuo index`, in MB: the peak RSS a build aims to stay under (see README, "Build memory"). */
export const DEFAULT_BUILD_MEMORY_MB = 900;

/**
 * Finishing a segment lays its postings out compactly while the pools are still held
 * (family by family) and compresses the stored documents: the process then holds up to
 * about this many times the buffer.
 */
const FINISH_PEAK = 1.6;

/** A segment is never finished below this many bytes of buffer (nor below a sixteenth of the cap), so that garbage not yet collected cannot make a build write a segment per batch. */
const MIN_SEGMENT_BYTES = 1 << 20;

/** What a flush policy needs of the process: its resident set size now (process.memoryUsage.rss by default; tests give their own). */
export type RssProbe = () => number;

/**
 * Decides after each batch whether the segment being built should be finished and
 * written: when the buffer (IndexBuilder.bufferBytes) plus what finishing it would add
 * would push the process's RSS past `capBytes`. What is not the buffer (Node, jieba on
 * the worker threads, the term dictionaries, documents in flight) is measured each time
 * as RSS minus the buffer, so the budget shrinks as those grow.
 */
export class MemoryFlushPolicy {
  private peak = 0;

  constructor(
    readonly capBytes: number,
    private readonly rss: RssProbe = () => process.memoryUsage.rss(),
  ) {}

  /** Whether a segment holding `bufferBytes` should be finished now. */
  shouldFlush(bufferBytes: number): boolean {
    const rss = this.rss();
    this.peak = Math.max(this.peak, rss);
    if (bufferBytes < Math.max(MIN_SEGMENT_BYTES, this.capBytes / 16)) return false;
    const other = Math.max(0, rss - bufferBytes);
    return other + bufferBytes * FINISH_PEAK >= this.capBytes;
  }

  /** Records the RSS now (e.g. right after a segment was written), for `peakRss`. */
  sample(): void {
    this.peak = Math.max(this.peak, this.rss());
  }

  /** The highest RSS seen by shouldFlush and sample, in bytes (sampled: the true peak, as /usr/bin/time reports it, may be a little higher). */
  get peakRss(): number {
    return this.peak;
  }
}
