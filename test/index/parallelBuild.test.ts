import { SearchEngine } from '../../src/engine';
import { wholeBytes } from '../../src/index/indexFile';
import { compactDocuments } from '../../src/index/docStore';
import * as path from 'node:path';
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchDocument } from '../../src/document';
import { BuildError } from '../../src/errors';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData, PostingsFamily } from '../../src/index/data';
import { FinishThread } from '../../src/index/finishThread';
import { lexiconOf } from '../../src/index/lexicon';
import { mergeSegments } from '../../src/index/merge';
import { buildIndexData, buildSegments } from '../../src/index/parallelBuild';
import { WorkerPool } from '../../src/index/workerPool';
import { ROOT, CORPUS_DIR, corpusDocuments, demoDocuments, doc } from '../helpers';
import { fieldUnits } from '../../src/document';
import { type DocumentLine, type SourceDocument, documentOf } from '../../src/ingest';
import { jsonlLines } from '../../src/ingest/jsonl';

const USER_DICT = path.join(ROOT, 'index-data', 'dict', 'user.dict.txt');
const WORKERS = path.join(__dirname, '..', 'fixtures', 'workers');

/** The index of `documents` built one document at a time on this thread: the reference. */
function sequential(documents: SearchDocument[], userDict?: string): IndexData {
  const builder = new IndexBuilder(new Analyzer({ userDict }));
  for (const document of documents) builder.add(document);
  return builder.finish();
}

function bytes(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Asserts that every typed array, the terms and the stored documents are byte for byte the same. */
function expectSameIndex(actual: IndexData, expected: IndexData): void {
  expect(actual.documentCount).toBe(expected.documentCount);
  expect(actual.wordTerms).toEqual(expected.wordTerms);
  for (const key of ['titleUnits', 'titleWords', 'bodyWords', 'metaBytes', 'bigramKeys', 'charKeys'] as const) {
    expect({ key, same: bytes(actual[key]).equals(bytes(expected[key])) }).toEqual({ key, same: true });
  }
  for (const key of ['blocks', 'dictionary', 'blockOffsets', 'blockFirstDoc', 'docOffsets'] as const) {
    const of = (documents: IndexData['documents']): Uint8Array | Uint32Array => (key === 'blocks' ? wholeBytes(compactDocuments(documents).blocks) : compactDocuments(documents)[key]);
    expect({ key, same: bytes(of(actual.documents)).equals(bytes(of(expected.documents))) }).toEqual({ key, same: true });
  }
  const partOf = (f: PostingsFamily, part: 'offsets' | 'df' | 'postings'): Uint8Array | Uint32Array => (part === 'postings' ? wholeBytes(f.postings) : f[part]);
  for (const family of ['words', 'bigrams', 'chars'] as const) {
    for (const part of ['offsets', 'df', 'postings'] as const) {
      expect({ family, part, same: bytes(partOf(actual[family], part)).equals(bytes(partOf(expected[family], part))) }).toEqual({ family, part, same: true });
    }
  }
  // A build with worker threads makes its segments' lexicons on a FinishThread: the same as this thread's buildLexicon.
  const [actualLexicon, expectedLexicon] = [lexiconOf(actual), lexiconOf(expected)];
  for (const part of ['readings', 'words', 'initials', 'deleteKeys', 'deleteWords'] as const) {
    expect({ part, same: bytes(actualLexicon[part]).equals(bytes(expectedLexicon[part])) }).toEqual({ part, same: true });
  }
}

let news: SearchDocument[];
beforeAll(async () => {
  news = await corpusDocuments('news-dev.jsonl.gz', 400);
});

let newsReference: IndexData | undefined;
/** The sequential build of `news`, made once: each build of them is compared with these same bytes. */
function sequentialNews(): IndexData {
  newsReference ??= sequential(news);
  return newsReference;
}

describe('buildIndexData', () => {
  it.each([0, 1, 2, 3])('builds the same index as a sequential build with %i worker threads', async (threads) => {
    const { data, rejected } = await buildIndexData(news, { threads });
    expect(rejected).toEqual([]);
    expect(data.documentCount).toBe(400);
    // The one segment of a build with worker threads has its lexicon made on the FinishThread.
    expect(data.lexicon !== undefined).toBe(threads > 0);
    expectSameIndex(data, sequentialNews());
  });

  it.each([0, 2])('with a segment after every batch (each writer renumbering each time), merges into the sequential build with %i worker threads', async (threads) => {
    const segments: IndexData[] = [];
    const { words, bigrams } = await buildSegments(news, { threads, shouldFlush: () => true, onSegment: (data) => segments.push(data) });
    expect(segments.length).toBeGreaterThanOrEqual(4);
    // None has its lexicon made, the last (finished beside a FinishThread with threads) included: SegmentStaging makes those of the segments kept.
    expect(segments.filter((data) => data.lexicon !== undefined)).toEqual([]);
    const reference = sequentialNews();
    expect({ words, bigrams }).toEqual({ words: reference.wordTerms.length, bigrams: reference.bigramKeys.length });
    expectSameIndex(mergeSegments(segments.map((data) => ({ data, deleted: new Uint32Array(0) }))), reference);
  });

  it('segments with the user dictionary in every worker', async () => {
    // The demo page has local names that are words only with the dictionary (无主管楼院).
    const documents = [...news.slice(0, 200), ...demoDocuments()];
    const { data } = await buildIndexData(documents, { threads: 2, userDict: USER_DICT });
    expectSameIndex(data, sequential(documents, USER_DICT));
    expect(data.wordTerms).toContain('无主管楼院');
  });

  it('reports progress for every document, in order', async () => {
    const done: number[] = [];
    await buildIndexData(news.slice(0, 300), { threads: 2, onIndexed: (n) => done.push(n) });
    expect(done).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('rejects a document too long to index, with its id, and indexes its neighbours', async () => {
    // Its words (zzqxj) must not count as seen: the next document is the first to index them.
    const long = doc('too-long', '长', `zzqxj ${'a'.repeat(1 << 21)}`);
    const kept = [...news.slice(0, 150), doc('after', 'zzqxj', 'zzqxj 又出现了'), ...news.slice(150, 300)];
    const documents = [...kept.slice(0, 150), long, ...kept.slice(150)];
    const { data, rejected } = await buildIndexData(documents, { threads: 2 });
    expect(rejected).toEqual([{ id: 'too-long', message: expect.stringContaining('document too-long is too long to index') }]);
    expect(data.documentCount).toBe(301);
    expect(data.wordTerms).toContain('zzqxj');
    expectSameIndex(data, sequential(kept));
  });

  it('fails with a BuildError, never a hang, when a worker throws', async () => {
    const build = buildIndexData(news, { threads: 2, workerScript: path.join(WORKERS, 'throws.js') });
    await expect(build).rejects.toThrow(BuildError);
    await expect(build).rejects.toThrow(/^segmentation worker [12] of 2 failed: injected failure\. Build with --threads 0/);
  });

  it('closes mid-batch without aborting the process: the workers end after their batches, not inside jieba', async () => {
    // Terminating a worker inside a native jieba call aborts the process (SIGABRT, 'Napi::Error'), as the long-query thread's did.
    // Batches of 100 documents: each keeps a worker inside jieba for far longer than the 0-15 ms before the close.
    const batch = news.slice(0, 100);
    for (let round = 0; round < 4; round++) {
      const pool = new WorkerPool({ threads: 2 });
      // Both workers have loaded jieba once each has prepared a batch.
      expect((await Promise.all([pool.prepare(news.slice(0, 1)), pool.prepare(news.slice(0, 1))])).map((prepared) => prepared.documents.length)).toEqual([1, 1]);
      const batches = [0, 1, 2, 3].map(() => pool.prepare(batch).then((prepared) => prepared.documents.length, (error: Error) => error.message));
      await new Promise((resolve) => setTimeout(resolve, 5 * round));
      await pool.close();
      for (const outcome of await Promise.all(batches)) expect([batch.length, 'the worker pool was closed before this batch was prepared']).toContain(outcome);
    }
  });

  it('fails with a BuildError when a worker exits on its own', async () => {
    await expect(buildIndexData(news, { threads: 1, workerScript: path.join(WORKERS, 'exits.js') })).rejects.toThrow(
      'segmentation worker 1 of 1 failed: it exited with code 3.',
    );
  });
});

describe('FinishThread', () => {
  it('rejects with a BuildError what it was asked and had not answered when it is closed', async () => {
    const thread = new FinishThread();
    const lexicon = thread.lexicon(['中国', '人民']).then(
      () => 'answered',
      (error: Error) => `${error.constructor.name}: ${error.message}`,
    );
    await thread.close();
    expect(await lexicon).toBe('BuildError: the finishing thread was closed');
    await expect(thread.lexicon(['中国'])).rejects.toThrow(new BuildError('the finishing thread was closed'));
  });
});

describe('SearchEngine.buildParallel', () => {
  it('answers exactly as SearchEngine.build, and lists the documents it left out', async () => {
    const huge = { ...news[1], id: 'huge', paragraphs: ['长'.repeat(1 << 21)] };
    const rejected: Array<{ id: string; message: string }> = [];
    const parallel = await SearchEngine.buildParallel([...news.slice(0, 120), huge], { threads: 2 }, rejected);
    const sequential = SearchEngine.build(news.slice(0, 120));
    expect(rejected.map((r) => r.id)).toEqual(['huge']);
    for (const q of [news[3].title, '中国', '经济 发展', 'beijing']) {
      expect({ ...parallel.search(q), took_ms: 0 }).toEqual({ ...sequential.search(q), took_ms: 0 });
    }
  });

  describe('from JSON Lines documents handed on as their lines', () => {
    /** The first `count` lines of the news-dev corpus as a build's second reading hands them on (streamSources). */
    async function newsLines(count: number): Promise<DocumentLine[]> {
      const file = path.join(CORPUS_DIR, 'news-dev.jsonl.gz');
      const lines: DocumentLine[] = [];
      for await (const chunk of jsonlLines(file)) {
        for (const bytes of chunk) {
          const line = { file, line: lines.length + 1, bytes: Buffer.from(bytes), units: 0 };
          lines.push({ ...line, units: fieldUnits(documentOf(line)) });
          if (lines.length === count) return lines;
        }
      }
      return lines;
    }

    it.each([0, 2])('builds the same index as from the documents with %i worker threads, documents given as such among them', async (threads) => {
      const lines = await newsLines(400);
      expect(lines.map(documentOf)).toEqual(news);
      const demo = demoDocuments();
      const mixed: SourceDocument[] = [...lines.slice(0, 130), ...demo, ...lines.slice(130)];
      const { data, rejected } = await buildIndexData(mixed, { threads });
      expect(rejected).toEqual([]);
      expectSameIndex(data, sequential([...news.slice(0, 130), ...demo, ...news.slice(130)]));
    });

    it('rejects a line whose document is too long to index, with its id', async () => {
      const lines = await newsLines(200);
      const bytes = Buffer.from(JSON.stringify({ id: 'too-long-line', title: '长', body: `zzqxj ${'a'.repeat(1 << 21)}` }));
      const long = { file: 'long.jsonl', line: 1, bytes, units: 0 };
      const { data, rejected } = await buildIndexData([...lines.slice(0, 150), { ...long, units: fieldUnits(documentOf(long)) }, ...lines.slice(150)], { threads: 2 });
      expect(rejected).toEqual([{ id: 'too-long-line', message: expect.stringContaining('document too-long-line is too long to index') }]);
      expectSameIndex(data, sequential(news.slice(0, 200)));
    });

    it('fails with a BuildError naming the line when a line no longer holds its document', async () => {
      const lines = await newsLines(10);
      const changed = { file: 'changed.jsonl', line: 7, bytes: Buffer.from('{"id":"c"}'), units: 1 };
      await expect(buildIndexData([...lines, changed], { threads: 1 })).rejects.toThrow(
        /^segmentation worker 1 of 1 failed: changed\.jsonl:7 no longer holds the document first read from it \("body" is missing/,
      );
    });
  });
});

