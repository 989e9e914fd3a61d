import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { IndexError } from '../../src/errors';
import { adoptIndexFiles, indexFileHandles } from '../../src/index/adoptFiles';
import { IndexFile, isIndexFileHandle } from '../../src/index/indexFile';
import { StoredDocuments, DocStoreReader, isJoined } from '../../src/index/docStore';
import { LoadedSegment, readSegments, readSegmentsAsync } from '../../src/index/generation';
import { findKey, bigramKey } from '../../src/index/data';
import { doc } from '../helpers';

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** 300 documents of about 1 KB: a dozen or more blocks of documents.blocks. */
const documents = Array.from({ length: 300 }, (_, i) => doc(`d${i}`, `第${i}篇 标题`, `正文${i}：${'城市治理与社区服务，'.repeat(40 + (i % 7))}结束${i}`));

/** An index of `documents` saved in a new directory, and its segment's documents.blocks. */
function savedIndex(): { dir: string; blocksFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-blockfile-'));
  made.push(dir);
  SearchEngine.build(documents).save(dir);
  const generation = fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim();
  return { dir, blocksFile: path.join(dir, generation, 'seg-0', 'documents.blocks') };
}

function storeOf(segment: LoadedSegment): StoredDocuments {
  const { documents } = segment.data;
  if (isJoined(documents)) throw new Error('a segment holds one store');
  return documents;
}

describe('documents.blocks read from the file on demand', () => {
  test('every document read on demand equals the one read from the file held in memory', async () => {
    const { dir, blocksFile } = savedIndex();
    const [held] = readSegments(dir).segments;
    const [onDemand] = (await readSegmentsAsync(dir, () => undefined)).segments;
    expect(storeOf(held).blocks).toBeInstanceOf(Uint8Array);
    const file = storeOf(onDemand).blocks;
    expect(file).toBeInstanceOf(IndexFile);
    expect(file.length).toBe(fs.statSync(blocksFile).size);
    expect(storeOf(onDemand).blockOffsets.length).toBeGreaterThan(10);
    // A small cache: most reads go to the file.
    const a = new DocStoreReader(held.data.documents, 4096);
    const b = new DocStoreReader(onDemand.data.documents, 4096);
    for (let n = 0; n < documents.length; n++) expect(b.text(n)).toBe(a.text(n));
    expect(JSON.parse(b.text(299))).toMatchObject({ id: 'd299', title: '第299篇 标题' });
    // Not held: nothing is kept of the files read on demand, postings included (the tables read whole are decompressed, not kept); readSegments keeps those four.
    expect([...onDemand.files.keys()]).toEqual([]);
    expect([...held.files.keys()].sort()).toEqual(['seg-0/bigrams.postings', 'seg-0/chars.postings', 'seg-0/documents.blocks', 'seg-0/words.postings']);
  });

  test('an engine opened with openAsync answers with the same snippets and documents as one opened with open', async () => {
    const { dir } = savedIndex();
    const held = SearchEngine.open(dir);
    const onDemand = await SearchEngine.openAsync(dir);
    for (const query of ['社区服务', '第17篇', '结束299']) {
      expect({ ...onDemand.search(query, { limit: 5 }), took_ms: 0 }).toEqual({ ...held.search(query, { limit: 5 }), took_ms: 0 });
    }
    expect(onDemand.documentView('d123')).toEqual(held.documentView('d123'));
  });

  test('a file truncated after opening is an IndexError naming documents.blocks when a document past its end is read; those before it still read', async () => {
    const { dir, blocksFile } = savedIndex();
    const [segment] = (await readSegmentsAsync(dir, () => undefined)).segments;
    const store = storeOf(segment);
    fs.truncateSync(blocksFile, store.blockOffsets[2]);
    const reader = new DocStoreReader(segment.data.documents, 0);
    const last = documents.length - 1;
    expect(() => reader.text(last)).toThrow(IndexError);
    expect(() => reader.text(last)).toThrow(`The index is damaged: documents.blocks is ${store.blockOffsets[2]} bytes, shorter than the ${store.blockOffsets[store.blockOffsets.length - 1]} it had when the index was opened`);
    expect(JSON.parse(reader.text(0))).toMatchObject({ id: 'd0' });
  });

  test('a block damaged after opening is an IndexError naming it; other blocks still read', async () => {
    const { dir, blocksFile } = savedIndex();
    const [segment] = (await readSegmentsAsync(dir, () => undefined)).segments;
    const store = storeOf(segment);
    const fd = fs.openSync(blocksFile, 'r+');
    fs.writeSync(fd, Uint8Array.of(0x07), 0, 1, store.blockOffsets[1]); // deflate block type 11: reserved, never valid
    fs.closeSync(fd);
    const reader = new DocStoreReader(segment.data.documents, 0);
    expect(() => reader.text(store.blockFirstDoc[1])).toThrow(/^The stored documents are damaged: block 1 of documents\.blocks does not inflate/);
    expect(JSON.parse(reader.text(0))).toMatchObject({ id: 'd0' });
  });

  test('a file damaged or truncated before opening is refused, naming it, as when it is read whole', async () => {
    const { dir, blocksFile } = savedIndex();
    const bytes = fs.readFileSync(blocksFile);
    bytes[100] ^= 1;
    fs.writeFileSync(blocksFile, bytes);
    await expect(readSegmentsAsync(dir, () => undefined)).rejects.toThrow(/is damaged: seg-0\/documents\.blocks does not match its checksum/);
    fs.truncateSync(blocksFile, 100);
    await expect(readSegmentsAsync(dir, () => undefined)).rejects.toThrow(IndexError);
    fs.rmSync(blocksFile);
    await expect(readSegmentsAsync(dir, () => undefined)).rejects.toThrow(/is damaged: seg-0\/documents\.blocks is missing/);
  });

  test('a file removed after opening (a later write removed its generation) still reads', async () => {
    const { dir, blocksFile } = savedIndex();
    const [segment] = (await readSegmentsAsync(dir, () => undefined)).segments;
    fs.rmSync(blocksFile);
    expect(JSON.parse(new DocStoreReader(segment.data.documents, 0).text(250))).toMatchObject({ id: 'd250' });
  });

  test('another thread adopts a posted IndexFile: one more reference to the same descriptor, and the same documents', async () => {
    const { dir } = savedIndex();
    const [segment] = (await readSegmentsAsync(dir, () => undefined)).segments;
    const file = storeOf(segment).blocks as IndexFile;
    // What structured cloning leaves of it: its fields, without the class.
    const posted = structuredClone(segment.data);
    const handle = (posted.documents as StoredDocuments).blocks;
    expect(isIndexFileHandle(handle)).toBe(true);
    expect(handle).not.toBeInstanceOf(IndexFile);
    adoptIndexFiles(posted);
    const adopted = (posted.documents as StoredDocuments).blocks;
    expect(adopted).toBeInstanceOf(IndexFile);
    expect({ fd: (adopted as IndexFile).fd, refs: Atomics.load(file.refs, 0) }).toEqual({ fd: file.fd, refs: 2 });
    expect(new DocStoreReader(posted.documents, 0).text(42)).toBe(new DocStoreReader(segment.data.documents, 0).text(42));
    // Let go of (a long-query thread dropping its index): the reference goes, the other thread's file still reads.
    (adopted as IndexFile).close();
    (adopted as IndexFile).close();
    expect(Atomics.load(file.refs, 0)).toBe(1);
    expect(() => new DocStoreReader(posted.documents, 0).text(43)).toThrow('The index file documents.blocks was closed: this index was let go of; open it again.');
    expect(JSON.parse(new DocStoreReader(segment.data.documents, 0).text(43))).toMatchObject({ id: 'd43' });
  });

  test('an engine opened from another engine’s shared index answers alike, and closing it leaves the other one answering', async () => {
    const { dir } = savedIndex();
    const served = await SearchEngine.openAsync(dir);
    const shared = structuredClone(served.sharedIndex()!);
    const thread = SearchEngine.openShared(shared);
    expect(thread.documentView('d7')).toEqual(served.documentView('d7'));
    expect({ ...thread.search('结束7', { limit: 3 }), took_ms: 0 }).toEqual({ ...served.search('结束7', { limit: 3 }), took_ms: 0 });
    const file = (shared.data.documents as StoredDocuments).blocks as IndexFile;
    expect(Atomics.load(file.refs, 0)).toBe(2);
    thread.close();
    expect(Atomics.load(file.refs, 0)).toBe(1);
    expect(served.documentView('d8')?.document).toMatchObject({ id: 'd8', title: '第8篇 标题' });
  });

  test('adopting an IndexFile whose descriptor every thread let go of is an IndexError, not a read of whatever file took its number', () => {
    const refs = new Int32Array(new SharedArrayBuffer(4));
    expect(() => IndexFile.adopt({ fd: 0, length: 10, refs, name: 'documents.blocks' })).toThrow(IndexError);
    expect(() => IndexFile.adopt({ fd: 0, length: 10, refs, name: 'documents.blocks' })).toThrow('The index file documents.blocks was closed before this thread opened it; open the index again.');
  });
});

describe('postings read from their files on demand (an index opened as a server opens it)', () => {
  /** The segment directory of the index in `dir`. */
  const segmentDir = (dir: string): string => path.join(dir, fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim(), 'seg-0');
  const answer = (engine: SearchEngine, query: string): unknown => ({ ...engine.search(query, { limit: 5 }), took_ms: 0 });

  test('each family reads its lists from its postings file, of the size the manifest checked; open (commands) still holds them', async () => {
    const { dir } = savedIndex();
    const [onDemand] = (await readSegmentsAsync(dir, () => undefined)).segments;
    const [held] = readSegments(dir).segments;
    for (const family of ['words', 'bigrams', 'chars'] as const) {
      const file = onDemand.data[family].postings;
      expect(file).toBeInstanceOf(IndexFile);
      expect({ name: (file as IndexFile).name, length: file.length }).toEqual({ name: `${family}.postings`, length: fs.statSync(path.join(segmentDir(dir), `${family}.postings`)).size });
      expect(held.data[family].postings).toBeInstanceOf(Uint8Array);
    }
  });

  test('postings files replaced under an open engine (removed, others written in their place) leave its answers as they were: it reads the files it opened and checked', async () => {
    const { dir } = savedIndex();
    const engine = await SearchEngine.openAsync(dir);
    const queries = ['社区服务', '结束299', '治理', '城', '第17篇'];
    const before = queries.map((query) => answer(SearchEngine.open(dir), query));
    for (const family of ['words', 'bigrams', 'chars']) {
      const file = path.join(segmentDir(dir), `${family}.postings`);
      const size = fs.statSync(file).size;
      fs.rmSync(file);
      fs.writeFileSync(file, Buffer.alloc(size, 0xff));
    }
    expect(queries.map((query) => answer(engine, query))).toEqual(before);
    // A new opening checks the files it finds: the replacements are refused.
    await expect(SearchEngine.openAsync(dir)).rejects.toThrow(/is damaged: seg-0\/words\.postings does not match its checksum/);
  });

  test('a postings file truncated in place under an open engine is an IndexError naming it when a list past the cut is read', async () => {
    const { dir } = savedIndex();
    const engine = await SearchEngine.openAsync(dir);
    const [segment] = (await readSegmentsAsync(dir, () => undefined)).segments;
    const { bigrams, bigramKeys } = segment.data;
    const term = findKey(bigramKeys, bigramKey('结'.charCodeAt(0), '束'.charCodeAt(0)));
    const cut = bigrams.offsets[term];
    fs.truncateSync(path.join(segmentDir(dir), 'bigrams.postings'), cut);
    expect(() => engine.search('结束', { limit: 5 })).toThrow(IndexError);
    expect(() => engine.search('结束', { limit: 5 })).toThrow(`The index is damaged: bigrams.postings is ${cut} bytes, shorter than the ${bigrams.postings.length} it had when the index was opened`);
  });

  test('a postings file damaged before opening is refused, naming it, as when it is read whole', async () => {
    const { dir } = savedIndex();
    const file = path.join(segmentDir(dir), 'bigrams.postings');
    const bytes = fs.readFileSync(file);
    bytes[10] ^= 1;
    fs.writeFileSync(file, bytes);
    await expect(SearchEngine.openAsync(dir)).rejects.toThrow(/is damaged: seg-0\/bigrams\.postings does not match its checksum/);
    expect(() => SearchEngine.open(dir)).toThrow(/is damaged: seg-0\/bigrams\.postings does not match its checksum/);
  });

  test('another thread’s engine takes a reference to each postings file and lets go of it when closed; the server’s own keeps reading them', async () => {
    const { dir } = savedIndex();
    const served = await SearchEngine.openAsync(dir);
    const handles = indexFileHandles(served.sharedIndex()!.data);
    expect(handles.map((handle) => handle.name).sort()).toEqual(['bigrams.postings', 'chars.postings', 'documents.blocks', 'words.postings']);
    const references = (): number[] => handles.map((handle) => Atomics.load(handle.refs, 0));
    expect(references()).toEqual([1, 1, 1, 1]);
    const thread = SearchEngine.openShared(structuredClone(served.sharedIndex()!));
    expect(references()).toEqual([2, 2, 2, 2]);
    expect(answer(thread, '社区服务')).toEqual(answer(served, '社区服务'));
    thread.close();
    expect(references()).toEqual([1, 1, 1, 1]);
    expect(() => thread.search('治理', { limit: 5 })).toThrow(/^The index file (words|bigrams)\.postings was closed: this index was let go of; open it again\.$/);
    expect(answer(served, '治理')).toEqual(answer(SearchEngine.open(dir), '治理'));
  });
});
