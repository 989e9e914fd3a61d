import { fullKey, initialsKey, isLexiconWord, readings } from '../analysis/pinyin';
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

/** A word's readings as a lexicon stores them: one string per reading, its syllables separated by spaces (`fang te`). */
export type ReadingsOf = (word: string) => readonly string[];

/** pinyin-pro's readings of a word (analysis/pinyin.ts readings), as a lexicon stores them (ReadingsOf). */
export function spacedReadings(word: string): string[] {
  return readings(word).map((syllables) => syllables.join(' '));
}

/**
 * The lexicon of a segment whose sorted words are `wordTerms`; `readingsOf` gives a word's
 * readings (default: pinyin-pro's, see analysis/pinyin.ts). Made with few objects per word
 * (a segment has some 200 K words, and the thread making its lexicon grew by some 200 MB
 * when each delete key was a string): the readings' tables are ordered by counting sorts
 * over their keys' ranks, and the delete keys are never made as strings but sorted as
 * (word, character left out) pairs by a radix sort over their UTF-16 units, then written
 * as UTF-8 from the words. The bytes are those the strings sorted would give.
 */
export function buildLexicon(wordTerms: readonly string[], readingsOf: ReadingsOf = spacedReadings): Lexicon {
  // Readings are taken in word order and each word's in order, so every group below is already in (word, reading order).
  const texts: string[] = [];
  const values = new GrowableU32();
  const fullKeys = new KeyGroups();
  const deletes = new DeleteKeys(wordTerms);
  for (let word = 0; word < wordTerms.length; word++) {
    const text = wordTerms[word];
    if (!isLexiconWord(text)) continue;
    const spaced = readingsOf(text);
    for (let order = 0; order < spaced.length; order++) {
      fullKeys.add(fullKey(spaced[order]));
      texts.push(spaced[order]);
      values.push((word << ORDER_BITS) | order);
    }
    deletes.addWord(word);
  }
  // The readings by full key (then word, then order): `lines[line]` is the entry on that line.
  const lines = fullKeys.order();
  const lineOf = new Uint32Array(lines.length);
  for (let line = 0; line < lines.length; line++) lineOf[lines[line]] = line;
  const initialsKeys = new KeyGroups();
  const initialsLines = new GrowableU32();
  for (let entry = 0; entry < texts.length; entry++) {
    if (wordTerms[values.data[entry] >>> ORDER_BITS].length > MAX_INITIALS_WORD) continue;
    initialsKeys.add(initialsKey(texts[entry]));
    initialsLines.push(lineOf[entry]);
  }
  const { keys, words } = deletes.tables();
  return {
    readings: new TextEncoder().encode(Array.from(lines, (entry) => texts[entry]).join('\n')),
    words: Uint32Array.from(lines, (entry) => values.data[entry]),
    initials: initialsKeys.order().map((item) => initialsLines.data[item]),
    deleteKeys: keys,
    deleteWords: words,
  };
}

/** Items added with a string key each, ordered by key (as strings sort) and, within a key, in the order added. */
class KeyGroups {
  private readonly numbers = new Map<string, number>();
  private readonly keys: string[] = [];
  /** Each item's key, by its number in `keys`. */
  private readonly itemKeys = new GrowableU32();

  /** Adds the next item, of key `key`. */
  add(key: string): void {
    let number = this.numbers.get(key);
    if (number === undefined) {
      number = this.keys.push(key) - 1;
      this.numbers.set(key, number);
    }
    this.itemKeys.push(number);
  }

  /** The items' numbers (in the order added, from 0) ordered by key: the distinct keys sorted, then a counting sort of the items by their key's rank. */
  order(): Uint32Array {
    const rank = new Uint32Array(this.keys.length);
    this.keys.sort().forEach((key, i) => (rank[this.numbers.get(key)!] = i));
    const starts = new Uint32Array(this.keys.length + 1);
    const items = this.itemKeys.length;
    const itemKeys = this.itemKeys.data;
    for (let item = 0; item < items; item++) starts[rank[itemKeys[item]] + 1]++;
    for (let i = 1; i < starts.length; i++) starts[i] += starts[i - 1];
    const ordered = new Uint32Array(items);
    for (let item = 0; item < items; item++) ordered[starts[rank[itemKeys[item]]]++] = item;
    return ordered;
  }
}

/** Longest delete key, in UTF-16 units: a lexicon word has at most 6 units, and a key is the word minus one character. */
const MAX_DELETE_KEY = 5;

/**
 * The speller's delete keys of a segment's words (each word of 2–6 characters minus one of
 * them) as `spelling.keys` and `spelling.words` hold them: keys sorted as strings, each with
 * its words ascending. An entry is a word's number and which of its characters is left out;
 * the entries are sorted by their keys' UTF-16 units, the last first (a stable counting sort
 * per unit, a key that has ended before the others' units), as the strings `key + NUL +
 * word` sort.
 */
class DeleteKeys {
  private readonly words = new GrowableU32();
  /** Per entry: the unit where the character left out starts, times 2, plus its units minus 1 (1 or 2 units). */
  private readonly skips = new GrowableU32();
  /** Where each character of the word being added starts, and its end (a lexicon word has at most 6 units). */
  private readonly starts = new Uint32Array(7);

  constructor(private readonly wordTerms: readonly string[]) {}

  /** Adds the delete keys of word `word` (a lexicon word) when it has 2–6 characters: one per character, a key met twice in a row (哈哈) once. */
  addWord(word: number): void {
    const text = this.wordTerms[word];
    // Where each character starts: a high surrogate followed by a low one is one character, as [...text] splits.
    let chars = 0;
    for (let at = 0; at < text.length; at += isPair(text, at) ? 2 : 1) this.starts[chars++] = at;
    if (chars < 2 || chars > 6) return;
    this.starts[chars] = text.length;
    for (let i = 0; i < chars; i++) {
      const at = this.starts[i];
      const units = this.starts[i + 1] - at;
      // The key without character i is the key without character i - 1 when the two characters are the same.
      if (i > 0 && sameUnits(text, this.starts[i - 1], at, units)) continue;
      this.words.push(word);
      this.skips.push(at * 2 + units - 1);
    }
  }

  /** `spelling.keys` (the distinct keys, `\n`-separated, UTF-8) and `spelling.words` (where each key's words start, and their end; then the words). */
  tables(): { keys: Uint8Array; words: Uint32Array } {
    const count = this.words.length;
    let order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    let sorted = new Uint32Array(count);
    const digits = new Uint32Array(count);
    const starts = new Uint32Array(0x10002);
    const { wordTerms } = this;
    const entryWords = this.words.data;
    const skips = this.skips.data;
    for (let unit = MAX_DELETE_KEY - 1; unit >= 0; unit--) {
      starts.fill(0);
      // Digit 0: the key has ended (sorts first, as a shorter key before the longer keys it begins); else the unit plus one.
      for (let i = 0; i < count; i++) {
        const entry = order[i];
        starts[(digits[i] = keyUnit(wordTerms[entryWords[entry]], skips[entry], unit) + 1) + 1]++;
      }
      if (starts[1] === count) continue;
      for (let d = 1; d < starts.length; d++) starts[d] += starts[d - 1];
      for (let i = 0; i < count; i++) sorted[starts[digits[i]]++] = order[i];
      [order, sorted] = [sorted, order];
    }
    const bytes = new Uint8Array(count * (MAX_DELETE_KEY * 3 + 1));
    let length = 0;
    const keyStarts = new GrowableU32();
    const words = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const entry = order[i];
      words[i] = this.words.data[entry];
      if (i > 0 && this.sameKey(order[i - 1], entry)) continue;
      if (i > 0) bytes[length++] = NEWLINE;
      keyStarts.push(i);
      length = this.writeKey(entry, bytes, length);
    }
    keyStarts.push(count);
    const table = new Uint32Array(keyStarts.length + count);
    table.set(keyStarts.data.subarray(0, keyStarts.length));
    table.set(words, keyStarts.length);
    return { keys: bytes.slice(0, length), words: table };
  }

  /** Whether entries `a` and `b` have the same key. */
  private sameKey(a: number, b: number): boolean {
    const textA = this.wordTerms[this.words.data[a]];
    const textB = this.wordTerms[this.words.data[b]];
    const skipA = this.skips.data[a];
    const skipB = this.skips.data[b];
    const length = textA.length - (skipA & 1) - 1;
    if (length !== textB.length - (skipB & 1) - 1) return false;
    for (let unit = 0; unit < length; unit++) if (keyUnit(textA, skipA, unit) !== keyUnit(textB, skipB, unit)) return false;
    return true;
  }

  /** Writes the key of `entry` into `bytes` at `at` as UTF-8 (as TextEncoder does); returns where it ends. */
  private writeKey(entry: number, bytes: Uint8Array, at: number): number {
    const skip = this.skips.data[entry];
    const text = this.wordTerms[this.words.data[entry]];
    const from = skip >>> 1;
    return writeUtf8(text, from + (skip & 1) + 1, text.length, bytes, writeUtf8(text, 0, from, bytes, at));
  }
}

/** UTF-16 unit `unit` of the key made of `text` without the character `skip` names (DeleteKeys), or -1 past its end. */
function keyUnit(text: string, skip: number, unit: number): number {
  const at = unit < (skip >>> 1) ? unit : unit + (skip & 1) + 1;
  return at < text.length ? text.charCodeAt(at) : -1;
}

/** Whether the character at unit `previous` of `text` is the one of `units` units at `at`. */
function sameUnits(text: string, previous: number, at: number, units: number): boolean {
  if (at - previous !== units) return false;
  for (let unit = 0; unit < units; unit++) if (text.charCodeAt(previous + unit) !== text.charCodeAt(at + unit)) return false;
  return true;
}

/** Whether a surrogate pair (one character of two UTF-16 units) starts at unit `at` of `text`. */
function isPair(text: string, at: number): boolean {
  const high = text.charCodeAt(at);
  if (high < 0xd800 || high > 0xdbff || at + 1 >= text.length) return false;
  const low = text.charCodeAt(at + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}

/** Writes units `[from, to)` of `text` into `bytes` at `at` as UTF-8, a lone surrogate as U+FFFD (as TextEncoder does); returns where they end. */
function writeUtf8(text: string, from: number, to: number, bytes: Uint8Array, at: number): number {
  for (let i = from; i < to; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes[at++] = code;
    } else if (code < 0x800) {
      bytes[at++] = 0xc0 | (code >> 6);
      bytes[at++] = 0x80 | (code & 0x3f);
    } else if (i + 1 < to && isPair(text, i)) {
      code = 0x10000 + ((code - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      bytes[at++] = 0xf0 | (code >> 18);
      bytes[at++] = 0x80 | ((code >> 12) & 0x3f);
      bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[at++] = 0x80 | (code & 0x3f);
    } else {
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      bytes[at++] = 0xe0 | (code >> 12);
      bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[at++] = 0x80 | (code & 0x3f);
    }
  }
  return at;
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
