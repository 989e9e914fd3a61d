/**
 * Pruned top-k scoring (src/search/topk.ts) against scoring every candidate, on real news
 * text: the same hits, order, scores, totals and levels, query by query.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchDocument, bodyText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { IndexBuilder } from '../../src/index/builder';
import { FieldCounts } from '../../src/index/postings';
import { BLOCK_SHIFT, Bm25f, DEFAULT_RANKING } from '../../src/search/ranking';
import { Feature, rankTopK } from '../../src/search/topk';
import { SearchOptions, SearchResult } from '../../src/search/types';
import { corpusDocuments, seeded } from '../helpers';

describe('pruned top-k scoring equals exhaustive scoring', () => {
  let pruned: SearchEngine;
  let exhaustive: SearchEngine;
  let docs: SearchDocument[];
  let pasted: SearchDocument[];

  beforeAll(async () => {
    const sina = await corpusDocuments('news-dev.jsonl.gz', 1000);
    // Exact copies under other ids: equal scores, so ties must go to the lower document number.
    docs = [...sina, ...sina.slice(0, 40).map((d) => ({ ...d, id: `${d.id}-copy` }))];
    // CCTV transcripts: text that occurs nowhere in the index, so it relaxes to some-words.
    pasted = (await corpusDocuments('news-large.jsonl.gz', 300)).filter((d) => d.fields?.source === 'cctv-xinwenlianbo');
    const analyzer = new Analyzer();
    const builder = new IndexBuilder(analyzer);
    for (const d of docs) builder.add(d);
    const data = builder.finish();
    // "Did you mean" stops at a wall-clock budget, which a loaded machine can spend before either engine is done: out of the comparison.
    const suggestionBudgetMs = 600_000;
    pruned = SearchEngine.fromData(data, analyzer, { suggestionBudgetMs });
    exhaustive = SearchEngine.fromData(data, analyzer, { exhaustiveScoring: true, suggestionBudgetMs });
  });

  function queries(): Array<[string, SearchOptions]> {
    const rand = seeded(5150);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
    const cut = (text: string, min: number, max: number): string => {
      const length = min + Math.floor(rand() * (max - min));
      const at = Math.floor(rand() * Math.max(1, text.length - length));
      return text.slice(at, at + length).replace(/["＂]/g, ' ').replace(/^[-－\s]+/, '').trim() || '中国';
    };
    const options = (): SearchOptions => pick([{ limit: 10 }, { limit: 10 }, { limit: 3 }, { limit: 10, offset: 10 }, { limit: 50 }]);
    const made: Array<[string, SearchOptions]> = [];
    for (let i = 0; i < 120; i++) made.push([cut(bodyText(pick(pasted)), 20, 200), options()]);
    for (let i = 0; i < 40; i++) made.push([pick(pasted).title.replace(/["＂]/g, ' ').replace(/^[-－\s]+/, '') || '中国', options()]);
    for (let i = 0; i < 100; i++) made.push([cut(bodyText(pick(docs)), 1, 6), options()]);
    for (let i = 0; i < 60; i++) made.push([`${cut(bodyText(pick(docs)), 2, 4)} ${cut(bodyText(pick(pasted)), 2, 4)}`, options()]);
    return made;
  }

  const comparable = (result: SearchResult): Omit<SearchResult, 'took_ms'> => {
    const { took_ms: _took, ...rest } = result;
    return rest;
  };

  test('300+ queries of every level give identical results', () => {
    const levels = new Map<string, number>();
    let hits = 0;
    for (const [query, options] of queries()) {
      const expected = comparable(exhaustive.search(query, { ...options, snippetLength: 0 }));
      expect(comparable(pruned.search(query, { ...options, snippetLength: 0 }))).toEqual(expected);
      levels.set(expected.match, (levels.get(expected.match) ?? 0) + 1);
      hits += expected.hits.length;
    }
    // The sample exercises what pruning is for: many ranked queries with many candidates.
    expect(levels.get('ranked') ?? 0).toBeGreaterThanOrEqual(100);
    expect(levels.get('exact') ?? 0).toBeGreaterThanOrEqual(100);
    expect(hits).toBeGreaterThan(1000);
  });

  test('tied scores keep the lower document first, as exhaustive scoring does', () => {
    const title = docs[0].title;
    const a = pruned.search(title, { limit: 5, snippetLength: 0, collapse: false });
    expect(a.hits.map((h) => h.id)).toEqual(exhaustive.search(title, { limit: 5, snippetLength: 0, collapse: false }).hits.map((h) => h.id));
    expect(a.hits.slice(0, 2).map((h) => h.id)).toEqual([docs[0].id, `${docs[0].id}-copy`]);
    expect(a.hits[0].score).toBe(a.hits[1].score);
  });

  test('queries of the most common words (block bounds) give identical results', () => {
    const common = ['的', '中国', '记者', '我们', '的 中国', '表示'];
    for (const query of common) {
      for (const options of [{ limit: 3 }, { limit: 10 }, { limit: 10, offset: 10 }, { limit: 50 }, { limit: 10, collapse: false }]) {
        const expected = comparable(exhaustive.search(query, { ...options, snippetLength: 0 }));
        expect(comparable(pruned.search(query, { ...options, snippetLength: 0 }))).toEqual(expected);
      }
      // Common: a ranked tier of hundreds of candidates, where block bounds are worked out.
      expect([query, exhaustive.search(query, { limit: 0 }).total > 100]).toEqual([query, true]);
    }
  });
});

describe('block ceilings and block-max pruning on made-up lists', () => {
  const documentCount = 3000;
  const rand = seeded(2718);
  const titleWords = Uint32Array.from({ length: documentCount }, () => 1 + Math.floor(rand() * 30));
  const bodyWords = Uint32Array.from({ length: documentCount }, () => 1 + Math.floor(rand() * 2000));
  // A run of identical documents: tied scores, which must go to the lower document number.
  for (let d = 1000; d < 1040; d++) [titleWords[d], bodyWords[d]] = [12, 400];
  const bm25f = new Bm25f({ documentCount, titleWords, bodyWords }, DEFAULT_RANKING);
  /** A list held by about `share` of the documents, with counts drawn up to `most`. */
  const list = (share: number, most: number): FieldCounts => {
    const docs: number[] = [];
    for (let d = 0; d < documentCount; d++) if (rand() < share || (d >= 1000 && d < 1040)) docs.push(d);
    const counts = (d: number, top: number): number => (d >= 1000 && d < 1040 ? 2 : Math.floor(rand() * rand() * top));
    return { docs: Uint32Array.from(docs), title: Uint32Array.from(docs, (d) => counts(d, 3)), body: Uint32Array.from(docs, (d) => counts(d, most) + 1) };
  };
  const features: Array<Feature<FieldCounts>> = [
    { hits: list(0.9, 40), weight: 1 },
    { hits: list(0.5, 10), weight: 0.5 },
    { hits: list(0.05, 5), weight: 0.3, flat: true },
    { hits: list(0.005, 3), weight: 1 },
    { hits: list(0.3, 8), weight: 0.5, docFreq: 2500 },
  ];

  test('a block ceiling is at least what the feature adds to every document of the block', () => {
    let checked = 0;
    for (const { hits, weight, flat, docFreq } of features) {
      const ceilings = new Float64Array(bm25f.blockCount);
      bm25f.addBlockCeilings(ceilings, hits, weight, flat, docFreq);
      const added = new Float64Array(documentCount);
      bm25f.accumulate(added, Uint32Array.from({ length: documentCount }, (_, d) => d), hits, weight, flat, docFreq);
      for (let d = 0; d < documentCount; d++) {
        expect(added[d]).toBeLessThanOrEqual(ceilings[d >> BLOCK_SHIFT] * (1 + 1e-12));
        if (added[d] > 0) checked++;
      }
      // Tight: each block's ceiling is some document's contribution (up to rounding).
      for (let b = 0; b < ceilings.length; b++) {
        const inBlock = added.subarray(b << BLOCK_SHIFT, (b + 1) << BLOCK_SHIFT);
        expect(ceilings[b]).toBeCloseTo(Math.max(...inBlock), 12);
      }
    }
    expect(checked).toBeGreaterThan(documentCount);
  });

  test('block ceilings are the same sums whether worked out anew or kept with a list (asked for again)', () => {
    // A Bm25f of its own: the first call works the maxima out, the second keeps them with a common list, the third reads them kept.
    const fresh = new Bm25f({ documentCount, titleWords, bodyWords }, DEFAULT_RANKING);
    for (const { hits, weight, flat, docFreq } of features) {
      const calls = [0, 1, 2].map(() => {
        const ceilings = new Float64Array(fresh.blockCount);
        fresh.addBlockCeilings(ceilings, hits, weight, flat, docFreq);
        return ceilings;
      });
      expect(calls[1]).toEqual(calls[0]);
      expect(calls[2]).toEqual(calls[0]);
      expect(fresh.ceiling(hits, weight, flat, docFreq)).toBe(Math.max(...calls[0]));
    }
  });

  test('a feature adds BM25F to a score: the saturated, length-normalized, weighted field counts, bit for bit', () => {
    const { k1, titleWeight, titleB, bodyB } = DEFAULT_RANKING;
    const hits: FieldCounts = { docs: Uint32Array.of(3, 1000, 2999), title: Uint32Array.of(0, 2, 1), body: Uint32Array.of(5, 2, 0) };
    const candidates = Uint32Array.of(3, 7, 1000, 2999);
    const avgTitle = titleWords.reduce((a, b) => a + b, 0) / documentCount;
    const avgBody = bodyWords.reduce((a, b) => a + b, 0) / documentCount;
    const w = 0.5 * Math.log(1 + (documentCount - 3 + 0.5) / (3 + 0.5)) * (k1 + 1);
    const expected = (j: number, flat: boolean): number => {
      const doc = hits.docs[j];
      const [tb, bb] = flat ? [0, 0] : [titleB, bodyB];
      const tf = (titleWeight * hits.title[j]) / (1 - tb + (tb * titleWords[doc]) / avgTitle) + hits.body[j] / (1 - bb + (bb * bodyWords[doc]) / avgBody);
      return (w * tf) / (k1 + tf);
    };
    for (const flat of [false, true]) {
      const scores = new Float64Array(candidates.length);
      bm25f.accumulate(scores, candidates, hits, 0.5, flat);
      expect([...scores]).toEqual([expected(0, flat), 0, expected(1, flat), expected(2, flat)]);
    }
    // Document 1000 (12 title words, 400 body words) holds it twice in its title and twice in its body.
    const scores = new Float64Array(1);
    bm25f.accumulate(scores, Uint32Array.of(1000), hits, 0.5, true);
    expect(scores[0]).toBeCloseTo((w * 8) / (k1 + 8), 12);
  });

  test('pruned ranking equals scoring every candidate: the same positions and scores', () => {
    const every = Uint32Array.from({ length: documentCount }, (_, d) => d);
    const odd = every.filter((d) => d % 2 === 1);
    for (const candidates of [every, odd, every.subarray(500, 2500)]) {
      for (const k of [1, 3, 10, 50, 200]) {
        const expected = rankTopK(bm25f, features, candidates, k, true);
        expect(rankTopK(bm25f, features, candidates, k)).toEqual(expected);
        expect(expected.positions).toHaveLength(k);
      }
    }
    // Concretely: among the run of identical documents, the lowest come first, at equal scores.
    const tied = rankTopK(bm25f, features, every.subarray(1000, 1040), 3);
    expect(tied.positions).toEqual([0, 1, 2]);
    expect(new Set(tied.scores).size).toBe(1);
  });
});
