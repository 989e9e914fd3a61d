/**
 * A query's tiers, and a tier asked again for more hits (copies folded), start from the
 * block ceilings (and that tier's sample) worked out by the first ask (topk.ts BlockPhase):
 * the same positions and scores as scoring every candidate, and no more block ceilings
 * worked out than for one ask.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchEngine } from '../../src/engine';
import { IndexBuilder } from '../../src/index/builder';
import { FieldCounts } from '../../src/index/postings';
import { Bm25f, DEFAULT_RANKING } from '../../src/search/ranking';
import { BlockPhase, Feature, rankTopK } from '../../src/search/topk';
import { SearchResult } from '../../src/search/types';
import { corpusDocuments, seeded } from '../helpers';

describe('block phase kept across asks of one tier, on made-up lists', () => {
  const documentCount = 4000;
  const rand = seeded(1618);
  const titleWords = Uint32Array.from({ length: documentCount }, () => 1 + Math.floor(rand() * 30));
  const bodyWords = Uint32Array.from({ length: documentCount }, () => 1 + Math.floor(rand() * 2000));
  const bm25f = new Bm25f({ documentCount, titleWords, bodyWords }, DEFAULT_RANKING);
  /** A list held by about `share` of the documents, with counts drawn up to `most`. */
  const list = (share: number, most: number): FieldCounts => {
    const docs: number[] = [];
    for (let d = 0; d < documentCount; d++) if (rand() < share) docs.push(d);
    const counts = (top: number): number => Math.floor(rand() * rand() * top);
    return { docs: Uint32Array.from(docs), title: Uint32Array.from(docs, () => counts(3)), body: Uint32Array.from(docs, () => counts(most) + 1) };
  };
  const features: Array<Feature<FieldCounts>> = [
    { hits: list(0.9, 40), weight: 1 },
    { hits: list(0.5, 10), weight: 0.5 },
    { hits: list(0.05, 5), weight: 0.3, flat: true },
    { hits: list(0.3, 8), weight: 0.5, docFreq: 3500 },
  ];
  /** Weak features of other lists: ranking with them writes block ceilings far below the ones above. */
  const weak: Array<Feature<FieldCounts>> = [{ hits: list(0.2, 2), weight: 0.01 }];
  const every = Uint32Array.from({ length: documentCount }, (_, d) => d);
  const candidates = every.filter((d) => d % 3 !== 0);

  afterEach(() => jest.restoreAllMocks());

  test('later asks of more hits work no block ceilings out and rank as scoring every candidate does', () => {
    const added = jest.spyOn(Bm25f.prototype, 'addBlockCeilings');
    const phase = new BlockPhase();
    // 10, 20 and 40 share the sample of 160; 80 draws a sample of 320 from the same ceilings.
    for (const [i, k] of [10, 20, 40, 80].entries()) {
      const ranked = rankTopK(bm25f, features, candidates, k, false, undefined, phase);
      expect(ranked).toEqual(rankTopK(bm25f, features, candidates, k, true));
      expect(ranked.positions).toHaveLength(k);
      if (i === 0) expect(added).toHaveBeenCalledTimes(features.length);
    }
    // Only the first ask (and none of the exhaustive ones, which work out no bounds) added ceilings.
    expect(added).toHaveBeenCalledTimes(features.length);
  });

  test('ceilings written by another ranking in between are worked out again; other candidates (another tier) share them', () => {
    const phase = new BlockPhase();
    expect(rankTopK(bm25f, features, candidates, 10, false, undefined, phase)).toEqual(rankTopK(bm25f, features, candidates, 10, true));
    // Another query's ranking overwrites the scratch the phase's ceilings are in.
    rankTopK(bm25f, weak, every, 10);
    const added = jest.spyOn(Bm25f.prototype, 'addBlockCeilings');
    expect(rankTopK(bm25f, features, candidates, 20, false, undefined, phase)).toEqual(rankTopK(bm25f, features, candidates, 20, true));
    expect(added).toHaveBeenCalledTimes(features.length);
    // Other candidates of the same features (another tier of the query) draw a sample of their own from the same ceilings.
    for (const other of [every, every.filter((d) => d % 5 === 0), candidates.slice()]) {
      expect(rankTopK(bm25f, features, other, 20, false, undefined, phase)).toEqual(rankTopK(bm25f, features, other, 20, true));
    }
    expect(added).toHaveBeenCalledTimes(features.length);
  });
});

describe('a search whose copies fold asks its tier again without working block ceilings out again', () => {
  let pruned: SearchEngine;
  let exhaustive: SearchEngine;

  beforeAll(async () => {
    // Every article three times under other ids: a top 10 folds into about four hits, so a tier is asked for 20, then 40.
    const sina = await corpusDocuments('news-dev.jsonl.gz', 300);
    const docs = sina.flatMap((d) => [d, { ...d, id: `${d.id}-b` }, { ...d, id: `${d.id}-c` }]);
    const analyzer = new Analyzer();
    const builder = new IndexBuilder(analyzer);
    for (const d of docs) builder.add(d);
    const data = builder.finish();
    pruned = SearchEngine.fromData(data, analyzer, { suggestionBudgetMs: 600_000 });
    exhaustive = SearchEngine.fromData(data, analyzer, { exhaustiveScoring: true, suggestionBudgetMs: 600_000 });
  });

  afterEach(() => jest.restoreAllMocks());

  const comparable = (result: SearchResult): Omit<SearchResult, 'took_ms'> => {
    const { took_ms: _took, ...rest } = result;
    return rest;
  };

  test.each(['中国 经济 发展 记者 表示 市场 企业', '美国 政府 官员 周二 表示 将 继续', '新华社 记者 报道 国家 主席 会见 表示'])('%s', (query) => {
    const expected = comparable(exhaustive.search(query, { limit: 10, snippetLength: 0 }));
    const added = jest.spyOn(Bm25f.prototype, 'addBlockCeilings');
    // Copies not folded: each tier is asked once.
    pruned.search(query, { limit: 10, snippetLength: 0, collapse: false });
    const once = added.mock.calls.length;
    added.mockClear();
    const result = comparable(pruned.search(query, { limit: 10, snippetLength: 0 }));
    expect(result).toEqual(expected);
    // Ranked by words, ten hits, each with its two copies folded into it: the tier was asked for more than 10.
    expect(result.match).toBe('ranked');
    expect(result.hits).toHaveLength(10);
    expect(result.hits.every((hit) => hit.duplicates?.length === 2)).toBe(true);
    // Block ceilings were worked out (the tier is large), as many as for one ask.
    expect(once).toBeGreaterThan(0);
    expect(added).toHaveBeenCalledTimes(once);
  });
});
