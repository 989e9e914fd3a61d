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
 */
export function matchLiteral(
  reader: PostingsReader,
  text: string,
  scope: FieldScope = 'all',
  within?: Uint32Array,
): FieldCounts {
  if (text.length === 0) return EMPTY_COUNTS;
  let hits: FieldCounts;
  if (text.length === 1) {
    hits = reader.char(text.charCodeAt(0));
    if (within) hits = intersectCounts(hits, within);
  } else {
    hits = matchPhrase(reader, text, within);
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

interface Piece {
  offset: number;
  first: number;
  second: number;
  df: number;
}

/**
 * Exact occurrences of a text of two or more units, from the bigrams at every offset. They
 * are decoded rarest first (document frequencies come from the index without decoding),
 * and the documents that hold all of them so far are narrowed after each one: when none is
 * left, the rest are never decoded (a pasted passage that occurs nowhere costs a few
 * bigrams, not all of them). The documents left are then verified one by one (verifyDocument).
 */
function matchPhrase(reader: PostingsReader, text: string, within?: Uint32Array): FieldCounts {
  const pieces: Piece[] = [];
  for (let offset = 0; offset + 2 <= text.length; offset++) {
    const first = text.charCodeAt(offset);
    const second = text.charCodeAt(offset + 1);
    const df = reader.bigramDocFreq(first, second);
    if (df === 0) return EMPTY_COUNTS;
    pieces.push({ offset, first, second, df });
  }
  pieces.sort((a, b) => a.df - b.df || a.offset - b.offset);
  const postings = pieces.map(() => undefined as PositionalPostings | undefined);
  const anchor = (postings[0] = reader.bigram(pieces[0].first, pieces[0].second)!);
  // rows[0]: where the documents still possible stand in the anchor's postings;
  // rows[p]: where the same documents stand in piece p's.
  const rows: Uint32Array[] = [anchorRows(anchor.docs, within)];
  for (let p = 1; p < pieces.length && rows[0].length > 0; p++) {
    const other = (postings[p] = reader.bigram(pieces[p].first, pieces[p].second)!);
    const alive = rows[0];
    const keep = new Uint32Array(alive.length);
    const at = new Uint32Array(alive.length);
    let n = 0;
    for (let i = 0, cursor = 0; i < alive.length; i++) {
      cursor = seek(other.docs, anchor.docs[alive[i]], cursor);
      if (cursor >= other.docs.length) break;
      if (other.docs[cursor] !== anchor.docs[alive[i]]) continue;
      keep[n] = i;
      at[n++] = cursor;
    }
    for (let q = 0; q < rows.length; q++) {
      const kept = new Uint32Array(n);
      for (let i = 0; i < n; i++) kept[i] = rows[q][keep[i]];
      rows[q] = kept;
    }
    rows.push(at.subarray(0, n));
  }
  if (rows[0].length === 0) return EMPTY_COUNTS;
  const verifier = new Verifier(reader, text, pieces, postings as PositionalPostings[]);
  const docs: number[] = [];
  const titleCounts: number[] = [];
  const bodyCounts: number[] = [];
  const found = { title: 0, body: 0 };
  for (let i = 0; i < rows[0].length; i++) {
    const doc = anchor.docs[rows[0][i]];
    verifier.count(doc, rows, i, found);
    if (found.title + found.body === 0) continue;
    docs.push(doc);
    titleCounts.push(found.title);
    bodyCounts.push(found.body);
  }
  return { docs: Uint32Array.from(docs), title: Uint32Array.from(titleCounts), body: Uint32Array.from(bodyCounts) };
}

/** Indexes into `docs` of the documents in `within` (all of them when it is not given). */
function anchorRows(docs: Uint32Array, within?: Uint32Array): Uint32Array {
  if (!within) {
    const all = new Uint32Array(docs.length);
    for (let a = 0; a < all.length; a++) all[a] = a;
    return all;
  }
  const rows: number[] = [];
  for (let a = 0, w = 0; a < docs.length; a++) {
    w = seek(within, docs[a], w);
    if (w >= within.length) break;
    if (within[w] === docs[a]) rows.push(a);
  }
  return Uint32Array.from(rows);
}

/** Occurrences of `needle` in `text`, overlapping ones too (哈哈 occurs twice in 哈哈哈). */
function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

/** How many candidates, over the process's life, were verified against their stored text (literalStats). */
let storedTextChecks = 0;

/** Candidates verified against their stored text so far (no positional bigram covered some unit of the literal): what scripts report. */
export function literalStats(): { storedTextChecks: number } {
  return { storedTextChecks };
}

/**
 * Counts a literal's occurrences in one candidate document (one that holds every bigram of
 * it), by field. Where the bigrams with positions in the document (a bigram's list stores
 * none when it is common, bigramEntry.ts) cover every unit of the literal, an occurrence is
 * a start where each of them stands at its offset: a unit covered by two positional
 * neighbours fixes the common bigram between them. A bigram of one alone is counted from its
 * list. Otherwise (the literal's first or last unit only in a common bigram, or two common
 * bigrams in a row) the document's stored text is searched: the last resort.
 */
class Verifier {
  private readonly covered: Uint8Array;

  constructor(
    private readonly reader: PostingsReader,
    private readonly text: string,
    private readonly pieces: Piece[],
    private readonly postings: PositionalPostings[],
  ) {
    this.covered = new Uint8Array(text.length);
  }

  /** Fills `found` with the occurrences in `doc`, whose row in piece p's postings is `rows[p][i]`. */
  count(doc: number, rows: Uint32Array[], i: number, found: { title: number; body: number }): void {
    const { pieces, postings, covered } = this;
    const titleUnits = this.reader.data.titleUnits[doc];
    found.title = 0;
    found.body = 0;
    if (pieces.length === 1) {
      const { start, positions, counts } = postings[0];
      const a = rows[0][i];
      if (start[a] === start[a + 1]) {
        found.title = counts!.title[a];
        found.body = counts!.body[a];
      } else {
        // Positions ascend, so the title's are a prefix.
        found.title = seek(positions, titleUnits, start[a], start[a + 1]) - start[a];
        found.body = start[a + 1] - start[a] - found.title;
      }
      return;
    }
    covered.fill(0);
    let anchor = -1;
    let fewest = Infinity;
    for (let p = 0; p < pieces.length; p++) {
      const { start } = postings[p];
      const at = rows[p][i];
      const count = start[at + 1] - start[at];
      if (count === 0) continue;
      covered[pieces[p].offset] = covered[pieces[p].offset + 1] = 1;
      if (count < fewest) {
        fewest = count;
        anchor = p;
      }
    }
    if (anchor < 0 || covered.includes(0)) {
      storedTextChecks++;
      const fields = this.reader.normalizedFields(doc);
      found.title = occurrences(fields.title, this.text);
      found.body = occurrences(fields.body, this.text);
      return;
    }
    const { start, positions } = postings[anchor];
    const a = rows[anchor][i];
    for (let k = start[a]; k < start[a + 1]; k++) {
      const origin = positions[k] - pieces[anchor].offset;
      if (origin < 0) continue;
      let all = true;
      for (let p = 0; p < pieces.length && all; p++) {
        const s = postings[p].start;
        const at = rows[p][i];
        if (p === anchor || s[at] === s[at + 1]) continue;
        all = contains(postings[p].positions, origin + pieces[p].offset, s[at], s[at + 1]);
      }
      if (!all) continue;
      if (origin < titleUnits) found.title++;
      else found.body++;
    }
  }
}
