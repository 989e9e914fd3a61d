/** A bigram entry's head carries the first position and the frequency; the decoder gives back every position. */
import { Analyzer } from '../../src/analysis/analyzer';
import { INLINE_FREQ, entryHead, headFreq, headPosition } from '../../src/index/bigramEntry';
import { IndexBuilder } from '../../src/index/builder';
import { PostingsReader } from '../../src/search/postings';
import { doc } from '../helpers';

test('head: frequencies 1–3 inline, larger ones follow; positions up to the document limit', () => {
  for (const first of [0, 1, 63, 64, 2 ** 21 - 1]) {
    for (const freq of [1, 2, 3, 4, 100]) {
      const head = entryHead(first, freq);
      expect(headPosition(head)).toBe(first);
      expect(headFreq(head)).toBe(freq <= INLINE_FREQ ? freq : 0);
    }
  }
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
