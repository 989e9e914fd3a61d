import { initialsKey, isLexiconWord, readings } from '../analysis/pinyin';
import type { IndexData, Lexicon } from './data';

/**
 * A segment's lexicon: what pinyin look-ups (full and initials), typeahead by pinyin and
 * the speller ("did you mean") need about the segment's words, computed when the segment
 * is written so that no query or server start computes pinyin (pinyin-pro costs tens of
 * microseconds a word: seconds for a real vocabulary). It covers every word of the segment
 * that isLexiconWord accepts, whatever its document frequency: which of them a search
 * offers (document frequency, initials) depends on the live documents of the whole index
 * and is decided when a query looks them up (search/pinyinIndex.ts), so a segment's lexicon
 * stays right however the index around it changes (updates, deletions, merges).
 *
 * Files (see ARCHITECTURE.md): `pinyin.readings` (one reading per line, syllables
 * separated by spaces, ordered by full key, then word, then the word's reading order),
 * `pinyin.words` (u32 per line: the word's number in words.terms), `pinyin.initials` (u32
 * line numbers of the readings of words of at most 4 units, ordered by initials key, then
 * word, then reading order), `spelling.keys` (sorted distinct words minus one character,
 * `\n`-separated), `spelling.words` (u32 × (keys + 1): where each key's words start; then
 * u32 word numbers, ascending per key).
 */

/** Longest word (UTF-16 units) typed by its initials. */
export const MAX_INITIALS_WORD = 4;

const NEWLINE = 0x0a;

/** Readings per word, and the bits of a `pinyin.words` number that hold the reading's place among its word's readings (fewer than 4). */
const ORDER_BITS = 2;

/**
 * The lexicon of a segment whose sorted words are `wordTerms`; `readingsOf` gives a word's
 * readings (default: pinyin-pro's, see analysis/pinyin.ts; a merge passes those its
 * segments stored).
 */
export function buildLexicon(wordTerms: readonly string[], readingsOf: (word: string) => string[][] = readings): Lexicon {
  // Words are taken in order and each word's readings in order, so every group below is already in (word, reading order).
  const entries: Array<{ reading: string; value: number; line: number }> = [];
  const byFullKey = new Map<string, number[]>();
  const deletes = new Map<string, number[]>();
  for (let word = 0; word < wordTerms.length; word++) {
    const text = wordTerms[word];
    if (!isLexiconWord(text)) continue;
    readingsOf(text).forEach((syllables, order) => {
      group(byFullKey, syllables.join(''), entries.length);
      entries.push({ reading: syllables.join(' '), value: (word << ORDER_BITS) | order, line: 0 });
    });
    const chars = [...text];
    if (chars.length < 2 || chars.length > 6) continue;
    let previous = '';
    for (let i = 0; i < chars.length; i++) {
      const key = chars.slice(0, i).join('') + chars.slice(i + 1).join('');
      // A word with a repeated character (哈哈) gives the same key twice in a row: listed once.
      if (key !== previous) group(deletes, key, word);
      previous = key;
    }
  }
  const lines: number[] = [];
  for (const key of [...byFullKey.keys()].sort()) for (const entry of byFullKey.get(key)!) entries[entry].line = lines.push(entry) - 1;
  const byInitials = new Map<string, number[]>();
  for (const entry of entries) if (wordTerms[readingWord(entry.value).word].length <= MAX_INITIALS_WORD) group(byInitials, initialsKey(entry.reading), entry.line);
  const deleteKeys = [...deletes.keys()].sort();
  const starts = [0];
  for (const key of deleteKeys) starts.push(starts[starts.length - 1] + deletes.get(key)!.length);
  const encoder = new TextEncoder();
  return {
    readings: encoder.encode(lines.map((entry) => entries[entry].reading).join('\n')),
    words: Uint32Array.from(lines, (entry) => entries[entry].value),
    initials: Uint32Array.from([...byInitials.keys()].sort().flatMap((key) => byInitials.get(key)!)),
    deleteKeys: encoder.encode(deleteKeys.join('\n')),
    deleteWords: Uint32Array.from([...starts, ...deleteKeys.flatMap((key) => deletes.get(key)!)]),
  };
}

/** Adds `value` to the list of `key`. */
function group<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The word number and the reading's place among its word's readings, of a `pinyin.words` number. */
export function readingWord(value: number): { word: number; order: number } {
  return { word: value >>> ORDER_BITS, order: value & ((1 << ORDER_BITS) - 1) };
}

/** The lines of a `\n`-separated UTF-8 text (none for an empty one). */
export function textLines(bytes: Uint8Array): string[] {
  return bytes.length === 0 ? [] : new TextDecoder().decode(bytes).split('\n');
}

/**
 * The lexicon of an index whose words are `wordTerms` merged from segments (each with its
 * words and lexicon): what buildLexicon(wordTerms) gives, with the readings the segments
 * stored instead of asking pinyin-pro again.
 */
export function mergeLexicons(parts: ReadonlyArray<{ wordTerms: readonly string[]; lexicon: Lexicon }>, wordTerms: readonly string[]): Lexicon {
  // Readings are kept as their lines and split as each word is reached: a merge of news-large's 12 segments held 1.2 M
  // arrays of syllables otherwise.
  const stored = new Map<string, string[]>();
  for (const { wordTerms: terms, lexicon } of parts) {
    textLines(lexicon.readings).forEach((reading, line) => {
      const { word, order } = readingWord(lexicon.words[line]);
      const list = stored.get(terms[word]) ?? [];
      list[order] = reading;
      stored.set(terms[word], list);
    });
  }
  return buildLexicon(wordTerms, (word) => stored.get(word)?.map((reading) => reading.split(' ')) ?? readings(word));
}

/** The lexicon of `data`: as read from its segment files, or computed from its words now (an index built in memory) and kept. */
export function lexiconOf(data: Pick<IndexData, 'wordTerms' | 'lexicon'>): Lexicon {
  data.lexicon ??= buildLexicon(data.wordTerms);
  return data.lexicon;
}

/** Number of lines of a `\n`-separated text (an empty text has none). */
export function lineCount(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let lines = 1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NEWLINE) lines++;
  return lines;
}

/**
 * What is wrong with a lexicon read back for a segment of `words` words, or undefined
 * when its tables agree with each other (the checksums already caught changed bytes:
 * this catches files written inconsistently).
 */
export function lexiconProblem(lexicon: Lexicon, words: number): string | undefined {
  const entries = lineCount(lexicon.readings);
  if (lexicon.words.length !== entries) return 'pinyin.words does not have one word per line of pinyin.readings';
  if (lexicon.words.some((value) => readingWord(value).word >= words)) return 'pinyin.words names a word the segment does not have';
  if (lexicon.initials.some((line) => line >= entries)) return 'pinyin.initials names a reading that pinyin.readings does not have';
  const keys = lineCount(lexicon.deleteKeys);
  const starts = lexicon.deleteWords.subarray(0, keys + 1);
  const ids = lexicon.deleteWords.length - keys - 1;
  if (ids < 0 || starts[0] !== 0 || starts[keys] !== ids || starts.some((start, i) => i > 0 && start < starts[i - 1])) return 'spelling.words does not match spelling.keys';
  if (lexicon.deleteWords.subarray(keys + 1).some((word) => word >= words)) return 'spelling.words names a word the segment does not have';
  return undefined;
}
