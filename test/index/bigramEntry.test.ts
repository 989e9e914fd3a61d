/** A bigram entry's head carries the first position and the frequency; the decoder gives back every position. */
import { Analyzer } from '../../src/analysis/analyzer';
import { INLINE_FREQ, PositionalPostings, decodeEntries, decodePositional, decodePositionalHolding, entryHead } from '../../src/index/bigramEntry';
import { PACKED_RUN } from '../../src/index/postingsBlocks';
import { bigramKey, findKey } from '../../src/index/data';
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
