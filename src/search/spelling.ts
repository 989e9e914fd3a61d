import { PinyinIndex, readings } from './pinyinIndex';

/** A word of the index with its document frequency. */
export interface VocabularyWord {
  word: string;
  df: number;
}

/**
 * Near forms of a query word that the index knows better ("did you mean"): words that
 * sound the same (芳特 → 方特, 郑洲 → 郑州), and words one character longer, shorter
 * or different (a missing, extra or mistyped character), found through a map from each
 * word with one character deleted (the SymSpell idea, distance 1).
 */
export class Speller {
  private readonly known = new Map<string, number>();
  private readonly deletes = new Map<string, string[]>();

  constructor(words: Iterable<VocabularyWord>, private readonly pinyin: PinyinIndex) {
    for (const word of words) this.add(word);
  }

  /** Learns one more word of the index. */
  add({ word, df }: VocabularyWord): void {
    this.known.set(word, df);
    const chars = [...word];
    if (chars.length < 2 || chars.length > 6) return;
    for (let i = 0; i < chars.length; i++) {
      const key = [...chars.slice(0, i), ...chars.slice(i + 1)].join('');
      const list = this.deletes.get(key);
      if (!list) this.deletes.set(key, [word]);
      else list.push(word);
    }
  }

  /** Candidate replacements for `term` (a normalized word), best (most documents) first, never `term` itself. */
  candidates(term: string): VocabularyWord[] {
    const chars = [...term];
    const found = new Set<string>();
    if (/^\p{Script=Han}+$/u.test(term) && chars.length >= 2) {
      for (const reading of readings(term)) for (const w of this.pinyin.byPinyin(reading.join(''))) found.add(w.word);
    }
    // One character too many: term minus a character is a word; one missing or wrong: a word minus a character is the term (or term minus one).
    for (const w of this.deletes.get(term) ?? []) found.add(w);
    for (let i = 0; i < chars.length && chars.length > 2; i++) {
      const shorter = [...chars.slice(0, i), ...chars.slice(i + 1)].join('');
      if (this.known.has(shorter)) found.add(shorter);
      for (const w of this.deletes.get(shorter) ?? []) if ([...w].length === chars.length) found.add(w);
    }
    found.delete(term);
    return [...found]
      .map((word) => ({ word, df: this.known.get(word) ?? 0 }))
      .sort((a, b) => b.df - a.df || (a.word < b.word ? -1 : 1));
  }
}
