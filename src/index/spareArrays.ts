/**
 * Memory of decoded postings lists that no search holds any more, kept to decode the next
 * lists into instead of fresh ArrayBuffers (Lucene's and Tantivy's readers reuse their
 * decode buffers the same way). On news-large, every cache miss of the postings reader
 * allocated its list anew while an evicted one of much the same size went to the garbage
 * collector: a few hundred megabytes of backing stores per thousand queries, each 64 MB of
 * them a mark-compact (V8 counts ArrayBuffer memory as external memory).
 */

/** Gives `ints` integers of memory whose contents the caller overwrites in full before reading. */
export type Allocate = (ints: number) => Uint32Array;

/** A fresh, zeroed array: what a decode outside a reader (merging segments, tests) allocates. */
export const freshArray: Allocate = (ints) => new Uint32Array(ints);

/**
 * Arrays shorter than this are neither kept nor reused: small typed arrays cost the garbage
 * collector little, and short lists are most lists (a linear search over spares stays short).
 */
export const MIN_SPARE_INTS = 1024;

/**
 * A spare is reused for a request of n integers when it holds at most n/SLACK more: at most
 * a quarter of a list's memory goes unused (on news-large 2.5 MB in all beside the cache's
 * 44 MB of lists and bigram counts; with an eighth, a pass of the literal queries allocated
 * 153 MB of them instead of 114 MB, spares of a quarter of the cache's bound either way).
 */
const SLACK = 4;

/**
 * ArrayBuffers let go of, oldest first, at most `limitBytes` in all: `take` reuses the
 * smallest that fits a request closely enough (best fit, within 1/SLACK), `give` takes one
 * back and forgets the oldest past the limit (the garbage collector has them then).
 */
export class SpareArrays {
  private readonly spares: ArrayBuffer[] = [];
  private held = 0;

  constructor(readonly limitBytes: number) {}

  /** Bytes the spares hold. */
  get bytes(): number {
    return this.held;
  }

  /** Number of spares held. */
  get count(): number {
    return this.spares.length;
  }

  /** `ints` integers, in a spare when one fits (contents left from its last use), else in a fresh array. */
  take(ints: number): Uint32Array {
    if (ints < MIN_SPARE_INTS) return new Uint32Array(ints);
    const wanted = ints * 4;
    let best = -1;
    for (let i = 0; i < this.spares.length; i++) {
      const size = this.spares[i].byteLength;
      if (size >= wanted && size - wanted <= wanted / SLACK && (best < 0 || size < this.spares[best].byteLength)) best = i;
    }
    if (best < 0) return new Uint32Array(ints);
    const [buffer] = this.spares.splice(best, 1);
    this.held -= buffer.byteLength;
    return new Uint32Array(buffer, 0, ints);
  }

  /** Keeps `buffer` for reuse: its owner guarantees nothing reads or writes it any more. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength < MIN_SPARE_INTS * 4 || buffer.byteLength > this.limitBytes) return;
    this.spares.push(buffer);
    this.held += buffer.byteLength;
    while (this.held > this.limitBytes) this.held -= this.spares.shift()!.byteLength;
  }
}
