/** A words/chars entry's head carries the body count and whether a title count follows; the decoder gives both back. */
import { Analyzer } from '../../src/analysis/analyzer';
import { countsHead, decodeCountEntries } from '../../src/index/countsEntry';
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
