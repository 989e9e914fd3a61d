import { Index } from 'flexsearch';
import { normalize } from '../analysis/normalize';
import { SearchEngine } from '../engine';
import { FREQUENT_WORDS } from '../search/expansion';
import { inSlices } from '../eventLoop';

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


/** FlexSearch matches found before the "contains the whole query" check; enough for any prefix of a real archive. */
const CANDIDATES = 2000;

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

/**
 * FlexSearch's tokens for a text: normalized the way the index normalizes (so 鄭州 finds
 * 郑州 and ＡＢ finds ab), CJK split per character, other scripts per word.
 */
function tokens(text: string): string[] {
  return normalize(text).match(TOKEN) ?? [];
}

function compact(text: string): string {
  return normalize(text).replace(/\s+/gu, '');
}

/** Words (most frequent first), then titles (in index order): what a suggester holds, in order. */
function* entriesOf(titles: readonly string[], words: ReadonlyArray<{ word: string; df: number }>): Generator<{ text: string; kind: Suggestion['kind']; df: number }> {
  for (const { word, df } of words) yield { text: word, kind: 'word', df };
  for (const title of titles) yield { text: title.trim(), kind: 'title', df: 0 };
}

/**
 * Typeahead over the titles and the most frequent words of an index. A FlexSearch
 * "full" index (every substring of every token) finds the entries holding all of the
 * query's characters and word parts; only those containing the whole query, in order,
 * are kept, those starting with it first.
 */
export class Suggester {
  private readonly index = new Index({ tokenize: 'full', encode: tokens });
  private readonly entries: Entry[] = [];

  private readonly seen = new Set<string>();

  /**
   * Builds the suggestions from titles (in index order) and words with their document
   * frequency; the same text offered as both a word and a title is kept once, as a word.
   */
  constructor(
    titles: readonly string[],
    words: ReadonlyArray<{ word: string; df: number }>,
    private readonly pinyin?: PinyinCompleter,
  ) {
    for (const item of entriesOf(titles, words)) this.add(item);
  }

  private add({ text, kind, df }: { text: string; kind: Suggestion['kind']; df: number }): void {
    const key = compact(text);
    if (key.length === 0 || this.seen.has(key)) return;
    this.seen.add(key);
    const order = this.entries.length;
    this.index.add(order, text);
    this.entries.push({ text, kind, key, df, order });
  }

  /** A suggester for an opened index: every title and its FREQUENT_WORDS most frequent words. */
  static fromEngine(engine: Pick<SearchEngine, 'titles' | 'frequentWords' | 'pinyinCompletions'>): Suggester {
    return new Suggester(engine.titles(), engine.frequentWords(FREQUENT_WORDS), (text, limit) => engine.pinyinCompletions(text, limit));
  }

  /**
   * The same suggester as fromEngine, returned at once and filled in slices between which
   * the event loop turns (a large archive's typeahead takes a second or more to build):
   * a server answers searches meanwhile, and suggestions from what is in so far.
   * `ready` resolves when it is complete, or rejects when `signal` aborts (filling stops).
   */
  static inSlices(engine: Pick<SearchEngine, 'titles' | 'frequentWords' | 'pinyinCompletions'>, signal?: AbortSignal): { suggester: Suggester; ready: Promise<void> } {
    const suggester = new Suggester([], [], (text, limit) => engine.pinyinCompletions(text, limit));
    const ready = inSlices(entriesOf(engine.titles(), engine.frequentWords(FREQUENT_WORDS)), (item) => suggester.add(item), { signal });
    return { suggester, ready };
  }

  /** Number of distinct suggestions the index holds. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Up to `limit` suggestions containing `query` (normalized, white space ignored):
   * those starting with it before those merely containing it; words (most frequent
   * first) before titles (in index order); at least half of the places go to titles
   * when enough of them match.
   */
  suggest(query: string, limit = MAX_SUGGESTIONS): Suggestion[] {
    const key = compact(query);
    if (key.length === 0 || tokens(query).length === 0) return [];
    const literal = this.literalSuggestions(query, key, limit);
    if (literal.length >= limit || !this.pinyin) return literal;
    // Typed pinyin (fangte, zhengz, ft): the words it spells, then titles containing the first of them.
    const spelled = this.pinyin(query, limit);
    const extra: Suggestion[] = spelled.map(({ word, reading }) => ({ text: word, kind: 'word', reading }));
    if (spelled.length > 0) extra.push(...this.literalSuggestions(spelled[0].word, compact(spelled[0].word), limit).filter((s) => s.kind === 'title'));
    const seen = new Set(literal.map((s) => s.text));
    return [...literal, ...extra.filter((s) => !seen.has(s.text) && seen.add(s.text))].slice(0, limit);
  }

  private literalSuggestions(query: string, key: string, limit: number): Suggestion[] {
    const ids = this.index.search(query, { limit: CANDIDATES }) as number[];
    const found = ids.map((id) => this.entries[id]).filter((entry) => entry.key.includes(key));
    const rank = (a: Entry, b: Entry): number =>
      Number(!a.key.startsWith(key)) - Number(!b.key.startsWith(key)) || b.df - a.df || a.order - b.order;
    const words = found.filter((entry) => entry.kind === 'word').sort(rank);
    const titles = found.filter((entry) => entry.kind === 'title').sort(rank);
    const wordPlaces = Math.max(limit - titles.length, Math.ceil(limit / 2));
    return [...words.slice(0, wordPlaces), ...titles]
      .slice(0, limit)
      .map(({ text, kind }) => ({ text, kind }));
  }
}
