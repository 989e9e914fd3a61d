import { IndexError } from '../errors';
import type { PostingsFamily } from './data';
import { IndexFile } from './indexFile';
import { ByteReader, ByteWriter } from './varint';

/**
 * The blocks of a long postings list (format version 8): a words or chars list of
 * PACKED_MIN_DF documents or more, a bigram list of BLOCKED_MIN_DF or more (bigramEntry.ts),
 * is stored as blocks of up to PACKED_RUN documents, each one a header, then its body (what
 * the family's entry module writes: a bit string of variable-length codes, countsEntry.ts and
 * bigramEntry.ts). The header is two varints: the block's last document minus the previous
 * block's (minus -1 for the first block), and the body's length in bytes: the skip data of
 * Lucene's and Tantivy's block postings, interleaved, so that a reader looking for a document
 * can pass whole blocks without unpacking them (0.02 bytes a document).
 */

/** Documents per block of a long list (Lucene and Tantivy use 128 too). */
export const PACKED_RUN = 128;

/** Counts lists (words, chars) with at least this many documents are stored in blocks; shorter ones as one bit string, without a header. */
export const PACKED_MIN_DF = 16;

/** A term's list as its decoders read it: `bytes[from, to)`. */
export interface ListBytes {
  bytes: Uint8Array;
  from: number;
  to: number;
}

/**
 * The list of term number `term` of `family`: a view of the postings held in memory, or
 * the list read from the postings file (IndexFile.read: valid until the next read of an
 * index file, so decoded before any other is read).
 */
export function listBytes(family: PostingsFamily, term: number): ListBytes {
  const from = family.offsets[term];
  const to = family.offsets[term + 1];
  const { postings } = family;
  if (!(postings instanceof IndexFile)) return { bytes: postings, from, to };
  return { bytes: postings.read(from, to), from: 0, to: to - from };
}

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
