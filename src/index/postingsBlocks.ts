import { IndexError } from '../errors';
import { PACKED_RUN, readPacked } from './bitPacking';
import { ByteReader, ByteWriter } from './varint';

/**
 * The blocks of a long postings list (format version 7): a words or chars list of
 * PACKED_MIN_DF documents or more, a bigram list of BLOCKED_MIN_DF or more (bigramEntry.ts),
 * is stored as blocks of up to PACKED_RUN documents, each one a header, then its body (what
 * the family's entry module writes: bit-packed counts in countsEntry.ts, bit strings in
 * bigramEntry.ts). The header is two varints: the block's last document minus the previous
 * block's (minus -1 for the first block), and the body's length in bytes: the skip data of
 * Lucene's and Tantivy's block postings, interleaved, so that a reader looking for a document
 * can pass whole blocks without unpacking them (0.02 bytes a document).
 */

/** Counts lists (words, chars) with at least this many documents are stored in packed blocks; shorter ones as varint entries (cheaper below it on news-dev). */
export const PACKED_MIN_DF = 16;

/** Where a block ends and the last document it holds, as readBlockHeader fills them in. */
export interface BlockHeader {
  lastDoc: number;
  end: number;
}

const body = new ByteWriter(1 << 12);

/** Appends one block to `out`: its header (`lastDocGap`: its last document minus the previous block's), then the body `fill` writes. */
export function writeBlock(out: ByteWriter, lastDocGap: number, fill: (body: ByteWriter) => void): void {
  body.reset();
  fill(body);
  out.writeVarint(lastDocGap);
  out.writeVarint(body.length);
  out.writeBytes(body.bytes());
}

/**
 * Reads the header of the block at `pos` (the list ends at `end`) into `header`: `lastDoc`
 * advanced by the block's gap (start it at -1), `end` where its body ends. Returns where the
 * body starts. A body running past the list is damage (IndexError).
 */
export function readBlockHeader(bytes: Uint8Array, pos: number, end: number, header: BlockHeader): number {
  const reader = new ByteReader(bytes, pos, end);
  header.lastDoc += reader.readVarint();
  const length = reader.readVarint();
  header.end = reader.pos + length;
  if (header.end > end) throw new IndexError('The index is damaged: a postings block runs past the end of its list. Rebuild it with: npx jiansuo index');
  return reader.pos;
}

/** Appends a term's `n` varint entries `entries[from, to)` (what the builder streams) to `out` in the stored format of its family. */
export type PackEntries = (out: ByteWriter, entries: Uint8Array, from: number, to: number, n: number) => void;

/** The PackEntries of a family: a short list's entries are stored as they are, a long list's decoded with `decode` and encoded again (in blocks) with `encode`. */
export function packEntriesWith<T>(decode: (entries: Uint8Array, from: number, to: number, n: number) => T, encode: (out: ByteWriter, list: T) => void): PackEntries {
  return (out, entries, from, to, n) => {
    if (n < PACKED_MIN_DF) out.writeBytes(entries.subarray(from, to));
    else encode(out, decode(entries, from, to, n));
  };
}

/**
 * Reads the `n` documents of a long list in `bytes[from, to)` into `docs` from index `at` on,
 * block by block, calling `readRest` for each block with where the rest of its body (after
 * the doc gaps) starts and ends, its first entry (an index into `docs`) and its size. Reading
 * at an offset lets a caller append the lists of several segments to one set of arrays.
 */
export function readBlocks(
  bytes: Uint8Array,
  from: number,
  to: number,
  n: number,
  docs: Uint32Array,
  at: number,
  readRest: (pos: number, end: number, first: number, size: number) => void,
): void {
  let first = at;
  let doc = -1;
  forEachBlock(bytes, from, to, n, (body, end, size) => {
    const rest = readPacked(bytes, body, end, size, docs, first);
    for (let i = first; i < first + size; i++) docs[i] = doc += docs[i] + 1;
    readRest(rest, end, first, size);
    first += size;
  });
}

/**
 * What forEachBlock hands over of each block: where its body starts and ends, its size, the
 * last document before it (its doc gaps count from it) and its own last document. Returning
 * false stops the walk.
 */
export type BlockVisitor = (pos: number, end: number, size: number, previous: number, last: number) => boolean | void;

/** Walks the blocks of a long list of `n` documents in `bytes[from, to)` by their headers, calling `visit` for each until it returns false. */
export function forEachBlock(bytes: Uint8Array, from: number, to: number, n: number, visit: BlockVisitor): void {
  const header = { lastDoc: -1, end: 0 };
  let pos = from;
  for (let first = 0; first < n; first += PACKED_RUN) {
    const previous = header.lastDoc;
    const body = readBlockHeader(bytes, pos, to, header);
    if (visit(body, header.end, Math.min(PACKED_RUN, n - first), previous, header.lastDoc) === false) return;
    pos = header.end;
  }
}

/**
 * The blocks of a long list of `n` documents in `bytes[from, to)` that may hold a document of
 * `wanted` (ascending): each header gives its block's last document, so the others are passed
 * without unpacking (the skip data's use). Calls `readBlock` for each such block with where
 * its body starts and ends, its size, the last document before it (its doc gaps count from
 * it) and its own last document.
 */
export function forBlocksHolding(bytes: Uint8Array, from: number, to: number, n: number, wanted: Uint32Array, readBlock: (pos: number, end: number, size: number, previous: number, last: number) => void): void {
  if (wanted.length === 0) return;
  let w = 0;
  forEachBlock(bytes, from, to, n, (body, end, size, previous, last) => {
    while (w < wanted.length && wanted[w] <= previous) w++;
    if (w === wanted.length) return false;
    if (wanted[w] <= last) readBlock(body, end, size, previous, last);
  });
}
