import { PositionalPostings, decodePositional } from './bigramEntry';
import { FieldCounts, decodeCounts } from './countsEntry';
import { SegmentedFamily } from './data';

/**
 * A term's postings gathered from several segments, renumbered, deleted documents left
 * out: what a view over segments (segmentView.ts) reads for a query, and what merging
 * segments (merge.ts) encodes again.
 */

/** A term's counts postings gathered from the segments of a view, renumbered, deleted documents left out. */
export function decodeSegmentedCounts(view: SegmentedFamily, term: number): FieldCounts {
  const pieces: FieldCounts[] = [];
  let total = 0;
  view.families.forEach((family, p) => {
    const local = view.terms[p][term];
    if (local < 0) return;
    const piece = decodeCounts(family, local);
    pieces.push(renumbered(piece, view.docs[p]));
    total += pieces[pieces.length - 1].docs.length;
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

/** A bigram's positional postings gathered from the segments of a view, renumbered, deleted documents left out. */
export function decodeSegmentedPositional(view: SegmentedFamily, term: number): PositionalPostings {
  const pieces: PositionalPostings[] = [];
  view.families.forEach((family, p) => {
    const local = view.terms[p][term];
    if (local >= 0) pieces.push(decodePositional(family, local));
  });
  const segmentOf = view.families.map((_, p) => p).filter((p) => view.terms[p][term] >= 0);
  let documents = 0;
  let positions = 0;
  pieces.forEach((piece, i) => {
    const docs = view.docs[segmentOf[i]];
    for (let d = 0; d < piece.docs.length; d++) {
      if (docs[piece.docs[d]] < 0) continue;
      documents++;
      positions += piece.start[d + 1] - piece.start[d];
    }
  });
  const out: PositionalPostings = { docs: new Uint32Array(documents), start: new Uint32Array(documents + 1), positions: new Uint32Array(positions) };
  let n = 0;
  let at = 0;
  pieces.forEach((piece, i) => {
    const docs = view.docs[segmentOf[i]];
    for (let d = 0; d < piece.docs.length; d++) {
      const doc = docs[piece.docs[d]];
      if (doc < 0) continue;
      out.docs[n] = doc;
      out.start[n++] = at;
      out.positions.set(piece.positions.subarray(piece.start[d], piece.start[d + 1]), at);
      at += piece.start[d + 1] - piece.start[d];
    }
  });
  out.start[n] = at;
  return out;
}
