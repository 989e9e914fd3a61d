import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BuildSummary, buildIndex, buildMergeBytes } from '../../src/build';
import { bodyText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { readManifest, readSegments } from '../../src/index/generation';
import { PostingsFamily } from '../../src/index/data';
import { wholeBytes } from '../../src/index/indexFile';
import { mergeSegments } from '../../src/index/merge';
import { findFinalRuns, findMerges, segmentSize } from '../../src/index/mergePolicy';
import { SearchOptions, SearchResult } from '../../src/search/types';
import { CORPUS_DIR, seeded } from '../helpers';

/** Documents of news-dev in the test corpus: enough for several 1 MB segments. */
const DOCUMENTS = 500;

let tmp: string;
let source: string;
let small: BuildSummary;
let merged: BuildSummary;
let whole: BuildSummary;
let capped: BuildSummary;
let single: BuildSummary;
let paired: BuildSummary;
let segmented: SearchEngine;
let mergedEngine: SearchEngine;
let reference: SearchEngine;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-flushed-'));
  const lines = gunzipSync(fs.readFileSync(path.join(CORPUS_DIR, 'news-dev.jsonl.gz'))).toString('utf8').split('\n', DOCUMENTS);
  // A later version of the 3rd document: it must stand where the first one did, in both builds.
  const replaced = { ...JSON.parse(lines[2]), title: '替换后的标题 方特乐园' };
  source = path.join(tmp, 'news.jsonl');
  fs.writeFileSync(source, [...lines, JSON.stringify(replaced)].join('\n') + '\n');
  // Without merges (a merge may load 0 bytes): the segments as flushed.
  small = await buildIndex({ sources: [source], out: path.join(tmp, 'small'), memoryMB: 1, threads: 2, merge: { maxMergeBytes: 0 } });
  // The same budget for flushing, but merges allowed (the budget itself would leave them no room), one segment per tier.
  merged = await buildIndex({ sources: [source], out: path.join(tmp, 'merged'), memoryMB: 1, threads: 2, merge: { maxMergeBytes: 1e9, segmentsPerTier: 1 }, singleSegmentBytes: 0 });
  // Merges allowed, and the segments left by the policy (a few MB) small enough to end as one.
  single = await buildIndex({ sources: [source], out: path.join(tmp, 'single'), memoryMB: 1, threads: 2, merge: { maxMergeBytes: 1e9 } });
  // No merge by the policy, and a final limit of about two flushed segments (0.6-0.8 MB each): runs of two merged.
  paired = await buildIndex({ sources: [source], out: path.join(tmp, 'paired'), memoryMB: 1, threads: 2, merge: { maxMergeBytes: 0 }, singleSegmentBytes: 1.6e6 });
  whole = await buildIndex({ sources: [source], out: path.join(tmp, 'whole'), memoryMB: 100_000, threads: 2 });
  // The build's own merge settings: merged segments capped by the budget (buildMergeBytes).
  capped = await buildIndex({ sources: [source], out: path.join(tmp, 'capped'), memoryMB: 1, threads: 2, merge: { segmentsPerTier: 1 } });
  // Whole answers are compared, "did you mean" included: its wall-clock budget must not run out in one engine only.
  const patient = { suggestionBudgetMs: 600_000 };
  segmented = SearchEngine.open(path.join(tmp, 'small'), patient);
  mergedEngine = SearchEngine.open(path.join(tmp, 'merged'), patient);
  reference = SearchEngine.open(path.join(tmp, 'whole'), patient);
}, 600_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a build on a small memory budget', () => {
  it('writes several segments where a large budget writes one', () => {
    expect(small.segments).toBeGreaterThanOrEqual(3);
    expect(readManifest(path.join(tmp, 'small')).manifest.segments).toHaveLength(small.segments);
    expect(whole.segments).toBe(1);
    expect(readManifest(path.join(tmp, 'whole')).manifest.segments).toHaveLength(1);
    expect(small.documents).toBe(DOCUMENTS);
    expect({ words: small.words, bigrams: small.bigrams }).toEqual({ words: whole.words, bigrams: whole.bigrams });
  });

  it('ends in fewer segments when the merge policy may merge them', () => {
    expect(merged.flushedSegments).toBeGreaterThanOrEqual(3);
    expect(small.flushedSegments).toBe(small.segments);
    // Segments of a few hundred KB, all below the floor (4 MB): one allowed in the lowest tier, one in the next.
    expect(merged.segments).toBeLessThanOrEqual(2);
    const { manifest } = readManifest(path.join(tmp, 'merged'));
    expect(manifest.segments).toHaveLength(merged.segments);
    // It stops where the policy has nothing left to merge.
    expect(findMerges(manifest.segments.map((segment) => segmentSize(manifest, segment)), { maxMergeBytes: 1e9, segmentsPerTier: 1 })).toEqual([]);
    expect(merged.documents).toBe(DOCUMENTS);
    expect({ words: merged.words, bigrams: merged.bigrams }).toEqual({ words: whole.words, bigrams: whole.bigrams });
  });

  it('merges no further than a third of the memory budget by default', () => {
    const sizes = (name: string): number[] => {
      const { manifest } = readManifest(path.join(tmp, name));
      return manifest.segments.map((segment) => segmentSize(manifest, segment).bytes);
    };
    const cap = buildMergeBytes(1);
    expect(cap).toBe(333_333.3333333333);
    // Uncapped, the merges write a segment larger than any flushed one and than the cap.
    expect(Math.max(...sizes('merged'))).toBeGreaterThan(Math.max(cap, ...sizes('small')));
    // Capped, no segment outgrows both the largest flushed segment and the cap, so more remain.
    expect(Math.max(...sizes('capped'))).toBeLessThanOrEqual(Math.max(cap, ...sizes('small')));
    expect(capped.segments).toBeGreaterThan(merged.segments);
    expect(capped.documents).toBe(DOCUMENTS);
  });

  it('ends in one segment when the segments left total at most singleSegmentBytes (by default half the largest merge)', () => {
    expect(single.flushedSegments).toBeGreaterThanOrEqual(3);
    expect(single.segments).toBe(1);
    expect(readManifest(path.join(tmp, 'single')).manifest.segments).toHaveLength(1);
    expect(single.documents).toBe(DOCUMENTS);
    // Above it, the segments the policy leaves stay: capped's total is more than half its 333 KB cap.
    expect(capped.segments).toBeGreaterThan(1);
    expect(capped.bytes).toBeGreaterThan(buildMergeBytes(1) / 2);
  });

  it('above singleSegmentBytes, merges each run of neighbours that fits in it', () => {
    const { manifest } = readManifest(path.join(tmp, 'paired'));
    const sizes = manifest.segments.map((segment) => segmentSize(manifest, segment).bytes);
    expect(paired.flushedSegments).toBeGreaterThanOrEqual(4);
    expect(paired.bytes).toBeGreaterThan(1.6e6);
    expect(paired.segments).toBe(Math.ceil(paired.flushedSegments / 2));
    expect(sizes).toHaveLength(paired.segments);
    // What is left has no two neighbours within the limit.
    expect(findFinalRuns(sizes, 1.6e6)).toEqual([]);
    expect(paired.documents).toBe(DOCUMENTS);
  });

  it.each(['small', 'merged', 'capped', 'single', 'paired'])('%s: merges into byte for byte the index of the one-segment build', (name) => {
    const merged = mergeSegments(readSegments(path.join(tmp, name)).segments, { joinDocuments: true });
    const one = mergeSegments(readSegments(path.join(tmp, 'whole')).segments, { joinDocuments: true });
    expect(merged.wordTerms).toEqual(one.wordTerms);
    const same = (a: ArrayBufferView, b: ArrayBufferView): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    for (const key of ['titleUnits', 'titleWords', 'bodyWords', 'metaBytes', 'bigramKeys', 'charKeys'] as const) expect({ key, same: same(merged[key], one[key]) }).toEqual({ key, same: true });
    const partOf = (f: PostingsFamily, part: 'offsets' | 'df' | 'postings'): ArrayBufferView => (part === 'postings' ? wholeBytes(f.postings) : f[part]);
    for (const family of ['words', 'bigrams', 'chars'] as const) {
      for (const part of ['offsets', 'df', 'postings'] as const) expect({ family, part, same: same(partOf(merged[family], part), partOf(one[family], part)) }).toEqual({ family, part, same: true });
    }
    // The lexicons (pinyin, speller) the segments stored merge into the one the single segment stored.
    expect(merged.lexicon).toEqual(one.lexicon);
  });

  it('offers the same pinyin words, completions and initials from its segments as the one-segment build', () => {
    for (const text of ['zh', 'zhongg', 'beij', 'xue', 'ft', 'zg', 'bj', 'beijing', 'fangte']) {
      expect({ text, words: segmented.pinyinWords(text, 50) }).toEqual({ text, words: reference.pinyinWords(text, 50) });
      expect({ text, completions: segmented.pinyinCompletions(text, 50) }).toEqual({ text, completions: reference.pinyinCompletions(text, 50) });
      expect({ text, words: mergedEngine.pinyinWords(text, 50) }).toEqual({ text, words: reference.pinyinWords(text, 50) });
    }
    expect(reference.pinyinWords('beijing').map((w) => w.word)).toContain('北京');
  });

  it('keeps a repeated id where it first stood, with its last version', () => {
    expect(segmented.document(2).title).toBe('替换后的标题 方特乐园');
    expect(mergedEngine.document(2).title).toBe('替换后的标题 方特乐园');
    expect(reference.document(2).title).toBe('替换后的标题 方特乐园');
  });

  it('answers every query exactly as the one-segment build, flushed or merged: ids, scores, snippets, totals', () => {
    const random = seeded(14);
    const queries = ['方特', 'fangte', 'beijing', 'zhongguo', 'ft', 'zg', '郑洲', '经挤', '篮求', '中国', '科技 创新', '篮球 比赛 球员', '"人工智能"', 'title:电影', '北京 -上海', '学校 教育 改革 学生 家长 考试 压力'];
    // Literal oracle queries: substrings cut at random from the documents' bodies.
    for (let i = 0; i < 40; i++) {
      const body = bodyText(reference.document(Math.floor(random() * DOCUMENTS)));
      const length = 2 + Math.floor(random() * 6);
      const start = Math.floor(random() * Math.max(1, body.length - length));
      queries.push(body.slice(start, start + length).replace(/["\s:-]/g, '') || '新闻');
    }
    // Everything but the time taken.
    const answer = (engine: SearchEngine, query: string, options: SearchOptions): Omit<SearchResult, 'took_ms'> => {
      const { took_ms: _took, ...result } = engine.search(query, options);
      return result;
    };
    let found = 0;
    for (const query of queries) {
      for (const options of [{ limit: 10 }, { limit: 5, offset: 5 }]) {
        const expected = answer(reference, query, options);
        if (options.offset === undefined && expected.hits.length > 0) found++;
        expect({ query, result: answer(segmented, query, options) }).toEqual({ query, result: expected });
        expect({ query, result: answer(mergedEngine, query, options) }).toEqual({ query, result: expected });
      }
    }
    // The comparison means something: nearly every query finds documents (each cut-out substring finds at least its own).
    expect(found).toBeGreaterThanOrEqual(44);
  });
});
