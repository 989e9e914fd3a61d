import { normalize } from '../analysis/normalize';
import { SearchEngine } from '../engine';
import { FREQUENT_WORDS } from '../search/pinyinIndex';
import { TitleEntry, compactText } from '../search/titles';

/** One typeahead suggestion: a document title or a frequent word of the index. */
export interface Suggestion {
  text: string;
  kind: 'title' | 'word';
  /** For a word offered because the typed text is its pinyin: the reading (e.g. `fang te`). */
  reading?: string;
}

/** Words that typed pinyin may stand for (see SearchEngine.pinyinCompletions). */
export type PinyinCompleter = (text: string, limit: number) => Array<{ word: string; reading: string }>;

/** Most suggestions one call returns (the page shows at most this many). */
export const MAX_SUGGESTIONS = 10;

interface Entry extends Suggestion {
  /** The normalized text without white space: what the query is looked for in. */
  key: string;
  /** Documents the word occurs in (titles: 0); more is better. */
  df: number;
  /** Position among the entries: words by frequency, then titles in index order. */
  order: number;
}

/**
 * Characters that stand alone (CJK: one per token, since there are no spaces between
 * words) and runs of other letters and digits (Latin words, numbers).
 */
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}\p{M}])+/gu;

/** The tokens of a text, normalized the way the index normalizes (so 鄭州 finds 郑州 and ＡＢ finds ab): CJK per character, other scripts per word. A query without any suggests nothing. */
function tokens(text: string): string[] {
  return normalize(text).match(TOKEN) ?? [];
}


/** Titles whose key (normalized, white space removed) contains a key, in index order: from a list, or from an index's own postings (SearchEngine.titlesContaining). */
export type TitleFinder = (key: string) => TitleEntry[];

/** Finds titles in a list by scanning it (what a suggester built from lists of titles uses). */
function scanTitles(titles: readonly string[]): TitleFinder {
  const entries = titles.map((title, order) => ({ text: title.trim(), key: compactText(title), order })).filter((entry) => entry.key.length > 0);
  return (key) => entries.filter((entry) => entry.key.includes(key));
}

/**
 * Typeahead over the titles and the most frequent words of an index: the entries
 * containing the whole query (normalized, white space ignored), those starting with it
 * first. Words are scanned (a few thousand short strings); titles are found by a
 * TitleFinder, for an index through its postings of single characters: nothing is built
 * when an index opens, so a server offers suggestions from its first request.
 */
export class Suggester {
  private readonly words: Entry[] = [];
  private readonly wordKeys = new Set<string>();
  private readonly titles: TitleFinder;

  /**
   * A suggester over `titles` (a list in index order, or a TitleFinder) and words with
   * their document frequency (most frequent first); a text offered as both a word and a
   * title is kept once, as a word, and a title repeated once, at its first place.
   */
  constructor(
    titles: readonly string[] | TitleFinder,
    words: ReadonlyArray<{ word: string; df: number }>,
    private readonly pinyin?: PinyinCompleter,
  ) {
    for (const { word, df } of words) {
      const key = compactText(word);
      if (key.length === 0 || this.wordKeys.has(key)) continue;
      this.wordKeys.add(key);
      this.words.push({ text: word, kind: 'word', key, df, order: this.words.length });
    }
    this.titles = typeof titles === 'function' ? titles : scanTitles(titles);
  }

  /** A suggester for an opened index: its titles (found through its postings) and its FREQUENT_WORDS most frequent words. */
  static fromEngine(engine: Pick<SearchEngine, 'titlesContaining' | 'frequentWords' | 'pinyinCompletions'>): Suggester {
    return new Suggester((key) => engine.titlesContaining(key), engine.frequentWords(FREQUENT_WORDS), (text, limit) => engine.pinyinCompletions(text, limit));
  }

  /**
   * Up to `limit` suggestions containing `query` (normalized, white space ignored):
   * those starting with it before those merely containing it; words (most frequent
   * first) before titles (in index order); at least half of the places go to titles
   * when enough of them match.
   */
  suggest(query: string, limit = MAX_SUGGESTIONS): Suggestion[] {
    const key = compactText(query);
    if (key.length === 0 || tokens(query).length === 0) return [];
    const literal = this.literalSuggestions(key, limit);
    if (literal.length >= limit || !this.pinyin) return literal;
    // Typed pinyin (fangte, zhengz, ft): the words it spells, then titles containing the first of them.
    const spelled = this.pinyin(query, limit);
    const extra: Suggestion[] = spelled.map(({ word, reading }) => ({ text: word, kind: 'word', reading }));
    if (spelled.length > 0) extra.push(...this.literalSuggestions(compactText(spelled[0].word), limit).filter((s) => s.kind === 'title'));
    const seen = new Set(literal.map((s) => s.text));
    return [...literal, ...extra.filter((s) => !seen.has(s.text) && seen.add(s.text))].slice(0, limit);
  }

  private literalSuggestions(key: string, limit: number): Suggestion[] {
    const rank = (a: Entry, b: Entry): number =>
      Number(!a.key.startsWith(key)) - Number(!b.key.startsWith(key)) || b.df - a.df || a.order - b.order;
    const words = this.words.filter((entry) => entry.key.includes(key)).sort(rank);
    // Titles come in index order and all rank alike but for starting with the key, so the first `limit` of those that
    // start with it and of the others are all a page can show; a query of one character finds thousands of titles, and
    // sorting them all (and copying the 20,000 words' keys into the set of those seen, before) was a fifth of what the
    // event loop allocated under load. Each text once: not again as a title when it is a word, and a repeated title at
    // its first place only.
    const seen = new Set<string>();
    const starting: TitleEntry[] = [];
    const within: TitleEntry[] = [];
    for (const title of this.titles(key)) {
      if (this.wordKeys.has(title.key) || seen.has(title.key)) continue;
      seen.add(title.key);
      if (!title.key.startsWith(key)) {
        if (within.length < limit) within.push(title);
      } else if (starting.push(title) === limit) break;
    }
    const titles = [...starting, ...within];
    const wordPlaces = Math.max(limit - titles.length, Math.ceil(limit / 2));
    return [...words.slice(0, wordPlaces).map(({ text, kind }) => ({ text, kind })), ...titles.map(({ text }): Suggestion => ({ text, kind: 'title' }))].slice(0, limit);
  }
}
