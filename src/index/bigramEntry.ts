/**
 * A bigram's postings list: its encoder and decoder (format version 7).
 *
 * The builder streams a document's entry as its doc gap (minus one), then the "head": the
 * document's first position times four plus a code in the two low bits for the frequency
 * (0–2: it occurs 1–3 times; 3: more, and the frequency minus 4 follows as its own varint),
 * then the gaps to the other positions, all varints; each list is coded again as stored when
 * its segment is finished.
 *
 * Stored, a list is bit strings of variable-length codes (bitCodes.ts; writeRun): per
 * document its doc gap as a Rice code, its frequency as an Elias gamma code, its first
 * position as a truncated binary code of its own document's bound (IndexData.docUnits: below
 * L it takes floor(log2 L) bits or one more), and the gaps to its further positions as Rice
 * codes. A first position is spread evenly over its document, so its bound is the least it
 * can be coded in without a model of the text, where a varint or a width set by a block's
 * longest document wasted 2 bits and more. A list of fewer than BLOCKED_MIN_DF documents is
 * one such string; a longer one is stored in blocks of up to PACKED_RUN documents
 * (postingsBlocks.ts: each block starts with its last document and its length, so a reader
 * can skip it), each block's body one string. On news-dev (one segment) the bigram postings
 * took 38.65 MB as varint entries and bit-packed blocks (format version 6), 35.39 MB with
 * first positions in their bounds and lists under 16 documents as bit strings, and
 * 32.87 MB as bit strings throughout (docs/performance.md "Index size").
 * The decoder lives here, beside the encoder.
 */
import { IndexError } from '../errors';
import * as bitCodes from './bitCodes';
import { BitWriter } from './bitCodes';
import { PostingsFamily } from './data';
import { withRoom } from './growableU32';
import { PACKED_RUN, PackEntries, forBlocksHolding, forEachBlock, listBytes, writeBlock } from './postingsBlocks';
import { Allocate, freshArray } from './spareArrays';
import { ByteReader, ByteWriter } from './varint';

/**
 * The bit readers the decoding loops call for every code, bound once when the module loads.
 * Called as imports, each call reads the export anew: under tsx (the runner of the
 * benchmarks, scripts/bench/latency.ts among them, and of the tests) a getter of esbuild's
 * CommonJS interop that looks the name up, which the loop's optimized code does not inline
 * (6.6 s of 66 s sampled over latency.ts on news-large went to those getters). Compiled by
 * tsc (dist/, what is served) an export is a plain property, and this changes nothing.
 */
const { onesAt, peekBits } = bitCodes;

/** A bigram's documents, and for each the positions of the bigram (positions[start[i]..start[i+1])). */
export interface PositionalPostings {
  docs: Uint32Array;
  start: Uint32Array;
  positions: Uint32Array;
}

/** Frequencies up to this are coded in the head; larger ones follow it. */
export const INLINE_FREQ = 3;
const FREQ_MASK = 3;

/** The head of an entry whose first position is `first` and whose bigram occurs `freq` (≥ 1) times. */
export function entryHead(first: number, freq: number): number {
  return first * (FREQ_MASK + 1) + (freq <= INLINE_FREQ ? freq - 1 : FREQ_MASK);
}

/**
 * Positional postings being decoded, list after list appended: `n` documents, where each
 * one's positions start (`start[i]`), `count` positions, in arrays grown as needed and reused
 * from one decode to the next (decoding a long list into arrays sized for it anew zeroed a
 * megabyte a call for a common bigram). Whoever holds one reuses it: `reset` before a decode,
 * `copy` to hand the result out, since the next decode overwrites the arrays.
 */
export class PositionalDecoding {
  docs: Uint32Array = new Uint32Array(1024);
  start: Uint32Array = new Uint32Array(1025);
  positions: Uint32Array = new Uint32Array(4096);
  n = 0;
  count = 0;

  /** Empties it for another decode (the arrays are kept). */
  reset(): this {
    this.n = 0;
    this.count = 0;
    return this;
  }

  /** Makes room for `more` documents after the `n` held. */
  roomForDocs(more: number): void {
    this.docs = withRoom(this.docs, this.n + more, this.n);
    this.start = withRoom(this.start, this.n + more + 1, this.n);
  }

  /** Makes room for `more` positions after the `count` held. */
  roomForPositions(more: number): void {
    this.positions = withRoom(this.positions, this.count + more, this.count);
  }

  /** The postings held, as views of its arrays: valid until its next decode (what packing a builder's list reads once). */
  view(): PositionalPostings {
    const { n, count } = this;
    this.start[n] = count;
    return { docs: this.docs.subarray(0, n), start: this.start.subarray(0, n + 1), positions: this.positions.subarray(0, count) };
  }

  /** The postings held, copied out at their exact size into one array from `allocate` (docs, starts, then positions). */
  copy(allocate: Allocate = freshArray): PositionalPostings {
    const { n, count } = this;
    this.start[n] = count;
    const all = allocate(n * 2 + 1 + count);
    const docs = all.subarray(0, n);
    const start = all.subarray(n, n * 2 + 1);
    const positions = all.subarray(n * 2 + 1, n * 2 + 1 + count);
    docs.set(this.docs.subarray(0, n));
    start.set(this.start.subarray(0, n + 1));
    positions.set(this.positions.subarray(0, count));
    return { docs, start, positions };
  }
}

/** What this module's decoders decode into before copying out. */
const decoding = new PositionalDecoding();

/** Decodes the postings of bigram number `term` (into memory from `allocate`, see PositionalDecoding.copy). */
export function decodePositional(family: PostingsFamily, term: number, allocate: Allocate = freshArray): PositionalPostings {
  appendPositional(family, term, decoding.reset());
  return decoding.copy(allocate);
}

/** Appends the postings of bigram number `term` to `into`. */
export function appendPositional(family: PostingsFamily, term: number, into: PositionalDecoding): void {
  const { bytes, from, to } = listBytes(family, term);
  appendList(bytes, from, to, family.df[term], into, boundsOf(family.docUnits));
}

/** Decodes `n` varint entries from `bytes[from, to)` (a builder's stream). */
export function decodeEntries(bytes: Uint8Array, from: number, to: number, n: number): PositionalPostings {
  appendEntries(bytes, from, to, n, decoding.reset());
  return decoding.copy();
}

/** Appends `n` varint entries from `bytes[from, to)` to `into`. */
function appendEntries(bytes: Uint8Array, from: number, to: number, n: number, into: PositionalDecoding): void {
  into.roomForDocs(n);
  const { docs, start } = into;
  const reader = new ByteReader(bytes, from, to);
  let positions = into.positions;
  let count = into.count;
  let doc = -1;
  for (let i = into.n; i < into.n + n; i++) {
    doc += reader.readVarint() + 1;
    docs[i] = doc;
    start[i] = count;
    const head = reader.readVarint();
    const code = head & FREQ_MASK;
    const freq = code === FREQ_MASK ? reader.readVarint() + INLINE_FREQ + 1 : code + 1;
    if (count + freq > positions.length) {
      into.count = count;
      into.roomForPositions(freq);
      positions = into.positions;
    }
    let position = head >>> 2;
    positions[count++] = position;
    for (let k = 1; k < freq; k++) {
      position += reader.readVarint();
      positions[count++] = position;
    }
  }
  into.n += n;
  into.count = count;
}

/** Writes the bit strings of stored lists. */
const writer = new BitWriter();

/** Lists of this many documents or more are stored in blocks with headers (skip data); shorter ones are one bit string. */
export const BLOCKED_MIN_DF = PACKED_RUN;

/** What a list whose codes cannot be read raises (the files passed their checksums: written wrong, only a rebuild helps). */
function damagedList(): IndexError {
  return new IndexError('The index is damaged: a bigram postings list names a document past its segment or its block, or runs past its end. Rebuild it with: npx jiansuo index');
}

/** The documents' bounds a family's stored lists are decoded with (PostingsFamily.docUnits); their absence is a bug, not damage. */
function boundsOf(docUnits: Uint32Array | undefined): Uint32Array {
  if (!docUnits) throw new Error('bigram postings are decoded without their documents\' bounds (PostingsFamily.docUnits)');
  return docUnits;
}

/**
 * The Rice parameter of the gaps (minus one) of `count` values spread over `range`: about
 * log2 of their mean gap, minus one (at most 24, what a BitWriter writes at once). The doc
 * gaps of a list or block take the document numbers it spans; a document's position gaps
 * its bound over its frequency.
 */
function riceParameter(range: number, count: number): number {
  return Math.min(24, Math.max(0, 31 - Math.clz32(Math.floor(range / count)) - 1));
}

/**
 * Appends documents `from…` (`size` of them) of `postings` to `out` as one bit string
 * (bitCodes.ts), per document: its gap from the one before (`previous` for the first) minus
 * one, as a Rice code of parameter `b`; its frequency as an Elias gamma code; its first
 * position as a truncated binary code of its bound (`docUnits`); the gaps (minus one) to its
 * further positions as Rice codes whose parameter its bound over its frequency gives.
 */
function writeRun(out: ByteWriter, postings: PositionalPostings, from: number, size: number, previous: number, b: number, docUnits: Uint32Array): void {
  const { docs, start, positions } = postings;
  writer.reset();
  let last = previous;
  for (let i = from; i < from + size; i++) {
    const doc = docs[i];
    const bound = docUnits[doc];
    const freq = start[i + 1] - start[i];
    const first = positions[start[i]];
    if (!(first < bound)) throw new Error(`bigram position ${first} of document ${doc} is not below its bound ${bound}`);
    writer.writeRice(doc - last - 1, b);
    last = doc;
    writer.writeGamma(freq);
    writer.writeTruncated(first, bound);
    const g = riceParameter(bound, freq);
    for (let p = start[i] + 1; p < start[i + 1]; p++) writer.writeRice(positions[p] - positions[p - 1] - 1, g);
  }
  writer.writeTo(out);
}

/**
 * Appends `size` documents written by writeRun (in `bytes[from, to)`, with the same
 * `previous` and `b`) to `into`; returns the last one. The codes are read inline, with the
 * bit offset in a local, a Rice code and a truncated binary code from one 25-bit read when
 * they fit in it, a frequency of 1 (a single zero bit) from one bit: decoding every list of
 * news-dev (one segment) takes what main's packed blocks took (0.97–1.31 s of CPU against
 * 0.99–1.26, alternated), where reading through a reader object's methods took 3.7–4.0 s.
 */
function appendRun(bytes: Uint8Array, from: number, to: number, size: number, into: PositionalDecoding, previous: number, b: number, docUnits: Uint32Array): number {
  into.roomForDocs(size);
  const { docs, start } = into;
  let positions = into.positions;
  let count = into.count;
  let doc = previous;
  let bit = from * 8;
  const docMask = (1 << b) - 1;
  for (let i = into.n; i < into.n + size; i++) {
    // Doc gap − 1: Rice code of parameter b, from one read of 25 bits when it fits in them.
    let window = peekBits(bytes, bit);
    let zeros = ~window & 0xffffff;
    let ones = 31 - Math.clz32(zeros & -zeros);
    if (zeros !== 0 && ones + 1 + b <= 25) {
      doc += ones * (docMask + 1) + ((window >>> (ones + 1)) & docMask) + 1;
      bit += ones + 1 + b;
    } else {
      ones = onesAt(bytes, bit);
      bit += ones + 1;
      doc += ones * (docMask + 1) + (peekBits(bytes, bit) & docMask) + 1;
      bit += b;
    }
    if (doc >= docUnits.length) throw damagedList();
    docs[i] = doc;
    start[i] = count;
    const bound = docUnits[doc];
    // Frequency: Elias gamma (a single zero bit for 1, four in five entries).
    let freq = 1;
    if (((bytes[bit >>> 3] >>> (bit & 7)) & 1) === 0) bit++;
    else {
      ones = onesAt(bytes, bit);
      bit += ones + 1;
      freq = (1 << ones) + (peekBits(bytes, bit) & ((1 << ones) - 1));
      bit += ones;
      if (freq > bound) throw damagedList();
    }
    if (count + freq > positions.length) {
      into.count = count;
      into.roomForPositions(freq);
      positions = into.positions;
    }
    // First position: truncated binary code of the bound (k or k + 1 bits, one read).
    const k = 31 - Math.clz32(bound);
    const short = (2 << k) - bound;
    window = peekBits(bytes, bit);
    let position = window & ((1 << k) - 1);
    if (position >= short) {
      position = ((position << 1) | ((window >>> k) & 1)) - short;
      bit += k + 1;
    } else bit += k;
    positions[count++] = position;
    // Further positions: gaps − 1, Rice codes.
    const g = riceParameter(bound, freq);
    const gapMask = (1 << g) - 1;
    for (let r = 1; r < freq; r++) {
      window = peekBits(bytes, bit);
      zeros = ~window & 0xffffff;
      ones = 31 - Math.clz32(zeros & -zeros);
      if (zeros !== 0 && ones + 1 + g <= 25) {
        position += ones * (gapMask + 1) + ((window >>> (ones + 1)) & gapMask) + 1;
        bit += ones + 1 + g;
      } else {
        ones = onesAt(bytes, bit);
        bit += ones + 1;
        position += ones * (gapMask + 1) + (peekBits(bytes, bit) & gapMask) + 1;
        bit += g;
      }
      positions[count++] = position;
    }
  }
  if ((bit + 7) >>> 3 > to) throw damagedList();
  into.n += size;
  into.count = count;
  return doc;
}

/** Appends a list of `n` documents in `bytes[from, to)` to `into`: one bit string, or blocks. */
function appendList(bytes: Uint8Array, from: number, to: number, n: number, into: PositionalDecoding, docUnits: Uint32Array): void {
  if (n === 0) return;
  if (n < BLOCKED_MIN_DF) {
    appendRun(bytes, from, to, n, into, -1, riceParameter(docUnits.length, n), docUnits);
    return;
  }
  forEachBlock(bytes, from, to, n, (body, end, size, previous, last) => appendBlock(bytes, body, end, size, into, previous, last, docUnits));
}

/** Appends one block of `size` documents (its body in `bytes[from, to)`, its documents after `previous` up to `last`) to `into`. */
function appendBlock(bytes: Uint8Array, from: number, to: number, size: number, into: PositionalDecoding, previous: number, last: number, docUnits: Uint32Array): void {
  if (appendRun(bytes, from, to, size, into, previous, riceParameter(last - previous, size), docUnits) !== last) throw damagedList();
}

/**
 * The postings of bigram number `term` in the blocks that may hold a document of `wanted`
 * (ascending): at least those documents of `wanted` the bigram occurs in, with their
 * positions, and whatever else those blocks hold. Blocks with none are passed by their
 * headers, unread: a literal's rarest bigram leaves few documents to look for in the long
 * lists of its common ones. A list shorter than BLOCKED_MIN_DF is decoded whole.
 */
export function decodePositionalHolding(family: PostingsFamily, term: number, wanted: Uint32Array, allocate: Allocate = freshArray): PositionalPostings {
  appendPositionalHolding(family, term, wanted, decoding.reset());
  return decoding.copy(allocate);
}

/** Appends what decodePositionalHolding gives to `into` (room is made only for the blocks read). */
export function appendPositionalHolding(family: PostingsFamily, term: number, wanted: Uint32Array, into: PositionalDecoding): void {
  const n = family.df[term];
  const docUnits = boundsOf(family.docUnits);
  const { bytes, from, to } = listBytes(family, term);
  if (n < BLOCKED_MIN_DF) appendList(bytes, from, to, n, into, docUnits);
  else forBlocksHolding(bytes, from, to, n, wanted, (body, end, size, previous, last) => appendBlock(bytes, body, end, size, into, previous, last, docUnits));
}

/** Appends the postings list of `postings` to `out`, as decodePositional reads it back from a family whose `docUnits` is `docUnits`. */
export function encodePositional(out: ByteWriter, postings: PositionalPostings, docUnits: Uint32Array): void {
  const n = postings.docs.length;
  if (n === 0) return;
  if (n < BLOCKED_MIN_DF) {
    writeRun(out, postings, 0, n, -1, riceParameter(docUnits.length, n), docUnits);
    return;
  }
  let previous = -1;
  for (let first = 0; first < n; first += PACKED_RUN) {
    const size = Math.min(PACKED_RUN, n - first);
    const last = postings.docs[first + size - 1];
    writeBlock(out, last - previous, (body) => writeRun(body, postings, first, size, previous, riceParameter(last - previous, size), docUnits));
    previous = last;
  }
}

/** Packs a builder's stream of `n` varint entries into `out` as stored (see PackEntries), for a segment whose documents' bounds are `docUnits`. */
export function packPositionalEntries(docUnits: Uint32Array): PackEntries {
  return (out, entries, from, to, n) => {
    // Decoded into the module's arrays and encoded from them, not copied out: 857 K lists on news-dev, each a fresh array.
    appendEntries(entries, from, to, n, decoding.reset());
    encodePositional(out, decoding.view(), docUnits);
  };
}
