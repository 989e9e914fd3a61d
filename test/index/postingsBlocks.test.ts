/**
 * Postings lists of every length (short varint lists, packed blocks of 128 and a shorter last
 * block, position-free lists of common bigrams) decode to what was encoded, in both families,
 * and a long list's block headers give each block's last document and its end, so a reader
 * can skip blocks.
 */
import { POSITION_FREE_DF, PositionalPostings, decodePositional, encodePositional, occurrenceCounts, positionalPacker } from '../../src/index/bigramEntry';
import { FieldCounts, decodeCounts, encodeCounts, packCountEntries } from '../../src/index/countsEntry';
import { PostingsFamily } from '../../src/index/data';
import { PACKED_MIN_DF, readBlockHeader } from '../../src/index/postingsBlocks';
import { ByteWriter } from '../../src/index/varint';

const LENGTHS = [0, 1, PACKED_MIN_DF - 1, PACKED_MIN_DF, PACKED_MIN_DF + 1, POSITION_FREE_DF - 1, POSITION_FREE_DF, POSITION_FREE_DF + 1, 256, 300];

/** Title lengths of the documents of the lists below: 0 to 59 units. */
const TITLE_UNITS = Uint32Array.from({ length: 400_000 }, (_, doc) => (doc * 13) % 60);
/** An encoder of bigram lists for the documents of TITLE_UNITS. */
const encodeBigrams = (out: ByteWriter, list: PositionalPostings): void => encodePositional(out, list, TITLE_UNITS);

/** `n` documents with gaps of 1 to ~3,000 and 1 to 40 positions each, some far into a long document. */
function positional(n: number): PositionalPostings {
  const docs: number[] = [];
  const start: number[] = [0];
  const positions: number[] = [];
  let doc = -1;
  for (let i = 0; i < n; i++) {
    doc += 1 + ((i * 7919) % (i % 10 === 0 ? 3000 : 5));
    docs.push(doc);
    const freq = i % 17 === 0 ? 40 : 1 + (i % 4);
    let position = (i * 104729) % (i % 50 === 0 ? 2 ** 21 - 100 : 2000);
    for (let k = 0; k < freq; k++) positions.push((position += k === 0 ? 0 : 1 + ((k * 31) % 700)));
    start.push(positions.length);
  }
  return { docs: Uint32Array.from(docs), start: Uint32Array.from(start), positions: Uint32Array.from(positions) };
}

/** `n` documents with body counts 0–300 and a title count in one entry in eight. */
function counts(n: number): FieldCounts {
  const docs = positional(n).docs;
  return { docs, title: Uint32Array.from(docs, (_, i) => (i % 8 === 3 ? 1 + (i % 5) : 0)), body: Uint32Array.from(docs, (_, i) => (i * 37) % (i % 9 === 0 ? 301 : 4)) };
}

/** One family holding one list per length, encoded with `encode`. */
function familyOf<T>(lists: T[], encode: (out: ByteWriter, list: T) => void, length: (list: T) => number): PostingsFamily {
  const out = new ByteWriter(16);
  const offsets = [0];
  for (const list of lists) {
    encode(out, list);
    offsets.push(out.length);
  }
  return { offsets: Uint32Array.from(offsets), df: Uint32Array.from(lists, length), postings: out.bytes().slice() };
}

type Plain = { [key: string]: number[] | Plain };
const plain = (list: object): Plain => Object.fromEntries(Object.entries(list).map(([key, value]) => [key, value instanceof Uint32Array ? Array.from(value) : plain(value as object)]));

test('bigram lists of 0 to 300 documents decode to the documents and positions encoded, or from POSITION_FREE_DF documents on to their counts by field', () => {
  const lists = LENGTHS.map(positional);
  const family = familyOf(lists, encodeBigrams, (list) => list.docs.length);
  lists.forEach((list, term) => {
    const n = list.docs.length;
    const expected = n < POSITION_FREE_DF ? list : { docs: list.docs, start: new Uint32Array(n + 1), positions: new Uint32Array(0), counts: occurrenceCounts(list, TITLE_UNITS) };
    expect(plain(decodePositional(family, term))).toEqual(plain(expected));
  });
});

test.each([
  // title ends at 10, so the body starts at 11 and its lead is [11, 161)
  { titleUnits: 10, positions: [2, 11, 12, 170, 200], title: 1, body: 4, lead: 2 },
  { titleUnits: 0, positions: [1, 150, 151], title: 0, body: 3, lead: 2 },
  { titleUnits: 30, positions: [0, 5, 29], title: 3, body: 0, lead: 0 },
  { titleUnits: 4, positions: [5, 154, 155], title: 0, body: 3, lead: 2 },
])('counts of a document with title $titleUnits and positions $positions: title $title, body $body, lead $lead', ({ titleUnits, positions, title, body, lead }) => {
  const list = { docs: Uint32Array.of(3), start: Uint32Array.of(0, positions.length), positions: Uint32Array.from(positions) };
  const counted = occurrenceCounts(list, Uint32Array.of(0, 0, 0, titleUnits));
  expect([counted.title[0], counted.body[0], counted.lead[0]]).toEqual([title, body, lead]);
});

test('a document of a position-free list is counted from its stored counts', () => {
  const list = { docs: Uint32Array.of(0, 1), start: Uint32Array.of(0, 1, 1), positions: Uint32Array.of(20), counts: { title: Uint32Array.of(0, 2), body: Uint32Array.of(0, 7), lead: Uint32Array.of(0, 1) } };
  const counted = occurrenceCounts(list, Uint32Array.of(10, 10));
  expect(plain(counted)).toEqual({ title: [0, 2], body: [1, 7], lead: [1, 1] });
});

test('words/chars lists of 0 to 300 documents decode to the documents and counts encoded', () => {
  const lists = LENGTHS.map(counts);
  const family = familyOf(lists, encodeCounts, (list) => list.docs.length);
  lists.forEach((list, term) => expect(plain(decodeCounts(family, term))).toEqual(plain(list)));
});

/** The varint entries a builder streams for `list` (what encodePositional writes for a short list). */
function streamed(list: PositionalPostings): Uint8Array {
  const out = new ByteWriter(16);
  for (let i = 0; i < list.docs.length; i++) {
    const one = { docs: Uint32Array.of(list.docs[i] - (i === 0 ? 0 : list.docs[i - 1] + 1)), start: Uint32Array.of(0, list.start[i + 1] - list.start[i]), positions: list.positions.subarray(list.start[i], list.start[i + 1]) };
    encodeBigrams(out, one);
  }
  return out.bytes().slice();
}

test.each(LENGTHS)("a builder's stream of %i entries packs into the bytes encodePositional writes", (n) => {
  const list = positional(n);
  const fromStream = new ByteWriter(16);
  const entries = streamed(list);
  positionalPacker(TITLE_UNITS)(fromStream, entries, 0, entries.length, n);
  const direct = new ByteWriter(16);
  encodeBigrams(direct, list);
  expect(Buffer.from(fromStream.bytes()).equals(Buffer.from(direct.bytes()))).toBe(true);
});

test('a counts stream of short-list length is stored as it is', () => {
  const list = counts(PACKED_MIN_DF - 1);
  const direct = new ByteWriter(16);
  encodeCounts(direct, list);
  const packed = new ByteWriter(16);
  packCountEntries(packed, direct.bytes(), 0, direct.length, PACKED_MIN_DF - 1);
  expect(Array.from(packed.bytes())).toEqual(Array.from(direct.bytes()));
});

test.each([100, 300])("a list of %i documents is blocks whose headers give each block's last document (128th, 256th, 300th) and end", (n) => {
  const list = positional(n);
  const family = familyOf([list], encodeBigrams, (l) => l.docs.length);
  const header = { lastDoc: -1, end: 0 };
  const lastDocs: number[] = [];
  let pos = 0;
  while (pos < family.postings.length) {
    readBlockHeader(family.postings, pos, family.postings.length, header);
    lastDocs.push(header.lastDoc);
    pos = header.end;
  }
  expect(lastDocs).toEqual([127, 255, 299].filter((i) => i < n).concat(n < 128 ? [n - 1] : []).map((i) => list.docs[i]));
  expect(pos).toBe(family.postings.length);
  expect(() => readBlockHeader(family.postings, 0, 10, header)).toThrow('a postings block runs past the end of its list');
});
