import { PositionalDecoding, PositionalPostings, appendPositional, appendPositionalHolding } from './bigramEntry';
import { FieldCounts, countsAmong, countsHolding, countsIn, decodeCountsInto, decodeDocsInto } from './countsEntry';
import { PostingsFamily, SegmentedFamily, findKey, findTerm } from './data';
import { Allocate, freshArray } from './spareArrays';

/**
 * A term's postings gathered from several segments, renumbered, deleted documents left
 * out: what a view over segments (segmentView.ts) reads for a query, and what merging
 * segments (merge.ts) encodes again.
 */

/** Where one term stands in each segment's family: its number in segment `p`, or -1 when that segment does not hold it. */
export type LocalTerm = (p: number) => number;

/** Where a view's term stands in segment `p`'s family, found by binary search in that segment's keys. */
function localTerm(view: SegmentedFamily, p: number, term: number): number {
  const key = view.keys[term];
  return typeof key === 'string' ? findTerm(view.segmentKeys[p] as string[], key) : findKey(view.segmentKeys[p] as Uint32Array, key);
}

/** A term's counts postings gathered from the segments of a view, renumbered, deleted documents left out (in memory from `allocate`). */
export function decodeSegmentedCounts(view: SegmentedFamily, term: number, allocate: Allocate = freshArray): FieldCounts {
  return gatherCounts(view.families, view.docs, (p) => localTerm(view, p, term), allocate);
}

/** The documents alone of a view's counts term (decodeDocsInto per segment), renumbered, deleted documents left out (in memory from `allocate`). */
export function decodeSegmentedDocs(view: SegmentedFamily, term: number, allocate: Allocate = freshArray): Uint32Array {
  const terms = view.families.map((_, p) => localTerm(view, p, term));
  let total = 0;
  terms.forEach((at, p) => (total += at < 0 ? 0 : view.families[p].df[at]));
  const out = allocate(total).subarray(0, total);
  let kept = 0;
  let base = 0;
  terms.forEach((at, p) => {
    if (at < 0) return;
    decodeDocsInto(view.families[p], at, out, base);
    const end = base + view.families[p].df[at];
    const renumber = view.docs[p];
    for (let i = base; i < end; i++) {
      const doc = renumber[out[i]];
      if (doc >= 0) out[kept++] = doc;
    }
    base = end;
  });
  return kept === total ? out : out.subarray(0, kept);
}

/** A bigram's positional postings gathered from the segments of a view, renumbered, deleted documents left out (in memory from `allocate`). */
export function decodeSegmentedPositional(view: SegmentedFamily, term: number, allocate: Allocate = freshArray): PositionalPostings {
  return gatherPositional(view.families, view.docs, (p) => localTerm(view, p, term), undefined, allocate);
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
export function decodeSegmentedPositionalHolding(view: SegmentedFamily, term: number, wanted: Uint32Array, allocate: Allocate = freshArray): PositionalPostings {
  const append: AppendSegment = (family, at, p, into) => {
    const mine = wantedIn(view.docs[p], wanted);
    if (mine) appendPositionalHolding(family, at, mine, into);
  };
  return gatherPositional(view.families, view.docs, (p) => localTerm(view, p, term), append, allocate);
}

/**
 * The view's documents of `wanted` (ascending) that a segment renumbered by `docs` holds, in
 * the segment's own numbers (ascending too: its live documents keep their order in the
 * view), or undefined when it holds none.
 */
function wantedIn(docs: Int32Array, wanted: Uint32Array): Uint32Array | undefined {
  const { first, live, local } = localsOf(docs);
  const from = firstAtLeast(wanted, first);
  const to = firstAtLeast(wanted, first + live);
  if (from === to) return undefined;
  const mine = new Uint32Array(to - from);
  for (let i = 0; i < mine.length; i++) mine[i] = local ? local[wanted[from + i] - first] : wanted[from + i] - first;
  return mine;
}

/**
 * Calls `read(family, at, mine, n)` for each segment of a view that lists term `term` and holds
 * some of the view's documents `wanted` (ascending), `mine` those in the segment's own numbers
 * (a segment holding none is not read); `read` writes what it finds of them to `docs` (and
 * whatever goes with them) from index n on, in the segment's numbers, and returns the index
 * after the last. Renumbers them to the view's (ascending: wanted holds live documents only,
 * so none found is deleted) and returns how many were written in all.
 */
function forSegmentsHolding(view: SegmentedFamily, term: number, wanted: Uint32Array, docs: Uint32Array, read: (family: PostingsFamily, at: number, mine: Uint32Array, n: number) => number): number {
  let n = 0;
  view.families.forEach((family, p) => {
    const mine = wantedIn(view.docs[p], wanted);
    const at = mine ? localTerm(view, p, term) : -1;
    if (!mine || at < 0) return;
    const end = read(family, at, mine, n);
    const renumber = view.docs[p];
    for (; n < end; n++) docs[n] = renumber[docs[n]];
  });
  return n;
}

/**
 * Which documents of `wanted` (the view's, ascending) a view's counts term is listed in, in
 * the view's numbers, ascending: each segment checks only the wanted documents it has
 * (countsHolding, in its own numbers, reading only the blocks that may hold them).
 */
export function segmentedCountsHolding(view: SegmentedFamily, term: number, wanted: Uint32Array): Uint32Array {
  const out = new Uint32Array(wanted.length);
  return out.subarray(0, forSegmentsHolding(view, term, wanted, out, (family, at, mine, n) => countsHolding(family, at, mine, out, n)));
}

/**
 * The entries of a view's counts term for the documents of `wanted` (the view's, ascending)
 * it lists, in the view's numbers, ascending: each segment reads only the blocks that may
 * hold the wanted documents it has (countsAmong).
 */
export function segmentedCountsAmong(view: SegmentedFamily, term: number, wanted: Uint32Array): FieldCounts {
  const out = countsIn(freshArray, wanted.length);
  const n = forSegmentsHolding(view, term, wanted, out.docs, (family, at, mine, k) => countsAmong(family, at, mine, out, k));
  return { docs: out.docs.subarray(0, n), title: out.title.subarray(0, n), body: out.body.subarray(0, n) };
}

/**
 * One term's counts postings from `families` (segment p's documents renumbered by `docs[p]`,
 * -1: deleted), in segment order: each segment's list decoded straight into one set of
 * arrays at its place (from `allocate`, see countsIn), renumbered there, deleted documents left out.
 */
export function gatherCounts(families: PostingsFamily[], docs: Int32Array[], local: LocalTerm, allocate: Allocate = freshArray): FieldCounts {
  const terms = families.map((_, p) => local(p));
  let total = 0;
  terms.forEach((at, p) => (total += at < 0 ? 0 : families[p].df[at]));
  const out = countsIn(allocate, total);
  let kept = 0;
  let base = 0;
  terms.forEach((at, p) => {
    if (at < 0) return;
    decodeCountsInto(families[p], at, out, base);
    const end = base + families[p].df[at];
    const renumber = docs[p];
    for (let i = base; i < end; i++) {
      const doc = renumber[out.docs[i]];
      if (doc < 0) continue;
      out.docs[kept] = doc;
      out.title[kept] = out.title[i];
      out.body[kept] = out.body[i];
      kept++;
    }
    base = end;
  });
  return kept === total ? out : { docs: out.docs.subarray(0, kept), title: out.title.subarray(0, kept), body: out.body.subarray(0, kept) };
}

/** Appends term `at` of segment `p`'s `family` (all of it, or only what a reader needs of it, or nothing) to `into`. */
export type AppendSegment = (family: PostingsFamily, at: number, p: number, into: PositionalDecoding) => void;

/** What gatherPositional decodes the segments into before copying out. */
const gathering = new PositionalDecoding();

/**
 * One bigram's positional postings from `families` (renumbered by `docs`, as gatherCounts),
 * in segment order, each segment's appended by `append` (default: its whole list) to one
 * reused set of arrays, renumbered there, then copied out at the exact size (into memory
 * from `allocate`, see PositionalDecoding.copy).
 */
export function gatherPositional(
  families: PostingsFamily[],
  docs: Int32Array[],
  local: LocalTerm,
  append: AppendSegment = (family, at, _p, into) => appendPositional(family, at, into),
  allocate: Allocate = freshArray,
): PositionalPostings {
  const into = gathering.reset();
  families.forEach((family, p) => {
    const at = local(p);
    if (at < 0) return;
    const base = into.n;
    const firstPosition = into.count;
    append(family, at, p, into);
    renumberFrom(into, base, firstPosition, docs[p]);
  });
  return into.copy(allocate);
}

/**
 * The documents of `into` from `base` on (whose positions start at `firstPosition`)
 * renumbered by `renumber` in place; deleted ones (-1) dropped with their positions, the
 * rest moved back over them.
 */
function renumberFrom(into: PositionalDecoding, base: number, firstPosition: number, renumber: Int32Array): void {
  const { docs, start, positions, n } = into;
  let kept = base;
  let count = firstPosition;
  for (let d = base; d < n; d++) {
    const doc = renumber[docs[d]];
    const from = start[d];
    const to = d + 1 < n ? start[d + 1] : into.count;
    if (doc < 0) continue;
    docs[kept] = doc;
    if (count !== from) positions.copyWithin(count, from, to);
    start[kept++] = count;
    count += to - from;
  }
  into.n = kept;
  into.count = count;
}
