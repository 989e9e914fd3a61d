/**
 * A bigram's postings list: its encoder and decoder (format version 7).
 *
 * The builder streams a document's entry as its doc gap (minus one), then the "head": the
 * document's first position times four plus a code in the two low bits for the frequency
 * (0–2: it occurs 1–3 times; 3: more, and the frequency minus 4 follows as its own varint),
 * then the gaps to the other positions, all varints; each list is coded again as stored when
 * its segment is finished.
 *
 * Stored, every first position is coded in the bits of its own document's bound
 * (IndexData.docUnits, a truncated binary code: below L it takes floor(log2 L) bits or one
 * more), not in a varint or a width set by a block's longest document: a first position is
 * spread evenly over its document, so its bound is the least it can be coded in without a
 * model of the text (news-dev: 12.5 MB of packed first positions became 10.8 MB).
 * A list of fewer than PACKED_MIN_DF documents is one bit string (writeShortList: Rice-coded
 * gaps, gamma-coded frequencies; news-dev: its varint entries took 9.2 MB). A longer list is
 * stored in blocks of up to PACKED_RUN documents (postingsBlocks.ts: each block starts with
 * its last document and its length, so a reader can skip it), each block holding the doc
 * gaps and the frequencies minus one, each bit-packed (bitPacking.ts) with its own width,
 * the first positions' bit string, then all the gaps to further positions of the block's
 * documents in packed runs of PACKED_RUN.
 * The decoder lives here, beside the encoder, and calls nothing across modules per entry.
 */
import { IndexError } from '../errors';
import { BitReader, BitWriter } from './bitCodes';
import { PACKED_RUN, readPacked, readPackedRuns, writePacked, writePackedRuns } from './bitPacking';
import { PostingsFamily } from './data';
import { withRoom } from './growableU32';
import { PACKED_MIN_DF, PackEntries, forBlocksHolding, readBlocks, writeBlock } from './postingsBlocks';
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
  if (n < PACKED_MIN_DF) appendShortList(family.postings, from, to, n, into, family.docUnits);
  else appendBlocks(family.postings, from, to, n, into, family.docUnits);
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

/** Reads the bit strings of stored lists. */
const bits = new BitReader();

/** What a list whose codes cannot be read raises (the files passed their checksums: written wrong, only a rebuild helps). */
function damagedList(): IndexError {
  return new IndexError('The index is damaged: a bigram postings list names a document past its segment or runs past its end. Rebuild it with: npx jiansuo index');
}

/** The documents' bounds a family's stored lists are decoded with (PostingsFamily.docUnits); their absence is a bug, not damage. */
function boundsOf(docUnits: Uint32Array | undefined): Uint32Array {
  if (!docUnits) throw new Error('bigram postings are decoded without their documents\' bounds (PostingsFamily.docUnits)');
  return docUnits;
}

/** The Rice parameter of the doc gaps of a short list of `n` documents in a segment of `documents`: about log2 of their mean gap, minus one. */
function docGapParameter(documents: number, n: number): number {
  return Math.min(24, Math.max(0, 31 - Math.clz32(Math.floor(documents / n)) - 1));
}

/** The Rice parameter of the position gaps (minus one) of a document of bound `bound` holding the bigram `freq` times. */
function positionGapParameter(bound: number, freq: number): number {
  return Math.min(24, Math.max(0, 31 - Math.clz32(Math.floor(bound / freq)) - 1));
}

/**
 * Appends a short list (fewer than PACKED_MIN_DF documents) to `out` as one bit string
 * (bitCodes.ts), per document: its doc gap (minus one) in a Rice code whose parameter the
 * segment's document count and the list's length give, its frequency in Elias gamma, its
 * first position in a truncated binary code of its bound (`docUnits`), the gaps (minus one)
 * to its further positions in a Rice code whose parameter its bound over its frequency gives.
 * Nothing is stored that the reader knows: the list's length is its df.
 */
function writeShortList(out: ByteWriter, postings: PositionalPostings, docUnits: Uint32Array): void {
  const { docs, start, positions } = postings;
  const n = docs.length;
  if (n === 0) return;
  const writer = shortWriter.reset();
  const b = docGapParameter(docUnits.length, n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    const bound = docUnits[docs[i]];
    const freq = start[i + 1] - start[i];
    writer.writeRice(docs[i] - last - 1, b);
    last = docs[i];
    writer.writeGamma(freq);
    writer.writeTruncated(boundedPosition(positions[start[i]], bound, docs[i]), bound);
    const g = positionGapParameter(bound, freq);
    for (let p = start[i] + 1; p < start[i + 1]; p++) writer.writeRice(positions[p] - positions[p - 1] - 1, g);
  }
  writer.writeTo(out);
}

/** Appends a short list of `n` documents written by writeShortList (in `bytes[from, to)`) to `into`. */
function appendShortList(bytes: Uint8Array, from: number, to: number, n: number, into: PositionalDecoding, units: Uint32Array | undefined): void {
  if (n === 0) return;
  const docUnits = boundsOf(units);
  into.roomForDocs(n);
  const { docs, start } = into;
  const reader = bits.at(bytes, from);
  const b = docGapParameter(docUnits.length, n);
  let positions = into.positions;
  let count = into.count;
  let doc = -1;
  for (let i = into.n; i < into.n + n; i++) {
    doc += reader.readRice(b) + 1;
    if (doc >= docUnits.length) throw damagedList();
    docs[i] = doc;
    start[i] = count;
    const bound = docUnits[doc];
    const freq = reader.readGamma();
    if (freq > bound) throw damagedList();
    if (count + freq > positions.length) {
      into.count = count;
      into.roomForPositions(freq);
      positions = into.positions;
    }
    let position = reader.readTruncated(bound);
    positions[count++] = position;
    const g = positionGapParameter(bound, freq);
    for (let k = 1; k < freq; k++) {
      position += reader.readRice(g) + 1;
      positions[count++] = position;
    }
  }
  if (reader.end() > to) throw damagedList();
  into.n += n;
  into.count = count;
}

/** A first position checked against its document's bound (a bug, not damage, when it is not below it). */
function boundedPosition(position: number, bound: number, doc: number): number {
  if (!(position < bound)) throw new Error(`bigram position ${position} of document ${doc} is not below its bound ${bound}`);
  return position;
}

/** Bit string scratch of the encoder. */
const shortWriter = new BitWriter();

/** Per-block scratch of the decoder: frequencies (minus one) and first positions of one block. */
const freqs = new Uint32Array(PACKED_RUN);
const firsts = new Uint32Array(PACKED_RUN);
let gaps: Uint32Array = new Uint32Array(4 * PACKED_RUN);

/**
 * Reads `size` first positions written by writeFirstPositions from `bytes` at `pos` (not
 * reading at or past `end`) into the decoder's scratch, the i-th coded in the bound of
 * document `docs[at + i]` (`docUnits`); returns the position after them (what
 * scripts/indexSize.ts measures a block's parts by).
 */
export function readFirstPositions(bytes: Uint8Array, pos: number, end: number, docs: Uint32Array, at: number, size: number, docUnits: Uint32Array): number {
  if (docs[at + size - 1] >= docUnits.length) throw damagedList();
  const reader = bits.at(bytes, pos);
  for (let i = 0; i < size; i++) firsts[i] = reader.readTruncated(docUnits[docs[at + i]]);
  const after = reader.end();
  if (after > end) throw damagedList();
  return after;
}

/** Unpacks the frequencies, first positions and position gaps of a block of `size` entries (at `pos`, after its doc gaps; the documents already in `into.docs`) as entries `first…` of `into` (room made for them), appending their positions. */
function unpackPositions(bytes: Uint8Array, pos: number, end: number, first: number, size: number, into: PositionalDecoding, docUnits: Uint32Array | undefined): void {
  pos = readPacked(bytes, pos, end, size, freqs, 0);
  pos = readFirstPositions(bytes, pos, end, into.docs, first, size, boundsOf(docUnits));
  let more = 0;
  for (let i = 0; i < size; i++) more += freqs[i];
  gaps = withRoom(gaps, more);
  readPackedRuns(bytes, pos, end, more, gaps, 0);
  into.roomForPositions(size + more);
  const { positions, start } = into;
  let count = into.count;
  for (let i = 0, g = 0; i < size; i++) {
    start[first + i] = count;
    let position = firsts[i];
    positions[count++] = position;
    for (let k = freqs[i]; k > 0; k--) {
      position += gaps[g++];
      positions[count++] = position;
    }
  }
  into.count = count;
}

/** Appends `n` documents stored in packed blocks in `bytes[from, to)` to `into`. */
function appendBlocks(bytes: Uint8Array, from: number, to: number, n: number, into: PositionalDecoding, docUnits: Uint32Array | undefined): void {
  into.roomForDocs(n);
  readBlocks(bytes, from, to, n, into.docs, into.n, (body, end, first, size) => unpackPositions(bytes, body, end, first, size, into, docUnits));
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
    appendShortList(bytes, from, to, n, into, family.docUnits);
    return;
  }
  forBlocksHolding(bytes, from, to, n, wanted, (body, end, size, previous) => {
    into.roomForDocs(size);
    const { docs } = into;
    const k = into.n;
    const rest = readPacked(bytes, body, end, size, docs, k);
    for (let i = k, doc = previous; i < k + size; i++) docs[i] = doc += docs[i] + 1;
    unpackPositions(bytes, rest, end, k, size, into, family.docUnits);
    into.n += size;
  });
}

/** Block scratch of the encoder: doc gaps, frequencies minus one, position gaps. */
const blockDocGaps = new Uint32Array(PACKED_RUN);
const blockFreqs = new Uint32Array(PACKED_RUN);
let blockGaps: Uint32Array = new Uint32Array(4 * PACKED_RUN);

/** Appends the first positions of documents `from…` (`size` of them) of `postings` to `out` as one bit string, each in a truncated binary code of its document's bound (`docUnits`). */
function writeFirstPositions(out: ByteWriter, postings: PositionalPostings, from: number, size: number, docUnits: Uint32Array): void {
  const { docs, start, positions } = postings;
  const writer = shortWriter.reset();
  for (let i = from; i < from + size; i++) {
    const bound = docUnits[docs[i]];
    writer.writeTruncated(boundedPosition(positions[start[i]], bound, docs[i]), bound);
  }
  writer.writeTo(out);
}

/** Appends the postings list of `postings` to `out`, as decodePositional reads it back from a family whose `docUnits` is `docUnits`. */
export function encodePositional(out: ByteWriter, postings: PositionalPostings, docUnits: Uint32Array): void {
  const { docs, start, positions } = postings;
  const n = docs.length;
  if (n < PACKED_MIN_DF) {
    writeShortList(out, postings, docUnits);
    return;
  }
  let last = -1;
  for (let first = 0; first < n; first += PACKED_RUN) {
    const size = Math.min(PACKED_RUN, n - first);
    let more = 0;
    const gapCount = start[first + size] - start[first] - size;
    blockGaps = withRoom(blockGaps, gapCount);
    const previous = last;
    for (let i = 0; i < size; i++) {
      const d = first + i;
      blockDocGaps[i] = docs[d] - last - 1;
      last = docs[d];
      blockFreqs[i] = start[d + 1] - start[d] - 1;
      for (let p = start[d] + 1; p < start[d + 1]; p++) blockGaps[more++] = positions[p] - positions[p - 1];
    }
    writeBlock(out, last - previous, (body) => {
      writePacked(body, blockDocGaps, 0, size);
      writePacked(body, blockFreqs, 0, size);
      writeFirstPositions(body, postings, first, size, docUnits);
      writePackedRuns(body, blockGaps, 0, more);
    });
  }
}

/** Packs a builder's stream of `n` varint entries into `out` as stored (see PackEntries), for a segment whose documents' bounds are `docUnits`. */
export function packPositionalEntries(docUnits: Uint32Array): PackEntries {
  return (out, entries, from, to, n) => encodePositional(out, decodeEntries(entries, from, to, n), docUnits);
}
