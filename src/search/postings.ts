import { IndexData, PostingsFamily, bigramKey, findKey, findTerm } from '../index/data';
import { INLINE_FREQ, headFreq, headPosition } from '../index/bigramEntry';
import { headBody, headHasTitle } from '../index/countsEntry';
import { ByteReader } from '../index/varint';

/** Documents (ascending numbers) with a count per field: the shape of every term's hits. */
export interface FieldCounts {
  docs: Uint32Array;
  title: Uint32Array;
  body: Uint32Array;
}

/** A bigram's documents, and for each the positions of the bigram (positions[start[i]..start[i+1])). */
export interface PositionalPostings {
  docs: Uint32Array;
  start: Uint32Array;
  positions: Uint32Array;
}

export const EMPTY_COUNTS: FieldCounts = { docs: new Uint32Array(0), title: new Uint32Array(0), body: new Uint32Array(0) };

function decodeCounts(family: PostingsFamily, term: number): FieldCounts {
  const n = family.df[term];
  const docs = new Uint32Array(n);
  const title = new Uint32Array(n);
  const body = new Uint32Array(n);
  const reader = new ByteReader(family.postings, family.offsets[term], family.offsets[term + 1]);
  let doc = -1;
  for (let i = 0; i < n; i++) {
    doc += reader.readVarint() + 1;
    docs[i] = doc;
    const head = reader.readVarint();
    body[i] = headBody(head);
    title[i] = headHasTitle(head) ? reader.readVarint() : 0;
  }
  return { docs, title, body };
}

function decodePositional(family: PostingsFamily, term: number): PositionalPostings {
  const n = family.df[term];
  const docs = new Uint32Array(n);
  const start = new Uint32Array(n + 1);
  const reader = new ByteReader(family.postings, family.offsets[term], family.offsets[term + 1]);
  let positions = new Uint32Array(Math.max(n * 2, 8));
  let count = 0;
  let doc = -1;
  for (let i = 0; i < n; i++) {
    doc += reader.readVarint() + 1;
    docs[i] = doc;
    start[i] = count;
    const head = reader.readVarint();
    const freq = headFreq(head) || reader.readVarint() + INLINE_FREQ + 1;
    if (count + freq > positions.length) {
      const grown = new Uint32Array(Math.max(positions.length * 2, count + freq));
      grown.set(positions.subarray(0, count));
      positions = grown;
    }
    let position = headPosition(head);
    positions[count++] = position;
    for (let k = 1; k < freq; k++) {
      position += reader.readVarint();
      positions[count++] = position;
    }
  }
  start[n] = count;
  return { docs, start, positions: positions.subarray(0, count) };
}

/**
 * Decodes postings on demand and keeps the most recently used ones, bounded by the
 * number of integers held, so repeated query words cost nothing the second time.
 */
export class PostingsReader {
  private readonly cache = new Map<string, FieldCounts | PositionalPostings>();
  private cached = 0;

  constructor(readonly data: IndexData, private readonly cacheLimit = 8_000_000) {}

  private remember<T extends FieldCounts | PositionalPostings>(key: string, value: T, size: number): T {
    if (size > this.cacheLimit / 4) return value;
    this.cache.set(key, value);
    this.cached += size;
    for (const [oldKey, old] of this.cache) {
      if (this.cached <= this.cacheLimit) break;
      this.cache.delete(oldKey);
      this.cached -= 'start' in old ? old.docs.length * 2 + old.positions.length : old.docs.length * 3;
    }
    return value;
  }

  private lookup<T extends FieldCounts | PositionalPostings>(key: string): T | undefined {
    const hit = this.cache.get(key);
    if (hit === undefined) return undefined;
    this.cache.delete(key);
    this.cache.set(key, hit);
    return hit as T;
  }

  /** Postings of a jieba word, or empty when the index has no such word. */
  word(word: string): FieldCounts {
    const key = `w${word}`;
    const hit = this.lookup<FieldCounts>(key);
    if (hit) return hit;
    const term = findTerm(this.data.wordTerms, word);
    if (term < 0) return EMPTY_COUNTS;
    const value = decodeCounts(this.data.words, term);
    return this.remember(key, value, value.docs.length * 3);
  }

  /** Postings of one UTF-16 unit (one-character queries). */
  char(unit: number): FieldCounts {
    const key = `c${unit}`;
    const hit = this.lookup<FieldCounts>(key);
    if (hit) return hit;
    const term = findKey(this.data.charKeys, unit);
    if (term < 0) return EMPTY_COUNTS;
    const value = decodeCounts(this.data.chars, term);
    return this.remember(key, value, value.docs.length * 3);
  }

  /** Positional postings of the bigram of two UTF-16 units, or undefined when it occurs nowhere. */
  bigram(first: number, second: number): PositionalPostings | undefined {
    const code = bigramKey(first, second);
    const key = `b${code}`;
    const hit = this.lookup<PositionalPostings>(key);
    if (hit) return hit;
    const term = findKey(this.data.bigramKeys, code);
    if (term < 0) return undefined;
    const value = decodePositional(this.data.bigrams, term);
    return this.remember(key, value, value.docs.length * 2 + value.positions.length);
  }

  /** Number of documents containing a jieba word. */
  wordDocFreq(word: string): number {
    const term = findTerm(this.data.wordTerms, word);
    return term < 0 ? 0 : this.data.words.df[term];
  }
}
