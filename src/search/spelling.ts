import { isHan, readings } from '../analysis/pinyin';
import { PinyinIndex } from './pinyinIndex';

/** A word of the index with its document frequency. */
export interface VocabularyWord {
  word: string;
  df: number;
}

/**
 * Near forms of a query word that the index knows better ("did you mean"): words that
 * sound the same (芳特 → 方特, 郑洲 → 郑州), and words one character longer, shorter
 * or different (a missing, extra or mistyped character), found through the map from each
 * word with one character deleted that every segment stores (the SymSpell idea, distance
 * 1; index/lexicon.ts). Nothing to build: ready as soon as the index is open.
 */
export class Speller {
  constructor(private readonly pinyin: PinyinIndex) {}

  /** Candidate replacements for `term` (a normalized word), best (most documents) first, never `term` itself. */
  candidates(term: string): VocabularyWord[] {
    const { vocabulary } = this.pinyin;
    const chars = [...term];
    const found = new Set<string>();
    if (isHan(term) && chars.length >= 2) {
      for (const reading of readings(term)) for (const w of this.pinyin.byPinyin(reading.join(''))) found.add(w.word);
    }
    // One character too many: term minus a character is a word; one missing or wrong: a word minus a character is the term (or term minus one).
    for (const w of vocabulary.wordsWithOneMore(term)) found.add(w);
    for (let i = 0; i < chars.length && chars.length > 2; i++) {
      const shorter = [...chars.slice(0, i), ...chars.slice(i + 1)].join('');
      if (vocabulary.df(shorter) > 0) found.add(shorter);
      for (const w of vocabulary.wordsWithOneMore(shorter)) if ([...w].length === chars.length) found.add(w);
    }
    found.delete(term);
    return [...found]
      .map((word) => ({ word, df: vocabulary.df(word) }))
      .sort((a, b) => b.df - a.df || (a.word < b.word ? -1 : 1));
  }
}
