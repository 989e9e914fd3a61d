/**
 * The set operations on ascending document numbers give the documents they name, each result
 * an array of its own at its exact size: a later call writing into the same scratch leaves
 * earlier results alone, and results larger than the scratch held still come out whole.
 */
import { intersect, seek, subtract, union } from '../../src/search/docSets';
import { docsAmong } from '../../src/index/sortedDocs';

const u32 = (...values: number[]): Uint32Array => Uint32Array.from(values);
const list = (array: Uint32Array): number[] => Array.from(array);

test('intersect, union and subtract of overlapping, disjoint and empty sets', () => {
  const a = u32(1, 3, 5, 7, 9);
  const b = u32(3, 4, 5, 10);
  expect(list(intersect(a, b))).toEqual([3, 5]);
  expect(list(union(a, b))).toEqual([1, 3, 4, 5, 7, 9, 10]);
  expect(list(subtract(a, b))).toEqual([1, 7, 9]);
  expect(list(subtract(b, a))).toEqual([4, 10]);
  expect(list(intersect(u32(1, 2), u32(3, 4)))).toEqual([]);
  expect(list(union(u32(), u32(2, 8)))).toEqual([2, 8]);
  expect(list(union(u32(2, 8), u32()))).toEqual([2, 8]);
  expect(list(subtract(u32(2, 8), u32()))).toEqual([2, 8]);
  expect(list(subtract(u32(), u32(2, 8)))).toEqual([]);
  expect(list(intersect(u32(0, 4294967295), u32(4294967295)))).toEqual([4294967295]);
});

test('each result is sized exactly and owns its memory', () => {
  const result = union(u32(1, 2), u32(2, 3));
  expect(result.length).toBe(3);
  expect(result.byteOffset).toBe(0);
  expect(result.buffer.byteLength).toBe(3 * 4);
});

test('with one side empty, the result is a copy of the other, not the array passed', () => {
  const a = u32(2, 8);
  for (const result of [union(a, u32()), union(u32(), a), subtract(a, u32())]) {
    expect(result).not.toBe(a);
    expect(list(result)).toEqual([2, 8]);
  }
  const copy = union(a, u32());
  a[0] = 5;
  expect(list(copy)).toEqual([2, 8]);
});

test('a later call leaves earlier results alone (they are not views of the reused scratch)', () => {
  const first = intersect(u32(1, 2, 3), u32(2, 3, 4));
  const second = union(u32(10, 20), u32(15, 25));
  const third = subtract(u32(100, 200, 300), u32(200));
  expect(list(first)).toEqual([2, 3]);
  expect(list(second)).toEqual([10, 15, 20, 25]);
  expect(list(third)).toEqual([100, 300]);
  first[0] = 99;
  expect(list(union(u32(2), u32(3)))).toEqual([2, 3]);
  expect(list(second)).toEqual([10, 15, 20, 25]);
});

test('a result feeding the next call comes out right, and sets larger than the scratch held grow it', () => {
  const evens = Uint32Array.from({ length: 5000 }, (_, i) => 2 * i);
  const odds = Uint32Array.from({ length: 5000 }, (_, i) => 2 * i + 1);
  const all = union(evens, odds);
  expect(all.length).toBe(10000);
  expect(all[0]).toBe(0);
  expect(all[9999]).toBe(9999);
  expect(list(subtract(all, odds))).toEqual(list(evens));
  const again = union(all, u32(10000));
  expect(again.length).toBe(10001);
  expect(all.length).toBe(10000);
  expect(list(intersect(again, u32(5, 10000, 20000)))).toEqual([5, 10000]);
});

test('seek finds the first index at or after `from` whose value is at least the target', () => {
  const array = u32(2, 4, 4, 8, 16, 32);
  expect(seek(array, 4, 0)).toBe(1);
  expect(seek(array, 5, 0)).toBe(3);
  expect(seek(array, 1, 3)).toBe(3);
  expect(seek(array, 33, 0)).toBe(6);
  expect(seek(array, 16, 0, 4)).toBe(4);
});

test('on random sets, dense and sparse, each operation and docsAmong give what a scan of both sets gives', () => {
  // A seeded generator (mulberry32), so that a failure repeats.
  let state = 0x5eed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const sample = (size: number, share: number): Uint32Array => Uint32Array.from({ length: size }, (_, d) => d).filter(() => random() < share);
  for (const [shareA, shareB] of [[0.9, 0.85], [0.5, 0.5], [0.01, 0.9], [0.9, 0.01], [0.001, 0.3], [0, 0.5], [1, 1]]) {
    for (let round = 0; round < 5; round++) {
      const a = sample(3000, shareA);
      const b = sample(3000, shareB);
      const inB = new Set(b);
      const inA = new Set(a);
      expect(list(intersect(a, b))).toEqual(list(a).filter((d) => inB.has(d)));
      expect(list(docsAmong(a, b))).toEqual(list(a).filter((d) => inB.has(d)));
      expect(list(subtract(a, b))).toEqual(list(a).filter((d) => !inB.has(d)));
      expect(list(union(a, b))).toEqual([...new Set([...a, ...b])].sort((x, y) => x - y));
      expect(list(subtract(b, a))).toEqual(list(b).filter((d) => !inA.has(d)));
    }
  }
  expect(list(docsAmong(u32(0, 4294967295), u32(4294967295)))).toEqual([4294967295]);
  expect(list(union(u32(4294967294), u32(4294967295)))).toEqual([4294967294, 4294967295]);
});
