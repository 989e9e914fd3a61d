/**
 * The postings reader's cache is a segmented LRU (postings.ts): a list asked for again by a
 * later search is protected from a search that decodes more lists, asked for once, than the
 * cache holds; a list asked for twice within the one search that decoded it is not.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData } from '../../src/index/data';
import { PostingsReader } from '../../src/index/postings';
import { doc, seeded } from '../helpers';

const analyzer = new Analyzer();
const ALPHABET = '甲乙丙丁';

/** 1,200 documents of random runs over four characters: each character's list holds every document (3,600 integers), each bigram's most of them. */
function build(): IndexData {
  const random = seeded(11);
  const run = (n: number): string => Array.from({ length: n }, () => ALPHABET[Math.floor(random() * 4)]).join('');
  const builder = new IndexBuilder(analyzer);
  for (let i = 0; i < 1200; i++) builder.add(doc(`d${i}`, run(4), `${run(12)}\n${run(8)}`));
  return builder.finish();
}

const data = build();
const code = (text: string, i = 0): number => text.charCodeAt(i);
const PAIRS = [...ALPHABET].flatMap((a) => [...ALPHABET].map((b) => [code(a), code(b)] as const));
/** Room for five or so lists: the sixteen bigrams' lists are several times what it holds. */
const tinyReader = (): PostingsReader => new PostingsReader(data, 20_000, 1 << 20);

/** One search decoding every bigram's list once. */
function flood(reader: PostingsReader): void {
  reader.during(() => {
    for (const [a, b] of PAIRS) reader.bigram(a, b);
  });
}

test('the bigram lists asked for once are more than the cache holds', () => {
  const reference = new PostingsReader(data);
  const ints = PAIRS.reduce((sum, [a, b]) => {
    const list = reference.bigram(a, b)!;
    return sum + list.docs.length * 2 + list.positions.length;
  }, 0);
  expect(ints).toBeGreaterThan(2 * 20_000);
});

test('a list a later search asked for again stays cached through a search decoding more than the cache holds', () => {
  const reader = tinyReader();
  const first = reader.during(() => reader.char(code('甲')));
  expect(reader.during(() => reader.char(code('甲')))).toBe(first);
  flood(reader);
  const after = reader.during(() => reader.char(code('甲')));
  expect(after).toBe(first);
  expect(Array.from(after.docs)).toEqual(Array.from(new PostingsReader(data).char(code('甲')).docs));
});

test('a list asked for twice only by the search that decoded it is evicted like any other', () => {
  const reader = tinyReader();
  const first = reader.during(() => {
    const list = reader.char(code('甲'));
    expect(reader.char(code('甲'))).toBe(list);
    return list;
  });
  flood(reader);
  expect(reader.during(() => reader.char(code('甲')))).not.toBe(first);
});

test('the protected lists hold at most their share of the cache: the least recently asked go first', () => {
  const reader = tinyReader();
  const reference = new PostingsReader(data);
  // The four characters' lists (3,600 integers each) and one bigram's protected in turn: more than 80% of 20,000, the four alone are not.
  const bigramInts = ((list) => list.docs.length * 2 + list.positions.length)(reference.bigram(code('甲'), code('乙'))!);
  expect(4 * 3_600).toBeLessThanOrEqual(0.8 * 20_000);
  expect(4 * 3_600 + bigramInts).toBeGreaterThan(0.8 * 20_000);
  const ask = (i: number) => reader.during(() => (i < 4 ? reader.char(code(ALPHABET[i])) : reader.bigram(code('甲'), code('乙'))!));
  const lists = [0, 1, 2, 3, 4].map(ask);
  [0, 1, 2, 3, 4].forEach((i) => expect(ask(i)).toBe(lists[i]));
  flood(reader);
  const after = [0, 1, 2, 3, 4].map(ask);
  expect(after[0]).not.toBe(lists[0]);
  for (let i = 1; i < 5; i++) expect(after[i]).toBe(lists[i]);
});
