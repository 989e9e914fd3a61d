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
 * The cluster's first-stage ranking, as Sphinx 2.2's expression ranker can say it, and how
 * much of it the head re-ranks. Chosen with scripts/bench/sphinx-tune.ts (README "Scale-out").
 */
export interface ClusterRanking {
  /** Weight of the query's character bigrams relative to its words (the embedded engine's bigramWeight). Default 0.5. */
  bigramWeight: number;
  /**
   * Whether field lengths normalize term frequencies, as BM25's b does in the embedded
   * engine (bodies 0.75, titles 0.5). Sphinx 2.2's bm25f() cannot: real-time indexes keep
   * no field lengths (index_field_lengths leaves its scores constant), so the expression
   * reads the `tlen`/`blen` attributes itself. Default true.
   */
  lengthNormalization: boolean;
  /**
   * How many of a level's first hits in the cluster's order the head re-ranks with
   * jiansuo's own features and the cluster's statistics (rerank.ts); hits past it follow
   * the cluster's order. 0: none. Default 50 (scripts/bench/sphinx-tune.ts).
   */
  rerankWindow: number;
}

export const DEFAULT_CLUSTER_RANKING: ClusterRanking = { bigramWeight: DEFAULT_RANKING.bigramWeight, lengthNormalization: true, rerankWindow: 50 };

/** Codes of the fields in the ranking expression (its `user_weight`, set by field_weights): titles' below BODY_CODE; the unigram fields (one-character queries) weigh nothing. */
const FIELD_CODES = { tug: 0, bug: 0, tw: 1, tbg: 2, bw: 3, bbg: 4 } as const;
const BODY_CODE = FIELD_CODES.bw;

/** Average field lengths in words (the cluster's, CollectionStatistics), which length normalization divides by. */
export interface FieldLengths {
  avgTitleWords: number;
  avgBodyWords: number;
}

/**
 * The OPTION clause's ranker and field weights for a ranking: per field, BM25 over the
 * query's words (tw, bw) and, weighted by bigramWeight, over its bigrams (tbg, bbg), titles
 * counting titleWeight times, each field's term frequencies normalized by its length as
 * the embedded engine does (src/search/ranking.ts Bm25f). Sphinx gives no term frequency
 * per keyword to an expression, only a field's sum of tf×IDF (`tf_idf`) and of IDF
 * (`sum_idf`), so a field saturates as if each of its keywords occurred the IDF-weighted
 * mean number of times: exact for one keyword, or for keywords equally frequent.
 */
export function rankerOption(lengths: FieldLengths, ranking: ClusterRanking = DEFAULT_CLUSTER_RANKING): string {
  const { k1, titleB, bodyB, titleWeight } = DEFAULT_RANKING;
  const number = (value: number): string => String(Math.round(value * 1e6) / 1e6);
  const norm = (b: number, attribute: string, avg: number): string =>
    ranking.lengthNormalization && b > 0 ? `(${number(1 - b)}+${number(b / Math.max(1, avg))}*${attribute})` : '1';
  // A title occurrence counts titleWeight times: the title's normalization divided by it.
  const saturation = `${norm(titleB, 'tlen', lengths.avgTitleWords)}/${number(titleWeight)}`;
  const field = `if(user_weight<${BODY_CODE}, ${saturation}, ${norm(bodyB, 'blen', lengths.avgBodyWords)})`;
  const weight = `if(user_weight==${FIELD_CODES.tw} or user_weight==${FIELD_CODES.bw}, 1, if(user_weight==0, 0, ${number(ranking.bigramWeight)}))`;
  const bm25 = `sum(${weight}*sum_idf*tf_idf/(tf_idf+${number(k1)}*sum_idf*${field}))*${number(k1 + 1)}`;
  const weights = Object.entries(FIELD_CODES).map(([name, code]) => `${name}=${code}`).join(', ');
  return `ranker=expr('(${bm25})*${SCORE_SCALE}'), field_weights=(${weights})`;
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
