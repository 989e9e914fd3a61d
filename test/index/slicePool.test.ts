import { SlicePool } from '../../src/index/slicePool';

function read(pool: SlicePool, stream: number): Uint8Array {
  const out = new Uint8Array(pool.lengthOf(stream));
  pool.copyTo(stream, out, 0);
  return out;
}

describe('SlicePool', () => {
  it('keeps interleaved streams apart and in order', () => {
    const pool = new SlicePool();
    const a = pool.newStream();
    const b = pool.newStream();
    for (let i = 0; i < 300; i++) {
      pool.writeVarint(a, i);
      pool.writeVarint(b, 1000 + i);
    }
    const bytesA = read(pool, a);
    expect(bytesA.length).toBe(128 + 2 * 172);
    expect(bytesA[0]).toBe(0);
    expect(bytesA[127]).toBe(127);
    expect([...read(pool, b).subarray(0, 2)]).toEqual([0xe8, 0x07]);
  });

  // A stream longer than the doubling sequence (8 B … 8 KiB) once made the slice size
  // overflow a 32-bit shift after 28 slices and corrupted the pool (news-large's common bigrams).
  it('holds a stream of several megabytes, byte for byte', () => {
    const pool = new SlicePool();
    const other = pool.newStream();
    const long = pool.newStream();
    const n = 3_000_000;
    for (let i = 0; i < n; i++) {
      pool.writeVarint(long, i % 128);
      if (i % 1000 === 0) pool.writeVarint(other, 7);
    }
    const bytes = read(pool, long);
    expect(bytes.length).toBe(n);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (bytes[i] !== i % 128) wrong++;
    expect(wrong).toBe(0);
    expect([...read(pool, other)]).toEqual(new Array(3000).fill(7));
  });
});
