import * as fs from 'node:fs';
import * as nodejieba from 'nodejieba';

declare module 'nodejieba' {
  /** jieba's main dictionary: `word frequency tag` per line. */
  export const DEFAULT_DICT: string;
}

/** Which dictionary lists a word: jieba's own, or the project's user dictionary. */
export type KnownIn = 'jieba' | 'user';

/** What the dictionaries say about some words. */
export interface DictionaryLookup {
  /** The words asked about that a dictionary lists, and which (jieba's first). */
  known: Map<string, KnownIn>;
  /** The sum of the frequencies in jieba's dictionary: jieba weighs a word w as ln(freq(w) / total). */
  frequencyTotal: number;
}

/**
 * Which of `words` jieba's dictionary (`word frequency tag` per line; default nodejieba's
 * own, 349 k words) or a user dictionary (`word [frequency] [tag]`) lists, and jieba's
 * frequency total. Only the words asked about are kept, so a lookup costs one read of
 * each file (about 0.2 s), not a copy of the dictionary in memory.
 */
export function lookUpWords(words: Iterable<string>, userDict?: string, jiebaDict: string = nodejieba.DEFAULT_DICT): DictionaryLookup {
  const wanted = new Set(words);
  const known = new Map<string, KnownIn>();
  let frequencyTotal = 0;
  for (const [word, frequency] of dictionaryEntries(jiebaDict)) {
    if (wanted.has(word)) known.set(word, 'jieba');
    frequencyTotal += Number(frequency) || 0;
  }
  if (userDict) for (const [word] of dictionaryEntries(userDict)) if (wanted.has(word) && !known.has(word)) known.set(word, 'user');
  return { known, frequencyTotal };
}

/** The non-blank lines of a jieba dictionary file, split into columns. */
function* dictionaryEntries(file: string): Generator<string[]> {
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const columns = line.trim().split(/\s+/);
    if (columns[0]) yield columns;
  }
}

/** A discovered word and how often it occurred in a corpus of `characters` Han characters. */
export interface CountedWord {
  word: string;
  count: number;
}

/**
 * A jieba user dictionary (`word frequency n` per line, in the order given) for words
 * counted in a corpus of `characters` Han characters. Each frequency puts the word's
 * share of the corpus on the scale of jieba's dictionary (`frequencyTotal`): jieba then
 * weighs it as it would a dictionary word that common, neither drowned by the 60 M total
 * nor forced everywhere. Tag `n` (noun): the most common class of new words, and jieba's
 * segmentation does not use tags.
 */
export function formatUserDictionary(words: readonly CountedWord[], characters: number, frequencyTotal: number): string {
  return words.map(({ word, count }) => `${word} ${Math.max(1, Math.round((count / characters) * frequencyTotal))} n\n`).join('');
}
