import { Analyzer } from '../analysis/analyzer';
import { QueryError } from '../errors';
import { parseDateRange } from './dateRange';
import { FieldScope } from './literal';

/** One term of a query, analyzed. */
export interface QueryTerm {
  /** The term as typed (without its operators). */
  raw: string;
  /** Its normalized text: what must occur literally. */
  text: string;
  /** `title` for `title:…`. */
  field: FieldScope;
  /** True for "quoted text": always matched literally, never relaxed. */
  phrase: boolean;
  /** Its jieba words, plain cut (for ranking and for the relaxed levels). */
  words: string[];
  /** Its jieba words in search mode, as documents are indexed (the plain cut's words and the dictionary words inside them): ranking features. */
  searchWords: string[];
  /** Other texts that also count as this term, ranked below it: synonyms, words its pinyin spells. */
  alternatives: Alternative[];
}

/** A text that stands in for a query term, with the weight of its matches relative to the term's own. */
export interface Alternative {
  text: string;
  words: string[];
  searchWords: string[];
  weight: number;
  via: 'synonym' | 'pinyin' | 'initials';
  /** Matches only where its words stand as words in the document (a pinyin reading: 方特 in 方特乐园, not in 片方特意). */
  aligned: boolean;
  /** For pinyin: the reading that matched (e.g. `fang te`). */
  reading?: string;
}

/**
 * A parsed query: every group must match (AND); a group matches when any of its terms
 * does (`a OR b`); no excluded term may match.
 */
export interface ParsedQuery {
  /** Terms ANDed group by group (a group: terms joined by OR). Empty for a query of filters alone. */
  groups: QueryTerm[][];
  excluded: QueryTerm[];
  /** `field:value` filters written in the query (`category:体育`, `date:2018-01..2018-06`), as SearchOptions.filters. */
  filters: Array<{ field: string; value: string }>;
}

/** Longest accepted query, in characters after normalization, unless ParseOptions.maxLength says otherwise. */
export const DEFAULT_MAX_QUERY_LENGTH = 256;

export interface ParseOptions {
  /** Longest accepted query, in characters after normalization. Default DEFAULT_MAX_QUERY_LENGTH (256). */
  maxLength?: number;
  /** The fields `field:value` may filter by (an index's own, see search/fields.ts knownFields). Default the built-in filter fields. */
  fields?: ReadonlySet<string>;
}

/** The built-in filter fields (types.ts FILTER_FIELDS; repeated here, as types.ts imports this module). */
const BUILT_IN_FILTERS: ReadonlySet<string> = new Set(['kind', 'reporter', 'correspondent', 'source', 'date']);
/** Other names of fields in the query language. */
const FIELD_ALIASES: Readonly<Record<string, string>> = { 日期: 'date' };
/** `name:value` (or `name：value`) at the start of a term. */
const FILTER_TERM = /^([\p{L}\p{N}_.-]{1,64})[:：](.+)$/u;

const QUOTES = new Set(['"', '\uFF02']);
const MINUS = new Set(['-', '\uFF0D']);
const FIELD_PREFIX = /^(?:title|标题)[:：]/i;
const WHITESPACE = /\s/u;

interface RawToken {
  text: string;
  /** A `field:value` filter rather than a term. */
  filter?: { field: string; value: string };
  negate: boolean;
  field: FieldScope;
  phrase: boolean;
  operator: boolean;
}

function tokenize(query: string, fields: ReadonlySet<string>): RawToken[] {
  const chars = [...query];
  const tokens: RawToken[] = [];
  let i = 0;
  while (i < chars.length) {
    if (WHITESPACE.test(chars[i])) {
      i++;
      continue;
    }
    let negate = false;
    let field: FieldScope = 'all';
    if (MINUS.has(chars[i]) && i + 1 < chars.length && !WHITESPACE.test(chars[i + 1])) {
      negate = true;
      i++;
    }
    const prefix = FIELD_PREFIX.exec(chars.slice(i, i + 6).join(''));
    if (prefix && i + [...prefix[0]].length < chars.length && !WHITESPACE.test(chars[i + [...prefix[0]].length])) {
      field = 'title';
      i += [...prefix[0]].length;
    }
    if (QUOTES.has(chars[i])) {
      let j = i + 1;
      while (j < chars.length && !QUOTES.has(chars[j])) j++;
      tokens.push({ text: chars.slice(i + 1, j).join(''), negate, field, phrase: true, operator: false });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < chars.length && !WHITESPACE.test(chars[j])) j++;
    const text = chars.slice(i, j).join('');
    const filter = field === 'all' ? fieldFilter(text, fields) : undefined;
    if (filter) {
      if (negate) throw new QueryError(`"-${text}": a filter cannot exclude; filter by the values you want instead, e.g. ${filter.field}:…`, 'filter_excluded');
      tokens.push({ text, filter, negate, field, phrase: false, operator: false });
      i = j;
      continue;
    }
    tokens.push({ text, negate, field, phrase: false, operator: text === 'OR' && !negate && field === 'all' });
    i = j;
  }
  return tokens;
}

/** The filter a term `name:value` stands for when `name` is a field (or an alias of one); a date value is checked (QueryError). */
function fieldFilter(text: string, fields: ReadonlySet<string>): { field: string; value: string } | undefined {
  const match = FILTER_TERM.exec(text);
  if (!match) return undefined;
  const field = FIELD_ALIASES[match[1]] ?? match[1];
  if (!fields.has(field)) return undefined;
  if (field === 'date') parseDateRange(match[2]);
  return { field, value: match[2] };
}

/**
 * Parses the query language: terms separated by spaces are ANDed, `OR` between two
 * terms makes either enough, `-term` excludes, "quoted text" is an exact phrase, and
 * `title:term` (or `标题:term`) matches in titles only, `field:value` filters (fields of
 * `options.fields`; `date:` takes a day, month, year or range); a query of filters alone
 * (no term: `groups` empty) selects every document they let through. Terms are normalized
 * like documents. Throws QueryError for a query with neither a term nor a filter, or one
 * that is too long.
 */
export function parseQuery(query: string, analyzer: Analyzer, options: ParseOptions = {}): ParsedQuery {
  const maxLength = options.maxLength ?? DEFAULT_MAX_QUERY_LENGTH;
  if (query.trim().length === 0) throw new QueryError('The query is empty: type a word or phrase to search for.', 'query_empty');
  if (query.length > maxLength * 4) throw new QueryError(`The query is too long: at most ${maxLength} characters.`, 'query_too_long', maxLength);
  const groups: QueryTerm[][] = [];
  const excluded: QueryTerm[] = [];
  const filters: ParsedQuery['filters'] = [];
  let joinNext = false;
  let total = 0;
  for (const token of tokenize(query, options.fields ?? BUILT_IN_FILTERS)) {
    if (token.filter) {
      filters.push(token.filter);
      joinNext = false;
      continue;
    }
    if (token.operator) {
      joinNext = groups.length > 0;
      continue;
    }
    const normalized = analyzer.normalize(token.text);
    const text = token.phrase ? normalized.trim().replace(/ +/g, ' ') : normalized.trim();
    if (text.length === 0) {
      joinNext = false;
      continue;
    }
    total += text.length;
    if (total > maxLength) throw new QueryError(`The query is too long: at most ${maxLength} characters.`, 'query_too_long', maxLength);
    const term: QueryTerm = { raw: token.text, text, field: token.field, phrase: token.phrase, words: analyzer.queryWords(text), searchWords: analyzer.searchWords(text), alternatives: [] };
    if (token.negate) {
      excluded.push(term);
      joinNext = false;
    } else if (joinNext) {
      groups[groups.length - 1].push(term);
      joinNext = false;
    } else {
      groups.push([term]);
    }
  }
  // Filters alone browse what they select (category:体育, date:2018-05-18), less any excluded terms.
  if (groups.length === 0 && filters.length === 0) {
    throw new QueryError(
      excluded.length > 0 ? 'The query only excludes terms (-…): add at least one term to look for, or a filter (field:value).' : 'The query has nothing to search for: type a word or phrase.',
      excluded.length > 0 ? 'query_only_excludes' : 'query_no_terms',
    );
  }
  return { groups, excluded, filters };
}
