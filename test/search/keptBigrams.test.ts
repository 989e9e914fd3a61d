/**
 * keptBigrams (src/search/keptBigrams.ts): the query bigrams whose features queryFeatures
 * keeps, guessed from the index before any literal is matched. Every bigram it names must
 * be ranked by (so its list read whole anyway); a query of fewer than MAX_FEATURES features
 * names all of its bigrams that occur.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchDocument, bodyText } from '../../src/document';
import { PostingsReader } from '../../src/index/postings';
import { MAX_FEATURES, queryBigrams, queryFeatures } from '../../src/search/features';
import { keptBigrams } from '../../src/search/keptBigrams';
import { QueryMatches } from '../../src/search/matches';
import { parseQuery } from '../../src/search/parser';
import { Bm25f, DEFAULT_RANKING } from '../../src/search/ranking';
import { buildData, corpusDocuments } from '../helpers';

describe('keptBigrams', () => {
  const analyzer = new Analyzer();
  let reader: PostingsReader;
  let bm25f: Bm25f;
  let docs: SearchDocument[];

  beforeAll(async () => {
    docs = await corpusDocuments('news-dev.jsonl.gz', 600);
    const data = buildData(docs);
    reader = new PostingsReader(data);
    bm25f = new Bm25f(data, DEFAULT_RANKING);
  });

  /** The guess, the bigrams that occur, and those whose bigram feature queryFeatures keeps (read from a reader that caches every list, so the same objects). */
  function compare(query: string): { guessed: Set<number>; occurring: number[]; ranked: Set<number>; features: number } {
    const parsed = parseQuery(query, analyzer);
    const guessed = keptBigrams(parsed, reader, bm25f);
    const matches = new QueryMatches(reader);
    const features = queryFeatures(parsed, matches, bm25f);
    const occurring = [...queryBigrams(parsed)].filter((key) => reader.bigramDocFreq(key >>> 16, key & 0xffff) > 0);
    const hits = new Set(features.map((f) => f.hits));
    const ranked = new Set(occurring.filter((key) => hits.has(matches.bigram(key >>> 16, key & 0xffff)!.counts)));
    return { guessed, occurring, ranked, features: features.length };
  }

  test('a headline of fewer features than MAX_FEATURES: every bigram that occurs, each ranked', () => {
    const { guessed, occurring, ranked, features } = compare('国务院常务会议部署推进农村改革');
    expect(features).toBeLessThan(MAX_FEATURES);
    expect(occurring.length).toBe(8);
    expect([...guessed].sort()).toEqual([...occurring].sort());
    expect([...ranked].sort()).toEqual([...occurring].sort());
  });

  test.each([
    // Headline-long: nearly all that are ranked are named.
    [40, [1311, 1351, 1484]],
    [80, [1303, 1534, 2963]],
    // A pasted passage's literal features alone (its terms, its ~100 pairs of words) pass MAX_FEATURES: none is named.
    [200, [0, 691, 6967]],
  ])('passages of %i characters: only bigrams that queryFeatures ranks (named, ranked, occurring)', (length, counts) => {
    let guessedAll = 0;
    let rankedAll = 0;
    let occurringAll = 0;
    for (const d of docs.slice(0, 40)) {
      const body = bodyText(d).replace(/["＂]/g, ' ').replace(/^[-－\s]+/, '');
      if (body.length < length) continue;
      const { guessed, occurring, ranked } = compare(body.slice(0, length));
      for (const key of guessed) expect(ranked.has(key)).toBe(true);
      guessedAll += guessed.size;
      rankedAll += ranked.size;
      occurringAll += occurring.length;
    }
    expect([guessedAll, rankedAll, occurringAll]).toEqual(counts);
  });
});
