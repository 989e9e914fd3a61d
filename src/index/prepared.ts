import { AnalyzedField } from '../analysis/analyzer';
import { bigramKey } from './data';
import { ByteWriter } from './varint';

/**
 * A document's postings, prepared from its analyzed title field and body so that adding
 * it to the index is little more than looking up each distinct term and appending bytes:
 * the counting, grouping and varint encoding done here can run on a worker thread, which
 * leaves the main thread of a parallel build (IndexBuilder.addPrepared) with the part
 * that cannot be shared, the term dictionaries and the postings pools.
 *
 * Every distinct term of the document comes with its *payload*: the bytes that follow
 * the document gap in its postings (see data.ts), i.e. title tf and body tf for a word or
 * a character, the count and the position gaps for a bigram.
 */
export interface PreparedDocument {
  /** The distinct words, concatenated (lengths in `ints`). */
  words: string;
  /**
   * `[titleUnits, bodyUnits, titleWords, bodyWords, nWords, nChars, nBigrams]`, then the
   * length of each distinct word, each distinct UTF-16 unit (space excluded), each distinct
   * bigram key, and the payload length of every term in that order.
   */
  ints: Uint32Array;
  /** The payloads of every term, in the order of `ints`, concatenated. */
  payloads: Uint8Array;
}

/** The fields of `PreparedDocument.ints` before the per-term entries. */
export const HEADER = 7;
const SPACE = 0x20;

/** Prepared documents packed for a `postMessage`: one string, one Uint32Array and one Uint8Array, back to back. */
export interface PreparedBatch {
  words: string;
  ints: Uint32Array;
  payloads: Uint8Array;
}

/** Counts per document, in arrays indexed by term number and reset after each document. */
class Counts {
  first = new Uint32Array(1 << 16);
  second = new Uint32Array(1 << 16);
  /** Terms touched in this document, in order of first occurrence. */
  readonly touched: number[] = [];

  count(id: number, field: 0 | 1): void {
    if (id >= this.first.length) {
      for (const name of ['first', 'second'] as const) {
        const grown = new Uint32Array(this.first.length * 2);
        grown.set(this[name]);
        this[name] = grown;
      }
    }
    if (this.first[id] === 0 && this.second[id] === 0) this.touched.push(id);
    if (field === 0) this.first[id]++;
    else this.second[id]++;
  }

  reset(): void {
    for (const id of this.touched) {
      this.first[id] = 0;
      this.second[id] = 0;
    }
    this.touched.length = 0;
  }
}

/**
 * Prepares documents one after another into a PreparedBatch. Reuses its scratch arrays,
 * so one writer per thread serves a whole build.
 */
export class PreparedBatchWriter {
  private words: string[] = [];
  private ints: number[] = [];
  private readonly payloads = new ByteWriter(1 << 16);
  private readonly wordIds = new Map<string, number>();
  private readonly wordCounts = new Counts();
  private readonly unitCounts = new Counts();
  private readonly bigramIds = new Map<number, number>();
  private readonly bigramCounts = new Counts();
  private bigramOf = new Uint32Array(1 << 12);
  private positions = new Uint32Array(1 << 12);

  /** Prepares one document from its analyzed title field and body. */
  add(title: AnalyzedField, body: AnalyzedField): void {
    const { ints, payloads } = this;
    const lengths: number[] = [];
    const wordList = this.countWords(title.words, body.words);
    const chars = this.unitCounts;
    for (const [text, field] of [[title.normalized, 0], [body.normalized, 1]] as const) {
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (unit !== SPACE) chars.count(unit, field);
      }
    }
    const bigramKeys = this.countBigrams(title.normalized, body.normalized);
    ints.push(title.normalized.length, body.normalized.length, title.words.length, body.words.length);
    ints.push(wordList.length, chars.touched.length, bigramKeys.length);
    for (const word of wordList) {
      ints.push(word.length);
      this.words.push(word);
    }
    for (const unit of chars.touched) ints.push(unit);
    for (const key of bigramKeys) ints.push(key);
    for (const counts of [this.wordCounts, chars]) {
      for (const id of counts.touched) {
        const start = payloads.length;
        payloads.writeVarint(counts.first[id]);
        payloads.writeVarint(counts.second[id]);
        lengths.push(payloads.length - start);
      }
      counts.reset();
    }
    this.writeBigramPayloads(lengths);
    for (const length of lengths) ints.push(length);
  }

  /** The documents prepared since the last call, packed; the writer starts a new batch. */
  finish(): PreparedBatch {
    const batch = { words: this.words.join(''), ints: Uint32Array.from(this.ints), payloads: this.payloads.bytes().slice() };
    this.words = [];
    this.ints = [];
    this.payloads.reset();
    return batch;
  }

  /** Counts the words of both fields; returns the distinct words in order of first occurrence. */
  private countWords(title: string[], body: string[]): string[] {
    const ids = this.wordIds;
    const distinct: string[] = [];
    for (const [words, field] of [[title, 0], [body, 1]] as const) {
      for (const word of words) {
        let id = ids.get(word);
        if (id === undefined) {
          id = distinct.length;
          ids.set(word, id);
          distinct.push(word);
        }
        this.wordCounts.count(id, field);
      }
    }
    ids.clear();
    return distinct;
  }

  /**
   * Numbers the bigrams of both fields (the body's positions start one past the title's
   * end) and sorts their positions by bigram, each bigram's ascending, into `positions`;
   * returns the distinct keys in order of first occurrence.
   */
  private countBigrams(title: string, body: string): number[] {
    const total = Math.max(0, title.length - 1) + Math.max(0, body.length - 1);
    if (this.bigramOf.length < total) {
      this.bigramOf = new Uint32Array(total * 2);
      this.positions = new Uint32Array(total * 2);
    }
    const ids = this.bigramIds;
    const counts = this.bigramCounts;
    const keys: number[] = [];
    let k = 0;
    for (const text of [title, body]) {
      for (let i = 0; i + 1 < text.length; i++) {
        const key = bigramKey(text.charCodeAt(i), text.charCodeAt(i + 1));
        let id = ids.get(key);
        if (id === undefined) {
          id = keys.length;
          ids.set(key, id);
          keys.push(key);
        }
        counts.count(id, 0);
        this.bigramOf[k++] = id;
      }
    }
    ids.clear();
    // Slot ranges by bigram (second[] becomes each bigram's next free slot), then fill.
    let at = 0;
    for (const id of counts.touched) {
      counts.second[id] = at;
      at += counts.first[id];
    }
    k = 0;
    for (const [text, base] of [[title, 0], [body, title.length + 1]] as const) {
      for (let i = 0; i + 1 < text.length; i++) this.positions[counts.second[this.bigramOf[k++]]++] = base + i;
    }
    return keys;
  }

  /** Writes each bigram's payload (count, then position gaps) and its length. */
  private writeBigramPayloads(lengths: number[]): void {
    const counts = this.bigramCounts;
    const { payloads, positions } = this;
    for (const id of counts.touched) {
      const start = payloads.length;
      const to = counts.second[id];
      const from = to - counts.first[id];
      payloads.writeVarint(to - from);
      let previous = 0;
      for (let p = from; p < to; p++) {
        payloads.writeVarint(positions[p] - previous);
        previous = positions[p];
      }
      lengths.push(payloads.length - start);
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
    const nWords = ints[intsAt + 4];
    const terms = nWords + ints[intsAt + 5] + ints[intsAt + 6];
    const end = intsAt + HEADER + 2 * terms;
    let wordChars = 0;
    for (let i = 0; i < nWords; i++) wordChars += ints[intsAt + HEADER + i];
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
