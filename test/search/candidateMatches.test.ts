/**
 * Candidates scored apart from the index (what a cluster's head does with its best hits):
 * with the collection's statistics they get the embedded searcher's scores exactly.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData } from '../../src/index/data';
import { PostingsReader } from '../../src/index/postings';
import { AnalyzedDocument, CandidateMatches, DocumentFrequencies, scoreCandidates } from '../../src/search/candidateMatches';
import { QueryMatches } from '../../src/search/matches';
import { DEFAULT_RANKING, statisticsOf } from '../../src/search/ranking';
import { Searcher } from '../../src/search/searcher';
import { corpusDocuments, doc } from '../helpers';

let analyzer: Analyzer;
let docs: SearchDocument[];
let data: IndexData;
let searcher: Searcher;

/** The index's own document frequencies, as a cluster's head would fetch them. */
function indexFrequencies(): DocumentFrequencies {
  const reader = new PostingsReader(data);
  const matches = new QueryMatches(reader);
  return {
    word: (word) => reader.wordDocFreq(word),
    literal: (text, field) => matches.literalDocFreq(text, field),
    bigram: (first, second) => reader.bigramDocFreq(first, second),
  };
}

const analyzed = (d: SearchDocument): AnalyzedDocument => ({ title: analyzer.analyzeField(titleText(d)), body: analyzer.analyzeField(bodyText(d)) });

beforeAll(async () => {
  analyzer = new Analyzer();
  docs = [
    doc('lead', '', '方特乐园今天开园。' + '游客很多，天气晴朗。'.repeat(20)),
    doc('late', '', '游客很多，天气晴朗。'.repeat(20) + '方特乐园今天开园。'),
    doc('repeat', '哈哈哈', '哈哈哈哈'),
    ...(await corpusDocuments('news-dev.jsonl.gz', 150)),
  ];
  const builder = new IndexBuilder(analyzer);
  for (const d of docs) builder.add(d);
  data = builder.finish();
  searcher = new Searcher(data, analyzer);
});

describe('CandidateMatches', () => {
  test('counts literal occurrences per field as the postings do, overlapping ones too', () => {
    const matches = new CandidateMatches([analyzed(docs[2]), analyzed(docs[0])], indexFrequencies());
    const all = matches.literal('哈哈', 'all');
    expect([...all.docs]).toEqual([0]);
    expect([all.title[0], all.body[0]]).toEqual([2, 3]);
    const title = matches.literal('哈哈', 'title');
    expect([title.title[0], title.body[0]]).toEqual([2, 0]);
    expect(matches.literal('方特', 'title').docs.length).toBe(0);
    expect(matches.literalDocFreq('方特乐园', 'all')).toBe(2);
    const lead = matches.bigram('方'.charCodeAt(0), '特'.charCodeAt(0))!;
    expect([...lead.counts.docs]).toEqual([1]);
    expect([...lead.lead.body]).toEqual([1]);
  });
});

describe('scoreCandidates', () => {
  test('gives a few documents the scores and order the searcher gives them in the whole index', () => {
    const frequencies = indexFrequencies();
    const collection = statisticsOf(data);
    const queries = ['方特乐园开园', '方特', '哈哈', ...docs.slice(3, 23).map((d) => d.title)];
    let compared = 0;
    for (const query of queries) {
      const result = searcher.search(query, { limit: docs.length, collapse: false, snippetLength: 0 });
      const expected = new Map(result.hits.map((hit) => [hit.id, hit.score]));
      // Every third hit, in reverse: candidates come in another order and without their neighbours.
      const candidates = result.hits.filter((_, i) => i % 3 === 0).reverse().map((hit) => docs.find((d) => d.id === hit.id)!);
      const { order, scores } = scoreCandidates(searcher.parse(query), candidates.map(analyzed), frequencies, collection, DEFAULT_RANKING);
      const got = order.map((i, rank) => [candidates[i].id, Math.round(scores[rank] * 1e4) / 1e4] as const);
      const want = [...got].map(([id]) => [id, expected.get(id)] as const).sort((a, b) => b[1]! - a[1]! || result.hits.findIndex((h) => h.id === a[0]) - result.hits.findIndex((h) => h.id === b[0]));
      expect(got).toEqual(want);
      compared += got.length;
    }
    expect(compared).toBeGreaterThan(100);
  });

  test('the lead counts: of two bodies with the same words, the one that opens with the query ranks first', () => {
    const { order } = scoreCandidates(searcher.parse('方特乐园今天开园'), [analyzed(docs[1]), analyzed(docs[0])], indexFrequencies(), statisticsOf(data), DEFAULT_RANKING);
    expect(order).toEqual([1, 0]);
  });
});
