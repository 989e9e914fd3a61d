/**
 * Pruned top-k scoring (src/search/topk.ts) against scoring every candidate, on real news
 * text: the same hits, order, scores, totals and levels, query by query.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchDocument, bodyText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { IndexBuilder } from '../../src/index/builder';
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
    pruned = SearchEngine.fromData(data, analyzer);
    exhaustive = SearchEngine.fromData(data, analyzer, { exhaustiveScoring: true });
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
});
