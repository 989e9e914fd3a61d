import { FieldScope } from '../../search/literal';
import { ParsedQuery, QueryTerm } from '../../search/parser';
import { DEFAULT_RANKING } from '../../search/ranking';
import { UnsupportedQueryError } from '../../errors';
import { isValidDate } from '../../ingest/date';
import { FACET_FIELDS, FILTER_FIELDS, SearchFilter, SearchOptions } from '../../search/types';
import { bigramTokens, unigramToken, valueHash, wordToken } from './tokens';

/**
 * Translation of a parsed query into Sphinx's extended query syntax over the fields of
 * schema.ts, with the candidate levels of the embedded engine (src/search/tiers.ts):
 * literal matches; else every term's words occurring literally; else documents holding
 * some of the query's words. Every expression holds only tokens of tokens.ts and Sphinx's
 * operators, so no query text can inject syntax.
 */

/** The documents whose normalized title (or title and body) contains `text` literally: a phrase of its consecutive bigrams, or its one unit. */
export function literalExpression(text: string, field: FieldScope): string {
  if (text.length === 1) return `(@${field === 'title' ? 'tug' : '(tug,bug)'} ${unigramToken(text.charCodeAt(0))})`;
  return `(@${field === 'title' ? 'tbg' : '(tbg,bbg)'} "${bigramTokens(text).join(' ')}")`;
}

/** A hard constraint stays one at every level: quoted phrases and title: terms (as tiers.ts). */
function isHard(term: QueryTerm): boolean {
  return term.phrase || term.field === 'title';
}

const all = (parts: string[]): string => (parts.length === 1 ? parts[0] : `(${parts.join(' ')})`);
const any = (parts: string[]): string => (parts.length === 1 ? parts[0] : `(${parts.join(' | ')})`);

function excluded(parsed: ParsedQuery): string {
  return parsed.excluded.map((term) => ` -${literalExpression(term.text, term.field)}`).join('');
}

/** Every group literally (a group: any of its terms), no excluded term. */
export function literalMatch(parsed: ParsedQuery): string {
  return all(parsed.groups.map((group) => any(group.map((term) => literalExpression(term.text, term.field))))) + excluded(parsed);
}

/** Every group through its terms' words, each occurring literally (hard terms as they are), no excluded term: the all-words level. */
export function allWordsMatch(parsed: ParsedQuery): string {
  const termMatch = (term: QueryTerm): string =>
    isHard(term) || term.words.length === 0 ? literalExpression(term.text, term.field) : all([...new Set(term.words)].map((word) => literalExpression(word, term.field)));
  return all(parsed.groups.map((group) => any(group.map(termMatch)))) + excluded(parsed);
}

/** The query's ranking words as word tokens in the word fields (title: terms in titles only), any of them. */
export function wordsMatch(parsed: ParsedQuery): string | undefined {
  const parts = new Set<string>();
  for (const group of parsed.groups) {
    for (const term of group) {
      const tokens = [...new Set(term.searchWords)].map(wordToken);
      if (tokens.length > 0) parts.add(`(@${term.field === 'title' ? 'tw' : '(tw,bw)'} ${any(tokens)})`);
    }
  }
  return parts.size > 0 ? any([...parts]) : undefined;
}

/**
 * Documents holding any of the query's words that meet every hard constraint, no excluded
 * term (the some-words level, and ranked mode's related tier without `literal`). The
 * embedded engine asks for a tenth of the query's word IDF; here one word is enough.
 */
export function someWordsMatch(parsed: ParsedQuery, without?: string): string | undefined {
  const hard = parsed.groups.filter((group) => group.every(isHard)).map((group) => any(group.map((term) => literalExpression(term.text, term.field))));
  const words = wordsMatch(parsed);
  if (!words && hard.length === 0) return undefined;
  return all([...(words ? [words] : []), ...hard]) + (without ? ` -(${without})` : '') + excluded(parsed);
}

/**
 * `match`, ranked by the query's words where there are any: `M (W | M)` matches what M
 * matches, and puts W's keywords in the ranking. (Sphinx 2.2.11's MAYBE operator, meant
 * for this, drops some of M's matches: 974 of 975 documents holding 的 in news-dev.)
 */
export function rankedBy(match: string, parsed: ParsedQuery): string {
  const words = wordsMatch(parsed);
  return words ? `(${match}) (${words} | (${match}))` : match;
}

/** Scores come back from Sphinx as integers: BM25F times this. */
export const SCORE_SCALE = 10000;

/** The expression ranker: BM25F over the word fields (title weighted as the embedded engine weighs it), nothing for bigram and unigram tokens. */
export const RANKER = `expr('bm25f(${DEFAULT_RANKING.k1}, ${DEFAULT_RANKING.bodyB}, {tw=${DEFAULT_RANKING.titleWeight}, bw=1, tbg=0, bbg=0, tug=0, bug=0})*${SCORE_SCALE}')`;

/** The WHERE conditions of the filters: values of one field ORed (IN), fields ANDed. */
export function filterConditions(filters: readonly SearchFilter[] = []): string {
  const byField = new Map<string, Set<number>>();
  for (const { field, value } of filters) {
    if (!byField.has(field)) byField.set(field, new Set());
    byField.get(field)!.add(valueHash(value));
  }
  return [...byField].map(([field, values]) => ` AND ${field} IN (${[...values].join(',')})`).join('');
}

/**
 * The filters of a search on a cluster (the options' and the query's own), refusing with
 * UnsupportedQueryError what its attributes cannot answer: record fields (`category:`) and
 * dates other than one day (years, months, ranges). Sorting by date, named facet fields and
 * the timeline are refused too. The cluster stores hashes of the built-in fields only.
 */
export function clusterFilters(options: SearchOptions, queryFilters: readonly SearchFilter[]): SearchFilter[] {
  const cannot = (what: string, option: UnsupportedQueryError['option'], instead?: string): UnsupportedQueryError =>
    new UnsupportedQueryError(`A Sphinx/Manticore cluster cannot ${what} yet${instead ? ` (${instead})` : ''}: search an index directory (--index) for that.`, option);
  if (options.sort !== undefined && options.sort !== 'relevance') throw cannot(`sort by date (sort=${options.sort})`, 'sort');
  if (options.timeline) throw cannot('count a timeline', 'timeline');
  if (options.facetFields !== undefined) throw cannot(`count facets of named fields (${options.facetFields.join(', ')})`, 'facet', `it counts ${FACET_FIELDS.join(', ')}`);
  const filters = [...(options.filters ?? []), ...queryFilters];
  for (const { field, value } of filters) {
    if (!(FILTER_FIELDS as readonly string[]).includes(field)) throw cannot(`filter by the record field "${field}"`, 'filter', `only by ${FILTER_FIELDS.join(', ')}`);
    if (field === 'date' && !isValidDate(value)) throw cannot(`filter by a year, month or date range (date:${value})`, 'filter', 'give one day, e.g. date:2018-05-18');
  }
  return filters;
}
