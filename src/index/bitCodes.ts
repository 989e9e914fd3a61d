import { ByteWriter } from './varint';

/**
 * Bit strings of variable-length codes (least significant bit first), for the parts of
 * bigram postings whose sizes a byte-aligned varint or a block-wide width wastes
 * (bigramEntry.ts, which reads them inline): unary, Rice (a quotient in unary, then a remainder of fixed width, as
 * Golomb–Rice coded postings in Witten, Moffat and Bell's "Managing Gigabytes"), Elias gamma,
 * and truncated binary (a value below a bound L in floor(log2 L) bits or one more).
 * Every width written at once is at most 24 bits.
 */

/** The longest run of bits written at once. */
const CHUNK = 24;
const CHUNK_MASK = (1 << CHUNK) - 1;

/** Appends codes to a bit string, then its bytes (the last one padded with zeros) to a ByteWriter. */
export class BitWriter {
  private bytes = new Uint8Array(1 << 10);
  private bit = 0;

  /** Empties it for another string. */
  reset(): this {
    this.bytes.fill(0, 0, (this.bit >>> 3) + 4);
    this.bit = 0;
    return this;
  }

  /** Appends the low `width` bits of `value` (width ≤ 24; `value` below 2^width). */
  write(value: number, width: number): void {
    const at = this.bit >>> 3;
    if (at + 4 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    const shift = this.bit & 7;
    const bytes = this.bytes;
    bytes[at] |= value << shift;
    bytes[at + 1] |= value >>> (8 - shift);
    bytes[at + 2] |= value >>> (16 - shift);
    bytes[at + 3] |= value >>> (24 - shift);
    this.bit += width;
  }

  /** Appends `n` in unary: n one bits, then a zero. */
  writeUnary(n: number): void {
    for (; n >= CHUNK; n -= CHUNK) this.write(CHUNK_MASK, CHUNK);
    this.write((1 << n) - 1, n + 1);
  }

  /** Appends `value` as a Rice code of parameter `b` (≤ 24): value / 2^b in unary, then its low b bits. */
  writeRice(value: number, b: number): void {
    this.writeUnary(Math.floor(value / 2 ** b));
    this.write(value % 2 ** b, b);
  }

  /** Appends `value` (≥ 1) as an Elias gamma code: n = floor(log2 value) in unary, then its low n bits. */
  writeGamma(value: number): void {
    const n = 31 - Math.clz32(value);
    this.writeUnary(n);
    this.write(value - 2 ** n, n);
  }

  /**
   * Appends `value` (below `bound` ≥ 1) in a truncated binary code: with k = floor(log2 bound)
   * and s = 2^(k+1) − bound, a value below s in k bits; any other as y = value + s, its high
   * k bits (at least s) first, then its low bit.
   */
  writeTruncated(value: number, bound: number): void {
    const k = 31 - Math.clz32(bound);
    const short = 2 ** (k + 1) - bound;
    if (value < short) this.write(value, k);
    else {
      this.write((value + short) >>> 1, k);
      this.write((value + short) & 1, 1);
    }
  }

  /** Appends the string's bytes to `out` (its last byte padded with zero bits). */
  writeTo(out: ByteWriter): void {
    out.writeBytes(this.bytes.subarray(0, (this.bit + 7) >>> 3));
  }
}
