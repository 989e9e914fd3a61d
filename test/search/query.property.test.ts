/**
 * The query parser, the matcher and the engine over hostile input (fast-check): nothing
 * throws but the project's own QueryError, nothing comes back as HTML but <mark>, and
 * the literal-match guarantee holds for queries drawn from generated documents.
 */
import fc from 'fast-check';
import { Analyzer } from '../../src/analysis/analyzer';
import { normalize } from '../../src/analysis/normalize';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { QueryError } from '../../src/errors';
import { parseQuery } from '../../src/search/parser';
import { SearchResult } from '../../src/search/types';
import { Suggester } from '../../src/server/suggest';
import { hostileDocuments, hostileString, onlyMarksAdded } from '../arbitraries';
import { demoEngine } from '../helpers';

const analyzer = new Analyzer();

/** Runs `action`; a QueryError counts as an answer (the message the user sees), anything else thrown fails. */
function answerOrQueryError<T>(action: () => T): T | QueryError {
  try {
    return action();
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
}

function expectSafeHtml(result: SearchResult): void {
  for (const hit of result.hits) {
    expect(onlyMarksAdded(hit.title_html)).toBe(true);
    expect(onlyMarksAdded(hit.snippet)).toBe(true);
  }
}

it('the parser accepts any string or throws QueryError; what it accepts has something to look for', () => {
  fc.assert(
    fc.property(hostileString, (query) => {
      const parsed = answerOrQueryError(() => parseQuery(query, analyzer));
      if (parsed instanceof QueryError) {
        expect(parsed.message).toMatch(/^The query /);
        return;
      }
      expect(parsed.groups.length).toBeGreaterThan(0);
      const terms = [...parsed.groups.flat(), ...parsed.excluded];
      for (const term of terms) {
        expect(term.text.length).toBeGreaterThan(0);
        expect(term.text).toBe(term.text.trim());
      }
      expect(terms.reduce((sum, term) => sum + term.text.length, 0)).toBeLessThanOrEqual(256);
    }),
    { numRuns: 500, seed: 1 },
  );
});

it.each(['-', '--', '- -', 'OR', 'OR OR', '""', '" "', '"', '-""', '-方特', 'title:', '标题：', '\u200B', '\u0000', '\uD800', '.*', '[', '(?:'])(
  'the operators-only or empty query %j gets a QueryError or an answer, nothing else',
  (query) => {
    const outcome = answerOrQueryError(() => demoEngine().search(query));
    if (outcome instanceof QueryError) expect(outcome.message).toMatch(/^The query /);
    else expectSafeHtml(outcome);
  },
);

it('search, the article view and the typeahead take any string: an answer with only <mark> added, or QueryError', () => {
  const engine = demoEngine();
  const suggester = Suggester.fromEngine(engine);
  fc.assert(
    fc.property(hostileString, (query) => {
      const result = answerOrQueryError(() => engine.search(query, { limit: 20, facets: 3 }));
      if (!(result instanceof QueryError)) {
        expectSafeHtml(result);
        expect(result.hits.length).toBeLessThanOrEqual(result.total);
      }
      const view = answerOrQueryError(() => engine.documentView('000_2cd9194f99e4ed8d-10', query));
      if (view && !(view instanceof QueryError)) {
        for (const html of [view.title_html, ...view.paragraphs_html]) expect(onlyMarksAdded(html)).toBe(true);
      }
      expect(Array.isArray(suggester.suggest(query.slice(0, 100), 10))).toBe(true);
    }),
    { numRuns: 300, seed: 2 },
  );
});

/** The query that asks for `text` literally: quoted when it would otherwise read as an operator or a field. */
function literalQuery(text: string): string {
  return /^[-－]|^(?:title|标题)[:：]|^OR$/i.test(text) ? `"${text}"` : text;
}

/** A substring of a document that the query language can ask for literally: no white space or quotes, and something left after normalization. */
function askable(text: string): boolean {
  const normalized = normalize(text);
  return !/[\s"＂]/u.test(text) && normalized.length > 0 && normalized.length <= 256 && normalized === normalized.trim();
}

/** The documents whose normalized title or body contains one of `needles`, by brute force. */
function containing(docs: SearchDocument[], needles: string[]): string[] {
  return docs.filter((d) => [normalize(titleText(d)), normalize(bodyText(d))].some((field) => needles.some((needle) => field.includes(needle)))).map((d) => d.id);
}

it('literal-match guarantee: a string cut from a generated document finds exactly the documents containing it', () => {
  let checked = 0;
  fc.assert(
    fc.property(hostileDocuments(), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 12 }), fc.boolean(), (docs, which, at, length, inTitle) => {
      const source = docs[which % docs.length];
      const field = inTitle ? titleText(source) : bodyText(source);
      const start = field.length === 0 ? 0 : at % field.length;
      const text = field.slice(start, start + length);
      fc.pre(askable(text));
      const engine = SearchEngine.build(docs);
      const result = engine.search(literalQuery(text), { limit: docs.length, snippetLength: 40, collapse: false });
      // Words that typed pinyin spells count as the term too (fangte → 方特): they are listed in the answer.
      const needles = [normalize(text), ...(result.expansions ?? []).flatMap((expansion) => expansion.words)];
      const expected = containing(docs, needles);
      // The literal matches come first and are marked; a long query's related documents follow.
      const got = result.hits.filter((hit) => hit.literal).map((hit) => hit.id);
      expect(result.hits.slice(0, got.length).every((hit) => hit.literal)).toBe(true);
      expect(result.exact_total).toBe(got.length);
      if (expected.length > 0) {
        expect(['exact', 'ranked']).toContain(result.match);
        expect([...got].sort()).toEqual(expected);
        checked++;
      } else {
        // Cut through a surrogate pair: the half normalizes to U+FFFD, which no document holds.
        expect(got).toEqual([]);
      }
      expectSafeHtml(result);
    }),
    { numRuns: 300, seed: 3 },
  );
  expect(checked).toBeGreaterThan(150);
});
