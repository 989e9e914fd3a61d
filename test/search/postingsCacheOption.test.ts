/**
 * SearcherOptions.postingsCacheInts bounds the searcher's postings cache (the long-query
 * thread of a server opens its index with a smaller one than the event loop's): the
 * answers are the same whatever it is, only how often lists are decoded again differs.
 */
import * as bigramEntry from '../../src/index/bigramEntry';
import * as countsEntry from '../../src/index/countsEntry';
import { SearchEngine } from '../../src/engine';
import { demoDocuments } from '../helpers';

const QUERIES = ['北京', '中国 经济', '发展', '"人民"', '国际合作与交流的新进展和发展方向', '经济 -北京'];

afterEach(() => jest.restoreAllMocks());

/** Decodes of whole postings lists (words, characters, bigrams) while `run` runs. */
function decodes(run: () => void): number {
  const counts = jest.spyOn(countsEntry, 'decodeCounts');
  const positional = jest.spyOn(bigramEntry, 'decodePositional');
  run();
  const n = counts.mock.calls.length + positional.mock.calls.length;
  counts.mockRestore();
  positional.mockRestore();
  return n;
}

test('an engine with a postings cache of any size answers as one with the default cache', () => {
  const documents = demoDocuments();
  const usual = SearchEngine.build(documents);
  const tiny = SearchEngine.build(documents, { postingsCacheInts: 16 });
  let found = 0;
  for (const query of QUERIES) {
    for (const round of [1, 2]) {
      const expected = usual.search(query, { limit: 10, snippetLength: 60 });
      const got = tiny.search(query, { limit: 10, snippetLength: 60 });
      expect({ query, round, hits: got.hits, total: got.total }).toEqual({ query, round, hits: expected.hits, total: expected.total });
      found += got.hits.length;
    }
  }
  expect(found).toBeGreaterThan(0);
});

test('the bound reaches the cache: lists a tiny cache cannot keep are decoded again, the default cache keeps them', () => {
  const documents = demoDocuments();
  const usual = SearchEngine.build(documents);
  const tiny = SearchEngine.build(documents, { postingsCacheInts: 16 });
  for (const engine of [usual, tiny]) for (const query of QUERIES) engine.search(query, { limit: 10 });
  const again = (engine: SearchEngine) => decodes(() => QUERIES.forEach((query) => engine.search(query, { limit: 10 })));
  expect(again(usual)).toBe(0);
  expect(again(tiny)).toBeGreaterThan(0);
});
