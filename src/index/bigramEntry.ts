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
import { PACKED_MIN_DF, PackEntries, forBlocksHolding, packEntriesWith, readBlocks, writeBlock } from './postingsBlocks';
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

/** Decodes the postings of bigram number `term`. */
export function decodePositional(family: PostingsFamily, term: number): PositionalPostings {
  const n = family.df[term];
  const from = family.offsets[term];
  const to = family.offsets[term + 1];
  return n < PACKED_MIN_DF ? decodeEntries(family.postings, from, to, n) : decodeBlocks(family.postings, from, to, n);
}

/** `positions` grown to hold at least `size`, keeping the first `count`. */
function grown(positions: Uint32Array, count: number, size: number): Uint32Array {
  if (size <= positions.length) return positions;
  const bigger = new Uint32Array(Math.max(positions.length * 2, size));
  bigger.set(positions.subarray(0, count));
  return bigger;
}

/** Decodes `n` varint entries from `bytes[from, to)` (a short list, or a builder's stream). */
export function decodeEntries(bytes: Uint8Array, from: number, to: number, n: number): PositionalPostings {
  const docs = new Uint32Array(n);
  const start = new Uint32Array(n + 1);
  const reader = new ByteReader(bytes, from, to);
  let positions: Uint32Array = new Uint32Array(Math.max(n * 2, 8));
  let count = 0;
  let doc = -1;
  for (let i = 0; i < n; i++) {
    doc += reader.readVarint() + 1;
    docs[i] = doc;
    start[i] = count;
    const head = reader.readVarint();
    const code = head & FREQ_MASK;
    const freq = code === FREQ_MASK ? reader.readVarint() + INLINE_FREQ + 1 : code + 1;
    positions = grown(positions, count, count + freq);
    let position = head >>> 2;
    positions[count++] = position;
    for (let k = 1; k < freq; k++) {
      position += reader.readVarint();
      positions[count++] = position;
    }
  }
  start[n] = count;
  return { docs, start, positions: positions.subarray(0, count) };
}

/** Per-block scratch of the decoder: heads and frequencies above 3 of one block. */
const heads = new Uint32Array(PACKED_RUN);
const extras = new Uint32Array(PACKED_RUN);
let gaps: Uint32Array = new Uint32Array(4 * PACKED_RUN);

/** A list being decoded: its documents, where each one's positions start, the positions, how many so far. */
interface Decoding {
  docs: Uint32Array;
  start: Uint32Array;
  positions: Uint32Array;
  count: number;
}

/** A Decoding of at most `n` documents. */
function decoding(n: number): Decoding {
  return { docs: new Uint32Array(n), start: new Uint32Array(n + 1), positions: new Uint32Array(Math.max(n * 2, 8)), count: 0 };
}

/** The first `n` documents of `into` and their positions. */
function decoded(into: Decoding, n: number): PositionalPostings {
  into.start[n] = into.count;
  return { docs: into.docs.subarray(0, n), start: into.start.subarray(0, n + 1), positions: into.positions.subarray(0, into.count) };
}

/** Unpacks the heads, frequencies and position gaps of a block of `size` entries (at `pos`, after its doc gaps) as entries `first…` of `into`. */
function unpackPositions(bytes: Uint8Array, pos: number, end: number, first: number, size: number, into: Decoding): void {
  pos = readPacked(bytes, pos, end, size, heads, 0);
  let extra = 0;
  for (let i = 0; i < size; i++) if ((heads[i] & FREQ_MASK) === FREQ_MASK) extra++;
  pos = readPacked(bytes, pos, end, extra, extras, 0);
  let more = 0;
  for (let i = 0, e = 0; i < size; i++) {
    const code = heads[i] & FREQ_MASK;
    more += code === FREQ_MASK ? extras[e++] + INLINE_FREQ : code;
  }
  if (more > gaps.length) gaps = new Uint32Array(Math.max(more, gaps.length * 2));
  readPackedRuns(bytes, pos, end, more, gaps, 0);
  let count = into.count;
  const positions = (into.positions = grown(into.positions, count, count + size + more));
  for (let i = 0, e = 0, g = 0; i < size; i++) {
    into.start[first + i] = count;
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

/** Decodes `n` documents stored in packed blocks in `bytes[from, to)`. */
function decodeBlocks(bytes: Uint8Array, from: number, to: number, n: number): PositionalPostings {
  const into = decoding(n);
  readBlocks(bytes, from, to, into.docs, (body, end, first, size) => unpackPositions(bytes, body, end, first, size, into));
  return decoded(into, n);
}

/**
 * The postings of bigram number `term` in the blocks that may hold a document of `wanted`
 * (ascending): at least those documents of `wanted` the bigram occurs in, with their
 * positions, and whatever else those blocks hold. Blocks with none are passed by their
 * headers, unread: a literal's rarest bigram leaves few documents to look for in the long
 * lists of its common ones. A short list is decoded whole.
 */
export function decodePositionalHolding(family: PostingsFamily, term: number, wanted: Uint32Array): PositionalPostings {
  const n = family.df[term];
  const from = family.offsets[term];
  const to = family.offsets[term + 1];
  if (n < PACKED_MIN_DF) return decodeEntries(family.postings, from, to, n);
  const bytes = family.postings;
  const into = decoding(n);
  let k = 0;
  forBlocksHolding(bytes, from, to, n, wanted, (body, end, size, previous) => {
    const rest = readPacked(bytes, body, end, size, into.docs, k);
    for (let i = k, doc = previous; i < k + size; i++) into.docs[i] = doc += into.docs[i] + 1;
    unpackPositions(bytes, rest, end, k, size, into);
    k += size;
  });
  return decoded(into, k);
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
    if (gapCount > blockGaps.length) blockGaps = new Uint32Array(Math.max(gapCount, blockGaps.length * 2));
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
