import { IndexData, PostingsFamily, bigramKey, findKey, findTerm } from './data';
import { PositionalPostings, decodePositional, decodePositionalHolding } from './bigramEntry';
import { FieldCounts, countsAmong, countsHolding, countsIn, decodeCounts, decodeDocs } from './countsEntry';
import { decodeSegmentedCounts, decodeSegmentedDocs, decodeSegmentedPositional, decodeSegmentedPositionalHolding, segmentedCountsAmong, segmentedCountsHolding } from './segmentedPostings';
import { docsAmong } from './sortedDocs';
import { Allocate, MIN_SPARE_INTS, SpareArrays, freshArray } from './spareArrays';
import { PACKED_RUN } from './postingsBlocks';

export type { FieldCounts, PositionalPostings };

export const EMPTY_COUNTS: FieldCounts = { docs: new Uint32Array(0), title: new Uint32Array(0), body: new Uint32Array(0) };

/** A term's counts postings, from one index or gathered from the segments of a view. */
function countsOf(family: PostingsFamily, term: number, allocate: Allocate): FieldCounts {
  return family.segments ? decodeSegmentedCounts(family.segments, term, allocate) : decodeCounts(family, term, allocate);
}

/** A bigram's positional postings, from one index or gathered from the segments of a view. */
function positionsOf(family: PostingsFamily, term: number, allocate: Allocate): PositionalPostings {
  return family.segments ? decodeSegmentedPositional(family.segments, term, allocate) : decodePositional(family, term, allocate);
}

/** The documents alone of a counts list (PostingsReader.charDocs). */
interface DocList {
  docs: Uint32Array;
}

type Postings = FieldCounts | PositionalPostings | DocList;

/**
 * The spares of a reader hold at most this share of what its cache may (16 MB beside the
 * default 32 MB): on news-large a pass of the benchmark's literal queries then allocates
 * 62 MB of lists and bigram counts instead of 372 MB (a quarter: 114 MB).
 */
const SPARE_SHARE = 1 / 2;

/** A list the reader decoded, and the memory it and what was made for it (`arrayFor`) live in. */
interface Decoded {
  value: Postings;
  /** Integers counted against the cache's bound. */
  size: number;
  buffers: ArrayBuffer[];
  /** Handed out outside a search (see `during`): whoever got it may keep it, so its memory is never reused. */
  escaped: boolean;
  evicted: boolean;
  /** The search (PostingsReader's count of searches begun) that last decoded or asked for it. */
  search: number;
  /** In the protected part of the cache (asked for again by a later search), else in the probationary part. */
  protected: boolean;
}

/**
 * The share of the cache's bound that lists asked for again by a later search may hold (the
 * protected part of a segmented LRU; Caffeine gives it 80% of its main space): the rest holds
 * lists decoded once, so that a search decoding many lists nobody asks for again (a pass of
 * the benchmark decodes seven times the cache's bound) evicts those first, not the common
 * words and bigrams that many searches share.
 */
const PROTECTED_SHARE = 0.8;

/**
 * Decodes postings on demand and keeps the most recently used ones, bounded by the
 * number of integers held, so repeated query words cost nothing the second time. The
 * cache is a segmented LRU: a list decoded enters a probationary part and moves to a
 * protected part (at most PROTECTED_SHARE of the bound) when a later search asks for it;
 * the protected part's least recent list goes back to probation when it overflows, and
 * evictions take the probationary part's least recent first. Asks within the search that
 * decoded a list (literal matching, then features) do not protect it.
 *
 * The memory of an evicted list is reused for the lists decoded next (SpareArrays, at most
 * SPARE_SHARE of the cache's bound) rather than left to the garbage collector, once no search
 * can hold it: a list handed out during a search (`during`) may be used until that search
 * returns, and is reused only after; a list ever handed out outside one is never reused.
 */
export class PostingsReader {
  /** Lists decoded and not asked for by a later search since, least recent first. */
  private readonly probation = new Map<string, Decoded>();
  /** Lists asked for again by a later search, least recent first. */
  private readonly protectedLists = new Map<string, Decoded>();
  private readonly decoded = new WeakMap<Postings, Decoded>();
  private cached = 0;
  private protectedSize = 0;
  /** Searches begun (the outermost `during` calls): which asks for a list come from a later search. */
  private searches = 0;
  /** Memory of lists evicted during the search in progress (and of its uncached decodes), reused once it returns. */
  private readonly releasing: ArrayBuffer[] = [];
  private releasingBytes = 0;
  private depth = 0;
  /** Memory of evicted lists that no search holds, for the next decodes. */
  readonly spares: SpareArrays;

  /** `cacheLimit`: integers the cache holds at most; `spareBytes`: bytes the spares hold at most (default SPARE_SHARE of the cache's). */
  constructor(
    readonly data: IndexData,
    private readonly cacheLimit = 8_000_000,
    spareBytes = cacheLimit * SPARE_SHARE * Uint32Array.BYTES_PER_ELEMENT,
  ) {
    this.spares = new SpareArrays(spareBytes);
  }

  /**
   * Runs `search`: every list the reader hands out meanwhile stays valid until it returns
   * (the memory of those evicted meanwhile is reused only after). Searches may nest (a
   * search measuring a suggestion): the outermost one's end releases. A search must keep
   * nothing it got from the reader once it has returned.
   */
  during<T>(search: () => T): T {
    if (this.depth++ === 0) this.searches++;
    try {
      return search();
    } finally {
      if (--this.depth === 0) this.release();
    }
  }

  /** Hands the memory of what the searches that ended let go to the spares. */
  private release(): void {
    for (const buffer of this.releasing) this.spares.give(buffer);
    this.releasing.length = 0;
    this.releasingBytes = 0;
  }

  /** Memory nobody may use once the search in progress returns (nothing to reuse outside a search: whoever holds it may keep it). */
  private letGo(buffers: ArrayBuffer[]): void {
    if (this.depth === 0) return;
    for (const buffer of buffers) {
      this.releasing.push(buffer);
      this.releasingBytes += buffer.byteLength;
    }
    // A search that lets go of more than the spares could hold keeps only the latest: the rest go to the garbage collector.
    while (this.releasingBytes > this.spares.limitBytes) this.releasingBytes -= this.releasing.shift()!.byteLength;
  }

  /** Decodes with memory from the spares, noting the buffers used. */
  private decode<T extends Postings>(make: (allocate: Allocate) => T): { value: T; buffers: ArrayBuffer[] } {
    const buffers: ArrayBuffer[] = [];
    const value = make((ints) => {
      const array = this.spares.take(ints);
      if (ints >= MIN_SPARE_INTS) buffers.push(array.buffer as ArrayBuffer);
      return array;
    });
    return { value, buffers };
  }

  private remember<T extends Postings>(key: string, { value, buffers }: { value: T; buffers: ArrayBuffer[] }, size: number): T {
    const decoded: Decoded = { value, size, buffers, escaped: this.depth === 0, evicted: false, search: this.searches, protected: false };
    this.decoded.set(value, decoded);
    if (size > this.cacheLimit / 4) {
      decoded.evicted = true;
      if (!decoded.escaped) this.letGo(buffers);
      return value;
    }
    this.probation.set(key, decoded);
    this.cached += size;
    this.evictBeyond(this.probation);
    this.evictBeyond(this.protectedLists);
    return value;
  }

  /** Evicts the least recent lists of `part` while the cache holds more than its bound. */
  private evictBeyond(part: Map<string, Decoded>): void {
    for (const [oldKey, old] of part) {
      if (this.cached <= this.cacheLimit) break;
      part.delete(oldKey);
      this.cached -= old.size;
      if (old.protected) this.protectedSize -= old.size;
      this.evict(old);
    }
  }

  /** An evicted list's memory: reused now when no search is in progress (none holds it), after the search otherwise; never when it escaped. */
  private evict(old: Decoded): void {
    old.evicted = true;
    if (old.escaped) return;
    if (this.depth === 0) for (const buffer of old.buffers) this.spares.give(buffer);
    else this.letGo(old.buffers);
    old.buffers = [];
  }

  private lookup<T extends Postings>(key: string): T | undefined {
    const hit = this.protectedLists.get(key) ?? this.probation.get(key);
    if (hit === undefined) return undefined;
    if (hit.protected) {
      this.protectedLists.delete(key);
      this.protectedLists.set(key, hit);
    } else {
      this.probation.delete(key);
      if (hit.search === this.searches) this.probation.set(key, hit);
      else this.protect(key, hit);
    }
    hit.search = this.searches;
    if (this.depth === 0) hit.escaped = true;
    return hit.value as T;
  }

  /** Moves a list asked for by a later search to the protected part; what overflows it goes back to probation as its most recent. */
  private protect(key: string, hit: Decoded): void {
    hit.protected = true;
    this.protectedLists.set(key, hit);
    this.protectedSize += hit.size;
    for (const [oldKey, old] of this.protectedLists) {
      if (this.protectedSize <= this.cacheLimit * PROTECTED_SHARE) break;
      this.protectedLists.delete(oldKey);
      this.protectedSize -= old.size;
      old.protected = false;
      this.probation.set(oldKey, old);
    }
  }

  /**
   * `ints` integers (contents unspecified: the caller overwrites them) for something made
   * from `owner`, a list this reader handed out, that may live as long as the list does in
   * the cache (features.ts counts a bigram's occurrences by field once per list): its
   * memory is reused with the list's.
   */
  arrayFor(owner: Postings, ints: number): Uint32Array {
    const array = this.spares.take(ints);
    if (ints < MIN_SPARE_INTS) return array;
    const decoded = this.decoded.get(owner);
    if (decoded && !decoded.evicted) decoded.buffers.push(array.buffer as ArrayBuffer);
    else if (!decoded?.escaped) this.letGo([array.buffer as ArrayBuffer]);
    return array;
  }

  /** Postings of a jieba word, or empty when the index has no such word. */
  word(word: string): FieldCounts {
    const key = `w${word}`;
    const hit = this.lookup<FieldCounts>(key);
    if (hit) return hit;
    const term = findTerm(this.data.wordTerms, word);
    if (term < 0) return EMPTY_COUNTS;
    const decoded = this.decode((allocate) => countsOf(this.data.words, term, allocate));
    return this.remember(key, decoded, decoded.value.docs.length * 3);
  }

  /**
   * Which documents of `wanted` (ascending) hold a jieba word: from its list when the cache
   * has it; else, when they are fewer than its list's blocks (a long query's few literal
   * matches, checked for its common words), from the doc gaps of only the blocks that may
   * hold them (countsHolding; in a view over segments, those of each segment's list:
   * segmentedCountsHolding), counts and the other blocks left unread and nothing cached;
   * otherwise (most blocks would be read) from its whole list, decoded and cached as `word` does.
   */
  wordHolding(word: string, wanted: Uint32Array): Uint32Array {
    const hit = this.lookup<FieldCounts>(`w${word}`);
    if (hit) return docsAmong(wanted, hit.docs);
    const term = findTerm(this.data.wordTerms, word);
    if (term < 0) return EMPTY_COUNTS.docs;
    const { words } = this.data;
    if (wanted.length * PACKED_RUN >= words.df[term]) return docsAmong(wanted, this.word(word).docs);
    if (words.segments) return segmentedCountsHolding(words.segments, term, wanted);
    const out = new Uint32Array(wanted.length);
    return out.subarray(0, countsHolding(words, term, wanted, out, 0));
  }

  /**
   * A jieba word's postings enough to score the documents of `wanted` (ascending): at least
   * their entries, with the counts `word` gives. From its list when the cache has it, or
   * when they are not fewer than its list's blocks (decoded and cached as `word` does);
   * otherwise from only the blocks that may hold them (countsAmong; in a view over segments,
   * those of each segment's list: segmentedCountsAmong), nothing cached: a query with a few
   * literal matches ranks them by its common words without decoding their lists whole.
   */
  wordAmong(word: string, wanted: Uint32Array): FieldCounts {
    const hit = this.lookup<FieldCounts>(`w${word}`);
    if (hit) return hit;
    const term = findTerm(this.data.wordTerms, word);
    return term < 0 ? EMPTY_COUNTS : this.countsAmong(this.data.words, term, wanted, () => this.word(word));
  }

  /**
   * Term `term` of a counts family enough to score the documents of `wanted` (ascending), as
   * wordAmong and charAmong read it when the cache does not have it: `whole()` when they are
   * not fewer than its list's blocks, else only the blocks that may hold them (countsAmong;
   * in a view over segments, those of each segment's list: segmentedCountsAmong), nothing cached.
   */
  private countsAmong(family: PostingsFamily, term: number, wanted: Uint32Array, whole: () => FieldCounts): FieldCounts {
    if (wanted.length * PACKED_RUN >= family.df[term]) return whole();
    if (family.segments) return segmentedCountsAmong(family.segments, term, wanted);
    const out = countsIn(freshArray, wanted.length);
    const n = countsAmong(family, term, wanted, out, 0);
    return { docs: out.docs.subarray(0, n), title: out.title.subarray(0, n), body: out.body.subarray(0, n) };
  }

  /** Postings of one UTF-16 unit (one-character queries). */
  char(unit: number): FieldCounts {
    const key = `c${unit}`;
    const hit = this.lookup<FieldCounts>(key);
    if (hit) return hit;
    const term = findKey(this.data.charKeys, unit);
    if (term < 0) return EMPTY_COUNTS;
    const decoded = this.decode((allocate) => countsOf(this.data.chars, term, allocate));
    return this.remember(key, decoded, decoded.value.docs.length * 3);
  }

  /**
   * The documents holding one UTF-16 unit, without their counts: from its whole list when the
   * cache has it, else from the doc gaps alone of its list (decodeDocs; per segment on a view,
   * decodeSegmentedDocs), cached apart. A one-character query's matches are all of them; their
   * counts are read (charAmong) only for the documents its ranking scores.
   */
  charDocs(unit: number): Uint32Array {
    const whole = this.lookup<FieldCounts>(`c${unit}`);
    if (whole) return whole.docs;
    const key = `d${unit}`;
    const hit = this.lookup<DocList>(key);
    if (hit) return hit.docs;
    const term = findKey(this.data.charKeys, unit);
    if (term < 0) return EMPTY_COUNTS.docs;
    const { chars } = this.data;
    const decoded = this.decode((allocate) => ({ docs: chars.segments ? decodeSegmentedDocs(chars.segments, term, allocate) : decodeDocs(chars, term, allocate) }));
    return this.remember(key, decoded, decoded.value.docs.length).docs;
  }

  /**
   * One UTF-16 unit's postings enough to score the documents of `wanted` (ascending): at least
   * their entries, with the counts `char` gives: from its list when the cache has it, or when
   * they are not fewer than its list's blocks (decoded and cached as `char` does), otherwise from
   * only the blocks that may hold them, nothing cached (see wordAmong).
   */
  charAmong(unit: number, wanted: Uint32Array): FieldCounts {
    const hit = this.lookup<FieldCounts>(`c${unit}`);
    if (hit) return hit;
    const term = findKey(this.data.charKeys, unit);
    return term < 0 ? EMPTY_COUNTS : this.countsAmong(this.data.chars, term, wanted, () => this.char(unit));
  }

  /** Positional postings of the bigram of two UTF-16 units, or undefined when it occurs nowhere. */
  bigram(first: number, second: number): PositionalPostings | undefined {
    const code = bigramKey(first, second);
    const key = `b${code}`;
    const hit = this.lookup<PositionalPostings>(key);
    if (hit) return hit;
    const term = findKey(this.data.bigramKeys, code);
    if (term < 0) return undefined;
    const decoded = this.decode((allocate) => positionsOf(this.data.bigrams, term, allocate));
    return this.remember(key, decoded, decoded.value.docs.length * 2 + decoded.value.positions.length);
  }

  /**
   * The bigram's postings enough to check the documents of `wanted` (ascending): only the
   * blocks of its list that may hold them (decodePositionalHolding; in a view over segments,
   * those of each segment's list: decodeSegmentedPositionalHolding), not cached (its memory
   * is reused once the search returns). A list already cached comes whole.
   */
  bigramHolding(first: number, second: number, wanted: Uint32Array): PositionalPostings | undefined {
    const code = bigramKey(first, second);
    const hit = this.lookup<PositionalPostings>(`b${code}`);
    if (hit) return hit;
    const term = findKey(this.data.bigramKeys, code);
    if (term < 0) return undefined;
    const { segments } = this.data.bigrams;
    const { value, buffers } = this.decode((allocate) =>
      segments ? decodeSegmentedPositionalHolding(segments, term, wanted, allocate) : decodePositionalHolding(this.data.bigrams, term, wanted, allocate),
    );
    this.letGo(buffers);
    return value;
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
