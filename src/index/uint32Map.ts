/**
 * A map from 32-bit unsigned keys to non-negative integers, in two typed arrays with
 * open addressing (linear probing, multiplicative hashing). Several times faster than a
 * Map for the million bigram keys of a large build, and with no object per entry.
 */
export class Uint32Map {
  private keys: Uint32Array;
  private values: Int32Array;
  private mask: number;
  private shift: number;
  private entries = 0;

  constructor(capacity = 1 << 16) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity)));
    this.keys = new Uint32Array(size);
    this.values = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
  }

  /** Number of keys stored. */
  get size(): number {
    return this.entries;
  }

  private slot(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.values[i] !== -1 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    return this.values[this.slot(key)];
  }

  /**
   * The value of `key`, giving it `size` (the number of keys before the call) when it has
   * none: one probe for a new key, where `get` then `set` would probe twice.
   */
  intern(key: number): number {
    let i = this.slot(key);
    const value = this.values[i];
    if (value !== -1) return value;
    const id = this.entries++;
    if (this.entries * 2 > this.keys.length) {
      this.grow();
      i = this.slot(key);
    }
    this.keys[i] = key;
    this.values[i] = id;
    return id;
  }

  private grow(): void {
    const { keys, values } = this;
    const size = keys.length * 2;
    this.keys = new Uint32Array(size);
    this.values = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.shift--;
    for (let i = 0; i < keys.length; i++) {
      if (values[i] === -1) continue;
      const j = this.slot(keys[i]);
      this.keys[j] = keys[i];
      this.values[j] = values[i];
    }
  }

  /** Calls back with every key and value, in no particular order. */
  forEach(each: (key: number, value: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) if (this.values[i] !== -1) each(this.keys[i], this.values[i]);
  }
}
