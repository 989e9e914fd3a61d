import { pinyin } from 'pinyin-pro';

/** A word the pinyin index knows, with how many documents contain it. */
export interface PinyinWord {
  word: string;
  df: number;
  /** The reading that matched, syllables separated by spaces (e.g. `fang te`). */
  reading: string;
}

const HAN = /^\p{Script=Han}+$/u;
/** At most this many readings per word, so a word of several polyphonic characters cannot blow up. */
const MAX_READINGS = 4;

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

/** The readings of a Han word: pinyin-pro's reading in context, then other readings of polyphonic characters. */
export function readings(word: string): string[][] {
  const main = pinyin(word, { toneType: 'none', type: 'array', v: true });
  const options = [...word].map((ch, i) => {
    const all = pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true });
    return [main[i], ...all.filter((r) => r !== main[i])];
  });
  const result: string[][] = [main];
  const seen = new Set([main.join(' ')]);
  for (let i = 0; i < options.length && result.length < MAX_READINGS; i++) {
    for (const alternative of options[i].slice(1)) {
      const reading = [...main];
      reading[i] = alternative;
      if (!seen.has(reading.join(' ')) && result.length < MAX_READINGS) {
        seen.add(reading.join(' '));
        result.push(reading);
      }
    }
  }
  return result;
}

/**
 * Pinyin → words of the index: full pinyin (fangte → 方特, zhengzhou → 郑州) for every
 * Han word of 2–6 characters, and initials (ft → 方特) for the most frequent ones and
 * title words, each word under all its common readings. Built from the vocabulary when
 * first needed (about 5 µs a word).
 */
export class PinyinIndex {
  private readonly full = new Map<string, PinyinWord[]>();
  private readonly initials = new Map<string, PinyinWord[]>();
  private sortedKeys?: string[];

  /**
   * `words`: the vocabulary with document frequencies; `initialsFor`: words that may be
   * typed by their initials (titles' words, frequent words).
   */
  static build(words: Iterable<{ word: string; df: number }>, initialsFor: Set<string>): PinyinIndex {
    const index = new PinyinIndex();
    for (const word of words) index.add(word, initialsFor.has(word.word));
    return index.seal();
  }

  /** Indexes one word under its readings, and under their initials when `withInitials`. Call `seal` after the last. */
  add({ word, df }: { word: string; df: number }, withInitials: boolean): void {
    if (word.length < 2 || word.length > 6 || !HAN.test(word)) return;
    for (const reading of readings(word)) {
      add(this.full, reading.join(''), { word, df, reading: reading.join(' ') });
      if (withInitials && word.length <= 4) add(this.initials, reading.map((s) => s[0]).join(''), { word, df, reading: reading.join(' ') });
    }
  }

  /** Orders every key's words, most frequent first; the index is ready for look-ups. */
  seal(): this {
    for (const map of [this.full, this.initials]) for (const list of map.values()) list.sort((a, b) => b.df - a.df || (a.word < b.word ? -1 : 1));
    return this;
  }

  /** Words whose full pinyin is `key` (see pinyinKey), most frequent first. */
  byPinyin(key: string): PinyinWord[] {
    return this.full.get(key) ?? [];
  }

  /** Words whose initials are `key`, most frequent first. */
  byInitials(key: string): PinyinWord[] {
    return this.initials.get(key) ?? [];
  }

  /** Words whose full pinyin starts with `prefix` (zhengz → 郑州), most frequent first: typeahead while typing pinyin. */
  byPinyinPrefix(prefix: string, limit: number): PinyinWord[] {
    this.sortedKeys ??= [...this.full.keys()].sort();
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: PinyinWord[] = [];
    // Enough keys to find the frequent words among them, without scanning a whole letter for a one-letter prefix.
    for (let i = lo; i < keys.length && i < lo + 5000 && keys[i].startsWith(prefix); i++) found.push(...this.full.get(keys[i])!);
    const seen = new Set<string>();
    return found
      .sort((a, b) => b.df - a.df || (a.word < b.word ? -1 : 1))
      .filter((w) => !seen.has(w.word) && seen.add(w.word))
      .slice(0, limit);
  }
}

function add(map: Map<string, PinyinWord[]>, key: string, entry: PinyinWord): void {
  const list = map.get(key);
  if (!list) map.set(key, [entry]);
  else if (!list.some((e) => e.word === entry.word)) list.push(entry);
}
