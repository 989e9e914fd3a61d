import { ByteWriter } from './varint';

/**
 * Bit strings of variable-length codes (least significant bit first), for the postings
 * whose sizes a byte-aligned varint or a block-wide width wastes (bigramEntry.ts and
 * countsEntry.ts, which read them inline): unary, Rice (a quotient in unary, then a remainder of fixed width, as
 * Golomb–Rice coded postings in Witten, Moffat and Bell's "Managing Gigabytes"), Elias gamma,
 * and truncated binary (a value below a bound L in floor(log2 L) bits or one more).
 * Every width written at once is at most 24 bits.
 */

/** The longest run of bits written at once. */
const CHUNK = 24;
const CHUNK_MASK = (1 << CHUNK) - 1;

/**
 * Appends codes to a bit string, then its bytes (the last one padded with zeros) to a ByteWriter.
 * The bits not yet making a whole byte wait in a register (`pending` of them, fewer than 8
 * between calls); each write adds its bits above them and stores the four bytes they may
 * reach at once, whole bytes then counting as written. A short code is one write: a Rice
 * code's quotient and remainder, a gamma code's length and low bits, a truncated binary
 * code's two parts are joined first. Before, every write ORed four bytes into a zeroed
 * buffer and a Rice code took two writes; laying out and merging a build's postings spent
 * some 15% of the main thread's CPU here (docs/performance.md, "Cheaper bit codes").
 */
export class BitWriter {
  private bytes = new Uint8Array(1 << 10);
  /** Whole bytes written. */
  private at = 0;
  /** The bits after them, least significant first (`pending` of them; the bits above are zero). */
  private acc = 0;
  private pending = 0;

  /** Empties it for another string. */
  reset(): this {
    this.at = 0;
    this.acc = 0;
    this.pending = 0;
    return this;
  }

  /** Appends the low `width` bits of `value` (width ≤ 24; `value` below 2^width). */
  write(value: number, width: number): void {
    let at = this.at;
    if (at + 4 > this.bytes.length) this.grow();
    const bytes = this.bytes;
    // At most 7 pending bits and 24 new ones: 31 bits, a positive int32.
    const acc = this.acc | (value << this.pending);
    const pending = this.pending + width;
    bytes[at] = acc;
    bytes[at + 1] = acc >>> 8;
    bytes[at + 2] = acc >>> 16;
    bytes[at + 3] = acc >>> 24;
    const whole = pending & 24;
    at += whole >>> 3;
    this.at = at;
    this.acc = whole === 0 ? acc : acc >>> whole;
    this.pending = pending & 7;
  }

  private grow(): void {
    const grown = new Uint8Array(this.bytes.length * 2);
    grown.set(this.bytes.subarray(0, this.at + 1));
    this.bytes = grown;
  }

  /** Appends `n` in unary: n one bits, then a zero. */
  writeUnary(n: number): void {
    for (; n >= CHUNK; n -= CHUNK) this.write(CHUNK_MASK, CHUNK);
    this.write((1 << n) - 1, n + 1);
  }

  /** Appends `value` as a Rice code of parameter `b` (≤ 24): value / 2^b in unary, then its low b bits. */
  writeRice(value: number, b: number): void {
    if (value <= 0x7fffffff) {
      const quotient = value >>> b;
      const remainder = value & ((1 << b) - 1);
      if (quotient + 1 + b <= CHUNK) this.write((1 << quotient) - 1 + (remainder << (quotient + 1)), quotient + 1 + b);
      else {
        this.writeUnary(quotient);
        this.write(remainder, b);
      }
      return;
    }
    this.writeUnary(Math.floor(value / 2 ** b));
    this.write(value % 2 ** b, b);
  }

  /** Appends `value` (1 to 2^32 − 1) as an Elias gamma code: n = floor(log2 value) in unary, then its low n bits (in two writes above 24). */
  writeGamma(value: number): void {
    const n = 31 - Math.clz32(value);
    if (2 * n + 1 <= CHUNK) {
      // (Integer operations throughout: 2 ** n is a floating-point power, the slowest step of a short code.)
      this.write((1 << n) - 1 + ((value - (1 << n)) << (n + 1)), 2 * n + 1);
      return;
    }
    const low = value - 2 ** n;
    this.writeUnary(n);
    if (n <= CHUNK) this.write(low, n);
    else {
      this.write(low & CHUNK_MASK, CHUNK);
      this.write(low >>> CHUNK, n - CHUNK);
    }
  }

  /**
   * Appends `value` (below `bound` ≥ 1) in a truncated binary code: with k = floor(log2 bound)
   * and s = 2^(k+1) − bound, a value below s in k bits; any other as y = value + s, its high
   * k bits (at least s) first, then its low bit.
   */
  writeTruncated(value: number, bound: number): void {
    const k = 31 - Math.clz32(bound);
    if (k < CHUNK) {
      const short = (2 << k) - bound;
      if (value < short) this.write(value, k);
      else this.write(((value + short) >>> 1) | (((value + short) & 1) << k), k + 1);
      return;
    }
    const short = 2 ** (k + 1) - bound;
    if (value < short) this.write(value, k);
    else {
      this.write((value + short) >>> 1, k);
      this.write((value + short) & 1, 1);
    }
  }

  /** Appends the string's bytes to `out` (its last byte padded with zero bits). */
  writeTo(out: ByteWriter): void {
    this.bytes[this.at] = this.acc;
    out.writeBytes(this.bytes.subarray(0, this.at + (this.pending > 0 ? 1 : 0)));
  }
}

/** The 25 bits of `bytes` from bit `bit` on, least significant first (bytes past the end read as 0): one read holds a short code whole. */
export function peekBits(bytes: Uint8Array, bit: number): number {
  const at = bit >>> 3;
  return ((bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> (bit & 7)) & 0x1ffffff;
}

/** The number of one bits of `bytes` from bit `bit` up to the first zero: a unary code's value. */
export function onesAt(bytes: Uint8Array, bit: number): number {
  let n = 0;
  for (;;) {
    const zeros = ~peekBits(bytes, bit + n) & CHUNK_MASK;
    if (zeros !== 0) return n + 31 - Math.clz32(zeros & -zeros);
    n += CHUNK;
  }
}

/** The `width` bits (≤ 32) of `bytes` from bit `bit` on, as an unsigned number: the rare code wider than one peekBits. */
function readWide(bytes: Uint8Array, bit: number, width: number): number {
  if (width <= CHUNK) return peekBits(bytes, bit) & ((1 << width) - 1);
  return (peekBits(bytes, bit) & CHUNK_MASK) + (peekBits(bytes, bit + CHUNK) & ((1 << (width - CHUNK)) - 1)) * 2 ** CHUNK;
}

/**
 * The Rice code of parameter `b` (≤ 24) at bit `bit` of `bytes` (writeRice's), from one
 * peekBits when it fits in 25 bits. Its length is the value's quotient by 2^b, plus b + 1:
 * the caller advances by riceLength, so that no second value need be handed back.
 */
export function riceAt(bytes: Uint8Array, bit: number, b: number): number {
  const window = peekBits(bytes, bit);
  const zeros = ~window & CHUNK_MASK;
  const ones = 31 - Math.clz32(zeros & -zeros);
  if (zeros !== 0 && ones + 1 + b <= 25) return ones * 2 ** b + ((window >>> (ones + 1)) & ((1 << b) - 1));
  const quotient = onesAt(bytes, bit);
  return quotient * 2 ** b + readWide(bytes, bit + quotient + 1, b);
}

/** The bits of the Rice code of `value` with parameter `b` (what riceAt read). */
export function riceLength(value: number, b: number): number {
  return Math.floor(value / 2 ** b) + 1 + b;
}

/**
 * The Elias gamma code at bit `bit` of `bytes` (writeGamma's; 1 from its single zero bit,
 * a short one from one peekBits). Its length, 2 floor(log2 value) + 1, is gammaLength.
 */
export function gammaAt(bytes: Uint8Array, bit: number): number {
  const window = peekBits(bytes, bit);
  if ((window & 1) === 0) return 1;
  const zeros = ~window & CHUNK_MASK;
  const n = 31 - Math.clz32(zeros & -zeros);
  if (zeros !== 0 && 2 * n + 1 <= 25) return (1 << n) | ((window >>> (n + 1)) & ((1 << n) - 1));
  const long = onesAt(bytes, bit);
  return 2 ** long + readWide(bytes, bit + long + 1, long);
}

/** The bits of the gamma code of `value` (what gammaAt read). */
export function gammaLength(value: number): number {
  return 2 * (31 - Math.clz32(value)) + 1;
}
