import { Uint32Map } from '../../src/index/uint32Map';

describe('Uint32Map', () => {
  it('interns keys as 0, 1, 2, … in order of first intern, and gives the same value again', () => {
    const map = new Uint32Map();
    expect([0x4e2d56fd, 7, 0x4e2d56fd, 0xffffffff, 0, 7].map((key) => map.intern(key))).toEqual([0, 1, 0, 2, 3, 1]);
    expect(map.size).toBe(4);
    expect(map.get(0xffffffff)).toBe(2);
    expect(map.get(0)).toBe(3);
    expect(map.get(8)).toBe(-1);
  });

  it('keeps every value as the table grows past its first slots many times', () => {
    const map = new Uint32Map(16);
    const keys = Array.from({ length: 5000 }, (_, i) => (i * 40503 + 0x4e00) >>> 0);
    expect(keys.map((key) => map.intern(key))).toEqual(keys.map((_, i) => i));
    expect(map.size).toBe(keys.length);
    expect(keys.map((key) => map.get(key))).toEqual(keys.map((_, i) => i));
    expect(keys.map((key) => map.intern(key))).toEqual(keys.map((_, i) => i));
    const seen: [number, number][] = [];
    map.forEach((key, value) => seen.push([key, value]));
    expect(seen.sort((a, b) => a[1] - b[1])).toEqual(keys.map((key, i) => [key, i]));
  });
});
