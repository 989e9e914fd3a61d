import type { SearchDocument } from '../document';
import type { Alternative } from './parser';

/**
 * How the results of a query were chosen (see README "Query language"):
 * - `exact`: a short query whose terms all occur literally (after normalization) in every result;
 * - `all-words`: a short query that occurs literally nowhere, so each term's jieba words occur, anywhere in the field;
 * - `some-words`: not even that, so the results hold enough of the query's words (at least a tenth of their IDF);
 * - `ranked`: a long query (a sentence, a headline): one list, the literal matches first
 *   (`exact_total` of them), then every document relevant by its words.
 */
export type MatchMode = 'exact' | 'all-words' | 'some-words' | 'ranked';

/** The built-in fields a search can be filtered by (besides JSON Lines records' own fields: see search/fields.ts). */
export const FILTER_FIELDS = ['kind', 'reporter', 'correspondent', 'source', 'date'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
/** The built-in fields a Sphinx/Manticore cluster counts as facets (the embedded engine chooses its own: search/fields.ts chooseFacets). */
export const FACET_FIELDS = ['kind', 'reporter', 'source', 'date'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/**
 * Keep only documents whose `field` (a built-in FilterField or a record field such as
 * `category`) has `value`; for `date` the value is a day, month, year or range of them
 * (`2018-01..2018-06`, see search/dateRange.ts). Filters on one field are ORed, on
 * different fields ANDed.
 */
export interface SearchFilter {
  field: string;
  value: string;
}

/** How hits are ordered: by relevance (literal matches first), or by date, newest or oldest first (undated last). */
export const SORT_ORDERS = ['relevance', 'newest', 'oldest'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** One bar of the timeline: a month (`2018-05`) or a year (`2018`) and the matching documents dated in it. */
export interface TimelineBucket {
  period: string;
  count: number;
}

export interface FacetValue {
  value: string;
  count: number;
}

/** Another copy of a hit's article (same or nearly the same normalized title and body), folded into the hit. */
export interface DuplicateRef {
  id: string;
  title: string;
}

/** An article like another (相关报道 under the article view, see related.ts): its id, title and date when known. */
export interface RelatedRef {
  id: string;
  title: string;
  date?: string;
}

/** One result, as `jiansuo search --json` and `GET /api/search` return it. */
export interface SearchHit {
  id: string;
  title: string;
  /** The title, HTML-escaped, with the query's matches in <mark>. */
  title_html: string;
  /** Ranking score, rounded to 4 decimals: comparable within one result list only. */
  score: number;
  /** True when every query term occurs literally in the document (after normalization). */
  literal: boolean;
  /** About `snippetLength` characters of the body, HTML-escaped, matches in <mark>. */
  snippet: string;
  kind: SearchDocument['kind'];
  reporters: string[];
  /** The source file the document came from. */
  source: string;
  subtitle?: string;
  /** The subtitle, HTML-escaped, with the query's matches in <mark> (the same needles as the title and snippet). */
  subtitle_html?: string;
  correspondents: string[];
  date?: string;
  /** Other fields of a JSON Lines record. */
  fields?: Record<string, unknown>;
  /** Copies of this article that also match, folded into this hit (absent when there are none). */
  duplicates?: DuplicateRef[];
}

/** A query term and what else it was taken to mean. */
export interface Expansion {
  term: string;
  via: Alternative['via'];
  words: string[];
  /** For pinyin: the reading of each word, in order. */
  readings?: string[];
}

export interface SearchResult {
  query: string;
  /** Number of matching documents (all pages), after filters, copies of one article counted once. */
  total: number;
  /** Of those, the ones in which every term occurs literally: they come first. */
  exact_total: number;
  /** Matching documents folded into another hit as copies of the same article (not in `total`). */
  folded: number;
  /** Wall-clock time of everything the request did, "did you mean" included. */
  took_ms: number;
  match: MatchMode;
  hits: SearchHit[];
  /**
   * Value counts over all matching documents, when asked for with `facets`, one entry per
   * facet field in the order chosen (SearchOptions.facetFields). Each field's counts apply
   * every filter but its own (disjunctive facets), so that another value of it can be added.
   */
  facets?: Record<string, FacetValue[]>;
  /**
   * Matching documents per month, or per year when they span more than 36 months, from the
   * first dated one to the last (empty periods included), when asked for with `timeline`;
   * counted without the date filters, as a facet of the date. Empty when no match has a date.
   */
  timeline?: TimelineBucket[];
  /** How query terms were widened: synonyms, and the words a pinyin term spells (which reading). */
  expansions?: Expansion[];
  /** A near form of the query that finds more ("did you mean"), when this one finds few or none. */
  suggestion?: string;
  /**
   * Present when the query as typed found nothing and these are the results of its "did you
   * mean" spelling instead (SearchOptions.correct): the query as typed, while `query` is the
   * one that was run ("已显示“郑州”的结果。仍然搜索：郑洲").
   */
  corrected_from?: string;
  /**
   * Present (true) when the search ran past its deadline (SearchOptions.timeoutMs) and
   * answered with what it had: fewer ranking features, later tiers not ranked, no
   * "did you mean". The literal tiers and the counts are complete even then.
   */
  timed_out?: true;
  /** True when a cluster answered without some of its shards (see `warnings`): hits and counts miss their documents. */
  partial?: boolean;
  /** What went wrong with the shards left out of a partial answer. */
  warnings?: string[];
}

/** A whole document prepared for reading, with a query's matches highlighted. */
export interface DocumentView {
  document: SearchDocument;
  title_html: string;
  subtitle_html?: string;
  /** Each paragraph as ingested, HTML-escaped, matches in <mark>. */
  paragraphs_html: string[];
  /** Other copies of the same article in the index (same or nearly the same text). */
  duplicates: DuplicateRef[];
  /** 相关报道: the articles most like this one by its distinctive words, best first, copies of it left out (see related.ts). */
  related: RelatedRef[];
}

export interface SearchOptions {
  /** Hits to return. Default 10. */
  limit?: number;
  /** Hits to skip (for paging). Default 0. */
  offset?: number;
  /** Snippet length in characters; 0 for none. Default 120. */
  snippetLength?: number;
  /** Keep only documents matching these (see SearchFilter). Default none. */
  filters?: SearchFilter[];
  /** Return the top N values of each facet field with their counts; 0 for none. Default 0. */
  facets?: number;
  /** The facet fields to count (built-in or record fields, see search/fields.ts). Default: chosen from the index's documents (chooseFacets). */
  facetFields?: string[];
  /** Hit order. Default `relevance`. */
  sort?: SortOrder;
  /** Return the timeline of the matching documents' dates (SearchResult.timeline). Default false. */
  timeline?: boolean;
  /** Skip looking for a "did you mean" suggestion. Default false. */
  noSuggestion?: boolean;
  /**
   * When the query finds nothing and its "did you mean" suggestion finds something, answer
   * with the suggestion's results, saying so in `corrected_from` (Google's "Showing results
   * for"). Default false for the library; the API and the CLI turn it on (`correct=0`,
   * `--as-typed` turn it off).
   */
  correct?: boolean;
  /** Fold copies of one article into one hit. Default true. */
  collapse?: boolean;
  /**
   * Milliseconds the search may work before it answers with what it has and says so
   * (`timed_out` in the result; Elasticsearch's search `timeout`). Default
   * DEFAULT_SEARCH_TIMEOUT_MS (10,000).
   */
  timeoutMs?: number;
}
