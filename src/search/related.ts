import type { Analyzer } from '../analysis/analyzer';
import { SearchDocument, bodyText } from '../document';
import { IndexData, findTerm } from '../index/data';
import { idf } from './ranking';
import type { RelatedRef, SearchHit } from './types';

/** How many articles 相关报道 lists. */
export const RELATED_COUNT = 5;

/**
 * The most words of a document the "more like this" query holds. Lucene's MoreLikeThis and
 * Elasticsearch's more_like_this take 25 (`max_query_terms`); 20 jieba words keep the query
 * well inside the 256-character limit and the ranking's 32 relevance words.
 */
export const RELATED_QUERY_WORDS = 20;

/** A title word counts as this many body words, as titles weigh more in ranking (BM25F). */
const TITLE_WEIGHT = 2;

/** Words a query can hold as they are: letters and digits only (no operators, quotes or dashes). */
const PLAIN_WORD = /^[\p{L}\p{N}]{2,}$/u;

/**
 * The words that set `document` apart, most distinctive first: its jieba words of two
 * characters or more, each scored by its frequency in the document (title words counted
 * TITLE_WEIGHT times) times its IDF in the index, as MoreLikeThis chooses its "interesting
 * terms". Words held by no more documents than the article and its `copies` (a count) are
 * left out: they would find nothing else (more_like_this's `min_doc_freq`). Common words
 * need no upper bound (more_like_this has none by default): their low IDF keeps them out of
 * the top `limit`.
 */
export function distinctiveWords(
  document: SearchDocument,
  analyzer: Analyzer,
  data: Pick<IndexData, 'documentCount' | 'wordTerms' | 'words'>,
  copies = 0,
  limit = RELATED_QUERY_WORDS,
): string[] {
  const counts = new Map<string, number>();
  const add = (text: string, weight: number): void => {
    for (const word of analyzer.queryWords(analyzer.normalize(text))) {
      if (PLAIN_WORD.test(word)) counts.set(word, (counts.get(word) ?? 0) + weight);
    }
  };
  add(document.subtitle ? `${document.title}\n${document.subtitle}` : document.title, TITLE_WEIGHT);
  add(bodyText(document), 1);
  const scored: Array<{ word: string; score: number }> = [];
  for (const [word, tf] of counts) {
    const at = findTerm(data.wordTerms, word);
    const df = at < 0 ? 0 : data.words.df[at];
    if (df <= 1 + copies) continue;
    scored.push({ word, score: tf * idf(data.documentCount, df) });
  }
  scored.sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.word);
}

/**
 * The "more like this" query of `words` (most distinctive first): as many of them as fit in
 * `maxChars` characters (the searcher's query limit, spaces not counted), joined by spaces.
 */
export function relatedQuery(words: string[], maxChars: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const word of words) {
    if (used + word.length > maxChars) break;
    kept.push(word);
    used += word.length;
  }
  return kept.join(' ');
}

/** The first `count` hits that are not one of `excluded` (the article itself and its copies), as related articles. */
export function relatedFrom(hits: SearchHit[], excluded: ReadonlySet<string>, count = RELATED_COUNT): RelatedRef[] {
  return hits
    .filter((hit) => !excluded.has(hit.id))
    .slice(0, count)
    .map((hit) => ({ id: hit.id, title: hit.title, ...(hit.date ? { date: hit.date } : {}) }));
}
