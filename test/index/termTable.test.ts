/** A family's term table (keys, document frequencies, postings offsets) is stored as gaps and lengths and read back unchanged. */
import { IndexError } from '../../src/errors';
import { decodeTermTable, encodeTermTable } from '../../src/index/termTable';

const cases: Array<[string, { keys?: number[]; df: number[]; offsets: number[] }]> = [
  ['no terms', { keys: [], df: [], offsets: [0] }],
  ['one bigram', { keys: [0x4e2d_56fd], df: [1], offsets: [0, 4] }],
  ['keys from 0 to the largest u32, large df and offsets', { keys: [0, 1, 0x7fff_ffff, 0xffff_ffff], df: [1, 2 ** 21 - 1, 3, 1], offsets: [0, 3, 2 ** 31, 2 ** 31 + 7, 0xffff_fff0] }],
  ['words: no keys, an empty postings list', { df: [5, 1, 1], offsets: [0, 10, 10, 13] }],
];

test.each(cases)('%s round-trips', (_, table) => {
  const keys = table.keys ? Uint32Array.from(table.keys) : undefined;
  const bytes = encodeTermTable({ keys, df: Uint32Array.from(table.df), offsets: Uint32Array.from(table.offsets) });
  const decoded = decodeTermTable(bytes, keys !== undefined, 'x.table');
  expect(decoded.keys && Array.from(decoded.keys)).toEqual(table.keys);
  expect(Array.from(decoded.df)).toEqual(table.df);
  expect(Array.from(decoded.offsets)).toEqual(table.offsets);
});

test('bytes left over, a repeated key or a truncated table are refused, naming the file', () => {
  const bytes = encodeTermTable({ keys: Uint32Array.of(3, 9), df: Uint32Array.of(1, 1), offsets: Uint32Array.of(0, 2, 4) });
  expect(() => decodeTermTable(Uint8Array.of(...bytes, 0), true, 'bigrams.table')).toThrow(/bigrams.table is not a term table of 2 terms/);
  expect(() => decodeTermTable(Uint8Array.of(2, 3, 1, 2, 0, 1, 2), true, 'bigrams.table')).toThrow(/bigrams.table holds a key twice/);
  expect(() => decodeTermTable(bytes.subarray(0, bytes.length - 1), true, 'bigrams.table')).toThrow(IndexError);
});
