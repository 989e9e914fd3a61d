import * as fs from 'node:fs';
import fsModule from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchDocument } from '../../src/document';
import { IndexData } from '../../src/index/data';
import { stageSegment } from '../../src/index/generation';
import { SegmentOnDisk, StagedSegment } from '../../src/index/manifest';
import { segmentFiles } from '../../src/index/segmentFiles';
import { mergeSegmentsOnDisk } from '../../src/index/streamingMerge';
import { IndexError } from '../../src/errors';
import { buildData as build, corpusDocuments, doc } from '../helpers';


/** The files of a segment directory, by name. */
function filesIn(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]));
}

/** The files segmentFiles gives for `data`, by name, as filesIn reads them. */
function expectedFiles(data: IndexData): Record<string, string> {
  return Object.fromEntries(Object.entries(segmentFiles(data)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')]));
}

describe('mergeSegmentsOnDisk', () => {
  let tmp: string;
  let news: SearchDocument[];
  let staged: StagedSegment[];
  let live: SearchDocument[];
  let inputs: SegmentOnDisk[];
  const deleted = [Uint32Array.of(0, 3, 77, 149), new Uint32Array(0), Uint32Array.of(5)];
  let liveBuild: { data: IndexData; files: Record<string, string> } | undefined;
  /** The fresh build of the live documents and its files, made once: every merge is compared with these same bytes. */
  const freshLive = (): { data: IndexData; files: Record<string, string> } => {
    if (liveBuild === undefined) {
      const data = build(live);
      liveBuild = { data, files: expectedFiles(data) };
    }
    return liveBuild;
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-streaming-merge-'));
    news = await corpusDocuments('news-dev.jsonl.gz', 300);
    const slices = [news.slice(0, 150), news.slice(150, 260), news.slice(260)];
    staged = slices.map((slice, i) => stageSegment(path.join(tmp, 'in'), `seg-${i}`, build(slice)));
    live = slices.flatMap((slice, i) => slice.filter((_, d) => !deleted[i].includes(d)));
    inputs = staged.map((segment, i) => ({ dir: segment.dir, entry: segment.entry, files: segment.files, deleted: deleted[i] }));
  }, 120_000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each([
    ['unbounded (64 MB at once)', 64 << 20],
    ['a tiny budget (7 bytes at once: every term and block read on its own)', 7],
  ])('with %s writes, byte for byte, the files of a fresh build of the live documents', (_, readBytes) => {
    const out = path.join(tmp, `out-${readBytes}`);
    const merged = mergeSegmentsOnDisk(tmp, inputs, out, 'seg-9', { readBytes });
    const { data: fresh, files } = freshLive();
    expect(filesIn(out)).toEqual(files);
    expect(merged.entry).toEqual({ name: 'seg-9', documents: 300 - 5, deleted: 0, stats: { words: fresh.wordTerms.length, bigrams: fresh.bigramKeys.length, postingsBytes: fresh.words.postings.length + fresh.bigrams.postings.length + fresh.chars.postings.length } });
    expect(Object.keys(merged.files).sort()).toEqual(Object.keys(filesIn(out)));
    for (const [name, info] of Object.entries(merged.files)) expect(info.bytes).toBe(fs.statSync(path.join(out, name)).size);
  });

  it('gives the same files whatever it reads at once', () => {
    const small = mergeSegmentsOnDisk(tmp, inputs, path.join(tmp, 'small'), 'seg-9', { readBytes: 100 });
    const large = mergeSegmentsOnDisk(tmp, inputs, path.join(tmp, 'large'), 'seg-9', { readBytes: 1 << 30 });
    expect(filesIn(small.dir)).toEqual(filesIn(large.dir));
    expect(small.files).toEqual(large.files);
  });

  describe('with a MergeThread (stored documents and table files compressed beside the postings)', () => {
    it.each([
      ['64 MB at once', 64 << 20],
      ['7 bytes at once (a block written per document read)', 7],
    ])('writes, reading %s, the bytes of a fresh build, and lists the files in the order of a merge without it', (_, readBytes) => {
      const withThread = mergeSegmentsOnDisk(tmp, inputs, path.join(tmp, `thread-${readBytes}`), 'seg-9', { readBytes, thread: true });
      const without = mergeSegmentsOnDisk(tmp, inputs, path.join(tmp, `no-thread-${readBytes}`), 'seg-9', { readBytes, thread: false });
      expect(filesIn(withThread.dir)).toEqual(freshLive().files);
      expect(filesIn(withThread.dir)).toEqual(filesIn(without.dir));
      // Same names, sizes and SHA-256, listed in the same order (the manifest lists them so).
      expect(Object.entries(withThread.files)).toEqual(Object.entries(without.files));
      expect(withThread.entry).toEqual(without.entry);
    });

    it('says what failed on the thread, once the postings are merged, and leaves nothing behind', () => {
      const out = path.join(tmp, 'thread-fails');
      fs.mkdirSync(path.join(out, 'documents.blocks'), { recursive: true }); // the thread cannot create its file
      expect(() => mergeSegmentsOnDisk(tmp, inputs, out, 'seg-9', { thread: true })).toThrow(/EISDIR/);
      expect(fs.existsSync(out)).toBe(false);
    });

    it('stops the thread when the merge fails beside it, and leaves nothing behind', () => {
      const out = path.join(tmp, 'main-fails');
      const write = fsModule.writeSync.bind(fsModule) as (...args: unknown[]) => number;
      // Only this thread's writes fail (the postings'): the merge thread's file system calls are its own.
      const spy = jest.spyOn(fsModule, 'writeSync').mockImplementation(((...args: unknown[]) => {
        if (spy.mock.calls.length > 2) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
        return write(...args);
      }) as typeof fs.writeSync);
      try {
        expect(() => mergeSegmentsOnDisk(tmp, inputs, out, 'seg-9', { readBytes: 7, thread: true })).toThrow(/EIO/);
      } finally {
        spy.mockRestore();
      }
      expect(fs.existsSync(out)).toBe(false);
    });
  });

  it('merges to an empty segment when every document is deleted', () => {
    const segment = stageSegment(path.join(tmp, 'in'), 'seg-one', build([doc('x', '标题', '正文')]));
    const out = path.join(tmp, 'empty');
    mergeSegmentsOnDisk(tmp, [{ dir: segment.dir, entry: segment.entry, files: segment.files, deleted: Uint32Array.of(0) }], out, 'seg-9', { readBytes: 3 });
    expect(filesIn(out)).toEqual(expectedFiles(build([])));
  });

  it('refuses a damaged streamed file, naming it, and leaves nothing behind', () => {
    const copy = path.join(tmp, 'damaged');
    fs.cpSync(staged[1].dir, copy, { recursive: true });
    const file = path.join(copy, 'bigrams.postings');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] ^= 1;
    fs.writeFileSync(file, bytes);
    const out = path.join(tmp, 'not-written');
    const damaged = [inputs[0], { ...inputs[1], dir: copy }];
    expect(() => mergeSegmentsOnDisk(tmp, damaged, out, 'seg-9')).toThrow(IndexError);
    expect(() => mergeSegmentsOnDisk(tmp, damaged, out, 'seg-9')).toThrow(/seg-1\/bigrams\.postings does not match its checksum/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
