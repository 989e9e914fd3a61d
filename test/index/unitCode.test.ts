/** The stored documents' unit code (unitCode.ts): texts round-trip through it at every width of its codes; a table ranks units by frequency; damage is an IndexError. */
import { IndexError } from '../../src/errors';
import { MAX_UNITS, UnitCode } from '../../src/index/unitCode';

const utf16 = (text: string): Uint8Array => Buffer.from(text, 'utf16le');
const back = (code: UnitCode, text: string): string => code.decode(code.encode(utf16(text)));

/** A table of every unit from U+4E00 on, `size` of them: rank r is U+4E00 + r. */
const table = (size: number): UnitCode => new UnitCode(Uint16Array.from({ length: size }, (_, r) => 0x4e00 + r));
const rank = (r: number): string => String.fromCharCode(0x4e00 + r);

describe('texts decode to what was encoded', () => {
  const full = table(MAX_UNITS);
  const cases: Array<[string, UnitCode, string, number]> = [
    // name, table, text, bytes of its code
    ['empty', full, '', 0],
    ['rank 0 (one byte)', full, rank(0), 1],
    ['rank 127, the last of one byte', full, rank(127), 1],
    ['rank 128, the first of two bytes', full, rank(128), 2],
    ['the last rank of two bytes', full, rank(MAX_UNITS - 1), 2],
    ['a unit not in the table (three bytes)', full, 'a', 3],
    ['the escape byte and the units 0 and U+FFFF escaped', table(10), '\u0000\uffff\u00ff', 9],
    ['a surrogate pair and a lone surrogate, escaped', table(10), '𠮷\ud800', 9],
    ['a mix of every width', table(300), rank(5) + rank(200) + 'x' + rank(299) + rank(0), 1 + 2 + 3 + 2 + 1],
    ['an empty table escapes everything', new UnitCode(new Uint16Array(0)), '新闻', 6],
  ];
  test.each(cases)('%s', (_, code, text, bytes) => {
    expect(code.encode(utf16(text)).length).toBe(bytes);
    expect(back(code, text)).toBe(text);
  });

  test('a long random text over a table of 1,000 units and units outside it', () => {
    const code = table(1000);
    let state = 7;
    let text = '';
    for (let i = 0; i < 20_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      text += String.fromCharCode(state % 5 === 0 ? state >>> 16 : 0x4e00 + (state % 1100));
    }
    expect(back(code, text)).toBe(text);
  });
});

test('a table ranks the units of its texts most frequent first, ties by the lower unit', () => {
  expect(String.fromCharCode(...UnitCode.of([utf16('乙甲乙'), utf16('丙乙甲"')]).units)).toBe('乙甲"丙');
});

test('a table of more units than the codes can rank is refused', () => {
  expect(() => new UnitCode(new Uint16Array(MAX_UNITS + 1))).toThrow(`a unit code takes at most ${MAX_UNITS} units`);
});

test.each([
  ['a one-byte rank past the table', [5]],
  ['a two-byte rank past the table', [0x80, 0]],
  ['a two-byte code cut short', [0x80]],
  ['an escape cut short', [0xff, 0x41]],
])('%s is damage', (_, bytes) => {
  expect(() => table(3).decode(Buffer.from(bytes))).toThrow(IndexError);
});

describe('decoding into reused memory', () => {
  const code = table(300);
  const text = (n: number): string => Array.from({ length: n }, (_, i) => rank((i * 7) % 300) + (i % 50 === 0 ? 'x' : '')).join('');
  test('gives each text, shorter and longer than the memory it reuses, one after the other', () => {
    for (const n of [0, 1, 10, 5000, 3, 20000, 7]) {
      const coded = code.encode(utf16(text(n)));
      expect(code.decode(coded)).toBe(text(n));
    }
  });
  test('an earlier string stays as it was after a later decode', () => {
    const long = code.decode(code.encode(utf16(text(100))));
    code.decode(code.encode(utf16(rank(1).repeat(100))));
    expect(long).toBe(text(100));
  });
  test('damage after a long text is still an IndexError', () => {
    code.decode(code.encode(utf16(text(5000))));
    expect(() => table(3).decode(Buffer.from([5]))).toThrow(IndexError);
  });
});
