/** Packed runs (bitPacking.ts) read back every value at every width, with or without exceptions, and a damaged run throws. */
import { IndexError } from '../../src/errors';
import { PACKED_RUN, bitWidth, readPacked, readPackedRuns, writePacked, writePackedRuns } from '../../src/index/bitPacking';
import { ByteWriter } from '../../src/index/varint';

/** `count` values of exactly `width` bits (the top bit set), varied below it; 0s for width 0. */
function valuesOfWidth(width: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (width === 0 ? 0 : (2 ** (width - 1) + ((i * 2654435761) % 2 ** (width - 1))) >>> 0));
}

function roundTrip(values: number[], runs = false): { read: number[]; bytes: number; end: number } {
  const out = new ByteWriter(4);
  out.writeVarint(0xab); // something before the run, so positions other than 0 are read
  (runs ? writePackedRuns : writePacked)(out, values, 0, values.length);
  out.writeVarint(0xcd); // and something after it, which the reader must not take in
  const bytes = out.bytes().slice();
  const read = new Uint32Array(values.length + 2).fill(7);
  const end = (runs ? readPackedRuns : readPacked)(bytes, 2, bytes.length, values.length, read, 1);
  expect(read[0]).toBe(7);
  expect(read[values.length + 1]).toBe(7);
  expect(bytes[end]).toBe(0xcd);
  return { read: Array.from(read.subarray(1, values.length + 1)), bytes: end - 2, end };
}

test.each(Array.from({ length: 33 }, (_, width) => width))('a run of 128 values of width %i reads back, in 1 + 16 × width bytes', (width) => {
  const values = valuesOfWidth(width, PACKED_RUN);
  expect(bitWidth(Math.max(...values))).toBe(width);
  const { read, bytes } = roundTrip(values);
  expect(read).toEqual(values);
  expect(bytes).toBe(1 + 16 * width);
});

test.each([
  ['empty', []],
  ['one zero', [0]],
  ['one value of 32 bits', [2 ** 32 - 1]],
  ['one small value', [5]],
  ['127 values', valuesOfWidth(9, 127)],
  ['values of every width 0–32', Array.from({ length: 33 }, (_, w) => (w === 0 ? 0 : 2 ** w - 1))],
])('%s read back', (_name, values) => {
  expect(roundTrip(values as number[]).read).toEqual(values);
});

test('an empty run takes no byte, a run of zeros one', () => {
  expect(roundTrip([]).bytes).toBe(0);
  expect(roundTrip(new Array(PACKED_RUN).fill(0)).bytes).toBe(1);
});

test('a few wide values become exceptions instead of widening the run: 126 values of 3 bits and two of 20 and 32 bits', () => {
  const values = valuesOfWidth(3, PACKED_RUN);
  values[0] = 2 ** 20 - 3;
  values[127] = 2 ** 32 - 1;
  const { read, bytes } = roundTrip(values);
  expect(read).toEqual(values);
  // width byte + 128 × 3 bits + count byte + (index byte + high bits varint) × 2
  expect(bytes).toBe(1 + 48 + 1 + (1 + 3) + (1 + 5));
});

test.each([0, 1, 127, 128, 129, 256, 300])('%i values in consecutive runs of 128 read back, each run with its own width', (count) => {
  const values = Array.from({ length: count }, (_, i) => (i < 128 ? i % 4 : i * 1000));
  expect(roundTrip(values, true).read).toEqual(values);
});

test('a run with a width above 32, running past its list or with an exception out of the run throws an IndexError', () => {
  const out = new Uint32Array(PACKED_RUN);
  expect(() => readPacked(Uint8Array.of(33, 0, 0, 0, 0, 0), 0, 6, 1, out, 0)).toThrow(IndexError);
  expect(() => readPacked(Uint8Array.of(8, 1, 2), 0, 3, 3, out, 0)).toThrow('damaged packed block');
  // width 1 with exceptions: 8 values in one byte, then one exception at index 9
  expect(() => readPacked(Uint8Array.of(0x41, 0xff, 1, 9, 1), 0, 5, 8, out, 0)).toThrow('damaged packed block');
});
