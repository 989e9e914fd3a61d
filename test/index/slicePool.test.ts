import { SlicePool } from '../../src/index/slicePool';

function read(pool: SlicePool, stream: number): Uint8Array {
  const out = new Uint8Array(pool.lengthOf(stream));
  pool.copyTo(stream, out, 0);
  return out;
}

describe('SlicePool', () => {
  it('writes a varint and a run (writeVarintAndBytes) exactly as writeVarint then writeBytes, across slice boundaries', () => {
    const separate = new SlicePool();
    const combined = new SlicePool();
    for (const pool of [separate, combined]) for (let s = 0; s < 3; s++) pool.newStream();
    for (let i = 0; i < 500; i++) {
      const stream = i % 3;
      const value = [0, 1, 127, 128, 300, 70_000, 2 ** 32 - 1][i % 7];
      const run = Uint8Array.from({ length: [0, 1, 3, 9, 17, 60][i % 6] + 2 }, (_, j) => (i + j) & 0xff);
      separate.writeVarint(stream, value);
      separate.writeBytes(stream, run, 1, run.length - 1);
      combined.writeVarintAndBytes(stream, value, run, 1, run.length - 1);
    }
    for (let s = 0; s < 3; s++) {
      expect(combined.lengthOf(s)).toBe(separate.lengthOf(s));
      expect(Buffer.from(read(combined, s)).equals(Buffer.from(read(separate, s)))).toBe(true);
    }
  });

  it('keeps each stream\'s owner fields apart (0 until set)', () => {
    const pool = new SlicePool();
    for (let s = 0; s < 3000; s++) pool.newStream();
    expect(pool.ownerField(2999, 2)).toBe(0);
    for (let s = 0; s < 3000; s++) for (let f = 0; f < 3; f++) pool.setOwnerField(s, f, s * 3 + f);
    pool.writeVarintAndBytes(5, 300, Uint8Array.of(1, 2, 3), 0, 3);
    expect([pool.ownerField(0, 0), pool.ownerField(5, 1), pool.ownerField(2999, 2)]).toEqual([0, 16, 8999]);
    expect(Array.from(read(pool, 5))).toEqual([0xac, 0x02, 1, 2, 3]);
  });

  it('appends runs of bytes (writeBytes) exactly as byte-by-byte writes, across slice boundaries', () => {
    const bytewise = new SlicePool();
    const chunked = new SlicePool();
    const runs: Array<[number, Uint8Array]> = [];
    for (let i = 0; i < 400; i++) {
      const length = [1, 2, 3, 17, 40, 700][i % 6];
      runs.push([i % 3, Uint8Array.from({ length }, (_, j) => (i * 31 + j) & 0x7f)]);
    }
    for (const pool of [bytewise, chunked]) for (let s = 0; s < 3; s++) pool.newStream();
    for (const [stream, run] of runs) {
      for (const byte of run) bytewise.writeVarint(stream, byte);
      // A run with a byte on each side, as addPrepared passes a payload inside a batch.
      const padded = Uint8Array.of(0xff, ...run, 0xff);
      chunked.writeBytes(stream, padded, 1, padded.length - 1);
    }
    for (let s = 0; s < 3; s++) {
      expect(chunked.lengthOf(s)).toBe(bytewise.lengthOf(s));
      expect(Buffer.from(read(chunked, s)).equals(Buffer.from(read(bytewise, s)))).toBe(true);
    }
  });

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

  it('warm reads the byte at each cursor and changes nothing', () => {
    const pool = new SlicePool();
    const a = pool.newStream();
    const b = pool.newStream();
    for (let i = 0; i < 20; i++) pool.writeVarintAndBytes(a, 300 + i, Uint8Array.of(1, 2, 3), 0, 3);
    pool.writeVarint(b, 9);
    const before = [read(pool, a), read(pool, b)];
    // Cursors point at unwritten bytes: zero.
    expect(pool.warm(Int32Array.of(a, b, a), 3)).toBe(0);
    expect([read(pool, a), read(pool, b)]).toEqual(before);
    expect(before[0].length).toBe(20 * 5);
    expect([...before[1]]).toEqual([9]);
  });
});
