/**
 * The literal-match guarantee, proven against a brute-force scan on real text: every
 * query string that occurs in a document's normalized title or body finds that
 * document, and nothing else matches at the exact level.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { normalize } from '../../src/analysis/normalize';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { corpusDocuments, seeded } from '../helpers';

const TO_FULL_WIDTH = (s: string): string => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The query that asks for `text` literally: quoted when it would otherwise read as an operator. */
function literalQuery(text: string): string {
  return /^[-－]|^(?:title|标题)[:：]|^OR$/i.test(text) ? `"${text}"` : text;
}

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

  function sampleQueries(): string[] {
    const rand = seeded(20261127);
    const analyzer = new Analyzer();
    const queries = new Set<string>();
    const usable = (q: string): boolean => q.length > 0 && !/[\s"＂\u0000]/.test(q) && normalize(q).trim() === normalize(q) && normalize(q).length > 0;
    while (queries.size < 700) {
      const d = docs[Math.floor(rand() * docs.length)];
      const text = rand() < 0.15 ? d.title : bodyText(d);
      const cps = [...text];
      if (cps.length === 0) continue;
      const kind = rand();
      let q: string;
      if (kind < 0.6) {
        // A substring of 1–8 characters at a random place: most cross word boundaries.
        const len = 1 + Math.floor(rand() * 8);
        const at = Math.floor(rand() * Math.max(1, cps.length - len));
        q = cps.slice(at, at + len).join('');
      } else if (kind < 0.85) {
        // A whole jieba word.
        const words = analyzer.queryWords(normalize(cps.slice(0, 300).join('')));
        if (words.length === 0) continue;
        q = words[Math.floor(rand() * words.length)];
      } else {
        // The same substring typed in full-width forms or with an upper-case first letter.
        const at = Math.floor(rand() * Math.max(1, cps.length - 6));
        const piece = cps.slice(at, at + 2 + Math.floor(rand() * 5)).join('');
        q = rand() < 0.5 ? TO_FULL_WIDTH(piece) : piece.toUpperCase();
      }
      if (usable(q)) queries.add(q);
    }
    return [...queries];
  }

  test('recall and precision are exactly 1.0 over 700 sampled queries', () => {
    const queries = sampleQueries();
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
