/**
 * A `words` or `chars` postings list: its encoder and decoder (format version 6).
 *
 * The entry of a document, as the builder's streams and short lists hold it, is its doc gap
 * (minus one), then the "head": the body's count times two plus one bit saying whether the
 * title counts any, then the title's count only when it does, all varints. The title holds
 * the term in only 3–6% of entries on news-dev, so this drops a byte from nearly every entry.
 *
 * A list of PACKED_MIN_DF documents or more is stored in blocks of up to PACKED_RUN
 * documents instead (postingsBlocks.ts), each holding the doc gaps, the heads, then the title
 * counts of the entries whose head says so, each part bit-packed with its own width
 * (bitPacking.ts). The decoder lives here, beside the encoder, and calls nothing across
 * modules per entry.
 */
import { PACKED_RUN, readPacked, writePacked } from './bitPacking';
import { PostingsFamily } from './data';
import { PACKED_MIN_DF, PackEntries, packEntriesWith, readBlocks, writeBlock } from './postingsBlocks';
import { Allocate, freshArray } from './spareArrays';
import { ByteReader, ByteWriter } from './varint';

/** Documents (ascending numbers) with a count per field: the shape of every term's hits. */
export interface FieldCounts {
  docs: Uint32Array;
  title: Uint32Array;
  body: Uint32Array;
}

/** The head of an entry with these counts in the title and the body. */
export function countsHead(title: number, body: number): number {
  return body * 2 + (title > 0 ? 1 : 0);
}

/** Room for `n` documents' counts in one array of 3n integers from `allocate`: docs, then title counts, then body counts. */
export function countsIn(allocate: Allocate, n: number): FieldCounts {
  const all = allocate(n * 3);
  return { docs: all.subarray(0, n), title: all.subarray(n, n * 2), body: all.subarray(n * 2, n * 3) };
}

/** Decodes the postings of term number `term` (into memory from `allocate`, see countsIn). */
export function decodeCounts(family: PostingsFamily, term: number, allocate: Allocate = freshArray): FieldCounts {
  const into = countsIn(allocate, family.df[term]);
  decodeCountsInto(family, term, into, 0);
  return into;
}

/**
 * Decodes the postings of term number `term` into `into` from index `at` on (the caller
 * makes room for its `df` entries): a view over segments appends each segment's list to one
 * set of arrays this way instead of concatenating copies. Every entry is written in full.
 */
export function decodeCountsInto(family: PostingsFamily, term: number, into: FieldCounts, at: number): void {
  const n = family.df[term];
  const from = family.offsets[term];
  const to = family.offsets[term + 1];
  if (n < PACKED_MIN_DF) readCountEntries(family.postings, from, to, n, into, at);
  else readCountBlocks(family.postings, from, to, n, into, at);
}

/** Decodes `n` varint entries from `bytes[from, to)` (a short list, or a builder's stream). */
export function decodeCountEntries(bytes: Uint8Array, from: number, to: number, n: number): FieldCounts {
  const into = { docs: new Uint32Array(n), title: new Uint32Array(n), body: new Uint32Array(n) };
  readCountEntries(bytes, from, to, n, into, 0);
  return into;
}

/** Reads `n` varint entries from `bytes[from, to)` into `into` from index `at` on. */
function readCountEntries(bytes: Uint8Array, from: number, to: number, n: number, into: FieldCounts, at: number): void {
  const { docs, title, body } = into;
  const reader = new ByteReader(bytes, from, to);
  let doc = -1;
  for (let i = at; i < at + n; i++) {
    doc += reader.readVarint() + 1;
    docs[i] = doc;
    const head = reader.readVarint();
    body[i] = head >>> 1;
    title[i] = (head & 1) === 1 ? reader.readVarint() : 0;
  }
}

/** Title counts of one block, as the decoder unpacks them. */
const titles = new Uint32Array(PACKED_RUN);

/** Reads `n` documents stored in packed blocks in `bytes[from, to)` into `into` from index `at` on. */
function readCountBlocks(bytes: Uint8Array, from: number, to: number, n: number, into: FieldCounts, at: number): void {
  const { docs, title, body } = into;
  readBlocks(bytes, from, to, n, docs, at, (pos, end, first, size) => {
    pos = readPacked(bytes, pos, end, size, body, first);
    let titled = 0;
    for (let i = first; i < first + size; i++) titled += body[i] & 1;
    readPacked(bytes, pos, end, titled, titles, 0);
    for (let i = first, t = 0; i < first + size; i++) {
      title[i] = (body[i] & 1) === 1 ? titles[t++] : 0;
      body[i] >>>= 1;
    }
  });
}

/** Block scratch of the encoder: doc gaps, heads, title counts. */
const blockDocGaps = new Uint32Array(PACKED_RUN);
const blockHeads = new Uint32Array(PACKED_RUN);
const blockTitles = new Uint32Array(PACKED_RUN);

/** Appends the postings list of `postings` to `out`, as decodeCounts reads it back. */
export function encodeCounts(out: ByteWriter, postings: FieldCounts): void {
  const { docs, title, body } = postings;
  const n = docs.length;
  let last = -1;
  if (n < PACKED_MIN_DF) {
    for (let i = 0; i < n; i++) {
      out.writeVarint(docs[i] - last - 1);
      last = docs[i];
      out.writeVarint(countsHead(title[i], body[i]));
      if (title[i] > 0) out.writeVarint(title[i]);
    }
    return;
  }
  for (let first = 0; first < n; first += PACKED_RUN) {
    const size = Math.min(PACKED_RUN, n - first);
    const previous = last;
    let titled = 0;
    for (let i = 0; i < size; i++) {
      const d = first + i;
      blockDocGaps[i] = docs[d] - last - 1;
      last = docs[d];
      blockHeads[i] = countsHead(title[d], body[d]);
      if (title[d] > 0) blockTitles[titled++] = title[d];
    }
    writeBlock(out, last - previous, (block) => {
      writePacked(block, blockDocGaps, 0, size);
      writePacked(block, blockHeads, 0, size);
      writePacked(block, blockTitles, 0, titled);
    });
  }
}

/** Appends a builder's stream of `n` varint entries to `out` as stored (see PackEntries). */
export const packCountEntries: PackEntries = packEntriesWith(decodeCountEntries, encodeCounts);
