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

/** The codes written one bit at a time into a plain array: what BitWriter's register and joined writes must give, byte for byte. */
class ReferenceWriter {
  readonly bits: number[] = [];
  write(value: number, width: number): void {
    for (let b = 0; b < width; b++) this.bits.push(Math.floor(value / 2 ** b) % 2);
  }
  writeUnary(n: number): void {
    for (let i = 0; i < n; i++) this.bits.push(1);
    this.bits.push(0);
  }
  writeRice(value: number, b: number): void {
    this.writeUnary(Math.floor(value / 2 ** b));
    this.write(value % 2 ** b, b);
  }
  writeGamma(value: number): void {
    const n = Math.floor(Math.log2(value));
    this.writeUnary(n);
    this.write(value - 2 ** n, n);
  }
  writeTruncated(value: number, bound: number): void {
    const k = Math.floor(Math.log2(bound));
    const short = 2 ** (k + 1) - bound;
    if (value < short) this.write(value, k);
    else {
      this.write(Math.floor((value + short) / 2), k);
      this.write((value + short) % 2, 1);
    }
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, i) => (out[i >>> 3] |= bit << (i & 7)));
    return out;
  }
}

test('every code, at every bit offset and across the buffer growing, gives the bytes of a writer that writes one bit at a time; a string written after reset owes nothing to the one before', () => {
  let seed = 7;
  const random = (below: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * below);
  };
  const writer = new BitWriter();
  for (let round = 0; round < 40; round++) {
    const reference = new ReferenceWriter();
    writer.reset();
    // Some rounds long enough to grow the writer's buffer (1 KiB at first) more than once.
    const codes = round % 10 === 9 ? 6000 : 1 + random(300);
    for (let c = 0; c < codes; c++) {
      const kind = random(5);
      const wide = random(4) === 0;
      if (kind === 0) {
        const width = random(25);
        const value = random(2 ** width);
        writer.write(value, width);
        reference.write(value, width);
      } else if (kind === 1) {
        const n = wide ? random(80) : random(8);
        writer.writeUnary(n);
        reference.writeUnary(n);
      } else if (kind === 2) {
        const b = random(25);
        // Wide: quotients past one write, and (b ≥ 20) values of 2^31 and more.
        const value = wide ? random(2 ** Math.min(b + 12, 32)) : random(2 ** Math.min(b + 5, 31));
        writer.writeRice(value, b);
        reference.writeRice(value, b);
      } else if (kind === 3) {
        const value = 1 + (wide ? random(2 ** 32 - 1) : random(2 ** random(12)));
        writer.writeGamma(value);
        reference.writeGamma(value);
      } else {
        // Bounds up to 2^25 − 1: codes of at most 24 bits and one more, as the class allows.
        const bound = 1 + (wide ? random(2 ** 25 - 1) : random(2 ** random(22)));
        const value = random(bound);
        writer.writeTruncated(value, bound);
        reference.writeTruncated(value, bound);
      }
    }
    const out = new ByteWriter(16);
    writer.writeTo(out);
    expect(Buffer.from(out.bytes()).equals(Buffer.from(reference.bytes()))).toBe(true);
  }
});
