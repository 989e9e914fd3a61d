/** Every code of bitCodes.ts reads back what was written, at the edges of its widths, and takes the bits it should. */
import { BitWriter } from '../../src/index/bitCodes';
import { ByteWriter } from '../../src/index/varint';

/** A reader of its own, bit by bit, independent of the decoder's inline reads (bigramEntry.ts, whose round trips postingsBlocks.test.ts proves). */
class TestReader {
  private bit: number;
  constructor(
    private readonly bytes: Uint8Array,
    pos: number,
  ) {
    this.bit = pos * 8;
  }
  private next(): number {
    const bit = (this.bytes[this.bit >>> 3] >>> (this.bit & 7)) & 1;
    this.bit++;
    return bit;
  }
  read(width: number): number {
    let value = 0;
    for (let b = 0; b < width; b++) value += this.next() * 2 ** b;
    return value;
  }
  readUnary(): number {
    let n = 0;
    while (this.next() === 1) n++;
    return n;
  }
  readRice(b: number): number {
    return this.readUnary() * 2 ** b + this.read(b);
  }
  readGamma(): number {
    const n = this.readUnary();
    return 2 ** n + this.read(n);
  }
  readTruncated(bound: number): number {
    const k = 31 - Math.clz32(bound);
    const short = 2 ** (k + 1) - bound;
    const value = this.read(k);
    return value < short ? value : ((value << 1) | this.read(1)) - short;
  }
  /** The byte after the last bit read. */
  end(): number {
    return (this.bit + 7) >>> 3;
  }
}

/** The bytes of the codes `write` appends to a fresh string. */
function written(write: (writer: BitWriter) => void): Uint8Array {
  const writer = new BitWriter().reset();
  write(writer);
  const out = new ByteWriter(16);
  writer.writeTo(out);
  return out.bytes().slice();
}

test('unary, Rice, gamma and truncated binary codes, mixed in one string, read back in order; the string ends where its last bit does', () => {
  const values = [0, 1, 2, 7, 23, 24, 25, 47, 48, 100, 1000];
  const bounds = [1, 2, 3, 4, 5, 1000, 1024, 1025, 2 ** 21 - 1, 2 ** 21];
  const bytes = written((w) => {
    for (const v of values) w.writeUnary(v);
    for (const b of [0, 1, 5, 17, 24]) for (const v of values) w.writeRice(v * 4099, b);
    for (const v of values) w.writeGamma(v + 1);
    for (const bound of bounds) for (const v of [0, 1, Math.floor(bound / 2), bound - 2, bound - 1]) if (v >= 0 && v < bound) w.writeTruncated(v, bound);
  });
  const reader = new TestReader(bytes, 0);
  expect(values.map(() => reader.readUnary())).toEqual(values);
  for (const b of [0, 1, 5, 17, 24]) expect(values.map(() => reader.readRice(b))).toEqual(values.map((v) => v * 4099));
  expect(values.map(() => reader.readGamma())).toEqual(values.map((v) => v + 1));
  for (const bound of bounds) {
    const expected = [0, 1, Math.floor(bound / 2), bound - 2, bound - 1].filter((v) => v >= 0 && v < bound);
    expect(expected.map(() => reader.readTruncated(bound))).toEqual(expected);
  }
  expect(reader.end()).toBe(bytes.length);
});

test('a truncated binary code below 5 takes 2 bits for 0–2 and 3 for 3–4; below a power of two, its exponent; below 1, nothing', () => {
  const size = (write: (w: BitWriter) => void): number => written(write).length;
  // Eight codes of 2 bits fill 2 bytes; eight of 3 bits, 3 bytes.
  expect(size((w) => [0, 1, 2, 0, 1, 2, 0, 1].forEach((v) => w.writeTruncated(v, 5)))).toBe(2);
  expect(size((w) => [3, 4, 3, 4, 3, 4, 3, 4].forEach((v) => w.writeTruncated(v, 5)))).toBe(3);
  expect(size((w) => [0, 1023, 512, 7].forEach((v) => w.writeTruncated(v, 1024)))).toBe(5);
  expect(size((w) => [0, 0, 0].forEach((v) => w.writeTruncated(v, 1)))).toBe(0);
});

test('a string starting inside a buffer is read from its own first byte', () => {
  const bytes = written((w) => [5, 9, 300].forEach((v) => w.writeGamma(v)));
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  const reader = new TestReader(shifted, 3);
  expect([reader.readGamma(), reader.readGamma(), reader.readGamma()]).toEqual([5, 9, 300]);
  expect(reader.end()).toBe(shifted.length);
});
