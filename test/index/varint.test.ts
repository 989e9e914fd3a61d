/** Varints read back what was written, up to 2^32 − 1, and a damaged one throws instead of reading on. */
import { IndexError } from '../../src/errors';
import { ByteReader, ByteWriter } from '../../src/index/varint';

test('values at every byte-length boundary read back', () => {
  const values = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1];
  const writer = new ByteWriter(4);
  for (const v of values) writer.writeVarint(v);
  const reader = new ByteReader(writer.bytes());
  expect(values.map(() => reader.readVarint())).toEqual(values);
  expect(reader.done).toBe(true);
});

test('a varint cut short or longer than 32 bits throws an IndexError', () => {
  expect(() => new ByteReader(Uint8Array.of(0x80)).readVarint()).toThrow(IndexError);
  expect(() => new ByteReader(Uint8Array.of(0x80, 0x80)).readVarint()).toThrow('damaged varint in postings');
  expect(() => new ByteReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff)).readVarint()).toThrow('damaged varint in postings');
  expect(() => new ByteReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x10)).readVarint()).toThrow('damaged varint in postings');
  expect(() => new ByteReader(Uint8Array.of(0x81, 0x01), 0, 1).readVarint()).toThrow('damaged varint in postings');
});
