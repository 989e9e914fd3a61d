/**
 * Set operations on ascending arrays of document numbers. Each writes its result into one
 * reused scratch array, then returns a copy of it at its exact size: the arrays sized for
 * the worst case that were sliced afterwards (two allocations a call, the larger one
 * garbage at once) were a good part of a literal query's garbage. The copy is the caller's
 * own, never a view of the scratch, so a later call cannot change an earlier result.
 */
import { withRoom } from '../index/growableU32';

/** The scratch the set operations write into, grown as needed. */
let scratch = new Uint32Array(1024);

/** The scratch with room for `size` documents (what it held is not kept). */
function scratchOf(size: number): Uint32Array {
  return (scratch = withRoom(scratch, size));
}

/** Documents in both. */
export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = scratchOf(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      out[n++] = a[i];
      i++;
      j++;
    }
  }
  return out.slice(0, n);
}

/** Documents in either. */
export function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  // One side empty (a query's first term, a term without alternatives): a plain copy of the other.
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out = scratchOf(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out[n++] = a[i++];
    else if (i >= a.length || b[j] < a[i]) out[n++] = b[j++];
    else {
      out[n++] = a[i++];
      j++;
    }
  }
  return out.slice(0, n);
}

/** Documents in `a` but not in `b`. */
export function subtract(a: Uint32Array, b: Uint32Array): Uint32Array {
  // Nothing excluded (most queries): a plain copy.
  if (b.length === 0 || a.length === 0) return a.slice();
  const out = scratchOf(a.length);
  let n = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    while (j < b.length && b[j] < a[i]) j++;
    if (j >= b.length || b[j] !== a[i]) out[n++] = a[i];
  }
  return out.slice(0, n);
}

/** First index i ≥ from with array[i] ≥ target (see index/sortedDocs.ts, where readers of the index use it too). */
export { seek } from '../index/sortedDocs';
