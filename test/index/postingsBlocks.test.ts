/**
 * Postings lists of every length (short lists as one bit string, blocks of 128 and a shorter
 * last block) decode to what was encoded, in both families, and a long list's block headers give
 * each block's last document and its end, so a reader can skip blocks, also in each segment of
 * a view over several: for the positions of a bigram's documents, and for which documents a
 * words/chars list holds.
 */
import { INLINE_FREQ, PositionalPostings, decodePositional, decodePositionalHolding, encodePositional, entryHead, packPositionalEntries } from '../../src/index/bigramEntry';
import { FieldCounts, countsHead, countsHolding, decodeCounts, encodeCounts, packCountEntries } from '../../src/index/countsEntry';
import { PostingsFamily, SegmentedFamily } from '../../src/index/data';
import { PACKED_MIN_DF, readBlockHeader } from '../../src/index/postingsBlocks';
import { decodeSegmentedCounts, decodeSegmentedPositional, decodeSegmentedPositionalHolding, segmentedCountsHolding } from '../../src/index/segmentedPostings';
import { ByteWriter } from '../../src/index/varint';
import { IndexError } from '../../src/errors';

const LENGTHS = [0, 1, PACKED_MIN_DF - 1, PACKED_MIN_DF, PACKED_MIN_DF + 1, 127, 128, 129, 256, 300];

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

/**
 * The documents' bounds (IndexData.docUnits) every list of positional() is encoded in: each
 * document's last position in positional(300) (whose lists of fewer documents are its
 * prefixes) plus 1 to 97, so that the codes of bounds that are and are not powers of two meet.
 */
const BOUNDS: Uint32Array = (() => {
  const list = positional(300);
  const bounds = Uint32Array.from({ length: list.docs[299] + 1 }, (_, doc) => 1 + (doc % 97));
  list.docs.forEach((doc, i) => (bounds[doc] += list.positions[list.start[i + 1] - 1]));
  return bounds;
})();

/** encodePositional with the documents' bounds BOUNDS (what a family from familyOf is decoded with). */
const encodeInBounds = (out: ByteWriter, list: PositionalPostings): void => encodePositional(out, list, BOUNDS);

/** `n` documents with body counts 0–300 (0 only beside a title count) and a title count in one entry in eight. */
function counts(n: number): FieldCounts {
  const docs = positional(n).docs;
  const title = Uint32Array.from(docs, (_, i) => (i % 8 === 3 ? 1 + (i % 5) : 0));
  return { docs, title, body: Uint32Array.from(docs, (_, i) => ((i * 37) % (i % 9 === 0 ? 301 : 4)) || (title[i] > 0 ? 0 : 1)) };
}

/** One family holding one list per length, encoded with `encode`. */
function familyOf<T>(lists: T[], encode: (out: ByteWriter, list: T) => void, length: (list: T) => number): PostingsFamily & { postings: Uint8Array } {
  const out = new ByteWriter(16);
  const offsets = [0];
  for (const list of lists) {
    encode(out, list);
    offsets.push(out.length);
  }
  return { offsets: Uint32Array.from(offsets), df: Uint32Array.from(lists, length), postings: out.bytes().slice(), docUnits: BOUNDS };
}

const plain = (list: object): Record<string, number[]> => Object.fromEntries(Object.entries(list).map(([key, array]) => [key, Array.from(array as Uint32Array)]));

test('bigram lists of 0 to 300 documents decode to the documents and positions encoded', () => {
  const lists = LENGTHS.map(positional);
  const family = familyOf(lists, encodeInBounds, (list) => list.docs.length);
  lists.forEach((list, term) => expect(plain(decodePositional(family, term))).toEqual(plain(list)));
});

test('words/chars lists of 0 to 300 documents decode to the documents and counts encoded', () => {
  const lists = LENGTHS.map(counts);
  const family = familyOf(lists, encodeCounts, (list) => list.docs.length);
  lists.forEach((list, term) => expect(plain(decodeCounts(family, term))).toEqual(plain(list)));
});

/** The varint entries a builder streams for `list` (prepared.ts). */
function streamed(list: PositionalPostings): Uint8Array {
  const out = new ByteWriter(16);
  for (let i = 0; i < list.docs.length; i++) {
    out.writeVarint(list.docs[i] - (i === 0 ? 0 : list.docs[i - 1] + 1));
    const freq = list.start[i + 1] - list.start[i];
    out.writeVarint(entryHead(list.positions[list.start[i]], freq));
    if (freq > INLINE_FREQ) out.writeVarint(freq - INLINE_FREQ - 1);
    for (let p = list.start[i] + 1; p < list.start[i + 1]; p++) out.writeVarint(list.positions[p] - list.positions[p - 1]);
  }
  return out.bytes().slice();
}

test.each(LENGTHS)("a builder's stream of %i entries packs into the bytes encodePositional writes", (n) => {
  const list = positional(n);
  const fromStream = new ByteWriter(16);
  const entries = streamed(list);
  packPositionalEntries(BOUNDS)(fromStream, entries, 0, entries.length, n);
  const direct = new ByteWriter(16);
  encodePositional(direct, list, BOUNDS);
  expect(Buffer.from(fromStream.bytes()).equals(Buffer.from(direct.bytes()))).toBe(true);
});

test.each(LENGTHS)("a builder's counts stream of %i entries packs into the bytes encodeCounts writes", (n) => {
  const list = counts(n);
  const stream = new ByteWriter(16);
  for (let i = 0; i < n; i++) {
    stream.writeVarint(list.docs[i] - (i === 0 ? 0 : list.docs[i - 1] + 1));
    stream.writeVarint(countsHead(list.title[i], list.body[i]));
    if (list.title[i] > 0) stream.writeVarint(list.title[i]);
  }
  const packed = new ByteWriter(16);
  packCountEntries(packed, stream.bytes(), 0, stream.length, n);
  const direct = new ByteWriter(16);
  encodeCounts(direct, list);
  expect(Buffer.from(packed.bytes()).equals(Buffer.from(direct.bytes()))).toBe(true);
});

test("a list of 300 documents is three blocks whose headers give each block's last document (128th, 256th, 300th) and end", () => {
  const list = positional(300);
  const family = familyOf([list], encodeInBounds, (l) => l.docs.length);
  const header = { lastDoc: -1, end: 0 };
  const lastDocs: number[] = [];
  let pos = 0;
  while (pos < family.postings.length) {
    readBlockHeader(family.postings, pos, family.postings.length, header);
    lastDocs.push(header.lastDoc);
    pos = header.end;
  }
  expect(lastDocs).toEqual([list.docs[127], list.docs[255], list.docs[299]]);
  expect(pos).toBe(family.postings.length);
  expect(() => readBlockHeader(family.postings, 0, 10, header)).toThrow('a postings block runs past the end of its list');
});

/** Each document of `list` with its positions, as [doc, ...positions]. */
const entries = (list: PositionalPostings): number[][] => Array.from(list.docs, (doc, i) => [doc, ...list.positions.subarray(list.start[i], list.start[i + 1])]);

describe('decodePositionalHolding reads only the blocks that may hold the documents wanted', () => {
  const list = positional(300);
  const family = familyOf([list, positional(PACKED_MIN_DF - 1)], encodeInBounds, (l) => l.docs.length);
  const all = entries(list);
  test.each([
    { wanted: 'none', docs: [] as number[], blocks: [] as number[] },
    { wanted: 'the first document', docs: [list.docs[0]], blocks: [0] },
    { wanted: 'the 200th document', docs: [list.docs[199]], blocks: [1] },
    { wanted: 'the last document', docs: [list.docs[299]], blocks: [2] },
    // Not in the list: a header tells a block's last document only, so one after the first block's last may be in the second.
    { wanted: 'a document after the first block\'s last (not in the list) and one past the end', docs: [list.docs[127] + 1, list.docs[299] + 5], blocks: [1] },
    { wanted: 'one document of the first and of the last block', docs: [list.docs[5], list.docs[290]], blocks: [0, 2] },
    { wanted: 'every tenth document', docs: Array.from({ length: 30 }, (_, i) => list.docs[i * 10]), blocks: [0, 1, 2] },
  ])('$wanted: blocks $blocks, each with its positions', ({ docs, blocks }) => {
    const got = decodePositionalHolding(family, 0, Uint32Array.from(docs));
    expect(entries(got)).toEqual(blocks.flatMap((b) => all.slice(b * 128, (b + 1) * 128)));
  });

  test('a short list is decoded whole', () => {
    expect(entries(decodePositionalHolding(family, 1, Uint32Array.of()))).toEqual(entries(decodePositional(family, 1)));
  });
});

describe('decodeSegmentedPositionalHolding reads, in each segment of a view, only the blocks that may hold the documents wanted', () => {
  // Three segments: 300 documents (two deleted), a short list of 15 (one deleted), 300 again
  // with none deleted; a fourth segment does not hold the bigram.
  const lists = [positional(300), positional(PACKED_MIN_DF - 1), positional(300), positional(0)];
  const deleted = [new Set([lists[0].docs[3], lists[0].docs[140]]), new Set([lists[1].docs[0]]), new Set<number>(), new Set<number>()];
  const families = lists.map((list) => familyOf([list], encodeInBounds, (l) => l.docs.length));
  // Each segment's renumbering: its live documents take the next view numbers in order, deleted ones -1.
  let next = 0;
  const docs = lists.map((list, p) => Int32Array.from({ length: list.docs.length === 0 ? 5 : list.docs[list.docs.length - 1] + 1 }, (_, d) => (deleted[p].has(d) ? -1 : next++)));
  const view: SegmentedFamily = { families, keys: Uint32Array.of(7), segmentKeys: lists.map((list) => (list.docs.length > 0 ? Uint32Array.of(7) : Uint32Array.of())), docs };
  const whole = entries(decodeSegmentedPositional(view, 0));
  /** Segment `p`'s entries in its blocks `blocks` as the view numbers them, deleted ones left out. */
  const inBlocks = (p: number, blocks: number[]): number[][] =>
    entries(lists[p])
      .filter((_, i) => blocks.includes(Math.floor(i / 128)))
      .filter(([doc]) => docs[p][doc] >= 0)
      .map(([doc, ...positions]) => [docs[p][doc], ...positions]);
  /** View number of the i-th document of segment `p`'s list. */
  const viewDoc = (p: number, i: number): number => docs[p][lists[p].docs[i]];

  test('the whole list has every live entry of the three segments, renumbered', () => {
    expect(whole.length).toBe(300 - 2 + (PACKED_MIN_DF - 2) + 300);
    expect(whole).toEqual([...inBlocks(0, [0, 1, 2]), ...inBlocks(1, [0]), ...inBlocks(2, [0, 1, 2])]);
  });

  test.each([
    { wanted: 'none', docs: (): number[] => [], expected: (): number[][] => [] },
    { wanted: 'the 200th document of the first segment', docs: (): number[] => [viewDoc(0, 199)], expected: (): number[][] => inBlocks(0, [1]) },
    {
      wanted: 'a document beside a deleted one in the first segment, and the last of the third',
      docs: (): number[] => [viewDoc(0, 4), viewDoc(2, 299)],
      expected: (): number[][] => [...inBlocks(0, [0]), ...inBlocks(2, [2])],
    },
    { wanted: 'one document of the short list (decoded whole)', docs: (): number[] => [viewDoc(1, 7)], expected: (): number[][] => inBlocks(1, [0]) },
    {
      wanted: 'documents of the view the bigram is not in (the empty segment, and between blocks of the third)',
      docs: (): number[] => [viewDoc(2, 127) + 1, docs[3][2]],
      expected: (): number[][] => inBlocks(2, [1]),
    },
    {
      wanted: 'every seventh entry of the whole list',
      docs: (): number[] => whole.filter((_, i) => i % 7 === 0).map(([doc]) => doc),
      expected: (): number[][] => whole,
    },
  ])('$wanted', ({ docs: wanted, expected }) => {
    const got = entries(decodeSegmentedPositionalHolding(view, 0, Uint32Array.from(wanted())));
    expect(got).toEqual(expected());
    // Each wanted document the bigram is in comes with the positions the whole list gives it.
    const asked = new Set(wanted());
    expect(got.filter(([doc]) => asked.has(doc))).toEqual(whole.filter(([doc]) => asked.has(doc)));
  });
});

/** countsHolding of `wanted` in term `term` of `family`, written after two documents already in its output (which it leaves alone). */
function holding(family: PostingsFamily, term: number, wanted: number[]): number[] {
  const out = new Uint32Array(wanted.length + 2).fill(99);
  const end = countsHolding(family, term, Uint32Array.from(wanted), out, 2);
  expect(Array.from(out.subarray(0, 2))).toEqual([99, 99]);
  return Array.from(out.subarray(2, end));
}

describe('countsHolding tells which documents wanted a words/chars list holds', () => {
  // counts(300): documents 0, 5, 9, 12, 14, 15, 20, …; blocks end at 21204 (128th), 42515 (256th), 47549 (300th); the 129th is 21207, the 200th 31699.
  // counts(15), a short list (one string): 0, 5, 9, 12, 14, 15, 20, 24, 27, 29, 1220, 1225, 1229, 1232, 1234.
  const family = familyOf([counts(300), counts(PACKED_MIN_DF - 1)], encodeCounts, (l) => l.docs.length);
  test.each([
    { wanted: 'none', term: 0, docs: [] as number[], held: [] as number[] },
    { wanted: 'the first document (first block)', term: 0, docs: [0], held: [0] },
    { wanted: 'the 200th document (middle block)', term: 0, docs: [31699], held: [31699] },
    { wanted: 'the last document (last block)', term: 0, docs: [47549], held: [47549] },
    { wanted: 'the first block\'s last and the next block\'s first', term: 0, docs: [21204, 21207], held: [21204, 21207] },
    { wanted: 'documents it does not hold: between two of the first block, between blocks, past the end', term: 0, docs: [1, 21205, 47550, 60000], held: [] },
    { wanted: 'held and not, in every block', term: 0, docs: [0, 1, 5, 6, 21204, 21206, 31699, 31700, 47548, 47549], held: [0, 5, 21204, 31699, 47549] },
    { wanted: 'every document of the list', term: 0, docs: Array.from(counts(300).docs), held: Array.from(counts(300).docs) },
    { wanted: 'a short list: held and not', term: 1, docs: [5, 6, 1234, 1235], held: [5, 1234] },
    { wanted: 'a short list: none held', term: 1, docs: [1, 30, 2000], held: [] },
  ])('$wanted', ({ term, docs, held }) => {
    expect(holding(family, term, docs)).toEqual(held);
  });

  test('an empty list holds none', () => {
    const empty = familyOf([counts(0)], encodeCounts, (l) => l.docs.length);
    expect(holding(empty, 0, [0, 5])).toEqual([]);
  });

  test.each([
    { damage: 'a Rice parameter above 24', change: (bytes: Uint8Array, body: number) => (bytes[body] |= 31) },
    { damage: 'doc gaps not ending at the last document of the header', change: (bytes: Uint8Array, body: number) => (bytes[body + 10] ^= 0xff) },
  ])('a first block with $damage is damage (IndexError)', ({ change }) => {
    const damaged = familyOf([counts(300)], encodeCounts, (l) => l.docs.length);
    const body = readBlockHeader(damaged.postings, 0, damaged.postings.length, { lastDoc: -1, end: 0 });
    change(damaged.postings, body);
    expect(() => holding(damaged, 0, [5])).toThrow(IndexError);
    expect(() => holding(damaged, 0, [5])).toThrow('a words or chars postings list names a document past its block, or runs past its end');
    // The second block is not read: a document of it is still found.
    expect(holding(damaged, 0, [31699])).toEqual([31699]);
  });
});

describe('segmentedCountsHolding tells which documents wanted a view\'s list holds, in the view\'s numbers', () => {
  // As for the bigrams above: 300 documents with 12 and 23370 deleted (view 0 … 47547), a short
  // list of 15 with 0 deleted (view 47548 … 48781: local d is 47547 + d), 300 with none deleted
  // (view 48782 + d), and a segment of 5 documents (view 96332 … 96336) that does not hold the term.
  const lists = [counts(300), counts(PACKED_MIN_DF - 1), counts(300), counts(0)];
  const deleted = [new Set([12, 23370]), new Set([0]), new Set<number>(), new Set<number>()];
  const families = lists.map((list) => familyOf([list], encodeCounts, (l) => l.docs.length));
  let next = 0;
  const docs = lists.map((list, p) => Int32Array.from({ length: list.docs.length === 0 ? 5 : list.docs[list.docs.length - 1] + 1 }, (_, d) => (deleted[p].has(d) ? -1 : next++)));
  const view: SegmentedFamily = { families, keys: Uint32Array.of(7), segmentKeys: lists.map((list) => (list.docs.length > 0 ? Uint32Array.of(7) : Uint32Array.of())), docs };
  const whole = Array.from(decodeSegmentedCounts(view, 0).docs);

  test('the view numbers its documents as described', () => {
    expect([docs[0][14], docs[0][23375], docs[0][47549], docs[1][5], docs[2][0], docs[2][47549], docs[3][0]]).toEqual([13, 23373, 47547, 47552, 48782, 96331, 96332]);
    expect(whole.length).toBe(300 - 2 + (PACKED_MIN_DF - 2) + 300);
  });

  test.each([
    { wanted: 'none', docs: [] as number[], held: [] as number[] },
    { wanted: 'the first document (first block of the first segment)', docs: [0], held: [0] },
    { wanted: 'beside the deleted 12: 9 and 14 (view 13) held, view 12 (local 13) not', docs: [9, 12, 13], held: [9, 13] },
    { wanted: 'after the deleted 23370: local 23375 (view 23373); local 23369 (view 23368) not held', docs: [23368, 23373], held: [23373] },
    { wanted: 'the 200th document of the first segment (middle block): local 31699', docs: [31697], held: [31697] },
    { wanted: 'the short list: local 5 held, 6 not', docs: [47552, 47553], held: [47552] },
    { wanted: 'the last document of the third segment (last block)', docs: [96331], held: [96331] },
    { wanted: 'documents of the segment without the term', docs: [96332, 96336], held: [] },
    { wanted: 'one in each segment', docs: [0, 47552, 69989, 96333], held: [0, 47552, 69989] },
    { wanted: 'every seventh document of the whole list', docs: whole.filter((_, i) => i % 7 === 0), held: whole.filter((_, i) => i % 7 === 0) },
  ])('$wanted', ({ docs: wanted, held }) => {
    const got = Array.from(segmentedCountsHolding(view, 0, Uint32Array.from(wanted)));
    expect(got).toEqual(held);
    // What the whole list gives for them.
    expect(got).toEqual(wanted.filter((doc) => whole.includes(doc)));
  });
});
