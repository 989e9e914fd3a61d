/** A words/chars entry's head carries the body count and whether a title count follows; the decoder gives both back; stored lists (bit strings) round-trip at their edges. */
import { Analyzer } from '../../src/analysis/analyzer';
import { FieldCounts, countsHead, countsIn, decodeCountEntries, decodeCounts, decodeCountsInto, encodeCounts } from '../../src/index/countsEntry';
import { PACKED_RUN } from '../../src/index/postingsBlocks';
import { PostingsFamily } from '../../src/index/data';
import { wholeBytes } from '../../src/index/indexFile';
import { PACKED_MIN_DF } from '../../src/index/postingsBlocks';
import { freshArray } from '../../src/index/spareArrays';
import { IndexError } from '../../src/errors';
import { IndexBuilder } from '../../src/index/builder';
import { ByteWriter } from '../../src/index/varint';
import { PostingsReader } from '../../src/index/postings';
import { doc } from '../helpers';

test('varint entries written with countsHead (a builder\'s stream, a short list) decode to the same counts, with or without a title count, small or large', () => {
  const entries: Array<[number, number]> = [];
  for (const body of [0, 1, 63, 64, 2 ** 21 - 1]) for (const title of [0, 1, 5]) entries.push([title, body]);
  const writer = new ByteWriter();
  for (const [title, body] of entries) {
    writer.writeVarint(0); // doc gap − 1: documents 0, 1, 2, …
    writer.writeVarint(countsHead(title, body));
    if (title > 0) writer.writeVarint(title);
  }
  const postings = writer.bytes();
  const decoded = decodeCountEntries(postings, 0, postings.length, entries.length);
  expect(Array.from(decoded.docs)).toEqual(entries.map((_, i) => i));
  expect(entries.map((_, i) => [decoded.title[i], decoded.body[i]])).toEqual(entries);
});

test('character counts per field decode unchanged, title or not, small or large', () => {
  const builder = new IndexBuilder(new Analyzer());
  const fields: Array<[string, string]> = [['甲', '乙'], ['乙', '甲'], ['甲甲甲', '甲'.repeat(70)], ['丙', '甲'.repeat(200)], ['甲', '丙']];
  fields.forEach(([title, body], i) => builder.add(doc(`d${i}`, title, body)));
  const counts = new PostingsReader(builder.finish()).char('甲'.charCodeAt(0));
  expect({ docs: Array.from(counts.docs), title: Array.from(counts.title), body: Array.from(counts.body) }).toEqual({
    docs: [0, 1, 2, 3, 4],
    title: [1, 0, 3, 0, 1],
    body: [0, 1, 70, 200, 0],
  });
});

describe('stored words/chars lists (bit strings) decode to what was encoded', () => {
  /** A list from [doc, title, body] entries. */
  const list = (entries: Array<[number, number, number]>): FieldCounts => ({
    docs: Uint32Array.from(entries, (e) => e[0]),
    title: Uint32Array.from(entries, (e) => e[1]),
    body: Uint32Array.from(entries, (e) => e[2]),
  });
  /** `n` entries from a seeded generator: gaps up to `maxGap`, body counts up to `maxBody` (0 only beside a title count), a title count in about one in `titleEvery`. */
  function random(n: number, maxGap: number, maxBody: number, titleEvery: number, seed: number): FieldCounts {
    let state = seed;
    const next = (bound: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return Math.floor((state / 2 ** 32) * bound);
    };
    const entries: Array<[number, number, number]> = [];
    let doc = -1;
    for (let i = 0; i < n; i++) {
      doc += 1 + next(maxGap);
      const title = next(titleEvery) === 0 ? 1 + next(4) : 0;
      entries.push([doc, title, next(maxBody + 1) || (title > 0 ? 0 : 1)]);
    }
    return list(entries);
  }
  const run = (entries: number, fn: (i: number) => [number, number, number]): FieldCounts => list(Array.from({ length: entries }, (_, i) => fn(i)));

  const cases: Array<[string, FieldCounts]> = [
    ['df 1, document 0, body 1', list([[0, 0, 1]])],
    ['df 1, the last document number a Uint32Array holds', list([[2 ** 32 - 1, 0, 1]])],
    ['df 1, title count only (body 0)', list([[5, 3, 0]])],
    ['df 2, a huge gap after a small one', list([[0, 0, 2], [2 ** 31 + 7, 0, 1]])],
    ['df 15 (one string), consecutive documents', run(PACKED_MIN_DF - 1, (i) => [i, 0, 1])],
    ['df 16 (one block), every entry titled, bodies 0', run(PACKED_MIN_DF, (i) => [i * 3, 1 + i, 0])],
    ['df = block size, no title counts', run(PACKED_RUN, (i) => [i * 1000, 0, 1 + (i % 7)])],
    ['df = block size + 1, one title count at each end', run(PACKED_RUN + 1, (i) => [i * 2, i === 0 || i === PACKED_RUN ? 2 : 0, 1])],
    ['counts of 2^24 and more, gaps of 2^24', run(20, (i) => [i * 2 ** 24, i % 3 === 0 ? 2 ** 24 + i : 0, i % 2 === 0 ? 2 ** 31 + i : 2 ** 24])],
    ['largest counts (2^32 − 2 body, 2^32 − 1 title)', list([[1, 2 ** 32 - 1, 2 ** 32 - 2], [9, 0, 2 ** 32 - 2]])],
    ['random, dense, small counts, 300 documents', random(300, 3, 4, 20, 1)],
    ['random, sparse, large counts, 1,000 documents', random(1000, 5000, 300, 3, 2)],
    ['random, mixed gaps, 777 documents', random(777, 100_000, 40, 50, 3)],
  ];

  /** One family holding every list of `cases`, one term each. */
  function familyOf(lists: FieldCounts[]): PostingsFamily {
    const out = new ByteWriter(16);
    const offsets = [0];
    for (const counts of lists) {
      encodeCounts(out, counts);
      offsets.push(out.length);
    }
    return { offsets: Uint32Array.from(offsets), df: Uint32Array.from(lists, (l) => l.docs.length), postings: out.bytes().slice() };
  }
  const family = familyOf(cases.map((c) => c[1]));
  const plain = (counts: FieldCounts): number[][] => Array.from(counts.docs, (doc, i) => [doc, counts.title[i], counts.body[i]]);

  test.each(cases.map(([name], term) => [name, term]))('%s', (_, term) => {
    expect(plain(decodeCounts(family, term))).toEqual(plain(cases[term][1]));
  });

  test('a word once in the body of document 0 takes one byte: parameter 0 (5 bits), gap 0, no title counts, body 1 (1 bit each)', () => {
    const out = new ByteWriter(16);
    encodeCounts(out, list([[0, 0, 1]]));
    expect(Array.from(out.bytes())).toEqual([0]);
  });

  test('decoding into arrays at an offset leaves the entries before it alone', () => {
    const into = countsIn(freshArray, 3 + PACKED_RUN + 1);
    into.docs.fill(7, 0, 3);
    decodeCountsInto(family, 7, into, 3);
    expect(Array.from(into.docs.subarray(0, 3))).toEqual([7, 7, 7]);
    expect(plain({ docs: into.docs.subarray(3), title: into.title.subarray(3), body: into.body.subarray(3) })).toEqual(plain(cases[7][1]));
  });

  test('an entry with no count in either field is a bug, refused when encoded', () => {
    expect(() => encodeCounts(new ByteWriter(16), list([[0, 0, 0]]))).toThrow('document 0 is listed with no count in either field');
  });

  test('a list cut short, or a block whose documents pass its header, is refused as damage', () => {
    const bytes = wholeBytes(family.postings);
    const term = 10;
    const cut: PostingsFamily = { ...family, offsets: Uint32Array.from([0, family.offsets[term + 1] - family.offsets[term] - 1]), df: family.df.subarray(term, term + 1), postings: bytes.slice(family.offsets[term], family.offsets[term + 1] - 1) };
    expect(() => decodeCounts(cut, 0)).toThrow(IndexError);
    const wrongGap = bytes.slice(family.offsets[term], family.offsets[term + 1]);
    wrongGap[0]++; // the first block's header: its last document one further
    expect(() => decodeCounts({ ...cut, offsets: Uint32Array.from([0, wrongGap.length]), postings: wrongGap }, 0)).toThrow('a words or chars postings list names a document past its block');
  });
});
