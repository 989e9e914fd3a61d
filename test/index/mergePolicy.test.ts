import { DEFAULT_MERGE_POLICY, MERGE_MEMORY_FACTOR, MergePolicyOptions, PlannedMerge, findMerges, mergeBudgetBytes } from '../../src/index/mergePolicy';

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
    // news-dev at --memory 900: 5 flushed segments; the four similar ones (86 MB) are merged, the larger first one left.
    { name: 'news-dev, flushed', segments: sized(39.5, 23.2, 23.8, 21.2, 17.8), merges: [[1, 5]] },
    // With 60 MB, the first segment is above half of it, and the other four are within what two tiers allow (3 + 1).
    { name: 'news-dev with 60 MB left for merges', segments: sized(39.5, 23.2, 23.8, 21.2, 17.8), options: { maxMergeBytes: 60 * MB }, merges: [] },
    // news-large at --memory 900: 19 segments of about 20 MB: merges of 6 (120 MB), the last one left.
    { name: 'news-large, flushed', segments: sized(...Array<number>(19).fill(20)), merges: [[0, 6], [6, 12], [12, 18]] },
    { name: 'news-large with 80 MB left for merges', segments: sized(...Array<number>(19).fill(20)), options: { maxMergeBytes: 80 * MB }, merges: [[0, 4], [4, 8], [8, 12], [12, 16]] },
    { name: 'no room for a merge', segments: sized(...Array<number>(19).fill(20)), options: { maxMergeBytes: 0 }, merges: [] },
    { name: 'segments above half the maximum are never merged', segments: sized(70, 70, 70, 70, 70), merges: [] },
    // Small segments of adds below the floor count as the floor: three are allowed, a fourth and fifth still fit the budget of the next tier, a sixth does not.
    { name: 'a large segment and four small ones', segments: sized(300, 0.05, 0.05, 0.05, 0.05), merges: [] },
    { name: 'a large segment and five small ones: only the small ones merge', segments: sized(300, 0.05, 0.05, 0.05, 0.05, 0.05), merges: [[1, 6]] },
    { name: 'a tier of small segments between large ones merges among itself', segments: sized(50, 50, 1, 1, 1, 1, 1, 1, 50), merges: [[2, 8]] },
    { name: 'no more than maxMergeAtOnce at once', segments: sized(...Array<number>(8).fill(10)), options: { maxMergeAtOnce: 4 }, merges: [[0, 4]] },
    // Below the floor, a merged segment is still in the lowest tier: the merge goes on with its neighbours (one merge, each byte written once).
    { name: 'small segments below the floor cascade', segments: sized(...Array<number>(8).fill(1)), options: { maxMergeAtOnce: 4 }, merges: [[0, 7]] },
  ];
  it.each(cases)('$name', ({ segments, options, merges }) => {
    expect(runs(findMerges(segments, options))).toEqual(merges);
  });

  it('never plans a merge loading more than maxMergeBytes, and plans disjoint runs in order', () => {
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
    expect(runs(findMerges(segments))).toEqual([[0, 1]]);
    expect(runs(findMerges(segments, { maxMergeBytes: 500 * MB }))).toEqual([[0, 1], [2, 3]]);
  });

  it('defaults to three segments per tier, ten at once, 120 MB per merge, a 4 MB floor', () => {
    expect(DEFAULT_MERGE_POLICY).toEqual({ segmentsPerTier: 3, maxMergeAtOnce: 10, maxMergeBytes: 120 * MB, floorSegmentBytes: 4 * MB, maxDeletedShare: 0.5 });
  });
});

describe('mergeBudgetBytes', () => {
  it('leaves a merge what keeps the process under the budget, or under a higher peak already reached', () => {
    expect(mergeBudgetBytes(900 * MB, 700 * MB, 400 * MB)).toBe((500 * MB) / MERGE_MEMORY_FACTOR);
    expect(mergeBudgetBytes(900 * MB, 1100 * MB, 600 * MB)).toBe((500 * MB) / MERGE_MEMORY_FACTOR);
    expect(mergeBudgetBytes(1 * MB, 300 * MB, 400 * MB)).toBe(0);
  });
});
