/**
 * A `words` or `chars` postings list: its encoder and decoder (format version 8).
 *
 * The builder streams a document's entry as its doc gap (minus one), then the "head": the
 * body's count times two plus one bit saying whether the title counts any, then the title's
 * count only when it does, all varints (the title holds the term in only 3–6% of entries on
 * news-dev); each list is coded again as stored when its segment is finished.
 *
 * Stored, a list is bit strings of variable-length codes (bitCodes.ts), as the bigram lists
 * are (bigramEntry.ts). A list of fewer than PACKED_MIN_DF documents is one string; a longer
 * one is stored in blocks of up to PACKED_RUN documents (postingsBlocks.ts: each block starts
 * with its last document and its length, so a reader can skip it), each block's body one
 * string. A string (writeRun) holds, for its `size` documents:
 * - the Rice parameter b of its doc gaps, in 5 bits (the encoder's best for them);
 * - each doc gap minus one, a Rice code of parameter b;
 * - the number t of documents whose title counts the term, plus one, an Elias gamma code;
 * - for each of those, its index gap in the string (minus one) as a Rice code whose parameter
 *   size / t gives, then its title count as a gamma code;
 * - for every document its body count (minus one when the title counts none: then it is at
 *   least one), plus one, as a gamma code: a word found once in the body alone takes 1 bit.
 * On news-dev (one segment) the words and chars postings took 6.62 and 4.76 MB as varint
 * entries and bit-packed blocks (format version 7), 4.89 and 3.34 MB as bit strings (docs/performance.md "Index size").
 * The decoder lives here, beside the encoder.
 */
import { IndexError } from '../errors';
import * as bitCodes from './bitCodes';
import { BitWriter } from './bitCodes';
import { PostingsFamily } from './data';
import { PACKED_MIN_DF, PACKED_RUN, PackEntries, forBlocksHolding, forEachBlock, listBytes, writeBlock } from './postingsBlocks';
import { Allocate, freshArray } from './spareArrays';
import { ByteReader, ByteWriter } from './varint';

/** The bit readers its decoding loops call for every code, bound once when the module loads (see bigramEntry.ts for why). */
const { gammaAt, gammaLength, peekBits, riceAt, riceLength } = bitCodes;

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
  forEachString(family, term, (bytes, from, to, size, previous, first) => readRun(bytes, from, to, size, into, at + first, previous));
}

/** Decodes the documents alone of term number `term` (into memory from `allocate`; see decodeDocsInto). */
export function decodeDocs(family: PostingsFamily, term: number, allocate: Allocate = freshArray): Uint32Array {
  const docs = allocate(family.df[term]).subarray(0, family.df[term]);
  decodeDocsInto(family, term, docs, 0);
  return docs;
}

/**
 * Decodes the documents alone of term number `term` into `docs` from index `at` on (the
 * caller makes room for its `df` entries): each string's doc gaps, which come first, its
 * counts left unread (a third of decodeCountsInto's work: a one-character query needs its
 * matches whole, their counts only for the few documents ranking reads them for).
 */
export function decodeDocsInto(family: PostingsFamily, term: number, docs: Uint32Array, at: number): void {
  forEachString(family, term, (bytes, from, to, size, previous, first) => {
    if ((readDocs(bytes, from, size, docs, at + first, previous) + 7) >>> 3 > to) throw damagedList();
    return docs[at + first + size - 1];
  });
}

/**
 * Calls `read` for each string of term number `term` (the whole list when it is shorter than
 * PACKED_MIN_DF, else each block's body) with the bytes, where the string starts and ends, its
 * size, the document before it (its doc gaps count from it) and the index of its first entry
 * in the list; `read` returns the string's last document, which a block's header must name.
 */
function forEachString(family: PostingsFamily, term: number, read: (bytes: Uint8Array, from: number, to: number, size: number, previous: number, first: number) => number): void {
  const n = family.df[term];
  if (n === 0) return;
  const { bytes, from, to } = listBytes(family, term);
  if (n < PACKED_MIN_DF) {
    read(bytes, from, to, n, -1, 0);
    return;
  }
  let first = 0;
  forEachBlock(bytes, from, to, n, (body, end, size, previous, last) => {
    if (read(bytes, body, end, size, previous, first) !== last) throw damagedList();
    first += size;
  });
}

/** Decodes `n` varint entries from `bytes[from, to)` (a builder's stream). */
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

/** What a list whose codes cannot be read raises (the files passed their checksums: written wrong, only a rebuild helps). */
function damagedList(): IndexError {
  return new IndexError('The index is damaged: a words or chars postings list names a document past its block, or runs past its end. Rebuild it with: npx jiansuo index');
}

/** The Rice parameter of gaps (minus one) of `count` values spread over `range`: about log2 of their mean gap, minus one. */
function riceParameter(range: number, count: number): number {
  return Math.min(24, Math.max(0, 31 - Math.clz32(Math.floor(range / count)) - 1));
}

/** Doc gaps (minus one) of the string being written. */
const gaps = new Float64Array(PACKED_RUN);

/** The Rice parameter (0–24) that codes `gaps[0, size)` in the fewest bits: the one their mean suggests or a neighbour. */
function bestRice(size: number, sum: number): number {
  const guess = Math.min(24, Math.max(0, Math.floor(Math.log2((sum + size) / size)) - 1));
  let best = guess;
  let bestBits = Infinity;
  for (let b = Math.max(0, guess - 1); b <= Math.min(24, guess + 2); b++) {
    let bits = 0;
    for (let i = 0; i < size; i++) bits += riceLength(gaps[i], b);
    if (bits < bestBits) {
      best = b;
      bestBits = bits;
    }
  }
  return best;
}

/** Writes the strings of stored lists. */
const writer = new BitWriter();

/**
 * Appends documents `from…` (`size` ≤ PACKED_RUN of them) of `postings` to `out` as one bit
 * string (see the module's comment); the first one's gap counts from `previous`.
 */
function writeRun(out: ByteWriter, postings: FieldCounts, from: number, size: number, previous: number): void {
  const { docs, title, body } = postings;
  let last = previous;
  let sum = 0;
  let titled = 0;
  for (let i = 0; i < size; i++) {
    const doc = docs[from + i];
    gaps[i] = doc - last - 1;
    sum += gaps[i];
    last = doc;
    if (title[from + i] > 0) titled++;
    else if (body[from + i] === 0) throw new Error(`document ${doc} is listed with no count in either field`);
  }
  const b = bestRice(size, sum);
  writer.reset();
  writer.write(b, 5);
  for (let i = 0; i < size; i++) writer.writeRice(gaps[i], b);
  writer.writeGamma(titled + 1);
  if (titled > 0) {
    const g = riceParameter(size, titled);
    for (let i = 0, lastTitled = -1; i < size; i++) {
      const count = title[from + i];
      if (count === 0) continue;
      writer.writeRice(i - lastTitled - 1, g);
      writer.writeGamma(count);
      lastTitled = i;
    }
  }
  for (let i = from; i < from + size; i++) writer.writeGamma(body[i] + (title[i] > 0 ? 1 : 0));
  writer.writeTo(out);
}

/**
 * Reads `size` documents written by writeRun (in `bytes[from, to)`, with the same `previous`)
 * into `into` from index `at` on; returns the last one. The codes are read with the bit
 * offset in a local, each from one 25-bit read when it fits (bitCodes.ts).
 */
function readRun(bytes: Uint8Array, from: number, to: number, size: number, into: FieldCounts, at: number, previous: number): number {
  const { docs, title, body } = into;
  let bit = readDocs(bytes, from, size, docs, at, previous);
  const doc = docs[at + size - 1];
  title.fill(0, at, at + size);
  const titled = gammaAt(bytes, bit) - 1;
  bit += gammaLength(titled + 1);
  if (titled > size) throw damagedList();
  if (titled > 0) {
    const g = riceParameter(size, titled);
    let index = at - 1;
    for (let t = 0; t < titled; t++) {
      const gap = riceAt(bytes, bit, g);
      bit += riceLength(gap, g);
      index += gap + 1;
      if (index >= at + size) throw damagedList();
      const count = gammaAt(bytes, bit);
      bit += gammaLength(count);
      title[index] = count;
    }
  }
  for (let i = at; i < at + size; i++) {
    // Body count (+ 1 when titled): a gamma code, 1 from its single zero bit, a short one from one read.
    const window = peekBits(bytes, bit);
    let value = 1;
    if ((window & 1) === 0) bit++;
    else {
      const zeros = ~window & 0xffffff;
      const n = 31 - Math.clz32(zeros & -zeros);
      if (zeros !== 0 && 2 * n + 1 <= 25) {
        value = (1 << n) | ((window >>> (n + 1)) & ((1 << n) - 1));
        bit += 2 * n + 1;
      } else {
        value = gammaAt(bytes, bit);
        bit += gammaLength(value);
      }
    }
    body[i] = title[i] > 0 ? value - 1 : value;
  }
  if ((bit + 7) >>> 3 > to) throw damagedList();
  return doc;
}

/**
 * Reads the documents of a string written by writeRun (in `bytes` from `from` on, `size` of
 * them, the first one's gap counting from `previous`) into `docs` from index `at` on: its
 * doc gaps, which come first. Returns the bit where the rest of the string (the counts) starts.
 */
function readDocs(bytes: Uint8Array, from: number, size: number, docs: Uint32Array, at: number, previous: number): number {
  const b = bytes[from] & 31;
  if (b > 24) throw damagedList();
  let bit = from * 8 + 5;
  let doc = previous;
  const docMask = (1 << b) - 1;
  for (let i = at; i < at + size; i++) {
    // Doc gap − 1: a Rice code of parameter b, from one read of 25 bits when it fits in them.
    const window = peekBits(bytes, bit);
    const zeros = ~window & 0xffffff;
    const ones = 31 - Math.clz32(zeros & -zeros);
    if (zeros !== 0 && ones + 1 + b <= 25) {
      doc += ones * (docMask + 1) + ((window >>> (ones + 1)) & docMask) + 1;
      bit += ones + 1 + b;
    } else {
      const gap = riceAt(bytes, bit, b);
      bit += riceLength(gap, b);
      doc += gap + 1;
    }
    docs[i] = doc;
  }
  return bit;
}

/** The entries of one string or block, as countsHolding and countsAmong read them (at most PACKED_RUN). */
const blockEntries: FieldCounts = countsIn(freshArray, PACKED_RUN);

/**
 * Reads the strings or blocks of term number `term` of a counts family that may hold a
 * document of `wanted` (ascending) into blockEntries (their doc gaps only, or with `counts`
 * their counts too; forBlocksHolding passes the others by their headers) and calls `found`
 * with the index there of each wanted document they list. A list shorter than PACKED_MIN_DF
 * is one string, read whole.
 */
function forWantedEntries(family: PostingsFamily, term: number, wanted: Uint32Array, counts: boolean, found: (i: number) => void): void {
  const n = family.df[term];
  if (n === 0 || wanted.length === 0) return;
  const { bytes, from, to } = listBytes(family, term);
  const docs = blockEntries.docs;
  // Reads a string of `size` documents into blockEntries; returns its last document.
  const read = (body: number, end: number, size: number, previous: number): number => {
    if (counts) return readRun(bytes, body, end, size, blockEntries, 0, previous);
    if ((readDocs(bytes, body, size, docs, 0, previous) + 7) >>> 3 > end) throw damagedList();
    return docs[size - 1];
  };
  let w = 0;
  const merge = (size: number): void => {
    for (let i = 0; i < size && w < wanted.length; i++) {
      while (w < wanted.length && wanted[w] < docs[i]) w++;
      if (w < wanted.length && wanted[w] === docs[i]) {
        found(i);
        w++;
      }
    }
  };
  if (n < PACKED_MIN_DF) {
    read(from, to, n, -1);
    merge(n);
    return;
  }
  forBlocksHolding(bytes, from, to, n, wanted, (body, end, size, previous, last) => {
    if (read(body, end, size, previous) !== last) throw damagedList();
    merge(size);
  });
}

/**
 * Which documents of `wanted` (ascending) term number `term` of a counts family is listed
 * in: written to `out` from index `at` on (room for wanted.length); returns the index after
 * the last one written. Only the doc gaps of the blocks that may hold a wanted document are
 * read (forWantedEntries), not their counts: where a long query's few literal matches are
 * checked for holding its common words as words (search/tiers.ts), rather than every list
 * decoded whole.
 */
export function countsHolding(family: PostingsFamily, term: number, wanted: Uint32Array, out: Uint32Array, at: number): number {
  let k = at;
  forWantedEntries(family, term, wanted, false, (i) => (out[k++] = blockEntries.docs[i]));
  return k;
}

/**
 * The entries (document and counts) of term number `term` of a counts family for the
 * documents of `wanted` (ascending) it lists: written to `out` from index `at` on (room for
 * wanted.length); returns the index after the last one written. Only the blocks that may
 * hold a wanted document are read (forWantedEntries): where a query ranks few candidates by
 * a common word (search/features.ts), rather than its whole list decoded.
 */
export function countsAmong(family: PostingsFamily, term: number, wanted: Uint32Array, out: FieldCounts, at: number): number {
  let k = at;
  forWantedEntries(family, term, wanted, true, (i) => {
    out.docs[k] = blockEntries.docs[i];
    out.title[k] = blockEntries.title[i];
    out.body[k++] = blockEntries.body[i];
  });
  return k;
}

/** Appends the postings list of `postings` to `out`, as decodeCounts reads it back. */
export function encodeCounts(out: ByteWriter, postings: FieldCounts): void {
  const { docs } = postings;
  const n = docs.length;
  if (n === 0) return;
  if (n < PACKED_MIN_DF) {
    writeRun(out, postings, 0, n, -1);
    return;
  }
  let previous = -1;
  for (let first = 0; first < n; first += PACKED_RUN) {
    const size = Math.min(PACKED_RUN, n - first);
    const last = docs[first + size - 1];
    writeBlock(out, last - previous, (block) => writeRun(block, postings, first, size, previous));
    previous = last;
  }
}

/** Appends a builder's stream of `n` varint entries to `out` as stored (see PackEntries). */
export const packCountEntries: PackEntries = (out, entries, from, to, n) => encodeCounts(out, decodeCountEntries(entries, from, to, n));
