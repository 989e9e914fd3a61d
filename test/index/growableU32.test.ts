/** The shared growth of reused Uint32Array scratch (withRoom) and the list built on it (GrowableU32). */
import { GrowableU32, withRoom } from '../../src/index/growableU32';

describe('withRoom', () => {
  it('returns the array itself while it has room', () => {
    const array = Uint32Array.of(1, 2, 3, 4);
    expect(withRoom(array, 4, 2)).toBe(array);
    expect(withRoom(array, 0)).toBe(array);
  });

  it('doubles at least, keeping only the first `keep` values', () => {
    const array = Uint32Array.of(7, 8, 9, 10);
    const kept = withRoom(array, 5, 3);
    expect(kept).not.toBe(array);
    expect(Array.from(kept)).toEqual([7, 8, 9, 0, 0, 0, 0, 0]);
    expect(Array.from(withRoom(array, 5))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(withRoom(array, 20, 4).length).toBe(20);
    expect(Array.from(withRoom(array, 20, 4).subarray(0, 5))).toEqual([7, 8, 9, 10, 0]);
  });
});

describe('GrowableU32', () => {
  it('keeps every value pushed past its first 1,024 and copies them out', () => {
    const list = new GrowableU32();
    for (let i = 0; i < 3000; i++) list.push(i * 3);
    expect(list.length).toBe(3000);
    expect(list.data.length).toBe(4096);
    const values = list.toArray();
    expect(values.length).toBe(3000);
    expect([values[0], values[1023], values[1024], values[2999]]).toEqual([0, 3069, 3072, 8997]);
    list.clear();
    list.push(5);
    expect(Array.from(list.toArray())).toEqual([5]);
  });
});
