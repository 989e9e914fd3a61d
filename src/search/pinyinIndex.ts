import { fullKey, initialsKey, isLexiconWord } from '../analysis/pinyin';
import { IndexData, Lexicon, findTerm } from '../index/data';
import { lexiconOf, lineStarts, readingWord } from '../index/lexicon';
import { PostingsReader } from '../index/postings';
import { untimed } from './deadline';

/** A word the pinyin index knows, with how many documents contain it. */
export interface PinyinWord {
  word: string;
  df: number;
  /** The reading that matched, syllables separated by spaces (e.g. `fang te`). */
  reading: string;
}

/**
 * How many of the index's most frequent words can be typed by their initials (besides
 * every word of a title), and the typeahead offers (besides every title): one vocabulary,
 * so what can be typed by its initials can also be completed.
 */
export const FREQUENT_WORDS = 20000;

/** A prefix of typed pinyin looks at the words of at most this many keys (enough to find the frequent words among them, without scanning a whole letter for a one-letter prefix). */
const PREFIX_KEYS = 5000;

/**
 * The pinyin key of typed text: lower case, tone marks and tone numbers removed, ü as v,
 * spaces and apostrophes dropped (fāng tè, fang'te, fang3te4 → fangte). Undefined when
 * the text is not made of Latin letters only.
 */
export function pinyinKey(text: string): string | undefined {
  const plain = text
    .normalize('NFD')
    .toLowerCase()
    .replace(/u\u0308|u:/g, 'v')
    .replace(/\p{M}/gu, '')
    .replace(/[\s'’]/g, '');
  // A tone number may only close a syllable (after a vowel, n, g or r).
  if (/(^|[^aeiouvngr])[1-5]/.test(plain)) return undefined;
  const key = plain.replace(/[1-5]/g, '');
  return /^[a-z]+$/.test(key) ? key : undefined;
}

/**
 * The `limit` words of an index in most documents that `accept` takes, most frequent first
 * (ties in word order). Words are taken by document frequency from a count of each
 * frequency, so only the words that can make the list are tested and nothing is sorted: a
 * few milliseconds for a large vocabulary.
 */
export function mostFrequentWords(data: IndexData, limit: number, accept: (word: string, df: number) => boolean): Array<{ word: string; df: number }> {
  const { wordTerms, words } = data;
  let most = 0;
  for (let i = 0; i < wordTerms.length; i++) most = Math.max(most, words.df[i]);
  // Word numbers by document frequency, highest first, each frequency's in word order (a counting sort).
  const starts = new Uint32Array(most + 2);
  for (let i = 0; i < wordTerms.length; i++) starts[most - words.df[i] + 1]++;
  for (let f = 1; f < starts.length; f++) starts[f] += starts[f - 1];
  const ordered = new Uint32Array(wordTerms.length);
  for (let i = 0; i < wordTerms.length; i++) ordered[starts[most - words.df[i]]++] = i;
  const found: Array<{ word: string; df: number }> = [];
  for (let n = 0; n < ordered.length && found.length < limit; n++) {
    const word = wordTerms[ordered[n]];
    const df = words.df[ordered[n]];
    if (accept(word, df)) found.push({ word, df });
  }
  return found;
}

function byFrequency(a: { word: string; df: number }, b: { word: string; df: number }): number {
  return b.df - a.df || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
}

const UTF8 = new TextDecoder();

/** The lines of a stored `\n`-separated UTF-8 text, each decoded when asked for: the text is never decoded whole. */
class StoredLines {
  /** `starts`: where each line starts, when worked out beforehand (Lexicon.readingStarts); else worked out on first use. */
  constructor(
    private readonly bytes: Uint8Array,
    private starts?: Uint32Array,
  ) {}

  /** Number of lines (none in an empty text). */
  get length(): number {
    return this.lineStarts().length;
  }

  /** Line `n`. */
  at(n: number): string {
    const starts = this.lineStarts();
    const end = n + 1 < starts.length ? starts[n + 1] - 1 : this.bytes.length;
    return UTF8.decode(this.bytes.subarray(starts[n], end));
  }

  private lineStarts(): Uint32Array {
    this.starts ??= lineStarts(this.bytes);
    return this.starts;
  }
}

/** The first position in [0, n) whose value is not below `target` (values ascending). */
function lowerBound(n: number, valueAt: (i: number) => string, target: string): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (valueAt(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One segment's stored lexicon (index/lexicon.ts) as queries read it: a reading or a speller's key is decoded when looked at, nothing when the index opens. */
export class SegmentLexicon {
  private readonly readings: StoredLines;
  private readonly deleteKeys: StoredLines;

  constructor(
    private readonly wordTerms: readonly string[],
    private readonly lexicon: Lexicon,
  ) {
    this.readings = new StoredLines(lexicon.readings, lexicon.readingStarts);
    this.deleteKeys = new StoredLines(lexicon.deleteKeys, lexicon.deleteKeyStarts);
  }

  /** Number of readings. */
  get size(): number {
    return this.lexicon.words.length;
  }

  /** The reading on `line`, syllables separated by spaces. */
  reading(line: number): string {
    return this.readings.at(line);
  }

  /** The word whose reading is on `line`. */
  word(line: number): string {
    return this.wordTerms[readingWord(this.lexicon.words[line]).word];
  }

  /** The first line whose full key is not below `key`. */
  fullFrom(key: string): number {
    return lowerBound(this.size, (line) => fullKey(this.reading(line)), key);
  }

  /** The lines (in order) of readings whose initials are `key`. */
  initials(key: string): number[] {
    const { initials } = this.lexicon;
    const lines: number[] = [];
    for (let i = lowerBound(initials.length, (at) => initialsKey(this.reading(initials[at])), key); i < initials.length; i++) {
      if (initialsKey(this.reading(initials[i])) !== key) break;
      lines.push(initials[i]);
    }
    return lines;
  }

  /** The words (of 2–6 characters) that give `key` with one character deleted. */
  wordsWithOneMore(key: string): string[] {
    const keys = this.deleteKeys;
    const at = lowerBound(keys.length, (i) => keys.at(i), key);
    if (at === keys.length || keys.at(at) !== key) return [];
    const starts = this.lexicon.deleteWords;
    const ids = starts.subarray(keys.length + 1 + starts[at], keys.length + 1 + starts[at + 1]);
    return Array.from(ids, (id) => this.wordTerms[id]);
  }
}

/**
 * The words of an index worth knowing by pinyin or by a near spelling, looked up in the
 * lexicons its segments store (index/lexicon.ts): Han words of 2–6 characters in at least
 * a few live documents (1 in a small index, 1 per 10,000 documents in a large one), with
 * their live document frequencies. Nothing is built when an index opens: a segment's
 * lexicon holds every word it has, and which of them count is decided here from the live
 * term table, so an index updated or made of several segments answers as a fresh build of
 * its live documents.
 */
export class Vocabulary {
  private lexicons?: SegmentLexicon[];
  private readonly minDf: number;

  constructor(private readonly data: IndexData) {
    this.minDf = Math.max(1, Math.ceil(data.documentCount / 10000));
  }

  /**
   * The lexicons of the index's segments (one for an index of one segment). An index built
   * in memory and never saved computes its own on first use (lexiconOf, seconds for a large
   * vocabulary), not counted against a search's deadline.
   */
  get segments(): SegmentLexicon[] {
    this.lexicons ??= untimed(() => (this.data.segmentParts?.map((part) => part.data) ?? [this.data]).map((part) => new SegmentLexicon(part.wordTerms, lexiconOf(part))));
    return this.lexicons;
  }

  /** The live document frequency of `word` when it belongs to the vocabulary, else 0. */
  df(word: string): number {
    if (!isLexiconWord(word)) return 0;
    const term = findTerm(this.data.wordTerms, word);
    const df = term < 0 ? 0 : this.data.words.df[term];
    return df >= this.minDf ? df : 0;
  }

  /** The FREQUENT_WORDS words of the vocabulary in most documents (ties: in word order). */
  mostFrequent(): Set<string> {
    return new Set(mostFrequentWords(this.data, FREQUENT_WORDS, (word, df) => df >= this.minDf && isLexiconWord(word)).map((w) => w.word));
  }

  /** Words of the vocabulary that give `key` with one character deleted. */
  wordsWithOneMore(key: string): string[] {
    const found = new Set<string>();
    for (const segment of this.segments) for (const word of segment.wordsWithOneMore(key)) if (this.df(word) > 0) found.add(word);
    return [...found];
  }
}

/**
 * Pinyin → words of the index: full pinyin (fangte → 方特, zhengzhou → 郑州) for every word
 * of the vocabulary, and initials (ft → 方特) for words of up to 4 characters among the
 * most frequent (FREQUENT_WORDS) or found in a title (title or subtitle), each word under
 * all its common readings. Reads the segments' stored lexicons: ready as soon as the index
 * is open.
 */
export class PinyinIndex {
  private frequent?: Set<string>;

  constructor(
    readonly vocabulary: Vocabulary,
    private readonly reader: PostingsReader,
  ) {}

  /** Words whose full pinyin is `key` (see pinyinKey), most frequent first. */
  byPinyin(key: string): PinyinWord[] {
    const found = new Map<string, PinyinWord>();
    for (const segment of this.vocabulary.segments) {
      for (let line = segment.fullFrom(key); line < segment.size && fullKey(segment.reading(line)) === key; line++) {
        this.take(found, segment.word(line), segment.reading(line), false);
      }
    }
    return [...found.values()].sort(byFrequency);
  }

  /** Words whose initials are `key`, most frequent first. */
  byInitials(key: string): PinyinWord[] {
    const found = new Map<string, PinyinWord>();
    for (const segment of this.vocabulary.segments) for (const line of segment.initials(key)) this.take(found, segment.word(line), segment.reading(line), true);
    return [...found.values()].sort(byFrequency);
  }

  /** Words whose full pinyin starts with `prefix` (zhengz → 郑州), most frequent first: typeahead while typing pinyin. */
  byPinyinPrefix(prefix: string, limit: number): PinyinWord[] {
    const found: Array<PinyinWord & { key: string }> = [];
    for (const segment of this.vocabulary.segments) {
      let keys = 0;
      let last = '';
      for (let line = segment.fullFrom(prefix); line < segment.size; line++) {
        const reading = segment.reading(line);
        const key = fullKey(reading);
        if (!key.startsWith(prefix)) break;
        const word = segment.word(line);
        const df = this.vocabulary.df(word);
        if (df === 0) continue;
        if (key !== last && ++keys > PREFIX_KEYS) break;
        last = key;
        found.push({ word, df, reading, key });
      }
    }
    // The first PREFIX_KEYS keys of all segments together (each segment contributed at most its first PREFIX_KEYS).
    const keys = new Set([...new Set(found.map((w) => w.key))].sort().slice(0, PREFIX_KEYS));
    const seen = new Set<string>();
    return found
      .filter((w) => keys.has(w.key))
      .sort((a, b) => byFrequency(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .filter((w) => !seen.has(w.word) && seen.add(w.word))
      .slice(0, limit)
      .map(({ word, df, reading }) => ({ word, df, reading }));
  }

  /** Adds `word` read as `reading` to `found` unless it is there already or not in the vocabulary (or, for initials, not typed by them). */
  private take(found: Map<string, PinyinWord>, word: string, reading: string, initials: boolean): void {
    if (found.has(word)) return;
    const df = this.vocabulary.df(word);
    if (df > 0 && (!initials || this.typedByInitials(word))) found.set(word, { word, df, reading });
  }

  /** Whether a word of the vocabulary may be typed by its initials: one of the most frequent, or in a live document's title field. */
  private typedByInitials(word: string): boolean {
    this.frequent ??= this.vocabulary.mostFrequent();
    return this.frequent.has(word) || this.reader.word(word).title.some((count) => count > 0);
  }
}
