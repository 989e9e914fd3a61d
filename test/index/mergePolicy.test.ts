import { DEFAULT_MERGE_POLICY, MergePolicyOptions, PlannedMerge, findFinalRuns, findMerges } from '../../src/index/mergePolicy';

const MB = 1e6;

/** Segments of these sizes in MB, 100 documents each, none deleted. */
function sized(...megabytes: number[]): Array<{ bytes: number; documents: number; deleted: number }> {
  return megabytes.map((mb) => ({ bytes: mb * MB, documents: 100, deleted: 0 }));
}

/** Merges as [start, end) pairs. */
function runs(merges: PlannedMerge[]): Array<[number, number]> {
  return merges.map(({ start, end }) => [start, end]);
}

describe('findMerges', () => {
  const cases: Array<{ name: string; segments: ReturnType<typeof sized>; options?: Partial<MergePolicyOptions>; merges: Array<[number, number]> }> = [
    { name: 'one segment', segments: sized(300), merges: [] },
    { name: 'as many segments as a tier allows', segments: sized(20, 20, 20), merges: [] },
    // news-dev at --memory 900: 5 flushed segments; with merges of at most 120 MB the four similar ones (86 MB) are merged, the larger first one left.
    { name: 'news-dev, flushed, 120 MB per merge', segments: sized(39.5, 23.2, 23.8, 21.2, 17.8), options: { maxMergeBytes: 120 * MB }, merges: [[1, 5]] },
    // With 60 MB, the first segment is above half of it, and the other four are within what two tiers allow (3 + 1).
    { name: 'news-dev with 60 MB left for merges', segments: sized(39.5, 23.2, 23.8, 21.2, 17.8), options: { maxMergeBytes: 60 * MB }, merges: [] },
    // news-large at --memory 900: 19 segments of about 20 MB: with merges of at most 120 MB, merges of 6, the last one left.
    { name: 'news-large, flushed, 120 MB per merge', segments: sized(...Array<number>(19).fill(20)), options: { maxMergeBytes: 120 * MB }, merges: [[0, 6], [6, 12], [12, 18]] },
    // The default (merges streamed, 2 GB at most): the first merges planned for news-large's 17 flushed segments (2026-12-02; they end in 6)
    // and for five times news-large's 127 (10 at most at once: a merge holds each of its segments' tables; they end in 5).
    { name: 'news-large, flushed, by default', segments: sized(50, 6, 16, 21, 20, 18, 19, 20, 20, 20, 20, 20, 20, 20, 29, 30, 30), merges: [[4, 14], [14, 17]] },
    { name: 'five times news-large, flushed, by default', segments: sized(...Array<number>(127).fill(11.5)), merges: Array.from({ length: 13 }, (_, i): [number, number] => [10 * i, Math.min(10 * i + 10, 127)]) },
    { name: 'news-large with 80 MB left for merges', segments: sized(...Array<number>(19).fill(20)), options: { maxMergeBytes: 80 * MB }, merges: [[0, 4], [4, 8], [8, 12], [12, 16]] },
    { name: 'no room for a merge', segments: sized(...Array<number>(19).fill(20)), options: { maxMergeBytes: 0 }, merges: [] },
    { name: 'segments above half the maximum are never merged', segments: sized(70, 70, 70, 70, 70), options: { maxMergeBytes: 120 * MB }, merges: [] },
    // Small segments of adds below the floor count as the floor: three are allowed, a fourth and fifth still fit the budget of the next tier, a sixth does not.
    { name: 'a large segment and four small ones', segments: sized(300, 0.05, 0.05, 0.05, 0.05), options: { maxMergeBytes: 120 * MB }, merges: [] },
    { name: 'a large segment and five small ones: only the small ones merge', segments: sized(300, 0.05, 0.05, 0.05, 0.05, 0.05), options: { maxMergeBytes: 120 * MB }, merges: [[1, 6]] },
    { name: 'a tier of small segments between large ones merges among itself', segments: sized(50, 50, 1, 1, 1, 1, 1, 1, 50), merges: [[2, 8]] },
    { name: 'no more than maxMergeAtOnce at once', segments: sized(...Array<number>(8).fill(10)), options: { maxMergeAtOnce: 4 }, merges: [[0, 4]] },
    // Below the floor, a merged segment is still in the lowest tier, but a merge joins at most maxMergeAtOnce segments (it holds
    // each one's tables): the next plan, made after these merges, merges the merged ones.
    { name: 'small segments below the floor merge by maxMergeAtOnce', segments: sized(...Array<number>(8).fill(1)), options: { maxMergeAtOnce: 4 }, merges: [[0, 4], [4, 8]] },
  ];
  it.each(cases)('$name', ({ segments, options, merges }) => {
    expect(runs(findMerges(segments, options))).toEqual(merges);
  });

  it('never plans a merge joining more than maxMergeBytes, and plans disjoint runs in order', () => {
    const segments = sized(...Array.from({ length: 60 }, (_, i) => 1 + ((i * 37) % 23)));
    for (const maxMergeBytes of [40, 120, 500].map((mb) => mb * MB)) {
      const merges = findMerges(segments, { maxMergeBytes });
      expect(merges.length).toBeGreaterThan(0);
      merges.forEach((merge, i) => {
        expect(merge.end - merge.start).toBeGreaterThanOrEqual(2);
        expect(segments.slice(merge.start, merge.end).reduce((sum, s) => sum + s.bytes, 0)).toBeLessThanOrEqual(maxMergeBytes);
        if (i > 0) expect(merge.start).toBeGreaterThanOrEqual(merges[i - 1].end);
      });
    }
  });

  it('rewrites a segment alone when more than half of its documents are deleted, if it fits', () => {
    const segments = [
      { bytes: 30 * MB, documents: 100, deleted: 51 },
      { bytes: 30 * MB, documents: 100, deleted: 50 },
      { bytes: 200 * MB, documents: 100, deleted: 90 },
    ];
    expect(runs(findMerges(segments, { maxMergeBytes: 120 * MB }))).toEqual([[0, 1]]);
    expect(runs(findMerges(segments))).toEqual([[0, 1], [2, 3]]);
  });

  it('defaults to three segments per tier, ten at once, 2 GB per merge, a 4 MB floor', () => {
    expect(DEFAULT_MERGE_POLICY).toEqual({ segmentsPerTier: 3, maxMergeAtOnce: 10, maxMergeBytes: 2000 * MB, floorSegmentBytes: 4 * MB, maxDeletedShare: 0.5 });
  });
});

describe('findFinalRuns', () => {
  const cases: Array<{ name: string; megabytes: number[]; maxMB: number; merges: Array<[number, number]> }> = [
    { name: 'one segment', megabytes: [60], maxMB: 150, merges: [] },
    { name: 'all the segments within the limit: one run', megabytes: [30.9, 13.5, 17.1, 6.4], maxMB: 150, merges: [[0, 4]] },
    // news-large as a build left it (2026-12-05, 12 flushed): the three small segments beside the merged 144 MB one end as one.
    { name: 'news-large: the small segments before a large one', megabytes: [42.5, 7.3, 28.4, 143.8], maxMB: 150, merges: [[0, 3]] },
    { name: 'news-large: no two neighbours fit together', megabytes: [40.6, 129.5, 49.9], maxMB: 150, merges: [] },
    { name: 'runs on both sides of a large segment', megabytes: [10, 20, 140, 30, 40, 50], maxMB: 150, merges: [[0, 2], [3, 6]] },
    { name: 'the fewest runs', megabytes: [60, 60, 60, 60], maxMB: 150, merges: [[0, 2], [2, 4]] },
    // news-large as a build left it (2026-12-05, 16 flushed, 7 left, 1.502×): the five small ones end as one, the large one is not rewritten.
    { name: 'of the fewest runs, the one rewriting the fewest bytes', megabytes: [41.1, 137.2, 11.3, 9.7, 9.1, 10.5, 5.5], maxMB: 150, merges: [[2, 7]] },
    { name: 'no two neighbours within the limit, no merge', megabytes: [100, 60, 100], maxMB: 150, merges: [] },
    { name: 'a segment above the limit stays', megabytes: [200, 1, 1], maxMB: 150, merges: [[1, 3]] },
    { name: 'no limit, no run', megabytes: [1, 1, 1], maxMB: 0, merges: [] },
  ];
  it.each(cases)('$name', ({ megabytes, maxMB, merges }) => {
    expect(runs(findFinalRuns(megabytes.map((mb) => mb * MB), maxMB * MB))).toEqual(merges);
  });
});
