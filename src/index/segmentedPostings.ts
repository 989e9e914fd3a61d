import { PositionalPostings, decodePositional, decodePositionalHolding } from './bigramEntry';
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

/**
 * Where a view's documents stand in one segment (whose renumbering is `docs`, -1: deleted):
 * the view's number of its first live document, how many are live, and the segment's own
 * number of each live one in order (`local[k]`), or undefined when none is deleted (then it
 * is k). A segment's live documents take consecutive view numbers in its order (segmentView.ts).
 */
interface SegmentLocals {
  first: number;
  live: number;
  local?: Uint32Array;
}

/** SegmentLocals of each renumbering, worked out the first time a query needs it (4 bytes a document of a segment with deletions, none otherwise). */
const segmentLocals = new WeakMap<Int32Array, SegmentLocals>();

function localsOf(docs: Int32Array): SegmentLocals {
  let found = segmentLocals.get(docs);
  if (found) return found;
  let live = 0;
  for (let d = 0; d < docs.length; d++) if (docs[d] >= 0) live++;
  const local = live === docs.length ? undefined : new Uint32Array(live);
  let first = -1;
  for (let d = 0, k = 0; d < docs.length; d++) {
    if (docs[d] < 0) continue;
    if (first < 0) first = docs[d];
    if (local) local[k++] = d;
  }
  found = { first, live, local };
  segmentLocals.set(docs, found);
  return found;
}

/** The first index of `wanted` (ascending) whose value is at least `value`. */
function firstAtLeast(wanted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = wanted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (wanted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A bigram's positional postings from the segments of a view enough to check the view's
 * documents `wanted` (ascending): each segment reads only the blocks of its list that may
 * hold the wanted documents it has (decodePositionalHolding, after mapping them to the
 * segment's numbers), and a segment holding none of them is not read. Renumbered, deleted
 * documents left out: at least the documents of `wanted` the bigram occurs in, with their
 * positions, as decodeSegmentedPositional gives them, and whatever else those blocks hold.
 */
export function decodeSegmentedPositionalHolding(view: SegmentedFamily, term: number, wanted: Uint32Array): PositionalPostings {
  return gatherPositional(view.families, view.docs, (p) => localTerm(view, p, term), (family, at, p) => {
    const { first, live, local } = localsOf(view.docs[p]);
    const from = firstAtLeast(wanted, first);
    const to = firstAtLeast(wanted, first + live);
    if (from === to) return undefined;
    const mine = new Uint32Array(to - from);
    for (let i = 0; i < mine.length; i++) mine[i] = local ? local[wanted[from + i] - first] : wanted[from + i] - first;
    return decodePositionalHolding(family, at, mine);
  });
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

/** Decodes term `at` of segment `p`'s `family` (all of it, or only what a reader needs of it); undefined: nothing of this segment is needed. */
export type DecodeSegment = (family: PostingsFamily, at: number, p: number) => PositionalPostings | undefined;

/**
 * One bigram's positional postings from `families` (renumbered by `docs`, as gatherCounts),
 * in segment order, each segment's decoded by `decode` (default: its whole list).
 */
export function gatherPositional(families: PostingsFamily[], docs: Int32Array[], local: LocalTerm, decode: DecodeSegment = decodePositional): PositionalPostings {
  const pieces: PositionalPostings[] = [];
  const segmentOf: number[] = [];
  families.forEach((family, p) => {
    const at = local(p);
    if (at < 0) return;
    const piece = decode(family, at, p);
    if (piece === undefined) return;
    pieces.push(piece);
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
