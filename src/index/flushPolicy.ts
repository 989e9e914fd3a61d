/**
 * When a build finishes a segment: Lucene's RAM buffer, with the budget taken from the
 * process's measured memory rather than from estimates alone. A build of a large corpus
 * holds one segment's postings and stored documents at a time, so its peak stays near
 * the budget however many documents there are.
 */
import * as fs from 'node:fs';

/** Default `--memory` of `jiansuo index`, in MB: the peak RSS a build aims to stay under (see docs/performance.md, "Build memory and where build time goes"). */
export const DEFAULT_BUILD_MEMORY_MB = 900;

/**
 * Finishing a segment lays its postings out compactly while the pools are still held
 * (family by family), compresses the stored documents and builds the segment's lexicon
 * (pinyin, speller) before writing: the process then holds up to about this many times
 * the buffer on top of the rest. Measured on news-large with 2 threads (RSS sampled every
 * second): the first segment's finish took 1.9, 2.3 and 2.5 buffers in three runs (its
 * lexicon grows the main thread's heap by about 110 MB for the first time: a cost that
 * does not shrink with the buffer), later ones 1.6–1.7; what each finished segment shows
 * is learned (MemoryFlushPolicy.segmentWritten).
 */
const FINISH_PEAK = 3;

/**
 * What the decisions keep free under the cap, as a share of it. Part of what finishing a
 * segment costs does not shrink with its buffer (its term tables, the heap grown while its
 * files are made), so late in a build, where the rest is larger and segments smaller,
 * finishes cost more buffers than the early ones: on news-large (2 threads, RSS sampled every
 * 0.25 s, 2026-12-05) 1.0–2.8 buffers, then 3.14 and 3.26 for the last two flushed (49–53 MB),
 * peaking at 914 MB, when each finish still made its segment's lexicon; an eighteenth (50 MB
 * at 900) was kept free then. Flushed segments are now drafts, without their lexicon
 * (SegmentStaging.add): the first finish cost 2.10 buffers instead of 2.43, later ones 1.1,
 * and the flushes peaked at 739–747 MB against 780 (docs/performance.md, "Drafts"). A
 * thirty-sixth: 25 MB at 900.
 */
const FINISH_HEADROOM_SHARE = 1 / 36;

/**
 * The smallest segment as a share of the last one this policy finished, the first apart (its
 * buffer filled a rest some 150–200 MB smaller than any later one: news-large 108–160 MB,
 * later ones 40–110), and as a share of the first (MIN_SHARE_OF_FIRST). Right after a write
 * the RSS still holds what the finish let go of (malloc keeps it, and the next buffer grows
 * into it), so the rest then reads 50–150 MB high and a segment of the smallest size would
 * be finished at once, and again after it (news-dev with the headroom: 29, 39, 28 and 31 MB
 * segments after a first of 116): each a finish more, a segment more to merge.
 */
const MIN_SHARE_OF_LAST = 2 / 3;

/** The smallest segment as a share of the first one this policy finished (see MIN_SHARE_OF_LAST). */
const MIN_SHARE_OF_FIRST = 1 / 3;

/** A segment is never finished below this many bytes of buffer (nor below MIN_SEGMENT_SHARE of the cap), so that garbage not yet collected cannot make a build write a segment per batch. */
const MIN_SEGMENT_BYTES = 1 << 20;
/**
 * The smallest segment as a share of the cap. Late in a news-large build (2 threads,
 * `--memory 900`) the rest is about 780 MB and segments were finished at the smallest
 * size a sixteenth allowed (56 MB), each finish still peaking above the cap: a
 * thirty-second leaves segments of 28 MB there, more of them to merge.
 */
const MIN_SEGMENT_SHARE = 1 / 32;

/** What a flush policy needs of the process: its resident set size now (residentBytes by default; tests give their own). */
export type RssProbe = () => number;

/** /proc/self/status, kept open for residentBytes (undefined until first asked; null where it cannot be read). */
let statusFile: number | null | undefined;
const statusBytes = Buffer.alloc(8192);

/**
 * The process's resident set size in bytes, as process.memoryUsage.rss gives it (the same
 * kernel counters), read from /proc/self/status (its VmRSS line, in KiB) where that can be read,
 * else from process.memoryUsage.rss. memoryUsage.rss reads /proc/self/stat, which in a build
 * (worker threads, V8's helpers, several hundred MB mapped) cost 1.9 ms of CPU a call against
 * 0.09 for status (news-dev, 128 calls each, beside each other in one build): about 1.3 s of
 * the main thread's CPU over news-large's 700 flush decisions.
 */
export function residentBytes(): number {
  if (statusFile === undefined) {
    try {
      statusFile = fs.openSync('/proc/self/status', 'r');
    } catch {
      statusFile = null;
    }
  }
  if (statusFile !== null) {
    const text = statusBytes.toString('latin1', 0, fs.readSync(statusFile, statusBytes, 0, statusBytes.length, 0));
    const at = text.indexOf('\nVmRSS:');
    const kib = at < 0 ? NaN : parseInt(text.slice(at + 7), 10);
    if (Number.isFinite(kib)) return kib * 1024;
  }
  return process.memoryUsage.rss();
}

/** The highest resident set size the process has had, in bytes (the kernel's high-water mark, as `time -v` reports it). */
export function peakRssOfProcess(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Decides after each batch whether the segment being built should be finished and
 * written: when the buffer (IndexBuilder.bufferBytes) plus what finishing it would add
 * would push the process's RSS past `capBytes` less a headroom (FINISH_HEADROOM_SHARE), and
 * the buffer is at least two thirds of the last segment finished and a third of the first (MIN_SHARE_OF_LAST). What is not the buffer (Node, jieba on
 * the worker threads, the term dictionaries, documents in flight) is measured each time
 * as RSS minus the buffer, so the budget shrinks as those grow. How many times its buffer
 * finishing a segment costs is learned from each segment finished (segmentWritten).
 */
export class MemoryFlushPolicy {
  private peak = 0;
  /** The finish's peak over the rest, in buffers: FINISH_PEAK unless a segment finished on this policy's word showed more. */
  private finishFactor = FINISH_PEAK;
  /** The rest (RSS minus the buffer) and the buffer when shouldFlush last said yes, and the process's peak then: until segmentWritten. */
  private flushing: { other: number; buffer: number; peakBefore: number } | undefined;
  /** The buffer of the first segment finished on this policy's word (0 until then). */
  private firstBuffer = 0;
  /** The buffer of the last segment finished on this policy's word, the first apart (0 until the second). */
  private lastBuffer = 0;

  /** `rss` gives the RSS now, `highWater` the process's high-water mark (tests give their own). */
  constructor(
    readonly capBytes: number,
    private readonly rss: RssProbe = residentBytes,
    private readonly highWater: RssProbe = peakRssOfProcess,
  ) {}

  /** Whether a segment holding `bufferBytes` should be finished now. */
  shouldFlush(bufferBytes: number): boolean {
    const rss = this.rss();
    this.peak = Math.max(this.peak, rss);
    const smallest = Math.max(MIN_SEGMENT_BYTES, this.capBytes * MIN_SEGMENT_SHARE, this.firstBuffer * MIN_SHARE_OF_FIRST, this.lastBuffer * MIN_SHARE_OF_LAST);
    if (bufferBytes < smallest) return false;
    const other = Math.max(0, rss - bufferBytes);
    if (other + bufferBytes * this.finishFactor < this.capBytes * (1 - FINISH_HEADROOM_SHARE)) return false;
    this.flushing = { other, buffer: bufferBytes, peakBefore: this.highWater() };
    return true;
  }

  /** Records the RSS now (e.g. after a merge), for `peakRss`. */
  sample(): void {
    this.peak = Math.max(this.peak, this.rss());
  }

  /**
   * Records the RSS right after a segment was written, for `peakRss`; when shouldFlush
   * had asked for that segment, also learns what finishing it cost:
   * its peak (the process's high-water mark when finishing raised it, else the RSS now)
   * over the rest, in buffers, when that is more than assumed.
   */
  segmentWritten(): void {
    const rss = this.rss();
    this.peak = Math.max(this.peak, rss);
    const flushing = this.flushing;
    if (!flushing) return;
    this.flushing = undefined;
    if (this.firstBuffer === 0) this.firstBuffer = flushing.buffer;
    else this.lastBuffer = flushing.buffer;
    const highWater = this.highWater();
    const finishPeak = highWater > flushing.peakBefore ? highWater : rss;
    this.finishFactor = Math.max(this.finishFactor, (finishPeak - flushing.other) / flushing.buffer);
  }

  /** The highest RSS of the process, in bytes: its high-water mark, or the highest RSS seen by shouldFlush and segmentWritten if higher. */
  get peakRss(): number {
    return Math.max(this.peak, this.highWater());
  }
}
