/**
 * Set operations on ascending arrays of document numbers. Each writes its result into one
 * reused scratch array, then returns a copy of it at its exact size: the arrays sized for
 * the worst case that were sliced afterwards (two allocations a call, the larger one
 * garbage at once) were a good part of a literal query's garbage. The copy is the caller's
 * own, never a view of the scratch, so a later call cannot change an earlier result.
 */
import { withRoom } from '../index/growableU32';
import { intersectInto, mergeInto } from '../index/sortedDocs';

/** The scratch the set operations write into, grown as needed. */
let scratch = new Uint32Array(1024);

/** The scratch with room for `size` documents (what it held is not kept). */
function scratchOf(size: number): Uint32Array {
  return (scratch = withRoom(scratch, size));
}

/** Documents in both. */
export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = scratchOf(Math.min(a.length, b.length) + 1);
  return out.slice(0, intersectInto(a, b, out));
}

/** Documents in either. */
export function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  // One side empty (a query's first term, a term without alternatives): a plain copy of the other.
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out = scratchOf(a.length + b.length);
  let { kept: n, i, j } = mergeInto(a, b, out, 'either');
  while (i < a.length) out[n++] = a[i++];
  while (j < b.length) out[n++] = b[j++];
  return out.slice(0, n);
}

/** Documents in `a` but not in `b`. */
export function subtract(a: Uint32Array, b: Uint32Array): Uint32Array {
  // Nothing excluded (most queries): a plain copy.
  if (b.length === 0 || a.length === 0) return a.slice();
  const out = scratchOf(a.length + 1);
  // What is left of `a` once `b` is used up stays.
  let { kept: n, i } = mergeInto(a, b, out, 'first');
  while (i < a.length) out[n++] = a[i++];
  return out.slice(0, n);
}

/** First index i ≥ from with array[i] ≥ target (see index/sortedDocs.ts, where readers of the index use it too). */
export { seek } from '../index/sortedDocs';
