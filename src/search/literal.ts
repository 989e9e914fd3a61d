import { withRoom } from '../index/growableU32';
import { seek } from './docSets';
import { EMPTY_COUNTS, FieldCounts, PositionalPostings, PostingsReader } from '../index/postings';

/** Which fields a term may match in. */
export type FieldScope = 'all' | 'title';

function contains(array: Uint32Array, value: number, from: number, end: number): boolean {
  const i = seek(array, value, from, end);
  return i < end && array[i] === value;
}

/** Keeps only the documents with a title match. */
export function restrictToTitle(hits: FieldCounts): FieldCounts {
  const keep: number[] = [];
  for (let i = 0; i < hits.docs.length; i++) if (hits.title[i] > 0) keep.push(i);
  if (keep.length === hits.docs.length) return { docs: hits.docs, title: hits.title, body: new Uint32Array(hits.docs.length) };
  return {
    docs: Uint32Array.from(keep, (i) => hits.docs[i]),
    title: Uint32Array.from(keep, (i) => hits.title[i]),
    body: new Uint32Array(keep.length),
  };
}

/**
 * The documents whose normalized title or body contains `text` (already normalized),
 * with the number of occurrences in each field. Exact, with no false positives: a text
 * of n ≥ 2 units is covered by bigrams at offsets 0, 2, 4, …, n−2, and a document
 * matches only where every one of them stands at its offset from a common start.
 * Occurrences may overlap (哈哈 occurs twice in 哈哈哈).
 *
 * `titleUnits[d]` tells where document d's title ends, so each occurrence is counted in
 * its field. When `within` (ascending document numbers) is given, only those are checked.
 * The bigrams of `whole` (as `first << 16 | second`) are read whole however few documents
 * are left to check: the search reads them whole anyway (see matchPhrase).
 */
export function matchLiteral(
  reader: PostingsReader,
  text: string,
  scope: FieldScope = 'all',
  within?: Uint32Array,
  whole?: ReadonlySet<number>,
): FieldCounts {
  if (text.length === 0) return EMPTY_COUNTS;
  let hits: FieldCounts;
  if (text.length === 1) {
    hits = reader.char(text.charCodeAt(0));
    if (within) hits = intersectCounts(hits, within);
  } else {
    hits = matchPhrase(reader, text, within, whole);
  }
  return scope === 'title' ? restrictToTitle(hits) : hits;
}

/**
 * At least as many documents as matchLiteral(reader, text) finds, from the index alone
 * (no decoding): the rarest of its bigrams, or its one unit. For ordering work rarest first.
 */
export function literalDocFreqBound(reader: PostingsReader, text: string): number {
  if (text.length <= 1) return text.length === 0 ? 0 : reader.charDocFreq(text.charCodeAt(0));
  let bound = Infinity;
  for (let o = 0; o + 1 < text.length; o++) bound = Math.min(bound, reader.bigramDocFreq(text.charCodeAt(o), text.charCodeAt(o + 1)));
  return bound;
}

function intersectCounts(hits: FieldCounts, within: Uint32Array): FieldCounts {
  const keep: number[] = [];
  let j = 0;
  for (let i = 0; i < hits.docs.length && j < within.length; i++) {
    j = seek(within, hits.docs[i], j);
    if (j < within.length && within[j] === hits.docs[i]) keep.push(i);
  }
  return {
    docs: Uint32Array.from(keep, (i) => hits.docs[i]),
    title: Uint32Array.from(keep, (i) => hits.title[i]),
    body: Uint32Array.from(keep, (i) => hits.body[i]),
  };
}

/** A bigram's list is read only in the blocks holding the documents left when it is this many times longer (a block holds 128). */
export const SKIP_FACTOR = 32;

interface Piece {
  offset: number;
  first: number;
  second: number;
  df: number;
}

/**
 * Exact occurrences of a text of two or more units. The bigrams (those covering the text, and the rarest
 * of the others when it is rarer than all of them) are decoded rarest first
 * (document frequencies come from the index without decoding), and the documents that
 * hold all of them so far are narrowed after each one: when none is left, the rest are
 * never decoded (a pasted passage that occurs nowhere costs a few bigrams, not all of them),
 * and a long list is read only in the blocks that may hold the documents left (its block
 * headers tell each block's last document), unless it is one of `whole`: those the search
 * reads whole anyway (a short query's bigram features), so that reading part of them first
 * would only add to it (on news-large, 至北京时间今天 read 8 K of 今天's 26 K documents, then all).
 */
function matchPhrase(reader: PostingsReader, text: string, within?: Uint32Array, whole?: ReadonlySet<number>): FieldCounts {
  const offsets: number[] = [];
  for (let o = 0; o + 2 <= text.length; o += 2) offsets.push(o);
  if (text.length % 2 === 1) offsets.push(text.length - 2);
  const pieces: Piece[] = [];
  for (const offset of offsets) {
    const first = text.charCodeAt(offset);
    const second = text.charCodeAt(offset + 1);
    const df = reader.bigramDocFreq(first, second);
    if (df === 0) return EMPTY_COUNTS;
    pieces.push({ offset, first, second, df });
  }
  // The bigrams at the odd offsets between them are not needed to match (the covering ones fix every unit), but one
  // may be far rarer (the junction of two common words in a pair: 国经 in 中国经济, against 中国 and 经济): the rarest is
  // then one more piece, the anchor, so that fewer documents are walked and fewer positions checked. The same
  // occurrences: each occurrence holds every bigram of the text at its offset.
  let rarest = pieces[0].df;
  for (const piece of pieces) rarest = Math.min(rarest, piece.df);
  let junction: Piece | undefined;
  // (An odd text's last covering bigram is at an odd offset, text.length - 2: the loop stops before it.)
  for (let offset = 1; offset < text.length - 2; offset += 2) {
    const first = text.charCodeAt(offset);
    const second = text.charCodeAt(offset + 1);
    const df = reader.bigramDocFreq(first, second);
    if (df === 0) return EMPTY_COUNTS;
    if (df < rarest) {
      rarest = df;
      junction = { offset, first, second, df };
    }
  }
  if (junction) pieces.push(junction);
  pieces.sort((a, b) => a.df - b.df || a.offset - b.offset);
  const postings = pieces.map(() => undefined as PositionalPostings | undefined);
  const anchor = (postings[0] = reader.bigram(pieces[0].first, pieces[0].second)!);
  // Row 0 (at rowAt[0] of the scratch): where the documents still possible stand in the
  // anchor's postings; row p: where the same documents stand in piece p's. Rows are narrowed
  // in place, and each new one takes as many places as documents are left.
  let alive = anchorRows(anchor.docs, within);
  const rowAt = [0];
  for (let p = 1; p < pieces.length && alive > 0; p++) {
    // Few documents left against a long list: only its blocks that may hold them are read.
    const { first, second } = pieces[p];
    const other = (postings[p] =
      alive * SKIP_FACTOR < pieces[p].df && !whole?.has((first << 16) | second)
        ? reader.bigramHolding(pieces[p].first, pieces[p].second, Uint32Array.from(rowScratch.subarray(0, alive), (a) => anchor.docs[a]))!
        : reader.bigram(pieces[p].first, pieces[p].second)!);
    const at = rowAt[p - 1] + alive;
    rowAt.push(at);
    const rows = roomForRows(at + alive);
    let n = 0;
    for (let i = 0, cursor = 0; i < alive; i++) {
      const doc = anchor.docs[rows[i]];
      cursor = seek(other.docs, doc, cursor);
      if (cursor >= other.docs.length) break;
      if (other.docs[cursor] !== doc) continue;
      for (let q = 0; q < p; q++) rows[rowAt[q] + n] = rows[rowAt[q] + i];
      rows[at + n++] = cursor;
    }
    alive = n;
  }
  if (alive === 0) return EMPTY_COUNTS;
  return verify(pieces, postings as PositionalPostings[], rowScratch, rowAt, alive, reader.data.titleUnits);
}

/**
 * The rows of matchPhrase, reused from one query to the next (fresh arrays for each
 * narrowing were most of a literal's garbage): they never leave it.
 */
let rowScratch = new Uint32Array(4096);

/** rowScratch with room for `size` entries, keeping what it holds. */
function roomForRows(size: number): Uint32Array {
  return (rowScratch = withRoom(rowScratch, size, rowScratch.length));
}

/** Writes the indexes into `docs` of the documents in `within` (all of them when it is not given) to the start of rowScratch; returns how many. */
function anchorRows(docs: Uint32Array, within?: Uint32Array): number {
  const rows = roomForRows(docs.length);
  if (!within) {
    for (let a = 0; a < docs.length; a++) rows[a] = a;
    return docs.length;
  }
  let n = 0;
  for (let a = 0, w = 0; a < docs.length; a++) {
    w = seek(within, docs[a], w);
    if (w >= within.length) break;
    if (within[w] === docs[a]) rows[n++] = a;
  }
  return n;
}

/** verify's documents and counts before they are copied out at their exact size. */
let found: FieldCounts = { docs: new Uint32Array(1024), title: new Uint32Array(1024), body: new Uint32Array(1024) };

/**
 * Counts, in each of the `n` documents the pieces share, the starts where every piece stands
 * at its offset, by field. `rows[rowAt[p] + i]` is the i-th document's position in piece p's postings.
 */
function verify(pieces: Piece[], postings: PositionalPostings[], rows: Uint32Array, rowAt: number[], n: number, titleUnits: Uint32Array): FieldCounts {
  const anchor = postings[0];
  const offset = pieces[0].offset;
  if (found.docs.length < n) {
    const size = Math.max(n, found.docs.length * 2);
    found = { docs: new Uint32Array(size), title: new Uint32Array(size), body: new Uint32Array(size) };
  }
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const a = rows[i];
    const doc = anchor.docs[a];
    let inTitle = 0;
    let inBody = 0;
    const { start, positions } = anchor;
    if (pieces.length === 1) {
      // One bigram: every position counts; positions ascend, so the title's are a prefix.
      inTitle = seek(positions, titleUnits[doc], start[a], start[a + 1]) - start[a];
      inBody = start[a + 1] - start[a] - inTitle;
    } else {
      for (let k = start[a]; k < start[a + 1]; k++) {
        const origin = positions[k] - offset;
        if (origin < 0) continue;
        let all = true;
        for (let p = 1; p < pieces.length && all; p++) {
          const s = postings[p].start;
          const at = rows[rowAt[p] + i];
          all = contains(postings[p].positions, origin + pieces[p].offset, s[at], s[at + 1]);
        }
        if (all) {
          if (origin < titleUnits[doc]) inTitle++;
          else inBody++;
        }
      }
    }
    if (inTitle + inBody > 0) {
      found.docs[hits] = doc;
      found.title[hits] = inTitle;
      found.body[hits++] = inBody;
    }
  }
  return { docs: found.docs.slice(0, hits), title: found.title.slice(0, hits), body: found.body.slice(0, hits) };
}
