/**
 * queryFeatures with `among` (the documents a query ranks, when they are few): its word and
 * bigram features are read only in the blocks that may hold them (PostingsReader.wordAmong,
 * bigramHolding; a bigram counted for those documents alone), and they give those documents the same entries, so the same ranking, bit
 * for bit, as features read whole.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchDocument, bodyText } from '../../src/document';
import { IndexData } from '../../src/index/data';
import { FieldCounts, PostingsReader } from '../../src/index/postings';
import { queryBigrams, queryFeatures } from '../../src/search/features';
import { QueryMatches } from '../../src/search/matches';
import { parseQuery } from '../../src/search/parser';
import { Bm25f, DEFAULT_RANKING } from '../../src/search/ranking';
import { Feature, rankTopK } from '../../src/search/topk';
import { buildData, corpusDocuments } from '../helpers';

/** The entry of `doc` in `hits` as [title, body], or undefined when it has none (the passages' features are read whole: none of their terms is one character). */
function entryOf(feature: Feature['hits'], doc: number): number[] | undefined {
  if ('among' in feature) throw new Error('a passage feature read in part');
  const hits: FieldCounts = feature;
  const i = hits.docs.indexOf(doc);
  return i < 0 ? undefined : [hits.title[i], hits.body[i]];
}

describe('features among few candidates', () => {
  const analyzer = new Analyzer();
  let data: IndexData;
  let docs: SearchDocument[];

  beforeAll(async () => {
    docs = await corpusDocuments('news-dev.jsonl.gz', 1500);
    data = buildData(docs);
  });

  /** The first 6 Han characters in a row from the middle of the bodies of documents 0, 50, … 950: short queries with a few literal matches. */
  function passages(): string[] {
    const found: string[] = [];
    for (let d = 0; d < 1000; d += 50) {
      const body = bodyText(docs[d]);
      const run = /\p{Script=Han}{6}/u.exec(body.slice(body.length >> 1));
      if (run) found.push(run[0]);
    }
    return found;
  }

  test('same entries for the candidates, same ranking; about a sixth of the entries read (20 passages, 31 hits ranked)', () => {
    const bm25f = new Bm25f(data, DEFAULT_RANKING);
    let wholeEntries = 0;
    let amongEntries = 0;
    let ranked = 0;
    for (const query of passages()) {
      const parsed = parseQuery(query, analyzer);
      // Fresh readers: a list either one caches is handed out whole by the other's in-part reads too.
      const wholeMatches = new QueryMatches(new PostingsReader(data), undefined, queryBigrams(parsed));
      const amongMatches = new QueryMatches(new PostingsReader(data), undefined, queryBigrams(parsed));
      const candidates = wholeMatches.literal(parsed.groups[0][0].text, 'all').docs;
      expect(candidates.length).toBeGreaterThan(0);
      const whole = queryFeatures(parsed, wholeMatches, bm25f);
      const among = queryFeatures(parsed, amongMatches, bm25f, undefined, candidates);
      expect(among.map((f) => [f.weight, f.docFreq])).toEqual(whole.map((f) => [f.weight, f.docFreq]));
      whole.forEach((feature, i) => {
        for (const doc of candidates) expect(entryOf(among[i].hits, doc)).toEqual(entryOf(feature.hits, doc));
        wholeEntries += feature.hits.docs.length;
        amongEntries += among[i].hits.docs.length;
      });
      const exhaustive = rankTopK(bm25f, whole, candidates, 10, true);
      expect(rankTopK(bm25f, among, candidates, 10)).toEqual(exhaustive);
      ranked += exhaustive.positions.length;
    }
    expect([passages().length, ranked, wholeEntries, amongEntries]).toEqual([20, 31, 59446, 10223]);
  });
});
