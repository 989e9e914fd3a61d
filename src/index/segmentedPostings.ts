import { PositionalPostings, decodePositional } from './bigramEntry';
import { FieldCounts, decodeCounts } from './countsEntry';
import { PostingsFamily, SegmentedFamily, findKey, findTerm } from './data';

/**
 * A term's postings gathered from several segments, renumbered, deleted documents left
 * out: what a view over segments (segmentView.ts) reads for a query, and what merging
 * segments (merge.ts) encodes again.
 */

/** Where one term stands in each segment's family: its number in segment `p`, or -1 when that segment does not hold it. */
export type LocalTerm = (p: number) => number;

/** A deleted document's number while postings are renumbered (no view holds 2^32 − 1 documents). */
const DELETED = 0xffffffff;

/** Where a view's term stands in segment `p`'s family, found by binary search in that segment's keys. */
function localTerm(view: SegmentedFamily, p: number, term: number): number {
  const key = view.keys[term];
  return typeof key === 'string' ? findTerm(view.segmentKeys[p] as string[], key) : findKey(view.segmentKeys[p] as Uint32Array, key);
}

/** A term's counts postings gathered from the segments of a view, renumbered, deleted documents left out. */
export function decodeSegmentedCounts(view: SegmentedFamily, term: number): FieldCounts {
  return gatherCounts(view.families, view.docs, (p) => localTerm(view, p, term));
}

/** A bigram's positional postings gathered from the segments of a view, renumbered, deleted documents left out. */
export function decodeSegmentedPositional(view: SegmentedFamily, term: number): PositionalPostings {
  return gatherPositional(view.families, view.docs, (p) => localTerm(view, p, term));
}

/** One term's counts postings from `families` (segment p's documents renumbered by `docs[p]`, -1: deleted), in segment order. */
export function gatherCounts(families: PostingsFamily[], docs: Int32Array[], local: LocalTerm): FieldCounts {
  const pieces: FieldCounts[] = [];
  let total = 0;
  families.forEach((family, p) => {
    const at = local(p);
    if (at < 0) return;
    const piece = renumbered(decodeCounts(family, at), docs[p]);
    pieces.push(piece);
    total += piece.docs.length;
  });
  if (pieces.length === 1) return pieces[0];
  const out = { docs: new Uint32Array(total), title: new Uint32Array(total), body: new Uint32Array(total) };
  let at = 0;
  for (const piece of pieces) {
    out.docs.set(piece.docs, at);
    out.title.set(piece.title, at);
    out.body.set(piece.body, at);
    at += piece.docs.length;
  }
  return out;
}

/** `piece` renumbered in place (decodeCounts's arrays are the caller's own), deleted documents left out. */
function renumbered(piece: FieldCounts, docs: Int32Array): FieldCounts {
  let kept = 0;
  for (let i = 0; i < piece.docs.length; i++) {
    const doc = docs[piece.docs[i]];
    if (doc < 0) continue;
    piece.docs[kept] = doc;
    piece.title[kept] = piece.title[i];
    piece.body[kept] = piece.body[i];
    kept++;
  }
  return kept === piece.docs.length ? piece : { docs: piece.docs.subarray(0, kept), title: piece.title.subarray(0, kept), body: piece.body.subarray(0, kept) };
}

/** One bigram's positional postings from `families` (renumbered by `docs`, as gatherCounts), in segment order. */
export function gatherPositional(families: PostingsFamily[], docs: Int32Array[], local: LocalTerm): PositionalPostings {
  const pieces: PositionalPostings[] = [];
  const segmentOf: number[] = [];
  families.forEach((family, p) => {
    const at = local(p);
    if (at < 0) return;
    pieces.push(decodePositional(family, at));
    segmentOf.push(p);
  });
  // Each piece renumbered in place (decodePositional's arrays are this call's own); deleted documents marked DELETED.
  let documents = 0;
  let positions = 0;
  let complete = true;
  pieces.forEach((piece, i) => {
    const renumber = docs[segmentOf[i]];
    for (let d = 0; d < piece.docs.length; d++) {
      const doc = renumber[piece.docs[d]];
      piece.docs[d] = doc < 0 ? DELETED : doc;
      if (doc < 0) {
        complete = false;
        continue;
      }
      documents++;
      positions += piece.start[d + 1] - piece.start[d];
    }
  });
  if (complete && pieces.length === 1) return pieces[0];
  const out: PositionalPostings = { docs: new Uint32Array(documents), start: new Uint32Array(documents + 1), positions: new Uint32Array(positions) };
  let n = 0;
  let at = 0;
  for (const piece of pieces) {
    if (complete) {
      // No deleted document: the piece's positions go over in one copy.
      for (let d = 0; d < piece.docs.length; d++) {
        out.docs[n] = piece.docs[d];
        out.start[n++] = at + piece.start[d];
      }
      out.positions.set(piece.positions, at);
      at += piece.positions.length;
      continue;
    }
    for (let d = 0; d < piece.docs.length; d++) {
      if (piece.docs[d] === DELETED) continue;
      out.docs[n] = piece.docs[d];
      out.start[n++] = at;
      out.positions.set(piece.positions.subarray(piece.start[d], piece.start[d + 1]), at);
      at += piece.start[d + 1] - piece.start[d];
    }
  }
  out.start[n] = at;
  return out;
}
