import { IndexError } from '../errors';
import { ByteReader, ByteWriter } from './varint';

/**
 * Patched frame-of-reference bit packing, the codec of the postings' blocks (see
 * postingsBlocks.ts): a run of up to PACKED_RUN unsigned 32-bit integers is stored as a byte
 * giving a width w (0–32), every value's low w bits (least significant bit first, in
 * ceil(count × w / 8) bytes), then the few values wider than w as exceptions. The count is
 * not stored: the caller knows it. A run of zeros costs one byte, an empty run nothing.
 * The same idea as Lucene's ForUtil/PForUtil and Tantivy's bitpacked blocks of 128 (which add
 * SIMD layouts that JavaScript has no use for).
 */

/** Values per packed run of a postings block (Lucene and Tantivy use 128 too). */
export const PACKED_RUN = 128;

/** Packing scratch: at most PACKED_RUN values of 32 bits. */
const scratch = new Uint8Array((PACKED_RUN * 32) / 8 + 8);

/** Bits needed for `value` (0 for 0). */
export function bitWidth(value: number): number {
  return 32 - Math.clz32(value);
}

/** Bytes the low bits of a run of `count` values of width `width` take. */
export function packedBytes(count: number, width: number): number {
  return (count * width + 7) >>> 3;
}

/** Bit set in a run's width byte when exceptions follow the packed bits. */
const HAS_EXCEPTIONS = 0x40;
/** Per width 0–32: how many values of a run need that many bits (the encoder's scratch). */
const widths = new Uint32Array(33);

/** Bytes of a varint holding `bits` significant bits. */
function varintBytes(bits: number): number {
  return bits <= 7 ? 1 : Math.ceil(bits / 7);
}

/**
 * The width b for a run whose values need `widths[w]` values of w bits: the one that makes
 * the run smallest, counting for each value wider than b an exception (its index byte and
 * its bits above b as a varint) and one byte for the exceptions' count.
 */
function bestWidth(count: number, widest: number): number {
  let best = widest;
  let bestCost = packedBytes(count, widest);
  for (let b = widest - 1; b >= 0; b--) {
    let cost = packedBytes(count, b) + 1;
    for (let w = b + 1; w <= widest; w++) cost += widths[w] * (1 + varintBytes(w - b));
    if (cost < bestCost) {
      best = b;
      bestCost = cost;
    }
  }
  return best;
}

/**
 * Appends `values[from, from + count)` (count ≤ PACKED_RUN) to `out` as one packed run
 * (nothing for count 0): the width byte b, with HAS_EXCEPTIONS set when some values need
 * more than b bits, then every value's low b bits; then, if set, the number of exceptions
 * and for each its index in the run (a byte) and its bits above b (a varint). The width is
 * chosen to make the run smallest: Lucene's PForUtil ("patched frame of reference").
 */
export function writePacked(out: ByteWriter, values: ArrayLike<number>, from: number, count: number): void {
  if (count === 0) return;
  widths.fill(0);
  let widest = 0;
  for (let i = from; i < from + count; i++) {
    const w = bitWidth(values[i] >>> 0);
    widths[w]++;
    if (w > widest) widest = w;
  }
  const width = bestWidth(count, widest);
  let exceptions = 0;
  for (let w = width + 1; w <= widest; w++) exceptions += widths[w];
  const mask = width === 32 ? -1 : (1 << width) - 1;
  const bytes = packedBytes(count, width);
  scratch.fill(0, 0, bytes + 5);
  // Every value's low bits OR-ed into the five bytes they may span: the same stores for
  // every value, no branch (Uint8Array stores keep the low 8 bits; bits past a value's are 0).
  let bit = 0;
  for (let i = from; i < from + count; i++) {
    const value = values[i] & mask;
    const at = bit >>> 3;
    const shift = bit & 7;
    scratch[at] |= value << shift;
    scratch[at + 1] |= value >>> (8 - shift);
    scratch[at + 2] |= value >>> (16 - shift);
    scratch[at + 3] |= value >>> (24 - shift);
    scratch[at + 4] |= (value >>> (31 - shift)) >>> 1;
    bit += width;
  }
  out.writeVarint(exceptions > 0 ? width | HAS_EXCEPTIONS : width);
  out.writeBytes(scratch.subarray(0, bytes));
  if (exceptions === 0) return;
  out.writeVarint(exceptions);
  for (let i = 0; i < count; i++) {
    const high = width === 32 ? 0 : (values[from + i] >>> 0) / 2 ** width;
    if (high < 1) continue;
    out.writeVarint(i);
    out.writeVarint(Math.floor(high));
  }
}

/** What a damaged packed run raises: the files passed their checksums, so the index was written wrong; only a rebuild helps. */
function damagedRun(): IndexError {
  return new IndexError('The index is damaged: a damaged packed block in postings (a width above 32, an exception out of its block or a block past the end of its list). Rebuild it with: npx jiansuo index');
}

/**
 * Reads one packed run of `count` values written by writePacked from `bytes` at `pos` (not
 * reading at or past `end`) into `out[at, at + count)`; returns the position after it.
 */
export function readPacked(bytes: Uint8Array, pos: number, end: number, count: number, out: Uint32Array, at: number): number {
  if (count === 0) return pos;
  if (pos >= end) throw damagedRun();
  const flags = bytes[pos++];
  const width = flags & ~HAS_EXCEPTIONS;
  let after = pos + packedBytes(count, width);
  if (width > 32 || after > end) throw damagedRun();
  if (width === 0) out.fill(0, at, at + count);
  else {
    const mask = width === 32 ? -1 : (1 << width) - 1;
    let bit = 0;
    for (let i = 0; i < count; i++) {
      const byte = pos + (bit >>> 3);
      const shift = bit & 7;
      // Bytes past the bits may belong to what follows or be missing (undefined → 0): masked off either way.
      let value = (bytes[byte] | (bytes[byte + 1] << 8) | (bytes[byte + 2] << 16) | (bytes[byte + 3] << 24)) >>> shift;
      if (shift + width > 32) value |= bytes[byte + 4] << (32 - shift);
      out[at + i] = value & mask;
      bit += width;
    }
  }
  if ((flags & HAS_EXCEPTIONS) === 0) return after;
  const reader = new ByteReader(bytes, after, end);
  const exceptions = reader.readVarint();
  for (let e = 0; e < exceptions; e++) {
    const index = reader.readVarint();
    const high = reader.readVarint();
    if (index >= count || width === 32) throw damagedRun();
    out[at + index] += high * 2 ** width;
  }
  return reader.pos;
}

/** Appends `values[from, from + count)`, any count, as consecutive packed runs of PACKED_RUN values (the last one shorter), each with its own width. */
export function writePackedRuns(out: ByteWriter, values: ArrayLike<number>, from: number, count: number): void {
  for (let i = 0; i < count; i += PACKED_RUN) writePacked(out, values, from + i, Math.min(PACKED_RUN, count - i));
}

/** Reads `count` values written by writePackedRuns into `out[at, at + count)`; returns the position after them. */
export function readPackedRuns(bytes: Uint8Array, pos: number, end: number, count: number, out: Uint32Array, at: number): number {
  for (let i = 0; i < count; i += PACKED_RUN) pos = readPacked(bytes, pos, end, Math.min(PACKED_RUN, count - i), out, at + i);
  return pos;
}
