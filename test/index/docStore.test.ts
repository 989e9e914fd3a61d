/**
 * Stored documents compressed in blocks: every document reads back byte for byte, whatever
 * its size and wherever the block boundaries fall; a block that does not inflate is reported
 * naming the file; real news documents survive save and open unchanged.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { IndexError } from '../../src/errors';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { BLOCK_BYTES, BlockInflater, DocStoreReader, DocStoreWriter, StoredDocuments, storedDocumentsProblem } from '../../src/index/docStore';
import { corpusDocuments, seeded } from '../helpers';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function store(texts: string[], blockBytes = BLOCK_BYTES): StoredDocuments<Uint8Array> {
  const writer = new DocStoreWriter(blockBytes);
  for (const text of texts) writer.add(encoder.encode(text));
  return writer.finish();
}

/** Texts of many sizes: empty, short, about a block, 1 MB, and emoji/non-BMP characters (4 UTF-8 bytes) at every offset mod 4. */
function sampleTexts(): string[] {
  const rand = seeded(5);
  const pieces = ['新闻', 'abc', '😀', '𠮷野家', '\u0000', '"\\', '中文全文检索'];
  const texts: string[] = ['', '', '{}'];
  for (let i = 0; i < 400; i++) {
    const length = i % 50 === 0 ? 3000 + Math.floor(rand() * 9000) : Math.floor(rand() * 400);
    let text = '';
    while (text.length < length) text += pieces[Math.floor(rand() * pieces.length)];
    texts.push(text);
    if (i % 97 === 0) texts.push('');
  }
  texts.splice(200, 0, '😀'.repeat(262144)); // 1 MB of emoji, in the middle
  texts.push('𠮷'.repeat(BLOCK_BYTES / 4), '');
  return texts;
}

describe('DocStoreWriter and DocStoreReader', () => {
  const texts = sampleTexts();
  const stored = store(texts);

  test.each([1, 1000, BLOCK_BYTES])('with blocks of %d bytes, every document reads back unchanged, in any order, with a small cache', (blockBytes) => {
    const small = store(texts, blockBytes);
    expect(storedDocumentsProblem(small, texts.length)).toBeUndefined();
    // One-byte blocks: each non-empty document ends its block (an empty one joins the next).
    expect(small.blockOffsets.length - 1).toBeGreaterThanOrEqual(blockBytes === 1 ? texts.filter((t) => t !== '').length : 30);
    expect(small.dictionary.length).toBeGreaterThan(10000);
    const reader = new DocStoreReader(small, 64 * 1024);
    expect(reader.documentCount).toBe(texts.length);
    const order = texts.map((_, i) => i);
    const rand = seeded(11);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const n of [...order, ...order.slice(0, 50)]) expect(decoder.decode(reader.get(n))).toBe(texts[n]);
    // The same text as a string, without the UTF-8 round trip.
    for (const n of order.slice(0, 200)) expect(reader.text(n)).toBe(texts[n]);
  });

  test('blocks hold whole documents, about BLOCK_BYTES of UTF-16 each, and a huge document gets a block of its own', () => {
    const huge = texts.findIndex((t) => t.length === 2 * 262144);
    const block = stored.blockFirstDoc.indexOf(huge);
    expect(block).toBeGreaterThan(0);
    expect(stored.blockFirstDoc[block + 1]).toBe(huge + 1);
    for (let b = 0; b + 1 < stored.blockFirstDoc.length; b++) {
      const first = stored.blockFirstDoc[b];
      const last = stored.blockFirstDoc[b + 1] - 1;
      const bytes = texts.slice(first, last + 1).reduce((sum, t) => sum + 2 * t.length, 0);
      if (last > first) expect(bytes - 2 * texts[last].length).toBeLessThan(BLOCK_BYTES);
    }
  });

  test('documents joined from two stores read as the stores hold them, as bytes and as strings', () => {
    const halves = [store(texts.slice(0, 100)), store(texts.slice(100, 150))];
    // Joined document n: the n-th of the second store, then of the first, alternately.
    const part = Uint16Array.from({ length: 100 }, (_, n) => n % 2);
    const local = Uint32Array.from({ length: 100 }, (_, n) => Math.floor(n / 2));
    const reader = new DocStoreReader({ parts: halves, part, local });
    const expected = Array.from({ length: 100 }, (_, n) => (n % 2 === 0 ? texts[local[n]] : texts[100 + local[n]]));
    expect(Array.from({ length: 100 }, (_, n) => reader.text(n))).toEqual(expected);
    expect(Array.from({ length: 100 }, (_, n) => decoder.decode(reader.get(n)))).toEqual(expected);
  });

  test('a store of one empty document reads it back', () => {
    const one = store(['']);
    expect(one.dictionary.length).toBe(0);
    expect(decoder.decode(new DocStoreReader(one).get(0))).toBe('');
    expect(new DocStoreReader(one).text(0)).toBe('');
  });

  test('an empty store has no blocks', () => {
    const empty = store([]);
    expect(empty).toEqual({ blocks: new Uint8Array(0), dictionary: new Uint8Array(0), blockOffsets: Uint32Array.of(0), blockFirstDoc: Uint32Array.of(0), docOffsets: new Uint32Array(0) });
    expect(storedDocumentsProblem(empty, 0)).toBeUndefined();
    expect(() => new DocStoreReader(empty).get(0)).toThrow(RangeError);
  });

  test('a block that does not inflate is an IndexError naming documents.blocks; other blocks still read', () => {
    const blocks = stored.blocks.slice();
    blocks[stored.blockOffsets[1]] = 0x07; // deflate block type 11: reserved, never valid
    const reader = new DocStoreReader({ ...stored, blocks });
    const inSecond = stored.blockFirstDoc[1];
    expect(() => reader.get(inSecond)).toThrow(IndexError);
    expect(() => reader.get(inSecond)).toThrow(/block 1 of documents\.blocks does not inflate/);
    expect(() => reader.text(inSecond)).toThrow(IndexError);
    expect(decoder.decode(reader.get(0))).toBe(texts[0]);
  });

  test('tables that disagree are reported', () => {
    expect(storedDocumentsProblem(stored, texts.length + 1)).toBe('document tables disagree in size');
    const firstDoc = stored.blockFirstDoc.slice();
    firstDoc[2] = firstDoc[1];
    expect(storedDocumentsProblem({ ...stored, blockFirstDoc: firstDoc }, texts.length)).toBe('document block 1 is out of order');
    expect(storedDocumentsProblem({ ...stored, blocks: stored.blocks.subarray(1) }, texts.length)).toBe('document tables disagree with the documents');
  });
});

describe('BlockInflater', () => {
  const rand = seeded(23);
  const dictionary = Buffer.from('中文全文检索的新闻联播央视网'.repeat(1200), 'utf16le').subarray(0, 32 * 1024);
  /** Blocks that refer back into the preset dictionary, of 0 to 40 KB. */
  const plain = Array.from({ length: 60 }, (_, i) => {
    const words = ['新闻联播', '央视网', 'abc', '中文全文检索', '😀', '\u0000'];
    let text = '';
    while (text.length < (i * 331) % 20000) text += words[Math.floor(rand() * words.length)];
    return Buffer.from(text, 'utf16le');
  });
  const deflated = plain.map((bytes) => deflateRawSync(bytes, { dictionary }));

  test('one inflater gives, block after block, the bytes inflateRawSync gives with the preset dictionary', () => {
    const inflater = new BlockInflater({ dictionary });
    for (let round = 0; round < 2; round++) {
      deflated.forEach((block, i) => {
        const out = new Uint8Array(64 * 1024);
        const length = inflater.inflate(block, out);
        expect(Buffer.from(out.subarray(0, length)).equals(inflateRawSync(block, { dictionary }))).toBe(true);
        expect(Buffer.from(out.subarray(0, length)).equals(plain[i])).toBe(true);
      });
    }
  });

  test('a block larger than its room fills the room, and reads whole into a larger one', () => {
    const inflater = new BlockInflater({ dictionary });
    const big = plain.findIndex((bytes) => bytes.length > 20000);
    const small = new Uint8Array(1000);
    expect(inflater.inflate(deflated[big], small)).toBe(small.length);
    expect(Buffer.from(small).equals(plain[big].subarray(0, small.length))).toBe(true);
    const out = new Uint8Array(plain[big].length + 1);
    expect(Buffer.from(out.subarray(0, inflater.inflate(deflated[big], out))).equals(plain[big])).toBe(true);
  });

  test('a damaged or cut block throws as inflateRawSync does, and the inflater still serves the next block', () => {
    const inflater = new BlockInflater({ dictionary });
    const block = deflated[30];
    const cut = block.subarray(0, block.length >> 1);
    expect(() => inflateRawSync(cut, { dictionary })).toThrow(/unexpected end of file/);
    expect(() => inflater.inflate(cut, new Uint8Array(64 * 1024))).toThrow(/unexpected end of file/);
    const out = new Uint8Array(64 * 1024);
    expect(Buffer.from(out.subarray(0, inflater.inflate(block, out))).equals(plain[30])).toBe(true);
    const reserved = Buffer.from(block);
    reserved[0] = 0x07; // deflate block type 11
    expect(() => inflater.inflate(reserved, out)).toThrow(/invalid block type/);
    expect(Buffer.from(out.subarray(0, inflater.inflate(deflated[31], out))).equals(plain[31])).toBe(true);
  });

  test('without a preset dictionary too', () => {
    const inflater = new BlockInflater({});
    const out = new Uint8Array(64 * 1024);
    for (const bytes of plain.slice(0, 10)) expect(Buffer.from(out.subarray(0, inflater.inflate(deflateRawSync(bytes), out)))).toEqual(bytes);
  });
});

test('news-dev documents read back equal after save and open', async () => {
  const docs = await corpusDocuments('news-dev.jsonl.gz', 300);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-docstore-'));
  try {
    const built = SearchEngine.build(docs);
    built.save(dir);
    const opened = SearchEngine.open(dir);
    expect(opened.documentCount).toBe(docs.length);
    for (let n = docs.length - 1; n >= 0; n--) expect(opened.document(n)).toEqual(docs[n]);
    expect(opened.getDocument(docs[123].id)).toEqual(docs[123]);
    const generation = path.join(dir, fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim());
    const blocks = fs.statSync(path.join(generation, 'seg-0', 'documents.blocks')).size;
    const json = docs.reduce((sum, d) => sum + Buffer.byteLength(JSON.stringify(d)), 0);
    expect(blocks).toBeLessThan(json * 0.6);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
