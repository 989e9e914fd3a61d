/**
 * A document's fingerprint, for finding copies of one article (syndicated news is full of
 * them), computed while its bigrams are counted and stored in docmeta as 48 hex digits
 * (fingerprintHex):
 * - a MinHash sketch of the set of distinct character bigrams of its normalized body:
 *   one-permutation hashing (Li, Owen & Zhang 2012) into SKETCH_BINS bins by hash, the
 *   lowest hash of each bin kept, its low 8 bits stored (b-bit MinHash). Two bodies agree
 *   on a bin with probability about the Jaccard similarity of their bigram sets, so a copy
 *   with another headline or an added credit line agrees on nearly all bins;
 * - how many distinct bigrams the body has (a short body's sketch says little);
 * - a 32-bit hash of the whole sequence of bigrams of title and body: equal for the same text.
 * search/duplicates.ts groups documents by it.
 */
export interface Fingerprint {
  /** SKETCH_BINS values of 0–255; for a body of fewer than SKETCH_BINS * 2 distinct bigrams, not to be compared. */
  sketch: Uint8Array;
  distinct: number;
  exact: number;
}

/** Bins of the body's MinHash sketch. */
export const SKETCH_BINS = 16;
const EMPTY_BIN = 0xffffffff;

/** Accumulates the fingerprint of one document's bigrams, then starts over for the next. */
export class FingerprintBuilder {
  private readonly mins = new Uint32Array(SKETCH_BINS).fill(EMPTY_BIN);
  private distinct = 0;
  private exact = 0x811c9dc5;

  /**
   * Adds the next bigram of the text (key: first unit << 16 | second), title first, then
   * body; `firstInBody` when it is a body bigram the document has not had before.
   */
  add(key: number, firstInBody: boolean): void {
    this.exact = Math.imul(this.exact ^ key, 0x01000193);
    if (!firstInBody) return;
    this.distinct++;
    const hash = mix(key);
    const bin = hash >>> 28;
    const value = hash & 0x0fffffff;
    if (value < this.mins[bin]) this.mins[bin] = value;
  }

  /**
   * The fingerprint so far as FINGERPRINT_INTS 32-bit integers (the sketch packed four bins
   * to an integer, the distinct count, the exact hash), for a prepared document's header;
   * the builder starts over.
   */
  finish(): number[] {
    const ints: number[] = [];
    for (let i = 0; i < SKETCH_BINS; i += 4) {
      let packed = 0;
      for (let j = 0; j < 4; j++) packed = (packed << 8) | (this.mins[i + j] === EMPTY_BIN ? 0 : this.mins[i + j] & 0xff);
      ints.push(packed >>> 0);
    }
    ints.push(this.distinct, this.exact >>> 0);
    this.mins.fill(EMPTY_BIN);
    this.distinct = 0;
    this.exact = 0x811c9dc5;
    return ints;
  }
}

/** Integers a fingerprint takes in a prepared document's header. */
export const FINGERPRINT_INTS = SKETCH_BINS / 4 + 2;

/** The fingerprint as stored in docmeta, 48 hex digits, from its integers (FingerprintBuilder.finish) at `at`. */
export function fingerprintHex(ints: ArrayLike<number>, at: number): string {
  let hex = '';
  for (let i = 0; i < FINGERPRINT_INTS; i++) hex += ints[at + i].toString(16).padStart(8, '0');
  return hex;
}

/** Reads a stored fingerprint; undefined for anything else (an index built before fingerprints). */
export function parseFingerprint(hex: string | undefined): Fingerprint | undefined {
  if (hex === undefined || hex.length !== SKETCH_BINS * 2 + 16 || !/^[0-9a-f]+$/.test(hex)) return undefined;
  const at = SKETCH_BINS * 2;
  return { sketch: Uint8Array.from(Buffer.from(hex.slice(0, at), 'hex')), distinct: parseInt(hex.slice(at, at + 8), 16), exact: parseInt(hex.slice(at + 8), 16) };
}

/** A 32-bit integer hash (the murmur3 finalizer). */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
