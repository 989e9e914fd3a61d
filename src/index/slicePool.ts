/**
 * Many growing byte streams, one per term, in blocks of BLOCK_BYTES (Lucene's
 * ByteBlockPool): a term's bytes live in a chain of slices that double in size, each
 * ending in a 4-byte pointer to the next, and no slice straddles two blocks. No JS object
 * per term or per posting, so building stays compact; and the pool grows a block at a
 * time, never copying what it holds into a larger buffer (which held the old and the new
 * buffer at once, and left the old one to the garbage collector: up to 2.5 times the pool
 * at a growth). `copyTo` lays a term's stream out contiguously at the end.
 */
import { withRoom } from './growableU32';
const FIRST_SLICE = 8;
/** Slices stop doubling at this level (8 << 10 = 8 KiB); a long stream is a chain of 8 KiB slices. */
const MAX_LEVEL = 10;
const POINTER = 4;
/** Bits of an address (block number, then offset) that are the offset within its block: blocks of 1 MiB; addresses stay below 4 GiB (32-bit pointers). */
const BLOCK_BITS = 20;
const BLOCK_BYTES = 1 << BLOCK_BITS;
const OFFSET_MASK = BLOCK_BYTES - 1;

function sliceSize(level: number): number {
  return FIRST_SLICE << level;
}

/** 32-bit fields of a stream's state (STATE_INTS per stream, 32 bytes: two streams a cache line). */
const CURSOR = 0;
const SLICE_END = 1;
const WRITTEN = 2;
const LEVEL = 3;
const START = 4;
/** Fields of a stream's state its owner may use as it likes (ownerField), e.g. the term and the last document of a postings stream. */
export const OWNER_FIELDS = 3;
const OWNER = 5;
const STATE_INTS = 8;

export class SlicePool {
  private blocks: Uint8Array[] = [new Uint8Array(BLOCK_BYTES)];
  /** Address of the first free byte (block number << BLOCK_BITS | offset). */
  private top = 0;
  /** Per stream, STATE_INTS fields side by side: cursor, end of its slice, bytes written, level, start, then OWNER_FIELDS for the owner. */
  private state = new Uint32Array(1024 * STATE_INTS);
  private streams = 0;

  /** Number of streams created. */
  get size(): number {
    return this.streams;
  }

  /** Bytes the pool holds in memory (its buffer and tables), whether written yet or not. */
  get bytes(): number {
    return this.blocks.length * BLOCK_BYTES + this.state.byteLength;
  }

  /** Lets go of the pool's memory once its streams were copied out: the pool must not be used afterwards. */
  release(): void {
    this.blocks = [];
    this.top = 0;
  }

  /** Total bytes in a stream. */
  lengthOf(stream: number): number {
    return this.state[stream * STATE_INTS + WRITTEN];
  }

  /** Owner field `field` (0 to OWNER_FIELDS - 1) of a stream: 0 until set. */
  ownerField(stream: number, field: number): number {
    return this.state[stream * STATE_INTS + OWNER + field];
  }

  /** Sets owner field `field` of a stream to `value` (an unsigned 32-bit integer). */
  setOwnerField(stream: number, field: number, value: number): void {
    this.state[stream * STATE_INTS + OWNER + field] = value;
  }

  /** The address of `bytes` (at most a slice and its pointer) free in one block, opening a new block when the current one has too few left. */
  private allocate(bytes: number): number {
    const end = this.blocks.length * BLOCK_BYTES;
    if (this.top + bytes > end) {
      this.top = end;
      this.blocks.push(new Uint8Array(BLOCK_BYTES));
    }
    const at = this.top;
    this.top += bytes;
    return at;
  }

  /** Reads the 4-byte little-endian pointer at address `at`. */
  private pointerAt(at: number): number {
    const block = this.blocks[at >>> BLOCK_BITS];
    const i = at & OFFSET_MASK;
    return (block[i] | (block[i + 1] << 8) | (block[i + 2] << 16) | (block[i + 3] << 24)) >>> 0;
  }

  /** Creates an empty stream and returns its number (0, 1, 2, …). */
  newStream(): number {
    const id = this.streams++;
    const s = id * STATE_INTS;
    this.state = withRoom(this.state, s + STATE_INTS, s);
    const at = this.allocate(FIRST_SLICE + POINTER);
    const { state } = this;
    state[s + START] = at;
    state[s + CURSOR] = at;
    state[s + SLICE_END] = at + FIRST_SLICE;
    return id;
  }

  /** Opens the stream's next slice (its cursor is at the end of the current one), links it, and returns its address. */
  private nextSlice(s: number): number {
    const { state } = this;
    const at = state[s + CURSOR];
    const level = Math.min(state[s + LEVEL] + 1, MAX_LEVEL);
    const size = sliceSize(level);
    const next = this.allocate(size + POINTER);
    const block = this.blocks[at >>> BLOCK_BITS];
    const i = at & OFFSET_MASK;
    block[i] = next & 0xff;
    block[i + 1] = (next >>> 8) & 0xff;
    block[i + 2] = (next >>> 16) & 0xff;
    block[i + 3] = next >>> 24;
    state[s + LEVEL] = level;
    state[s + SLICE_END] = next + size;
    state[s + CURSOR] = next;
    return next;
  }

  private writeByte(s: number, byte: number): void {
    const { state } = this;
    let at = state[s + CURSOR];
    if (at === state[s + SLICE_END]) at = this.nextSlice(s);
    this.blocks[at >>> BLOCK_BITS][at & OFFSET_MASK] = byte;
    state[s + CURSOR] = at + 1;
    state[s + WRITTEN]++;
  }

  /** Appends `bytes[from, to)` to a stream: the same layout as writing them one by one, in chunks per slice. */
  writeBytes(stream: number, bytes: Uint8Array, from: number, to: number): void {
    this.writeRun(stream * STATE_INTS, bytes, from, to);
  }

  private writeRun(s: number, bytes: Uint8Array, from: number, to: number): void {
    const { state } = this;
    while (from < to) {
      let at = state[s + CURSOR];
      if (at === state[s + SLICE_END]) at = this.nextSlice(s);
      const n = Math.min(to - from, state[s + SLICE_END] - at);
      const block = this.blocks[at >>> BLOCK_BITS];
      const offset = at & OFFSET_MASK;
      if (n > 16) block.set(bytes.subarray(from, from + n), offset);
      else for (let i = 0; i < n; i++) block[offset + i] = bytes[from + i];
      state[s + CURSOR] = at + n;
      state[s + WRITTEN] += n;
      from += n;
    }
  }

  /** Appends an unsigned integer below 2^32 as a varint to a stream. */
  writeVarint(stream: number, value: number): void {
    this.writeVarintAt(stream * STATE_INTS, value);
  }

  private writeVarintAt(s: number, value: number): void {
    let v = value >>> 0;
    const { state } = this;
    const at = state[s + CURSOR];
    if (state[s + SLICE_END] - at >= 5) {
      // Room for the longest varint in this slice: written straight into its block.
      const block = this.blocks[at >>> BLOCK_BITS];
      const start = at & OFFSET_MASK;
      let i = start;
      while (v >= 0x80) {
        block[i++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      block[i++] = v;
      state[s + CURSOR] = at + (i - start);
      state[s + WRITTEN] += i - start;
      return;
    }
    while (v >= 0x80) {
      this.writeByte(s, (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.writeByte(s, v);
  }

  /**
   * Appends a varint of `value` then `bytes[from, to)` to a stream: the same bytes and
   * layout as writeVarint then writeBytes, written straight into the slice when both fit
   * in what is left of it (a postings entry: document gap, then payload).
   */
  writeVarintAndBytes(stream: number, value: number, bytes: Uint8Array, from: number, to: number): void {
    const s = stream * STATE_INTS;
    const { state } = this;
    const at = state[s + CURSOR];
    if (state[s + SLICE_END] - at < 5 + (to - from)) {
      this.writeVarintAt(s, value);
      this.writeRun(s, bytes, from, to);
      return;
    }
    const block = this.blocks[at >>> BLOCK_BITS];
    const start = at & OFFSET_MASK;
    let i = start;
    let v = value >>> 0;
    while (v >= 0x80) {
      block[i++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    block[i++] = v;
    const n = to - from;
    if (n > 16) block.set(bytes.subarray(from, to), i);
    else for (let k = 0; k < n; k++) block[i + k] = bytes[from + k];
    i += n;
    state[s + CURSOR] = at + (i - start);
    state[s + WRITTEN] += i - start;
  }

  /**
   * Reads the state of each stream in `streams[0, count)` and the byte at its cursor, and
   * returns a sum of what was read (to be kept by the caller, so that the reads are not
   * optimized away): what appending to those streams next will touch is then in the CPU's
   * caches, read by independent loads that overlap instead of one cache miss at a time.
   */
  warm(streams: Int32Array, count: number): number {
    const { state, blocks } = this;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const at = state[streams[i] * STATE_INTS + CURSOR];
      sum += blocks[at >>> BLOCK_BITS][at & OFFSET_MASK];
    }
    return sum;
  }

  /** Copies a stream's bytes, in order, into `target` at `offset`. */
  copyTo(stream: number, target: Uint8Array, offset: number): void {
    let remaining = this.lengthOf(stream);
    let at = this.state[stream * STATE_INTS + START];
    let level = 0;
    let end = at + FIRST_SLICE;
    while (remaining > 0) {
      const n = Math.min(remaining, end - at);
      const from = at & OFFSET_MASK;
      const block = this.blocks[at >>> BLOCK_BITS];
      // Most streams are a slice or two of a few bytes: copied by hand, without a view object per slice to collect.
      if (n > 64) target.set(block.subarray(from, from + n), offset);
      else for (let k = 0; k < n; k++) target[offset + k] = block[from + k];
      offset += n;
      remaining -= n;
      if (remaining > 0) {
        at = this.pointerAt(end);
        level = Math.min(level + 1, MAX_LEVEL);
        end = at + sliceSize(level);
      }
    }
  }
}
