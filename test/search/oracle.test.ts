/**
 * The literal-match guarantee, proven against a brute-force scan on real text: every
 * query string that occurs in a document's normalized title or body finds that
 * document, and nothing else matches at the exact level.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { normalize } from '../../src/analysis/normalize';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { corpusDocuments } from '../helpers';
import { literalQuery, sampleQueries } from './oracleQueries';

describe('literal matches are never missed (brute-force oracle on news corpora)', () => {
  let docs: SearchDocument[];
  let engine: SearchEngine;
  let haystacks: string[];

  beforeAll(async () => {
    // Sina news (long bodies, Latin and digits) and CCTV transcripts (short, dates, names).
    const sina = await corpusDocuments('news-dev.jsonl.gz', 1200);
    const cctv = (await corpusDocuments('news-large.jsonl.gz', 800)).filter((d) => d.fields?.source === 'cctv-xinwenlianbo');
    docs = [...sina, ...cctv];
    engine = SearchEngine.build(docs);
    haystacks = docs.map((d) => `${normalize(titleText(d))}\u0000${normalize(bodyText(d))}`);
  });

  test('recall and precision are exactly 1.0 over 700 sampled queries', () => {
    const queries = sampleQueries(docs, 700);
    let expectedTotal = 0;
    let found = 0;
    let wrong = 0;
    const failures: string[] = [];
    let crossing = 0;
    const analyzer = new Analyzer();
    for (const q of queries) {
      const needle = normalize(q);
      const expected = new Set<string>();
      haystacks.forEach((h, i) => {
        if (h.includes(needle)) expected.add(docs[i].id);
      });
      const result = engine.search(literalQuery(q), { limit: docs.length, snippetLength: 0, collapse: false });
      // Long queries are answered in ranked mode: the literal matches come first, marked, then related documents.
      const literal = result.hits.filter((h) => h.literal);
      const got = new Set(literal.map((h) => h.id));
      expect(['exact', 'ranked']).toContain(result.match);
      expect(result.exact_total).toBe(literal.length);
      expect(result.hits.slice(0, literal.length).every((h) => h.literal)).toBe(true);
      expectedTotal += expected.size;
      for (const id of expected) if (got.has(id)) found++;
      for (const id of got) if (!expected.has(id)) wrong++;
      if (got.size !== expected.size || [...expected].some((id) => !got.has(id))) failures.push(`${q}: expected ${expected.size}, got ${got.size}`);
      if (analyzer.queryWords(needle).join('') !== needle.replace(/[^\p{L}\p{N}]/gu, '') || analyzer.queryWords(needle).length > 1) crossing++;
    }
    expect(failures).toEqual([]);
    expect(found / expectedTotal).toBe(1);
    expect(wrong).toBe(0);
    // The sample really exercises segmentation mismatch: many queries are not one jieba word.
    expect(crossing).toBeGreaterThan(250);
    expect(queries.length).toBeGreaterThanOrEqual(600);
  });

  test.each([
    ['方特', '郑州方特梦幻王国开业'],
    ['造提', '改造提升成果'],
    ['2020—2021年', '行动计划(2020-2021年)'],
    ['鄭州', '郑州市'],
    ['Ｂ１', '快速公交B1线路'],
  ])('%s finds a document containing it (%s)', (query, body) => {
    const small = SearchEngine.build([
      { id: 'a', title: '', paragraphs: [body], kind: 'article', reporters: [], correspondents: [], source: 't' },
      { id: 'b', title: '', paragraphs: ['无关的文字'], kind: 'article', reporters: [], correspondents: [], source: 't' },
    ]);
    const result = small.search(query);
    expect(result.exact_total).toBe(1);
    expect(result.hits.map((h) => [h.id, h.literal])).toEqual([['a', true]]);
  });
});
