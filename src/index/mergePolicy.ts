/**
 * Which segments to merge: Lucene's TieredMergePolicy (a budget of segments per tier of
 * similar sizes; when the index is over it, the cheapest merge of similar-size segments;
 * never a merged segment above a maximum size), restricted to runs of adjacent segments,
 * as Lucene's LogByteSizeMergePolicy merges: documents are numbered in segment order, and
 * an index must answer exactly as a fresh build of its documents in that order, so a merge
 * may only join neighbours. A merge streams its segments from disk term by term
 * (mergeSegmentsOnDisk), so its memory does not grow with their size: the maximum merged
 * size bounds the merged segment (and the time of one merge), not memory.
 */

import type { Manifest, SegmentEntry } from './manifest';

/** What the policy knows of a segment: its size on disk, its documents and how many of them are deleted. */
export interface SegmentSize {
  /** Bytes of the segment's files: what a merge reads. */
  bytes: number;
  documents: number;
  deleted: number;
}

/** A segment's size as the merge policy sees it: the bytes of its files listed in `manifest`, its documents and deletions. */
export function segmentSize(manifest: Pick<Manifest, 'files'>, entry: SegmentEntry): SegmentSize {
  const prefix = `${entry.name}/`;
  let bytes = 0;
  for (const [file, info] of Object.entries(manifest.files)) if (file.startsWith(prefix)) bytes += info.bytes;
  return { bytes, documents: entry.documents, deleted: entry.deleted };
}

/** A merge of the segments `[start, end)` (positions in the list given to findMerges) into one. */
export interface PlannedMerge {
  start: number;
  end: number;
}

/** The policy's settings (all sizes in bytes). */
export interface MergePolicyOptions {
  /**
   * Segments allowed per tier before a merge is due (Lucene: 10). Default 3: opening an
   * index joins its segments' term tables (0.57 s for 6 segments of news-dev, cold CLI) and
   * stores each word once per segment, while a merge is paid once; a build of news-large
   * at --memory 900 ends in 10 segments instead of 19 (docs/performance.md, "Build memory and where build time goes").
   */
  segmentsPerTier: number;
  /** The most segments merged at once (Lucene: 10): a merge holds each one's term and document tables (about 10 MB a segment of news-large). Default 10. */
  maxMergeAtOnce: number;
  /**
   * The most bytes of segments one merge joins (Lucene's maxMergedSegmentMB, 5 GB there):
   * segments above half of it are left as they are. Default DEFAULT_MAX_MERGE_BYTES.
   */
  maxMergeBytes: number;
  /**
   * Segments smaller than this count as this large when tiers are counted (Lucene's floor
   * segment, 2 MB then 16 MB): the small segments of `add`s gather in the lowest tier and
   * are merged together, instead of each making a tier of its own. Default 4 MB (about 500
   * news articles).
   */
  floorSegmentBytes: number;
  /**
   * A segment with more than this share of its documents deleted is rewritten without them
   * when it fits in maxMergeBytes (the view re-analyzes deleted documents at every open).
   * Default 0.5.
   */
  maxDeletedShare: number;
}

/**
 * Default maxMergeBytes: 2 GB of segments. A segment's postings files address their terms
 * with 32-bit offsets (4 GiB), and the bigram postings are about 60% of a segment.
 */
export const DEFAULT_MAX_MERGE_BYTES = 2e9;

/** The default settings (see MergePolicyOptions for each). */
export const DEFAULT_MERGE_POLICY: MergePolicyOptions = {
  segmentsPerTier: 3,
  maxMergeAtOnce: 10,
  maxMergeBytes: DEFAULT_MAX_MERGE_BYTES,
  floorSegmentBytes: 4e6,
  maxDeletedShare: 0.5,
};

/** A run of adjacent segments as the policy sees it while it plans. */
interface Run {
  start: number;
  end: number;
  /** Bytes of the original segments of the run: what merging it reads. */
  bytes: number;
  /** Bytes of its live documents (bytes pro-rated by the share not deleted). */
  live: number;
}

/**
 * The merges to make, as runs of adjacent segments, each joining at most maxMergeBytes:
 * while the segments small enough to merge (under half of maxMergeBytes) are more than
 * the tiers allow (segmentsPerTier per tier, tiers growing maxMergeAtOnce-fold from the
 * smallest segment or the floor), the run of 2 to maxMergeAtOnce of them that is most even
 * (largest / total, Lucene's skew) and smallest is merged. Runs planned over runs already planned are one merge of their
 * segments (the same result, each byte rewritten once), of at most maxMergeAtOnce segments (a merge holds the tables of
 * each of its segments: the callers plan again after each merge, and merge the merged ones then). Then a segment left alone with
 * more than maxDeletedShare of its documents deleted is rewritten if it fits. Disjoint,
 * in order.
 */
export function findMerges(segments: readonly SegmentSize[], options: Partial<MergePolicyOptions> = {}): PlannedMerge[] {
  const settings = { ...DEFAULT_MERGE_POLICY, ...options };
  let runs: Run[] = segments.map((segment, i) => ({ start: i, end: i + 1, bytes: segment.bytes, live: liveBytes(segment) }));
  for (;;) {
    const eligible = runs.filter((run) => run.bytes <= settings.maxMergeBytes / 2);
    if (eligible.length <= allowedSegments(eligible, settings)) break;
    const best = cheapestMerge(runs, settings);
    if (!best) break;
    const [from, to] = best;
    const joined = runs.slice(from, to);
    runs = [...runs.slice(0, from), { start: joined[0].start, end: joined[joined.length - 1].end, bytes: sum(joined, 'bytes'), live: sum(joined, 'live') }, ...runs.slice(to)];
  }
  return runs
    .filter((run) => run.end - run.start > 1 || (tooManyDeleted(segments[run.start], settings.maxDeletedShare) && run.bytes <= settings.maxMergeBytes))
    .map(({ start, end }) => ({ start, end }));
}

/** Bytes of a segment's live documents: its bytes pro-rated by the share of documents not deleted. */
function liveBytes(segment: SegmentSize): number {
  return segment.documents === 0 ? 0 : (segment.bytes * (segment.documents - segment.deleted)) / segment.documents;
}

function tooManyDeleted(segment: SegmentSize, share: number): boolean {
  return segment.deleted > share * segment.documents;
}

function sum(runs: Run[], key: 'bytes' | 'live'): number {
  return runs.reduce((total, run) => total + run[key], 0);
}

/**
 * How many segments the index may hold (Lucene's budget): segmentsPerTier in the lowest
 * tier (segments of the smallest size, at least the floor), as many in the next tier of
 * maxMergeAtOnce times that size, and so on, until the bytes are placed.
 */
function allowedSegments(runs: Run[], settings: MergePolicyOptions): number {
  if (runs.length === 0) return 0;
  let tierBytes = Math.max(settings.floorSegmentBytes, Math.min(...runs.map((run) => run.live)));
  let remaining = runs.reduce((total, run) => total + Math.max(run.live, settings.floorSegmentBytes), 0);
  let allowed = 0;
  for (;;) {
    const count = remaining / tierBytes;
    if (count < settings.segmentsPerTier) return allowed + Math.ceil(count);
    allowed += settings.segmentsPerTier;
    remaining -= settings.segmentsPerTier * tierBytes;
    tierBytes *= settings.maxMergeAtOnce;
  }
}

/**
 * The best run to merge, as `[from, to)` over `runs`: of every run of 2 or more mergeable
 * neighbours (at most maxMergeAtOnce, joining at most maxMergeBytes), the one scored best as
 * Lucene scores a merge (skew × total^0.05, lower is better; Lucene counts a merge cut
 * short by the size limit as even, which among neighbours would favour uneven runs, so
 * the skew here is always the run's own); undefined when no two neighbours can be merged.
 */
function cheapestMerge(runs: Run[], settings: MergePolicyOptions): [number, number] | undefined {
  const floored = (run: Run): number => Math.max(run.live, settings.floorSegmentBytes);
  let best: { from: number; to: number; score: number } | undefined;
  for (let from = 0; from < runs.length; from++) {
    let to = from;
    let bytes = 0;
    while (to < runs.length && runs[to].end - runs[from].start <= settings.maxMergeAtOnce && runs[to].bytes <= settings.maxMergeBytes / 2 && bytes + runs[to].bytes <= settings.maxMergeBytes) {
      bytes += runs[to].bytes;
      to++;
    }
    let total = 0;
    let largest = 0;
    for (let end = from + 1; end <= to; end++) {
      total += floored(runs[end - 1]);
      largest = Math.max(largest, floored(runs[end - 1]));
      const score = (largest / total) * Math.pow(total, 0.05);
      if (end - from >= 2 && (!best || score < best.score)) best = { from, to: end, score };
    }
  }
  return best && [best.from, best.to];
}

/**
 * A build's last merges: the fewest runs of adjacent segments, each of one segment or of
 * several whose bytes total at most `maxBytes`, and of those the one rewriting the fewest
 * bytes; the runs of two segments or more are returned. When all the segments total at most
 * `maxBytes` that is one run, as `optimize` merges an index; else the small segments the
 * tiers leave beside the large ones end as one (news-large: 41.1 and 137.2 MB then five of
 * 5.5–11.3 MB: the five merged, not the 137.2 MB one with the first of them), while a segment
 * that does not fit with its neighbours stays as it is.
 */
export function findFinalRuns(bytes: readonly number[], maxBytes: number): PlannedMerge[] {
  // best[i]: the fewest runs over the first i segments, the fewest bytes rewritten among them, and where its last run starts.
  const best: Array<{ runs: number; rewritten: number; start: number }> = [{ runs: 0, rewritten: 0, start: 0 }];
  for (let end = 1; end <= bytes.length; end++) {
    let choice = { runs: best[end - 1].runs + 1, rewritten: best[end - 1].rewritten, start: end - 1 };
    let total = bytes[end - 1];
    for (let start = end - 2; start >= 0 && total + bytes[start] <= maxBytes; start--) {
      total += bytes[start];
      const runs = best[start].runs + 1;
      const rewritten = best[start].rewritten + total;
      if (runs < choice.runs || (runs === choice.runs && rewritten < choice.rewritten)) choice = { runs, rewritten, start };
    }
    best.push(choice);
  }
  const merges: PlannedMerge[] = [];
  for (let end = bytes.length; end > 0; end = best[end].start) {
    if (end - best[end].start >= 2) merges.unshift({ start: best[end].start, end });
  }
  return merges;
}
