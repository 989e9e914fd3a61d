import { moveToSharedMemory } from '../../src/index/sharedMemory';

describe('moveToSharedMemory', () => {
  it('moves large arrays into shared memory in place, keeping values, types and views of one buffer together', () => {
    const table = Uint32Array.from({ length: 4096 }, (_, i) => i * 3);
    const root = {
      family: { df: Float64Array.from({ length: 1024 }, (_, i) => i / 2), offsets: table.subarray(0, 2048), tail: table.subarray(2048) },
      parts: [{ keys: new Int32Array(2048).fill(-7) }],
      words: ['a', 'b'],
      small: new Uint8Array([1, 2, 3]),
    };
    const same = root.parts[0];
    moveToSharedMemory(root);
    expect(root.family.df).toBeInstanceOf(Float64Array);
    expect(root.family.df.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(root.family.df[1023]).toBe(511.5);
    expect(root.family.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(root.family.tail.buffer).toBe(root.family.offsets.buffer);
    expect(root.family.tail.byteOffset).toBe(2048 * 4);
    expect([root.family.offsets[2047], root.family.tail[0]]).toEqual([2047 * 3, 2048 * 3]);
    expect(root.parts[0]).toBe(same);
    expect(root.parts[0].keys.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(root.parts[0].keys[2047]).toBe(-7);
    expect(root.words).toEqual(['a', 'b']);
    // Too small to be worth a copy: left as it was.
    expect(root.small.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('leaves arrays already in shared memory as they are', () => {
    const shared = new Uint32Array(new SharedArrayBuffer(8192));
    const root = { shared };
    moveToSharedMemory(root);
    expect(root.shared).toBe(shared);
  });
});
