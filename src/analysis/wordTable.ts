import type { WordSource } from './analyzer';

/**
 * The words given for texts, by kind (a normalized text and its words): what a thread
 * that has jieba hands one that has not, so that it analyzes a query without loading
 * jieba (a server's long-query thread, see server/borrowedWords.ts).
 */
export interface WordTable {
  /** queryWords of each text. */
  query: Array<[string, string[]]>;
  /** searchWords of each text. */
  search: Array<[string, string[]]>;
}

/** A WordSource giving `inner`'s words, and the table of every text it was asked about. */
export function recordingWords(inner: WordSource): { words: WordSource; table(): WordTable } {
  const query = new Map<string, string[]>();
  const search = new Map<string, string[]>();
  const recorded = (map: Map<string, string[]>, text: string, words: string[]): string[] => {
    // Copies: whoever is given the words may change their array.
    map.set(text, words.slice());
    return words;
  };
  return {
    words: {
      queryWords: (text) => recorded(query, text, inner.queryWords(text)),
      searchWords: (text) => recorded(search, text, inner.searchWords(text)),
    },
    table: () => ({ query: [...query], search: [...search] }),
  };
}

/**
 * A WordSource answering from a table (`use`) where it holds the text, else from
 * `fallback`: the same words either way, as long as the table was made by the same
 * segmenter (recordingWords over jieba with the same dictionary).
 */
export class TableWords implements WordSource {
  private query = new Map<string, string[]>();
  private search = new Map<string, string[]>();

  constructor(private readonly fallback: WordSource) {}

  /** Answers from `table` from now on (the previous table is dropped). */
  use(table: WordTable | undefined): void {
    this.query = new Map(table?.query);
    this.search = new Map(table?.search);
  }

  queryWords(normalized: string): string[] {
    return this.query.get(normalized)?.slice() ?? this.fallback.queryWords(normalized);
  }

  searchWords(normalized: string): string[] {
    return this.search.get(normalized)?.slice() ?? this.fallback.searchWords(normalized);
  }
}
