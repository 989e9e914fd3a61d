/**
 * A list of 32-bit unsigned integers in a Uint32Array that doubles when full: what the
 * build appends per document and per term (prepared documents' integers, term numbers,
 * document tables) without the cost of a JS array of numbers (no boxed doubles for
 * values of 2^31 and more, no reallocation when it is cleared and filled again).
 */
export class GrowableU32 {
  data = new Uint32Array(1024);
  length = 0;

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.data.length) this.data = withRoom(this.data, this.length + 1, this.length);
    this.data[this.length++] = value;
  }

  /** A copy of the values. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }

  /** Empties the list, keeping its memory for the next values. */
  clear(): void {
    this.length = 0;
  }
}

/**
 * `array` itself when it holds `size` values, else a new array of at least twice its length
 * holding its first `keep` values: how the reused scratch arrays of the build and of the
 * search grow (doubling, so that growing to n costs O(n) in all).
 */
export function withRoom<A extends Uint32Array>(array: A, size: number, keep = 0): A | Uint32Array<ArrayBuffer> {
  if (size <= array.length) return array;
  const bigger = new Uint32Array(Math.max(array.length * 2, size));
  if (keep > 0) bigger.set(array.subarray(0, keep));
  return bigger;
}
