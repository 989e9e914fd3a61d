/**
 * A bigram's postings list: its encoder and decoder (format version 6).
 *
 * The entry of a document, as the builder's streams and short lists hold it, is its doc gap
 * (minus one), then the "head": the document's first position times four plus a code in the
 * two low bits for the frequency (0–2: it occurs 1–3 times; 3: more, and the frequency minus
 * 4 follows as its own varint), then the gaps to the other positions, all varints. Four in
 * five entries on news-dev occur once, so folding the frequency into the head drops a byte
 * from most of them.
 *
 * A list of PACKED_MIN_DF documents or more is stored in blocks of up to PACKED_RUN
 * documents instead (postingsBlocks.ts: each block starts with its last document and its
 * length, so a reader can skip it), each block holding the same parts bit-packed
 * (bitPacking.ts), part by part, each with its own width: the doc gaps, the heads, the
 * frequencies above 3 (minus 4) of the entries whose code says so, then all the gaps to
 * further positions of the block's documents in runs of PACKED_RUN.
 * The decoder lives here, beside the encoder, and calls nothing across modules per entry.
 */
import { PACKED_RUN, readPacked, readPackedRuns, writePacked, writePackedRuns } from './bitPacking';
import { PostingsFamily } from './data';
import { withRoom } from './growableU32';
import { PACKED_MIN_DF, PackEntries, forBlocksHolding, packEntriesWith, readBlocks, writeBlock } from './postingsBlocks';
import { Allocate, freshArray } from './spareArrays';
import { ByteReader, ByteWriter } from './varint';

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
  const n = family.df[term];
  const from = family.offsets[term];
  const to = family.offsets[term + 1];
  if (n < PACKED_MIN_DF) appendEntries(family.postings, from, to, n, into);
  else appendBlocks(family.postings, from, to, n, into);
}

/** Decodes `n` varint entries from `bytes[from, to)` (a short list, or a builder's stream). */
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

/** Per-block scratch of the decoder: heads and frequencies above 3 of one block. */
const heads = new Uint32Array(PACKED_RUN);
const extras = new Uint32Array(PACKED_RUN);
let gaps: Uint32Array = new Uint32Array(4 * PACKED_RUN);

/** Unpacks the heads, frequencies and position gaps of a block of `size` entries (at `pos`, after its doc gaps) as entries `first…` of `into` (room made for them), appending their positions. */
function unpackPositions(bytes: Uint8Array, pos: number, end: number, first: number, size: number, into: PositionalDecoding): void {
  pos = readPacked(bytes, pos, end, size, heads, 0);
  let extra = 0;
  for (let i = 0; i < size; i++) if ((heads[i] & FREQ_MASK) === FREQ_MASK) extra++;
  pos = readPacked(bytes, pos, end, extra, extras, 0);
  let more = 0;
  for (let i = 0, e = 0; i < size; i++) {
    const code = heads[i] & FREQ_MASK;
    more += code === FREQ_MASK ? extras[e++] + INLINE_FREQ : code;
  }
  gaps = withRoom(gaps, more);
  readPackedRuns(bytes, pos, end, more, gaps, 0);
  into.roomForPositions(size + more);
  const { positions, start } = into;
  let count = into.count;
  for (let i = 0, e = 0, g = 0; i < size; i++) {
    start[first + i] = count;
    const code = heads[i] & FREQ_MASK;
    const freq = code === FREQ_MASK ? extras[e++] + INLINE_FREQ + 1 : code + 1;
    let position = heads[i] >>> 2;
    positions[count++] = position;
    for (let k = 1; k < freq; k++) {
      position += gaps[g++];
      positions[count++] = position;
    }
  }
  into.count = count;
}

/** Appends `n` documents stored in packed blocks in `bytes[from, to)` to `into`. */
function appendBlocks(bytes: Uint8Array, from: number, to: number, n: number, into: PositionalDecoding): void {
  into.roomForDocs(n);
  readBlocks(bytes, from, to, n, into.docs, into.n, (body, end, first, size) => unpackPositions(bytes, body, end, first, size, into));
  into.n += n;
}

/**
 * The postings of bigram number `term` in the blocks that may hold a document of `wanted`
 * (ascending): at least those documents of `wanted` the bigram occurs in, with their
 * positions, and whatever else those blocks hold. Blocks with none are passed by their
 * headers, unread: a literal's rarest bigram leaves few documents to look for in the long
 * lists of its common ones. A short list is decoded whole.
 */
export function decodePositionalHolding(family: PostingsFamily, term: number, wanted: Uint32Array, allocate: Allocate = freshArray): PositionalPostings {
  appendPositionalHolding(family, term, wanted, decoding.reset());
  return decoding.copy(allocate);
}

/** Appends what decodePositionalHolding gives to `into` (room is made only for the blocks read). */
export function appendPositionalHolding(family: PostingsFamily, term: number, wanted: Uint32Array, into: PositionalDecoding): void {
  const n = family.df[term];
  const from = family.offsets[term];
  const to = family.offsets[term + 1];
  const bytes = family.postings;
  if (n < PACKED_MIN_DF) {
    appendEntries(bytes, from, to, n, into);
    return;
  }
  forBlocksHolding(bytes, from, to, n, wanted, (body, end, size, previous) => {
    into.roomForDocs(size);
    const { docs } = into;
    const k = into.n;
    const rest = readPacked(bytes, body, end, size, docs, k);
    for (let i = k, doc = previous; i < k + size; i++) docs[i] = doc += docs[i] + 1;
    unpackPositions(bytes, rest, end, k, size, into);
    into.n += size;
  });
}

/** Block scratch of the encoder: doc gaps, heads, frequencies above 3, position gaps. */
const blockDocGaps = new Uint32Array(PACKED_RUN);
const blockHeads = new Uint32Array(PACKED_RUN);
const blockExtras = new Uint32Array(PACKED_RUN);
let blockGaps: Uint32Array = new Uint32Array(4 * PACKED_RUN);

/** Appends the postings list of `postings` to `out`, as decodePositional reads it back. */
export function encodePositional(out: ByteWriter, postings: PositionalPostings): void {
  const { docs, start, positions } = postings;
  const n = docs.length;
  if (n < PACKED_MIN_DF) {
    let last = -1;
    for (let i = 0; i < n; i++) {
      out.writeVarint(docs[i] - last - 1);
      last = docs[i];
      const freq = start[i + 1] - start[i];
      out.writeVarint(entryHead(positions[start[i]], freq));
      if (freq > INLINE_FREQ) out.writeVarint(freq - INLINE_FREQ - 1);
      for (let p = start[i] + 1; p < start[i + 1]; p++) out.writeVarint(positions[p] - positions[p - 1]);
    }
    return;
  }
  let last = -1;
  for (let first = 0; first < n; first += PACKED_RUN) {
    const size = Math.min(PACKED_RUN, n - first);
    let extra = 0;
    let more = 0;
    const gapCount = start[first + size] - start[first] - size;
    blockGaps = withRoom(blockGaps, gapCount);
    const previous = last;
    for (let i = 0; i < size; i++) {
      const d = first + i;
      blockDocGaps[i] = docs[d] - last - 1;
      last = docs[d];
      const freq = start[d + 1] - start[d];
      blockHeads[i] = entryHead(positions[start[d]], freq);
      if (freq > INLINE_FREQ) blockExtras[extra++] = freq - INLINE_FREQ - 1;
      for (let p = start[d] + 1; p < start[d + 1]; p++) blockGaps[more++] = positions[p] - positions[p - 1];
    }
    writeBlock(out, last - previous, (body) => {
      writePacked(body, blockDocGaps, 0, size);
      writePacked(body, blockHeads, 0, size);
      writePacked(body, blockExtras, 0, extra);
      writePackedRuns(body, blockGaps, 0, more);
    });
  }
}

/** Appends a builder's stream of `n` varint entries to `out` as stored (see PackEntries). */
export const packPositionalEntries: PackEntries = packEntriesWith(decodeEntries, encodePositional);
