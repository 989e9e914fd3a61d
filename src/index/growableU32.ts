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
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
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
