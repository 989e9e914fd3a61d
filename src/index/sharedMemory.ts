/**
 * An opened index's own arrays (decoded term tables, a view's joined tables) in shared
 * memory, so that a worker thread given the index data shares them instead of building or
 * receiving a copy of its own (a server's long-query thread, see server/heavyLane.ts). The
 * files read from disk are in shared memory already (see generation.ts readSegmentsAsync); the
 * tables opening decodes and joins are allocated there (sharedUint32Array, sharedPrefix);
 * moveToSharedMemory moves what is left. Allocating in place matters beyond the copy: the
 * memory a copy frees is kept by the C allocator (glibc), not given back, so a server that
 * moved its tables held about 150 MB more on news-large.
 */

import { types } from 'node:util';

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** A zeroed Uint32Array of `length` in shared memory. */
export function sharedUint32Array(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(length * Uint32Array.BYTES_PER_ELEMENT));
}

/** The first `length` numbers of `array`, copied into shared memory (what `array.slice(0, length)` would hold). */
export function sharedPrefix(array: Uint32Array, length: number): Uint32Array {
  const out = sharedUint32Array(length);
  out.set(array.subarray(0, length));
  return out;
}

/** Arrays smaller than this stay where they are: sharing them saves nothing worth a copy. */
const MIN_SHARED_BYTES = 4096;

function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) || prototype === Object.prototype || prototype === null;
}

/**
 * Replaces, in place, every typed array reachable from `root` through plain objects and
 * arrays whose buffer is not shared (and holds MIN_SHARED_BYTES or more) by a view of the
 * same type over a SharedArrayBuffer copy of that buffer: views of one buffer stay views
 * of one buffer, at the same offsets. Anything holding the old arrays (built before the
 * call) keeps them: call it before building on `root`.
 */
export function moveToSharedMemory(root: object): void {
  const copies = new Map<ArrayBufferLike, SharedArrayBuffer>();
  const visited = new Set<object>();
  const shared = (view: TypedArray): TypedArray => {
    const { buffer } = view;
    if (types.isSharedArrayBuffer(buffer) || buffer.byteLength < MIN_SHARED_BYTES) return view;
    let copy = copies.get(buffer);
    if (!copy) {
      copy = new SharedArrayBuffer(buffer.byteLength);
      new Uint8Array(copy).set(new Uint8Array(buffer));
      copies.set(buffer, copy);
    }
    if (Buffer.isBuffer(view)) return Buffer.from(copy, view.byteOffset, view.length);
    const Type = view.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;
    return new Type(copy, view.byteOffset, view.length);
  };
  const walk = (container: Record<string, unknown> | unknown[]): void => {
    if (visited.has(container)) return;
    visited.add(container);
    // Arrays of strings or numbers (a segment's words) hold nothing to share.
    if (Array.isArray(container) && container.length > 0 && typeof container[0] !== 'object') return;
    const record = container as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) record[key] = shared(value as TypedArray);
      else if (isPlainContainer(value)) walk(value);
    }
  };
  if (isPlainContainer(root)) walk(root);
}
