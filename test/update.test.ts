import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Analyzer, analyzerSettings } from '../src/analysis/analyzer';
import { SearchDocument } from '../src/document';
import { SearchEngine } from '../src/engine';
import { IndexError, UpdateError } from '../src/errors';
import { IndexBuilder } from '../src/index/builder';
import { IndexData } from '../src/index/data';
import { compactDocuments } from '../src/index/docStore';
import { readManifest, readSegments, saveIndexData } from '../src/index/generation';
import { mergeSegments } from '../src/index/merge';
import { segmentSize } from '../src/index/mergePolicy';
import { optimizeIndex, updateIndex } from '../src/update';
import { corpusDocuments, doc } from './helpers';

const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-update-'));
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

let news: SearchDocument[];
beforeAll(async () => {
  news = await corpusDocuments('news-dev.jsonl.gz', 420);
});

/** The bytes of each segment's files in the current generation of `dir`, in order. */
function segmentBytes(dir: string): number[] {
  const { manifest } = readManifest(dir);
  return manifest.segments.map((segment) => segmentSize(manifest, segment).bytes);
}

/** The files (with sizes and checksums) of the first `count` segments of the current generation of `dir`. */
function segmentFiles(dir: string, count: number): Array<[string, { bytes: number; sha256: string }]> {
  const { manifest } = readManifest(dir);
  const names = manifest.segments.slice(0, count).map((segment) => `${segment.name}/`);
  return Object.entries(manifest.files).filter(([file]) => names.some((name) => file.startsWith(name)));
}

/** The current generation of `dir` as one IndexData: its segments merged without their deleted documents. */
function mergedIndex(dir: string): IndexData {
  return mergeSegments(readSegments(dir).segments, { joinDocuments: true });
}

/** A search's answer without its timing. */
function answer(engine: SearchEngine, query: string): unknown {
  return { ...engine.search(query, { limit: 20, facets: 5 }), took_ms: 0 };
}

/** Queries that reach every level and feature: literal, words, some-words, exclusions, title:, pinyin, single characters. */
function queries(documents: SearchDocument[]): string[] {
  const picked = [0, 7, 150, 299, 305, 410].map((i) => documents[i % documents.length]);
  return [
    ...picked.map((d) => d.title),
    ...picked.map((d) => d.paragraphs.join('').slice(20, 26)),
    '中国',
    '的',
    '经济 -美国',
    'title:公司',
    '"人民币"',
    'beijing',
    '郑州 OR 北京',
    '学生 老师 学校 教育 考试 大学 孩子',
  ];
}

/** The last fresh build, saved, with its document list: a test comparing two indexes with one list builds it once. */
let lastFresh: { documents: SearchDocument[]; engine: SearchEngine; dir: string } | undefined;

/** Expects the index in `dir` to answer exactly as a fresh build of `documents`, and to hold the same data. */
function expectSameAsFreshBuild(dir: string, documents: SearchDocument[]): void {
  const opened = SearchEngine.open(dir);
  if (lastFresh?.documents !== documents) {
    lastFresh = { documents, engine: SearchEngine.build(documents), dir: tempDir() };
    lastFresh.engine.save(lastFresh.dir);
  }
  const built = lastFresh;
  const fresh = built.engine;
  expect(opened.documentCount).toBe(documents.length);
  for (const query of queries(documents)) expect(answer(opened, query)).toEqual(answer(fresh, query));
  // The vocabulary (typeahead words, pinyin, "did you mean") counts only live documents, as a rebuild does.
  expect(opened.frequentWords(1_000_000)).toEqual(fresh.frequentWords(1_000_000));
  expect(opened.pinyinCompletions('zh', 20)).toEqual(fresh.pinyinCompletions('zh', 20));
  const compacted = (data: IndexData): IndexData => ({ ...data, documents: compactDocuments(data.documents) });
  expect(compacted(mergedIndex(dir))).toEqual(compacted(mergedIndex(built.dir)));
}

describe('updateIndex', () => {
  it('adds, replaces and removes documents: the index answers as a fresh build of the same documents', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 300)).save(dir);
    const edited = { ...news[7], title: '改写后的标题：方特暑期亲子游', paragraphs: ['这篇文章已被改写，内容完全不同。', '鼋鼍蛟龙'] };
    const summary = updateIndex(dir, { add: [...news.slice(300, 400), edited] });
    expect(summary).toMatchObject({ added: 100, replaced: 1, removed: 0, rejected: [], documents: 400, segments: 2, merged: false });
    const removed = updateIndex(dir, { remove: [news[0].id, news[150].id, news[350].id] });
    expect(removed).toMatchObject({ added: 0, replaced: 0, removed: 3, documents: 397, segments: 2 });

    expect(readManifest(dir).manifest.updates).toBe(2);
    // Opened from two segments with deletions: a view over them, not a merge.
    expect(mergedIndex(dir).segmentParts).toBeUndefined();
    expect((SearchEngine.open(dir) as unknown as { searcher: { data: IndexData } }).searcher.data.segmentParts).toHaveLength(2);
    const expected = [...news.slice(1, 300), ...news.slice(300, 400), edited].filter((d) => ![0, 7, 150, 350].some((i) => d === news[i]));
    expectSameAsFreshBuild(dir, expected);
    const engine = SearchEngine.open(dir);
    expect(engine.search('鼋鼍蛟龙').hits.map((hit) => hit.id)).toEqual([news[7].id]);
    // An opened multi-segment index saved elsewhere is one compact segment that answers the same.
    const copy = tempDir();
    engine.save(copy);
    expect(readManifest(copy).manifest.segments).toHaveLength(1);
    expectSameAsFreshBuild(copy, expected);
    expect(engine.getDocument(news[0].id)).toBeUndefined();
    expect(engine.getDocument(news[7].id)?.title).toBe(edited.title);
  });

  it('says how to build an index that does not exist, creating nothing', () => {
    const dir = path.join(tempDir(), 'none');
    expect(() => updateIndex(dir, { add: [news[0]] })).toThrow(`No index found at ${dir}. Build one with: npx jiansuo index --source <files or directories of your archive> --out ${dir}`);
    expect(() => optimizeIndex(dir)).toThrow(IndexError);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses unknown ids and changes nothing', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 20)).save(dir);
    const before = fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8');
    let error: unknown;
    try {
      updateIndex(dir, { remove: [news[3].id, 'no-such-id'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UpdateError);
    expect((error as UpdateError).missingIds).toEqual(['no-such-id']);
    expect((error as Error).message).toBe(`no document with id "no-such-id" in the index at ${dir}; nothing was changed`);
    expect(fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8')).toBe(before);
    expect(SearchEngine.open(dir).documentCount).toBe(20);
  });

  it('keeps the last of several documents with one id, and reports a document too long to index without losing the one it would replace', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 10)).save(dir);
    const first = doc('new-1', '第一版', '第一版的正文');
    const second = doc('new-1', '第二版', '第二版的正文');
    const huge = { ...news[2], paragraphs: ['长'.repeat(1 << 21)] };
    const summary = updateIndex(dir, { add: [first, huge, second] });
    expect(summary).toMatchObject({ added: 1, replaced: 0, documents: 11 });
    expect(summary.rejected).toEqual([{ id: news[2].id, message: expect.stringMatching(/too long to index/) }]);
    const engine = SearchEngine.open(dir);
    expect(engine.getDocument('new-1')?.title).toBe('第二版');
    expect(engine.search('第一版').exact_total).toBe(0);
    expect(engine.getDocument(news[2].id)?.title).toBe(news[2].title);
  });

  it('merges a tier of small segments by the merge policy without loading the other segments, and rewrites a segment mostly deleted', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 60)).save(dir);
    // Two more segments of 60 documents (a tier of three similar segments: within the budget), then single documents.
    for (const from of [60, 120]) expect(updateIndex(dir, { add: news.slice(from, from + 60) })).toMatchObject({ merged: false });
    const large = segmentBytes(dir);
    const largeFiles = segmentFiles(dir, 3);
    // Large segments above half the maximum merge are left alone: only the small ones can merge, among themselves.
    const policy = { maxMergeBytes: 1.5 * Math.min(...large), floorSegmentBytes: 1 };
    // A damaged byte in the first segment: a merge that loaded it would fail its checksum.
    const flip = (): void => {
      const file = path.join(readManifest(dir).generationDir, readManifest(dir).manifest.segments[0].name, 'words.postings');
      const bytes = fs.readFileSync(file);
      bytes[0] ^= 0xff;
      fs.writeFileSync(file, bytes);
    };
    flip();
    const segmentsAfter: number[] = [];
    for (let i = 0; i < 5; i++) {
      const summary = updateIndex(dir, { add: [news[180 + i]] }, policy);
      segmentsAfter.push(summary.segments);
      expect(summary.merged).toBe(i === 4);
    }
    flip();
    // Three small segments fill their tier, a fourth fits the next tier's budget, a fifth is one too many: the five merge into one.
    expect(segmentsAfter).toEqual([4, 5, 6, 7, 4]);
    const shape = (): number[][] => readManifest(dir).manifest.segments.map((s) => [s.documents, s.deleted]);
    expect(shape()).toEqual([[60, 0], [60, 0], [60, 0], [5, 0]]);
    // The three large segments were kept as they were (hard-linked, the same files), not rewritten.
    expect(segmentFiles(dir, 3)).toEqual(largeFiles);
    expectSameAsFreshBuild(dir, news.slice(0, 185));

    // Removing more than half of a segment's documents rewrites that segment alone, without them.
    const removed = news.slice(60, 91).map((d) => d.id);
    expect(updateIndex(dir, { remove: removed }, policy)).toMatchObject({ merged: true, removed: 31, segments: 4 });
    expect(shape()).toEqual([[60, 0], [29, 0], [60, 0], [5, 0]]);
    expectSameAsFreshBuild(dir, [...news.slice(0, 60), ...news.slice(91, 185)]);
  });

  it('optimize merges every segment into one on demand', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 50)).save(dir);
    updateIndex(dir, { add: news.slice(50, 55) });
    updateIndex(dir, { add: news.slice(90, 95), remove: [news[2].id] });
    expect(readManifest(dir).manifest.segments.map((s) => [s.documents, s.deleted])).toEqual([[50, 1], [5, 0], [5, 0]]);
    expect(optimizeIndex(dir)).toMatchObject({ documents: 59, segmentsBefore: 3, deletedBefore: 1 });
    expect(readManifest(dir).manifest.segments.map((s) => [s.documents, s.deleted])).toEqual([[59, 0]]);
    const expected = [...news.slice(0, 2), ...news.slice(3, 55), ...news.slice(90, 95)];
    expectSameAsFreshBuild(dir, expected);
    expect(optimizeIndex(dir)).toMatchObject({ documents: 59, segmentsBefore: 1, deletedBefore: 0 });
    expect(readManifest(dir).manifest.updates).toBe(2);
  });

  it('an optimize that fails midway leaves the index as it was, and the next writer removes what a killed merge left', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 30)).save(dir);
    updateIndex(dir, { add: news.slice(30, 35) });
    const { manifest, generationDir } = readManifest(dir);
    const current = fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8');
    // What a merge killed while it wrote leaves: a staging directory of a process that is gone, with part of a segment.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const left = path.join(dir, `.tmp-build-${dead}-0badf00d`);
    fs.mkdirSync(path.join(left, 'seg-9'), { recursive: true });
    fs.writeFileSync(path.join(left, 'seg-9', 'words.postings'), 'half of a merge');
    // A byte of the last segment's bigram postings flipped: the merge reads it in pieces, after checking it whole.
    const file = path.join(generationDir, manifest.segments[1].name, 'bigrams.postings');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] ^= 1;
    fs.writeFileSync(file, bytes);
    expect(() => optimizeIndex(dir)).toThrow(`${manifest.segments[1].name}/bigrams.postings does not match its checksum`);
    expect(fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8')).toBe(current);
    expect(fs.readdirSync(dir).filter((entry) => entry.startsWith('.tmp'))).toEqual([]);
    bytes[bytes.length >> 1] ^= 1;
    fs.writeFileSync(file, bytes);
    expect(optimizeIndex(dir)).toMatchObject({ documents: 35, segmentsBefore: 2, deletedBefore: 0 });
    expectSameAsFreshBuild(dir, news.slice(0, 35));
  });

  it('removing every document leaves an empty index that opens and finds nothing', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 3)).save(dir);
    expect(updateIndex(dir, { remove: news.slice(0, 3).map((d) => d.id) })).toMatchObject({ documents: 0, segments: 0 });
    const engine = SearchEngine.open(dir);
    expect(engine.documentCount).toBe(0);
    expect(engine.search('中国').total).toBe(0);
    expect(updateIndex(dir, { add: [news[5]] })).toMatchObject({ added: 1, documents: 1, segments: 1 });
    expect(SearchEngine.open(dir).search(news[5].title).hits[0].id).toBe(news[5].id);
  });

  it('refuses to write while another running process holds the lock, and takes over a dead one', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 3)).save(dir);
    const sleeper = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
    const deadPid = Number(sleeper.stdout.toString().trim());
    fs.writeFileSync(path.join(dir, 'LOCK'), `${deadPid}\n`);
    expect(updateIndex(dir, { add: [news[4]] }).documents).toBe(4);
    expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false);

    fs.writeFileSync(path.join(dir, 'LOCK'), `${process.ppid}\n`);
    expect(() => updateIndex(dir, { add: [news[5]] })).toThrow(IndexError);
    expect(() => updateIndex(dir, { add: [news[5]] })).toThrow(`The index at ${dir} is being written by another jiansuo process (pid ${process.ppid}); try again when it has finished.`);
    expect(() => SearchEngine.build([news[5]]).save(dir)).toThrow(/being written by another jiansuo process/);
    expect(SearchEngine.open(dir).documentCount).toBe(4);
  });

  it('refuses to add to an index without a copy of its dictionary (written before indexes kept one) when the dictionary changed since the build', () => {
    const dir = tempDir();
    const dict = path.join(dir, 'user.dict.txt');
    fs.writeFileSync(dict, '方特梦幻 10 n\n');
    const builder = new IndexBuilder(new Analyzer({ userDict: dict }));
    news.slice(0, 3).forEach((document) => builder.add(document));
    saveIndexData(dir, builder.finish(), { analyzer: analyzerSettings(dict), sources: [] });
    fs.writeFileSync(dict, '方特梦幻 10 n\n无主管楼院 10 n\n');
    expect(() => updateIndex(dir, { add: [news[4]] })).toThrow(UpdateError);
    expect(() => updateIndex(dir, { add: [news[4]] })).toThrow(`the user dictionary ${dict} changed since the index at ${dir} was built`);
    expect(updateIndex(dir, { remove: [news[0].id] }).documents).toBe(2);
  });
});
