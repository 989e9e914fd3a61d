import { initialsKey, isLexiconWord, readings } from '../analysis/pinyin';
import type { IndexData, Lexicon } from './data';
import { GrowableU32 } from './growableU32';
import { sharedUint32Array } from './sharedMemory';
import { ByteWriter } from './varint';

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
const LINE_BREAK = Uint8Array.of(NEWLINE);

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
  // Each delete key with its word's number in two UTF-16 units after a NUL (keys are Han text, which holds none):
  // sorted as strings, they come in (key, word) order, without a map of keys to arrays of words.
  const deletes: string[] = [];
  for (let word = 0; word < wordTerms.length; word++) {
    const text = wordTerms[word];
    if (!isLexiconWord(text)) continue;
    readingsOf(text).forEach((syllables, order) => {
      group(byFullKey, syllables.join(''), entries.length);
      entries.push({ reading: syllables.join(' '), value: (word << ORDER_BITS) | order, line: 0 });
    });
    const chars = [...text];
    if (chars.length < 2 || chars.length > 6) continue;
    // One unit per character (no surrogate pairs, nearly every word): the text sliced as is.
    const units = chars.length === text.length;
    let previous = '';
    for (let i = 0; i < chars.length; i++) {
      const key = units ? text.slice(0, i) + text.slice(i + 1) : chars.slice(0, i).join('') + chars.slice(i + 1).join('');
      // A word with a repeated character (哈哈) gives the same key twice in a row: listed once.
      if (key !== previous) deletes.push(key + String.fromCharCode(0, word >>> 16, word & 0xffff));
      previous = key;
    }
  }
  const lines: number[] = [];
  for (const key of [...byFullKey.keys()].sort()) for (const entry of byFullKey.get(key)!) entries[entry].line = lines.push(entry) - 1;
  const byInitials = new Map<string, number[]>();
  for (const entry of entries) if (wordTerms[readingWord(entry.value).word].length <= MAX_INITIALS_WORD) group(byInitials, initialsKey(entry.reading), entry.line);
  deletes.sort();
  const deleteKeys: string[] = [];
  const starts = [0];
  const deleteWords = new Uint32Array(deletes.length);
  for (let i = 0; i < deletes.length; i++) {
    const entry = deletes[i];
    const length = entry.length - 3;
    const key = entry.slice(0, length);
    if (deleteKeys.length === 0 || key !== deleteKeys[deleteKeys.length - 1]) {
      if (deleteKeys.length > 0) starts.push(i);
      deleteKeys.push(key);
    }
    deleteWords[i] = entry.charCodeAt(length + 1) * 0x10000 + entry.charCodeAt(length + 2);
  }
  if (deleteKeys.length > 0) starts.push(deletes.length);
  const encoder = new TextEncoder();
  return {
    readings: encoder.encode(lines.map((entry) => entries[entry].reading).join('\n')),
    words: Uint32Array.from(lines, (entry) => entries[entry].value),
    initials: concatenated([...byInitials.keys()].sort().map((key) => byInitials.get(key)!)),
    deleteKeys: encoder.encode(deleteKeys.join('\n')),
    deleteWords: withStarts(starts, deleteWords),
  };
}

/**
 * The lists one after another in one array: filled in place, since spreading a large
 * vocabulary's lists into one JavaScript array first cost more than the lists did.
 */
function concatenated(lists: readonly number[][]): Uint32Array {
  let total = 0;
  for (const list of lists) total += list.length;
  const out = new Uint32Array(total);
  let at = 0;
  for (const list of lists) {
    out.set(list, at);
    at += list.length;
  }
  return out;
}

/** `starts` (where each key's words begin in `words`, and their end) then `words`, in one array: a `spelling.words` table. */
function withStarts(starts: number[], words: Uint32Array): Uint32Array {
  const out = new Uint32Array(starts.length + words.length);
  out.set(starts);
  out.set(words, starts.length);
  return out;
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

/**
 * The lexicon of an index whose words are `wordTerms` merged from segments (each with its
 * words and its lexicon, complete for its words as buildLexicon writes it): what
 * buildLexicon(wordTerms) gives, byte for byte, with the readings the segments stored
 * instead of asking pinyin-pro again. Each of a segment's tables is already sorted as the
 * merged one is (readings by full key, word, order; initials by initials key, word, order;
 * delete keys by key), and a segment's word numbers grow with the merged ones, so each
 * table is a k-way merge of the segments' tables, written as it goes: nothing holds the
 * merged vocabulary but the output's bytes and a few integers per entry (rebuilding it as
 * maps of strings took some 300 MB of heap for news-large's 324 K words). A word of a
 * segment that is not in `wordTerms` (its documents deleted) is left out with its entries.
 */
export function mergeLexicons(parts: ReadonlyArray<{ wordTerms: readonly string[]; lexicon: Lexicon }>, wordTerms: readonly string[]): Lexicon {
  const segments = parts.map(({ wordTerms: terms, lexicon }) => ({ lexicon, toMerged: mergedNumbers(terms, wordTerms), lines: new LineText(lexicon.readings) }));

  // Readings: ordered by (full key, word, reading order); a word held by several segments is written once.
  const readingText = new ByteWriter(1 << 16);
  const readingWords = new GrowableU32();
  const mergedLine = segments.map(({ lines }) => new Int32Array(lines.count).fill(-1));
  const readingOf = segments.map(({ lexicon, toMerged, lines }) => (line: number): LexiconEntry | undefined => {
    const { word, order } = readingWord(lexicon.words[line]);
    const merged = toMerged[word];
    if (merged < 0) return undefined;
    const text = lines.text(line);
    return { key: text.replaceAll(' ', ''), word: merged, order, text, line };
  });
  kWayMerge(
    segments.map(({ lines }) => lines.count),
    readingOf,
    (entries) => {
      const line = readingWords.length;
      if (line > 0) readingText.writeBytes(LINE_BREAK);
      const [p, first] = entries[0];
      readingText.writeBytes(segments[p].lines.bytes(first.line));
      readingWords.push((first.word << ORDER_BITS) | first.order);
      for (const [q, entry] of entries) mergedLine[q][entry.line] = line;
    },
  );

  // Initials: the readings of words of at most MAX_INITIALS_WORD units, ordered by (initials key, word, reading order).
  const initials = new GrowableU32();
  kWayMerge(
    segments.map(({ lexicon }) => lexicon.initials.length),
    segments.map(({ lexicon }, p) => (i: number): LexiconEntry | undefined => {
      const entry = readingOf[p](lexicon.initials[i]);
      return entry && { ...entry, key: initialsKey(entry.text) };
    }),
    (entries) => initials.push(mergedLine[entries[0][0]][entries[0][1].line]),
  );

  // Delete keys: sorted; each key's words, the union of the segments' (renumbered), ascending.
  const keyText = new ByteWriter(1 << 16);
  const starts = new GrowableU32();
  starts.push(0);
  const deleteWords = new GrowableU32();
  const keyLines = segments.map(({ lexicon }) => new LineText(lexicon.deleteKeys));
  const keyWords = (p: number, key: number): number[] => {
    const { lexicon, toMerged } = segments[p];
    const count = keyLines[p].count;
    const words: number[] = [];
    for (let i = lexicon.deleteWords[key]; i < lexicon.deleteWords[key + 1]; i++) {
      const merged = toMerged[lexicon.deleteWords[count + 1 + i]];
      if (merged >= 0) words.push(merged);
    }
    return words;
  };
  kWayMerge(
    keyLines.map((lines) => lines.count),
    keyLines.map((lines) => (line: number): LexiconEntry => ({ key: lines.text(line), word: 0, order: 0, text: '', line })),
    (entries) => {
      const words = [...new Set(entries.flatMap(([p, entry]) => keyWords(p, entry.line)))].sort((a, b) => a - b);
      if (words.length === 0) return;
      if (starts.length > 1) keyText.writeBytes(LINE_BREAK);
      keyText.writeBytes(keyLines[entries[0][0]].bytes(entries[0][1].line));
      for (const word of words) deleteWords.push(word);
      starts.push(deleteWords.length);
    },
  );
  const deletes = new Uint32Array(starts.length + deleteWords.length);
  deletes.set(starts.data.subarray(0, starts.length));
  deletes.set(deleteWords.data.subarray(0, deleteWords.length), starts.length);
  return {
    readings: readingText.bytes().slice(),
    words: readingWords.toArray(),
    initials: initials.toArray(),
    deleteKeys: keyText.bytes().slice(),
    deleteWords: deletes,
  };
}

/** One entry of a segment's lexicon table as a merge orders it: by key, then word (merged number), then reading order; `line` is where it is in its table. */
interface LexiconEntry {
  key: string;
  word: number;
  order: number;
  text: string;
  line: number;
}

/** Whether entry `a` comes before `b` (-1), with it (0) or after it (1). */
function compareEntries(a: LexiconEntry, b: LexiconEntry): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.word !== b.word) return a.word - b.word;
  return a.order - b.order;
}

/**
 * Merges sorted tables (table p has `lengths[p]` entries, `entryOf[p](i)` its entry i, or
 * undefined for one left out): calls `emit` once per distinct entry, in order, with every
 * table's copy of it as [table, entry] (at least one).
 */
function kWayMerge(lengths: number[], entryOf: Array<(i: number) => LexiconEntry | undefined>, emit: (entries: Array<[number, LexiconEntry]>) => void): void {
  const at = lengths.map(() => 0);
  const heads: Array<LexiconEntry | undefined> = lengths.map(() => undefined);
  const advance = (p: number): void => {
    heads[p] = undefined;
    while (heads[p] === undefined && at[p] < lengths[p]) heads[p] = entryOf[p](at[p]++);
  };
  lengths.forEach((_, p) => advance(p));
  for (;;) {
    let smallest: LexiconEntry | undefined;
    for (const head of heads) if (head && (!smallest || compareEntries(head, smallest) < 0)) smallest = head;
    if (!smallest) return;
    const entries: Array<[number, LexiconEntry]> = [];
    for (let p = 0; p < heads.length; p++) {
      const head = heads[p];
      if (head && compareEntries(head, smallest) === 0) {
        entries.push([p, head]);
        advance(p);
      }
    }
    emit(entries);
  }
}

/** For each word of a segment's sorted `terms`, its number in the sorted `merged` words, or -1 when it is not there. */
function mergedNumbers(terms: readonly string[], merged: readonly string[]): Int32Array {
  const numbers = new Int32Array(terms.length).fill(-1);
  let m = 0;
  for (let t = 0; t < terms.length; t++) {
    while (m < merged.length && merged[m] < terms[t]) m++;
    if (m < merged.length && merged[m] === terms[t]) numbers[t] = m;
  }
  return numbers;
}

/** The lines of a `\n`-separated UTF-8 text, each read (as bytes or text) by its number without splitting the whole. */
class LineText {
  private readonly starts: Uint32Array;
  private readonly buffer: Buffer;

  constructor(private readonly content: Uint8Array) {
    const starts = new GrowableU32();
    if (content.length > 0) {
      starts.push(0);
      for (let i = 0; i < content.length; i++) if (content[i] === NEWLINE) starts.push(i + 1);
      starts.push(content.length + 1);
    }
    this.starts = starts.toArray();
    this.buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  }

  /** Number of lines. */
  get count(): number {
    return Math.max(0, this.starts.length - 1);
  }

  /** The UTF-8 bytes of line `line`. */
  bytes(line: number): Uint8Array {
    return this.content.subarray(this.starts[line], this.starts[line + 1] - 1);
  }

  /** The text of line `line`. */
  text(line: number): string {
    return this.buffer.toString('utf8', this.starts[line], this.starts[line + 1] - 1);
  }
}

/** The lexicon of `data`: as read from its segment files, or computed from its words now (an index built in memory) and kept. */
export function lexiconOf(data: Pick<IndexData, 'wordTerms' | 'lexicon'>): Lexicon {
  data.lexicon ??= buildLexicon(data.wordTerms);
  return data.lexicon;
}

/** Where each line of a `\n`-separated text starts (an empty text has no line), in shared memory when `shared`. */
export function lineStarts(bytes: Uint8Array, shared = false): Uint32Array {
  const count = lineCount(bytes);
  const starts = shared ? sharedUint32Array(count) : new Uint32Array(count);
  let line = 0;
  if (count > 0) starts[line++] = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NEWLINE) starts[line++] = i + 1;
  return starts;
}

/**
 * Works out, in shared memory, where the lines of the lexicons `data` holds (its own, or
 * each of its segments') start (Lexicon.readingStarts): done once as a server opens an
 * index, so that its long-query thread, given the data, shares them.
 */
export function shareLineStarts(data: IndexData): void {
  for (const part of data.segmentParts?.map((segment) => segment.data) ?? [data]) {
    const { lexicon } = part;
    if (!lexicon) continue;
    lexicon.readingStarts ??= lineStarts(lexicon.readings, true);
    lexicon.deleteKeyStarts ??= lineStarts(lexicon.deleteKeys, true);
  }
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
