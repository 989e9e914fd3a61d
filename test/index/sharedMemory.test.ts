import { moveToSharedMemory, sharedPrefix, sharedUint32Array } from '../../src/index/sharedMemory';
import { decodeTermTable, encodeTermTable } from '../../src/index/termTable';

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

describe('tables allocated in shared memory from the start', () => {
  it('sharedUint32Array and sharedPrefix give zeroed and copied arrays over SharedArrayBuffers', () => {
    const zeros = sharedUint32Array(3);
    expect(zeros.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...zeros]).toEqual([0, 0, 0]);
    const prefix = sharedPrefix(new Uint32Array([5, 6, 7, 8]), 2);
    expect(prefix.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(prefix.buffer.byteLength).toBe(8);
    expect([...prefix]).toEqual([5, 6]);
  });

  it('a decoded term table is in shared memory, with the numbers it was encoded from', () => {
    const table = decodeTermTable(encodeTermTable({ keys: new Uint32Array([3, 9]), df: new Uint32Array([1, 2]), offsets: new Uint32Array([0, 4, 10]) }), true, 'x.table');
    for (const array of [table.keys!, table.df, table.offsets]) expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...table.keys!]).toEqual([3, 9]);
    expect([...table.df]).toEqual([1, 2]);
    expect([...table.offsets]).toEqual([0, 4, 10]);
  });
});
