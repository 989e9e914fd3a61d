import { IndexData, PostingsFamily, bigramKey, findKey, findTerm } from './data';
import { PositionalPostings, decodePositional, decodePositionalHolding } from './bigramEntry';
import { FieldCounts, decodeCounts } from './countsEntry';
import { decodeSegmentedCounts, decodeSegmentedPositional, decodeSegmentedPositionalHolding } from './segmentedPostings';

export type { FieldCounts, PositionalPostings };

export const EMPTY_COUNTS: FieldCounts = { docs: new Uint32Array(0), title: new Uint32Array(0), body: new Uint32Array(0) };

/** A term's counts postings, from one index or gathered from the segments of a view. */
function countsOf(family: PostingsFamily, term: number): FieldCounts {
  return family.segments ? decodeSegmentedCounts(family.segments, term) : decodeCounts(family, term);
}

/** A bigram's positional postings, from one index or gathered from the segments of a view. */
function positionsOf(family: PostingsFamily, term: number): PositionalPostings {
  return family.segments ? decodeSegmentedPositional(family.segments, term) : decodePositional(family, term);
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
    const value = countsOf(this.data.words, term);
    return this.remember(key, value, value.docs.length * 3);
  }

  /** Postings of one UTF-16 unit (one-character queries). */
  char(unit: number): FieldCounts {
    const key = `c${unit}`;
    const hit = this.lookup<FieldCounts>(key);
    if (hit) return hit;
    const term = findKey(this.data.charKeys, unit);
    if (term < 0) return EMPTY_COUNTS;
    const value = countsOf(this.data.chars, term);
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
    const value = positionsOf(this.data.bigrams, term);
    return this.remember(key, value, value.docs.length * 2 + value.positions.length);
  }

  /**
   * The bigram's postings enough to check the documents of `wanted` (ascending): only the
   * blocks of its list that may hold them (decodePositionalHolding; in a view over segments,
   * those of each segment's list: decodeSegmentedPositionalHolding), not cached. A list
   * already cached comes whole.
   */
  bigramHolding(first: number, second: number, wanted: Uint32Array): PositionalPostings | undefined {
    const code = bigramKey(first, second);
    const hit = this.lookup<PositionalPostings>(`b${code}`);
    if (hit) return hit;
    const term = findKey(this.data.bigramKeys, code);
    if (term < 0) return undefined;
    const { segments } = this.data.bigrams;
    return segments ? decodeSegmentedPositionalHolding(segments, term, wanted) : decodePositionalHolding(this.data.bigrams, term, wanted);
  }

  /** Number of documents containing one UTF-16 unit, without decoding its postings. */
  charDocFreq(unit: number): number {
    const term = findKey(this.data.charKeys, unit);
    return term < 0 ? 0 : this.data.chars.df[term];
  }

  /** Number of documents containing the bigram of two UTF-16 units, without decoding its postings. */
  bigramDocFreq(first: number, second: number): number {
    const term = findKey(this.data.bigramKeys, bigramKey(first, second));
    return term < 0 ? 0 : this.data.bigrams.df[term];
  }

  /** Number of documents containing a jieba word. */
  wordDocFreq(word: string): number {
    const term = findTerm(this.data.wordTerms, word);
    return term < 0 ? 0 : this.data.words.df[term];
  }
}
