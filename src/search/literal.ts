import { EMPTY_COUNTS, FieldCounts, PositionalPostings, PostingsReader } from './postings';

/** Which fields a term may match in. */
export type FieldScope = 'all' | 'title';

/** First index i ≥ from with array[i] ≥ target (galloping then binary search). */
function seek(array: Uint32Array, target: number, from: number, end = array.length): number {
  let step = 1;
  let hi = from;
  while (hi < end && array[hi] < target) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, end);
  while (from < hi) {
    const mid = (from + hi) >>> 1;
    if (array[mid] < target) from = mid + 1;
    else hi = mid;
  }
  return from;
}

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
  postings: PositionalPostings;
  cursor: number;
}

function matchPhrase(reader: PostingsReader, text: string, within?: Uint32Array): FieldCounts {
  const offsets: number[] = [];
  for (let o = 0; o + 2 <= text.length; o += 2) offsets.push(o);
  if (text.length % 2 === 1) offsets.push(text.length - 2);
  const pieces: Piece[] = [];
  for (const offset of offsets) {
    const postings = reader.bigram(text.charCodeAt(offset), text.charCodeAt(offset + 1));
    if (!postings) return EMPTY_COUNTS;
    pieces.push({ offset, postings, cursor: 0 });
  }
  pieces.sort((a, b) => a.postings.docs.length - b.postings.docs.length || a.offset - b.offset);
  const titleUnits = reader.data.titleUnits;
  const anchor = pieces[0];
  const docs: number[] = [];
  const titleCounts: number[] = [];
  const bodyCounts: number[] = [];
  let withinCursor = 0;
  const anchorDocs = anchor.postings.docs;
  outer: for (let a = 0; a < anchorDocs.length; a++) {
    const doc = anchorDocs[a];
    if (within) {
      withinCursor = seek(within, doc, withinCursor);
      if (withinCursor >= within.length) break;
      if (within[withinCursor] !== doc) continue;
    }
    for (let p = 1; p < pieces.length; p++) {
      const piece = pieces[p];
      piece.cursor = seek(piece.postings.docs, doc, piece.cursor);
      if (piece.cursor >= piece.postings.docs.length) break outer;
      if (piece.postings.docs[piece.cursor] !== doc) continue outer;
    }
    let inTitle = 0;
    let inBody = 0;
    const { start, positions } = anchor.postings;
    for (let k = start[a]; k < start[a + 1]; k++) {
      const origin = positions[k] - anchor.offset;
      if (origin < 0) continue;
      let all = true;
      for (let p = 1; p < pieces.length && all; p++) {
        const piece = pieces[p];
        const s = piece.postings.start;
        all = contains(piece.postings.positions, origin + piece.offset, s[piece.cursor], s[piece.cursor + 1]);
      }
      if (all) {
        if (origin < titleUnits[doc]) inTitle++;
        else inBody++;
      }
    }
    if (inTitle + inBody > 0) {
      docs.push(doc);
      titleCounts.push(inTitle);
      bodyCounts.push(inBody);
    }
  }
  return { docs: Uint32Array.from(docs), title: Uint32Array.from(titleCounts), body: Uint32Array.from(bodyCounts) };
}
