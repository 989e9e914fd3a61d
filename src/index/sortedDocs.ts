/**
 * Look-ups in ascending arrays of document numbers, for the index's readers and the
 * search's set operations (search/docSets.ts) alike.
 */

/** First index i ≥ from with array[i] ≥ target (galloping then binary search). */
export function seek(array: Uint32Array, target: number, from: number, end = array.length): number {
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

/**
 * A list this many times longer than the documents looked up in it or more is galloped
 * through (seek from the last one found); a shorter one is merged, a step per document of
 * either but no search (docsAmong, Bm25f.accumulate).
 */
export const GALLOP_RATIO = 8;

/**
 * The documents of `wanted` that `docs` holds (both ascending): a few wanted documents, each
 * looked up by seek from the last one found (a few galloping searches in a long list); as
 * many as `docs` holds or nearly (a common word's documents among a common character's
 * matches, both most of the index), merged.
 */
export function docsAmong(wanted: Uint32Array, docs: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(wanted.length, docs.length) + 1);
  if (docs.length < wanted.length * GALLOP_RATIO) return out.subarray(0, intersectInto(wanted, docs, out));
  let n = 0;
  for (let i = 0, at = 0; i < wanted.length && at < docs.length; i++) {
    at = seek(docs, wanted[i], at);
    if (at < docs.length && docs[at] === wanted[i]) out[n++] = wanted[i];
  }
  return out.subarray(0, n);
}

/** What mergeInto keeps: documents in both lists, in the first only, or in either. */
export type Merged = 'both' | 'first' | 'either';

/**
 * Walks two ascending lists of documents side by side and writes to `out` those in both, or
 * those of `a` below the next of `b` ('first': where `b` does not hold them), or every one
 * ('either': the smaller of the two each step), until either list is used up; returns how many
 * it wrote and where it stopped in each (what is left of the other is for the caller). Without
 * a branch on the data: each step writes a document, keeps it (n moves on by a comparison's 0
 * or 1), and moves past the smaller of the two, past both when they are equal. Merging two
 * dense lists (a common character's matches and its word's documents, each most of the index)
 * mispredicts about every other branch of a plain merge: this takes about two thirds of its
 * time and two fifths of a seek per document (docs/performance.md, "Set operations without
 * branches"). `out` needs room for what it keeps and one more.
 */
export function mergeInto(a: Uint32Array, b: Uint32Array, out: Uint32Array, keep: Merged = 'both'): { kept: number; i: number; j: number } {
  const either = keep === 'either';
  const first = keep === 'first';
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    out[n] = either ? Math.min(x, y) : x;
    n += either ? 1 : first ? +(x < y) : +(x === y);
    i += +(x <= y);
    j += +(y <= x);
  }
  return { kept: n, i, j };
}

/** The documents in both `a` and `b` (ascending), written to `out` (room for the shorter's length and one more); returns how many (see mergeInto). */
export function intersectInto(a: Uint32Array, b: Uint32Array, out: Uint32Array): number {
  return mergeInto(a, b, out).kept;
}
