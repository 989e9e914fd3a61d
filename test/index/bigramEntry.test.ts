/** A bigram entry's head carries the first position and the frequency; the decoder gives back every position. */
import { Analyzer } from '../../src/analysis/analyzer';
import { INLINE_FREQ, PositionalPostings, decodeEntries, decodePositional, decodePositionalHolding, encodePositional, entryHead } from '../../src/index/bigramEntry';
import { PACKED_RUN } from '../../src/index/postingsBlocks';
import { PostingsFamily, bigramKey, findKey } from '../../src/index/data';
import { IndexBuilder } from '../../src/index/builder';
import { ByteWriter } from '../../src/index/varint';
import { PostingsReader } from '../../src/index/postings';
import { doc } from '../helpers';

test('varint entries written with entryHead (a builder\'s stream) decode to the same positions: frequencies 1–3 inline, larger ones after the head, positions up to the limit', () => {
  const entries: number[][] = [];
  for (const first of [0, 1, 63, 64, 2 ** 21 - 200]) for (const freq of [1, 2, 3, 4, 100]) entries.push(Array.from({ length: freq }, (_, k) => first + 2 * k));
  const writer = new ByteWriter();
  for (const positions of entries) {
    writer.writeVarint(0); // doc gap − 1: documents 0, 1, 2, …
    writer.writeVarint(entryHead(positions[0], positions.length));
    if (positions.length > INLINE_FREQ) writer.writeVarint(positions.length - INLINE_FREQ - 1);
    for (let k = 1; k < positions.length; k++) writer.writeVarint(positions[k] - positions[k - 1]);
  }
  const postings = writer.bytes();
  const decoded = decodeEntries(postings, 0, postings.length, entries.length);
  expect(Array.from(decoded.docs)).toEqual(entries.map((_, i) => i));
  expect(entries.map((_, i) => Array.from(decoded.positions.subarray(decoded.start[i], decoded.start[i + 1])))).toEqual(entries);
});

test('positional postings decode to every position, for bigrams occurring 1 to 6 times per document', () => {
  const builder = new IndexBuilder(new Analyzer());
  const bodies = ['甲乙', '甲乙丙甲乙', '甲乙甲乙甲乙', '甲乙'.repeat(4), 'x'.repeat(300) + '甲乙'.repeat(6), '丙丁'];
  bodies.forEach((body, i) => builder.add(doc(`d${i}`, '', body)));
  const postings = new PostingsReader(builder.finish()).bigram('甲'.charCodeAt(0), '乙'.charCodeAt(0))!;
  const each = Array.from(postings.docs, (_, i) => Array.from(postings.positions.subarray(postings.start[i], postings.start[i + 1])));
  expect(Array.from(postings.docs)).toEqual([0, 1, 2, 3, 4]);
  expect(each).toEqual([[1], [1, 4], [1, 3, 5], [1, 3, 5, 7], [301, 303, 305, 307, 309, 311]]);
});

test('each decode hands out arrays of its own: decoding another list (short or in blocks, whole or only some blocks) leaves an earlier result alone', () => {
  const builder = new IndexBuilder(new Analyzer());
  // 甲乙 in 300 documents (a list in blocks), 丙丁 in 3 (a short list).
  for (let i = 0; i < 300; i++) builder.add(doc(`d${i}`, '', i % 100 === 0 ? `甲乙丙丁${'甲乙'.repeat(i % 7)}` : `甲乙${'x'.repeat(i % 5)}甲乙`));
  const data = builder.finish();
  const term = (text: string): number => findKey(data.bigramKeys, bigramKey(text.charCodeAt(0), text.charCodeAt(1)));
  const snapshot = (p: PositionalPostings): number[][] => [Array.from(p.docs), Array.from(p.start), Array.from(p.positions)];
  const long = decodePositional(data.bigrams, term('甲乙'));
  const longBefore = snapshot(long);
  const short = decodePositional(data.bigrams, term('丙丁'));
  const shortBefore = snapshot(short);
  const some = decodePositionalHolding(data.bigrams, term('甲乙'), Uint32Array.of(0, 200));
  expect(snapshot(long)).toEqual(longBefore);
  expect(snapshot(short)).toEqual(shortBefore);
  expect(Array.from(short.docs)).toEqual([0, 100, 200]);
  expect(long.docs.length).toBe(300);
  expect(long.start[300]).toBe(long.positions.length);
  // The blocks holding documents 0 and 200, every document of them.
  const blocks = new Set([0, Math.floor(200 / PACKED_RUN)]);
  expect(Array.from(some.docs)).toEqual(Array.from({ length: 300 }, (_, i) => i).filter((i) => blocks.has(Math.floor(i / PACKED_RUN))));
  expect(some.docs.buffer).not.toBe(long.docs.buffer);
  expect(Array.from(some.positions.subarray(some.start[0], some.start[1]))).toEqual(Array.from(long.positions.subarray(long.start[0], long.start[1])));
});

describe('stored bigram lists whose codes pass one 25-bit read, or end anywhere in a byte, decode to what was encoded', () => {
  /** A document of a case: its number, its bound (IndexData.docUnits) and its positions. */
  type Entry = [doc: number, bound: number, positions: number[]];
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  /** Positions 0, 1, … `freq` − 1 in a bound of `freq` + 1. */
  const dense = (doc: number, freq: number): Entry => [doc, freq + 1, range(0, freq)];

  /** Each case's name, its documents, and for some the bytes its list takes. */
  const cases: Array<[string, Entry[], number?]> = [
    ['frequencies 4,095, 4,096 and 8,192: gamma codes of 23, 25 and 27 bits', [dense(0, 4095), dense(1, 4096), dense(2, 8192)]],
    ['a short list whose last doc gap has a unary part of about 30 bits', [...range(0, 14).map((d): Entry => [d, 1, [0]]), [1_000_000, 1, [0]]]],
    ['a block whose last doc gap has a unary part of about 250 bits', [...range(0, 127).map((d): Entry => [d, 2, [1]]), [1_000_000, 2, [1]]]],
    ['a position gap with a unary part of about 80 bits, after 39 gaps of 1', [[3, 2 ** 20, [...range(0, 39), 2 ** 20 - 1]]]],
    ['first positions at the edges of their bounds, up to 25-bit truncated codes', [[0, 1, [0]], [1, 2 ** 24, [2 ** 24 - 1]], [2, 2 ** 24 + 1, [2 ** 24]], [3, 2 ** 25 - 1, [2 ** 25 - 2]], [4, 2 ** 25 - 1, [0]]]],
    // A short list of one document: its doc gap in 19 bits (parameter 18 for 1,000,001 documents), its frequency in 1, its position in k.
    ...range(0, 8).map((k): [string, Entry[], number] => [`one document, position ${2 ** k - 1} in a bound of 2^${k}: ${20 + k} bits, ending ${(20 + k) % 8 || 8} bits into its last byte`, [[100 + k, 2 ** k, [2 ** k - 1]]], Math.ceil((20 + k) / 8)]),
  ];

  /** One family holding the list of each case (one term each, the last one ending where the bytes do), and the bounds of all their documents. */
  const bounds = new Uint32Array(1_000_001).fill(1);
  for (const [, entries] of cases) for (const [doc, bound] of entries) bounds[doc] = Math.max(bounds[doc], bound);
  const out = new ByteWriter(16);
  const offsets = [0];
  for (const [, entries] of cases) {
    let count = 0;
    const start = Uint32Array.from([0, ...entries.map(([, , positions]) => (count += positions.length))]);
    encodePositional(out, { docs: Uint32Array.from(entries, (e) => e[0]), start, positions: Uint32Array.from(entries.flatMap((e) => e[2])) }, bounds);
    offsets.push(out.length);
  }
  const family: PostingsFamily = { offsets: Uint32Array.from(offsets), df: Uint32Array.from(cases, ([, entries]) => entries.length), postings: out.bytes().slice(), docUnits: bounds };
  const plain = (p: PositionalPostings): Array<[number, number[]]> => Array.from(p.docs, (doc, i) => [doc, Array.from(p.positions.subarray(p.start[i], p.start[i + 1]))]);

  test.each(cases.map(([name], term) => [name, term]))('%s', (_, term) => {
    const expected = cases[term][1].map(([doc, , positions]): [number, number[]] => [doc, positions]);
    expect(plain(decodePositional(family, term))).toEqual(expected);
    expect(plain(decodePositionalHolding(family, term, Uint32Array.from(expected, (e) => e[0])))).toEqual(expected);
    if (cases[term][2] !== undefined) expect(family.offsets[term + 1] - family.offsets[term]).toBe(cases[term][2]);
  });
});
