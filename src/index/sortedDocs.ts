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
 * The documents of `wanted` that `docs` holds (both ascending), each looked up by seek from
 * the last one found: a few wanted documents cost a few galloping searches in a long list.
 */
export function docsAmong(wanted: Uint32Array, docs: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(wanted.length, docs.length));
  let n = 0;
  for (let i = 0, at = 0; i < wanted.length && at < docs.length; i++) {
    at = seek(docs, wanted[i], at);
    if (at < docs.length && docs[at] === wanted[i]) out[n++] = wanted[i];
  }
  return out.subarray(0, n);
}
