import { queryBigrams } from '../../search/features';
import { FieldScope } from '../../search/literal';
import { ParsedQuery, QueryTerm } from '../../search/parser';
import { DEFAULT_RANKING } from '../../search/ranking';
import { UnsupportedQueryError } from '../../errors';
import { isValidDate } from '../../ingest/date';
import { FACET_FIELDS, FILTER_FIELDS, SearchFilter, SearchOptions } from '../../search/types';
import { bigramToken, bigramTokens, unigramToken, valueHash, wordToken } from './tokens';

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

/** The query's ranking bigrams (features.ts queryBigrams) in the bigram fields, any of them: for the bigram part of the ranking. */
function bigramsMatch(parsed: ParsedQuery): string | undefined {
  const tokens = [...queryBigrams(parsed)].map((key) => bigramToken(key >>> 16, key & 0xffff));
  return tokens.length > 0 ? `(@(tbg,bbg) ${any(tokens)})` : undefined;
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
 * `match`, ranked by the query's words and character bigrams where there are any: `M (R | M)`
 * matches what M matches, and puts R's keywords in the ranking. (Sphinx 2.2.11's MAYBE
 * operator, meant for this, drops some of M's matches: 974 of 975 documents holding 的 in news-dev.)
 */
export function rankedBy(match: string, parsed: ParsedQuery): string {
  const rankers = [wordsMatch(parsed), bigramsMatch(parsed)].filter((part): part is string => part !== undefined);
  return rankers.length > 0 ? `(${match}) (${any([...rankers, `(${match})`])})` : match;
}

/** Scores come back from Sphinx as integers: the ranking expression times this. */
export const SCORE_SCALE = 10000;

/**
 * The cluster's ranking, as Sphinx's expression ranker can say it: BM25F over the word fields
 * (title weighted as in the embedded engine), plus BM25F over the bigram fields for the query's
 * character bigrams, weighted as the embedded engine weighs its bigram feature
 * (src/search/features.ts). Chosen with scripts/bench/sphinx-tune.ts (README "Scale-out").
 */
export interface ClusterRanking {
  /** Weight of the BM25F of the query's bigrams, relative to that of its words. Default 0.5. */
  bigramWeight: number;
  /**
   * How many of a level's first hits in the cluster's order the head re-ranks with
   * jiansuo's own features and the cluster's statistics (rerank.ts); hits past it follow
   * the cluster's order. 0: none. Default 50 (scripts/bench/sphinx-tune.ts).
   */
  rerankWindow: number;
}

export const DEFAULT_CLUSTER_RANKING: ClusterRanking = { bigramWeight: DEFAULT_RANKING.bigramWeight, rerankWindow: 50 };

/** The OPTION clause's ranker for a ranking. */
export function rankerOption(ranking: ClusterRanking = DEFAULT_CLUSTER_RANKING): string {
  const { k1, bodyB, titleWeight } = DEFAULT_RANKING;
  // bm25f's field weights must be whole numbers: weights and k1 times 10 give the same score
  // (a field weight multiplies the term frequency, which k1 saturates). Words and bigrams are
  // two BM25F sums, as in the embedded engine: a keyword counts only in the fields weighed.
  const ten = (weight: number): number => Math.round(weight * 10);
  const bm25f = (word: number, bigram: number): string =>
    `bm25f(${k1 * 10}, ${bodyB}, {tw=${ten(titleWeight * word)}, bw=${ten(word)}, tbg=${ten(titleWeight * bigram)}, bbg=${ten(bigram)}, tug=0, bug=0})`;
  const score = ranking.bigramWeight > 0 ? `${bm25f(1, 0)} + ${ranking.bigramWeight}*${bm25f(0, 1)}` : bm25f(1, 0);
  return `ranker=expr('(${score})*${SCORE_SCALE}')`;
}

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
