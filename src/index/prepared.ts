import { AnalyzedField } from '../analysis/analyzer';
import { INLINE_FREQ, entryHead } from './bigramEntry';
import { countsHead } from './countsEntry';
import { bigramKey } from './data';
import { FINGERPRINT_INTS, FingerprintBuilder } from './fingerprint';
import { GrowableU32, withRoom } from './growableU32';
import { Uint32Map } from './uint32Map';
import { WordNumbers } from './wordNumbers';
import { ByteWriter } from './varint';

/**
 * A document's postings, prepared from its analyzed title field and body so that adding
 * it to the index is little more than appending bytes: the counting, grouping and varint
 * encoding done here can run on a worker thread, which leaves the main thread of a
 * parallel build (IndexBuilder.addPrepared) with what cannot be shared, the postings pools.
 *
 * Words and bigrams are numbered by the PreparedBatchWriter that prepared the document
 * (its *local* numbers, 0, 1, 2, … in order of first occurrence across its documents);
 * a document lists the words and bigrams it is the first of its writer to use, so that
 * the builder can map local numbers to its own with an array instead of a hash lookup
 * per term. Every distinct term of the document comes with its *payload*: the bytes that
 * follow the document gap in its postings (see ARCHITECTURE.md): the counts of a word or a
 * character (countsEntry.ts), the head and position gaps of a bigram (bigramEntry.ts).
 */
export interface PreparedDocument {
  /** The words new to the writer, concatenated (lengths in `ints`). */
  words: string;
  /**
   * `[titleUnits, bodyUnits, titleWords, bodyWords, nWords, nChars, nBigrams, nNewWords,
   * nNewBigrams]` and the document's fingerprint (FINGERPRINT_INTS ints: fingerprint.ts), then the length of each new word, each new bigram key, the local number
   * of each distinct word, each distinct UTF-16 unit (space excluded), the local number of
   * each distinct bigram, and the payload length of every term (words, units, bigrams).
   */
  ints: Uint32Array;
  /** The payloads of every term, in the order of `ints`, concatenated. */
  payloads: Uint8Array;
}

/** The fields of `PreparedDocument.ints` before the per-term entries. */
export const HEADER = 9 + FINGERPRINT_INTS;
/**
 * Longest document (title + body + 1, in normalized UTF-16 units) the index takes: positions
 * are packed into 21 bits while building. A longer one is prepared with no terms at all (it
 * numbers none), and IndexBuilder.addPrepared rejects it.
 */
export const POSITION_LIMIT = 1 << 21;
const SPACE = 0x20;

/** Prepared documents packed for a `postMessage`: one string, one Uint32Array and one Uint8Array, back to back. */
export interface PreparedBatch {
  words: string;
  ints: Uint32Array;
  payloads: Uint8Array;
}

/**
 * Counts per document, in arrays indexed by term number and reset after each document: the
 * two counts and the list of terms touched side by side in typed arrays (no JS array of
 * numbers to grow and shrink per document).
 */
class Counts {
  first = new Uint32Array(1 << 16);
  second = new Uint32Array(1 << 16);
  /** Terms touched in this document, in order of first occurrence. */
  private readonly touched = new GrowableU32();

  /** Number of terms touched. */
  get length(): number {
    return this.touched.length;
  }

  count(id: number, field: 0 | 1): void {
    if (id >= this.first.length) this.grow(id);
    if (this.first[id] === 0 && this.second[id] === 0) this.touched.push(id);
    if (field === 0) this.first[id]++;
    else this.second[id]++;
  }

  /** The terms touched, as a view (valid until the next count). */
  terms(): Uint32Array {
    return this.touched.data.subarray(0, this.touched.length);
  }

  reset(): void {
    const { first, second } = this;
    const touched = this.touched.data;
    for (let i = 0; i < this.touched.length; i++) {
      first[touched[i]] = 0;
      second[touched[i]] = 0;
    }
    this.touched.clear();
  }

  private grow(id: number): void {
    this.first = withRoom(this.first, id + 1, this.first.length);
    this.second = withRoom(this.second, id + 1, this.second.length);
  }
}

/**
 * Prepares documents one after another into a PreparedBatch. Reuses its scratch arrays,
 * so one writer per thread serves a whole build.
 */
export class PreparedBatchWriter {
  private words: string[] = [];
  private readonly ints = new GrowableU32();
  private readonly payloads = new ByteWriter(1 << 16);
  private wordIds = new WordNumbers();
  private wordCounts = new Counts();
  private readonly unitCounts = new Counts();
  private bigramIds = new Uint32Map();
  private bigramCounts = new Counts();
  private readonly newWords: string[] = [];
  private readonly newBigrams: number[] = [];
  private bigramOf = new Uint32Array(1 << 12);
  private positions = new Uint32Array(1 << 12);
  private readonly fingerprint = new FingerprintBuilder();

  /** Prepares one document from its analyzed title field and body. */
  add(title: AnalyzedField, body: AnalyzedField): void {
    const { ints, payloads } = this;
    if (title.normalized.length + 1 + body.normalized.length >= POSITION_LIMIT) {
      for (const value of [title.normalized.length, body.normalized.length, title.words.length, body.words.length]) ints.push(value);
      for (let i = 4; i < HEADER; i++) ints.push(0);
      return;
    }
    this.countWords(title.words, body.words);
    const chars = this.unitCounts;
    for (const [text, field] of [[title.normalized, 0], [body.normalized, 1]] as const) {
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (unit !== SPACE) chars.count(unit, field);
      }
    }
    this.countBigrams(title.normalized, body.normalized);
    const { newWords, newBigrams, wordCounts, bigramCounts } = this;
    const header = [title.normalized.length, body.normalized.length, title.words.length, body.words.length];
    header.push(wordCounts.length, chars.length, bigramCounts.length, newWords.length, newBigrams.length, ...this.fingerprint.finish());
    for (const value of header) ints.push(value);
    for (const word of newWords) {
      ints.push(word.length);
      this.words.push(word);
    }
    for (const key of newBigrams) ints.push(key);
    newWords.length = 0;
    newBigrams.length = 0;
    for (const counts of [wordCounts, chars, bigramCounts]) for (const id of counts.terms()) ints.push(id);
    // The payload lengths follow the term numbers, in the same order.
    for (const counts of [wordCounts, chars]) {
      for (const id of counts.terms()) {
        const start = payloads.length;
        const title = counts.first[id];
        payloads.writeVarint(countsHead(title, counts.second[id]));
        if (title > 0) payloads.writeVarint(title);
        ints.push(payloads.length - start);
      }
      counts.reset();
    }
    this.writeBigramPayloads();
  }

  /**
   * Forgets the words and bigrams numbered so far (and the tables sized by them): the next
   * document numbers its terms from 0 again and lists them all as new. What a long build
   * does at each segment, so that a writer's tables hold one segment's vocabulary rather
   * than the whole build's. Call it between batches only (after finish).
   */
  renumber(): void {
    this.wordIds = new WordNumbers();
    this.wordCounts = new Counts();
    this.bigramIds = new Uint32Map();
    this.bigramCounts = new Counts();
  }

  /** The documents prepared since the last call, packed; the writer starts a new batch. */
  finish(): PreparedBatch {
    const batch = { words: this.words.join(''), ints: this.ints.toArray(), payloads: this.payloads.bytes().slice() };
    this.words = [];
    this.ints.clear();
    this.payloads.reset();
    return batch;
  }

  /** Counts the words of both fields by local number, numbering (and listing) words new to this writer. */
  private countWords(title: string[], body: string[]): void {
    const ids = this.wordIds;
    for (const [words, field] of [[title, 0], [body, 1]] as const) {
      for (const word of words) {
        const next = ids.size;
        const id = ids.intern(word);
        if (id === next) this.newWords.push(word);
        this.wordCounts.count(id, field);
      }
    }
  }

  /**
   * Numbers the bigrams of both fields by local number (listing those new to this writer),
   * adds them to the document's fingerprint, and sorts their positions (the body's start one past the title's end) by bigram, each
   * bigram's ascending, into `positions`.
   */
  private countBigrams(title: string, body: string): void {
    const total = Math.max(0, title.length - 1) + Math.max(0, body.length - 1);
    if (this.bigramOf.length < total) {
      this.bigramOf = new Uint32Array(total * 2);
      this.positions = new Uint32Array(total * 2);
    }
    const ids = this.bigramIds;
    const counts = this.bigramCounts;
    let k = 0;
    // Title bigrams are counted in first[], body bigrams in second[]: a body bigram is the body's first of its kind when second[] has just become 1.
    for (const [text, field] of [[title, 0], [body, 1]] as const) {
      for (let i = 0; i + 1 < text.length; i++) {
        const key = bigramKey(text.charCodeAt(i), text.charCodeAt(i + 1));
        const next = ids.size;
        const id = ids.intern(key);
        if (id === next) this.newBigrams.push(key);
        counts.count(id, field);
        this.fingerprint.add(key, field === 1 && counts.second[id] === 1);
        this.bigramOf[k++] = id;
      }
    }
    // Slot ranges by bigram (first[] becomes each bigram's count, second[] its next free slot), then fill.
    let at = 0;
    for (const id of counts.terms()) {
      const count = counts.first[id] + counts.second[id];
      counts.first[id] = count;
      counts.second[id] = at;
      at += count;
    }
    k = 0;
    for (const [text, base] of [[title, 0], [body, title.length + 1]] as const) {
      for (let i = 0; i + 1 < text.length; i++) this.positions[counts.second[this.bigramOf[k++]]++] = base + i;
    }
  }

  /** Writes each bigram's payload (head: first position and frequency, then the gaps to the other positions; bigramEntry.ts) and its length (into `ints`). */
  private writeBigramPayloads(): void {
    const counts = this.bigramCounts;
    const { payloads, positions } = this;
    for (const id of counts.terms()) {
      const start = payloads.length;
      const to = counts.second[id];
      const from = to - counts.first[id];
      const freq = to - from;
      payloads.writeVarint(entryHead(positions[from], freq));
      if (freq > INLINE_FREQ) payloads.writeVarint(freq - INLINE_FREQ - 1);
      for (let p = from + 1; p < to; p++) payloads.writeVarint(positions[p] - positions[p - 1]);
      this.ints.push(payloads.length - start);
    }
    counts.reset();
  }
}

/** The buffers of a batch, to transfer rather than copy. */
export function transferList(batch: PreparedBatch): ArrayBuffer[] {
  return [batch.ints.buffer as ArrayBuffer, batch.payloads.buffer as ArrayBuffer];
}

/** The documents of a batch, in order, as views into it. */
export function unpackBatch(batch: PreparedBatch): PreparedDocument[] {
  const documents: PreparedDocument[] = [];
  let wordsAt = 0;
  let intsAt = 0;
  let payloadsAt = 0;
  while (intsAt < batch.ints.length) {
    const { ints } = batch;
    const terms = ints[intsAt + 4] + ints[intsAt + 5] + ints[intsAt + 6];
    const newWords = ints[intsAt + 7];
    const end = intsAt + HEADER + newWords + ints[intsAt + 8] + 2 * terms;
    let wordChars = 0;
    for (let i = 0; i < newWords; i++) wordChars += ints[intsAt + HEADER + i];
    let payloadBytes = 0;
    for (let i = end - terms; i < end; i++) payloadBytes += ints[i];
    documents.push({
      words: batch.words.substring(wordsAt, wordsAt + wordChars),
      ints: ints.subarray(intsAt, end),
      payloads: batch.payloads.subarray(payloadsAt, payloadsAt + payloadBytes),
    });
    wordsAt += wordChars;
    intsAt = end;
    payloadsAt += payloadBytes;
  }
  return documents;
}
