/**
 * Many growing byte streams, one per term, in blocks of BLOCK_BYTES (Lucene's
 * ByteBlockPool): a term's bytes live in a chain of slices that double in size, each
 * ending in a 4-byte pointer to the next, and no slice straddles two blocks. No JS object
 * per term or per posting, so building stays compact; and the pool grows a block at a
 * time, never copying what it holds into a larger buffer (which held the old and the new
 * buffer at once, and left the old one to the garbage collector: up to 2.5 times the pool
 * at a growth). `copyTo` lays a term's stream out contiguously at the end.
 */
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

export class SlicePool {
  private blocks: Uint8Array[] = [new Uint8Array(BLOCK_BYTES)];
  /** Address of the first free byte (block number << BLOCK_BITS | offset). */
  private top = 0;
  private start = new Uint32Array(1024);
  private cursor = new Uint32Array(1024);
  private sliceEnd = new Uint32Array(1024);
  private level = new Uint8Array(1024);
  private written = new Uint32Array(1024);
  private streams = 0;

  /** Number of streams created. */
  get size(): number {
    return this.streams;
  }

  /** Bytes the pool holds in memory (its buffer and tables), whether written yet or not. */
  get bytes(): number {
    return this.blocks.length * BLOCK_BYTES + 17 * this.start.length;
  }

  /** Lets go of the pool's memory once its streams were copied out: the pool must not be used afterwards. */
  release(): void {
    this.blocks = [];
    this.top = 0;
  }

  /** Total bytes in a stream. */
  lengthOf(stream: number): number {
    return this.written[stream];
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
    if (id >= this.start.length) {
      const grow = <T extends Uint32Array | Uint8Array>(a: T): T => {
        const g = new (a.constructor as { new (n: number): T })(a.length * 2);
        g.set(a);
        return g;
      };
      this.start = grow(this.start);
      this.cursor = grow(this.cursor);
      this.sliceEnd = grow(this.sliceEnd);
      this.level = grow(this.level);
      this.written = grow(this.written);
    }
    const at = this.allocate(FIRST_SLICE + POINTER);
    this.start[id] = at;
    this.cursor[id] = at;
    this.sliceEnd[id] = at + FIRST_SLICE;
    this.level[id] = 0;
    this.written[id] = 0;
    return id;
  }

  private writeByte(stream: number, byte: number): void {
    let at = this.cursor[stream];
    if (at === this.sliceEnd[stream]) {
      const level = Math.min(this.level[stream] + 1, MAX_LEVEL);
      const size = sliceSize(level);
      const next = this.allocate(size + POINTER);
      const block = this.blocks[at >>> BLOCK_BITS];
      const i = at & OFFSET_MASK;
      block[i] = next & 0xff;
      block[i + 1] = (next >>> 8) & 0xff;
      block[i + 2] = (next >>> 16) & 0xff;
      block[i + 3] = next >>> 24;
      this.level[stream] = level;
      this.sliceEnd[stream] = next + size;
      at = next;
    }
    this.blocks[at >>> BLOCK_BITS][at & OFFSET_MASK] = byte;
    this.cursor[stream] = at + 1;
    this.written[stream]++;
  }

  /** Appends `bytes[from, to)` to a stream: the same layout as writing them one by one, in chunks per slice. */
  writeBytes(stream: number, bytes: Uint8Array, from: number, to: number): void {
    while (from < to) {
      if (this.cursor[stream] === this.sliceEnd[stream]) {
        // Let writeByte open the next slice, exactly as a byte-by-byte write would.
        this.writeByte(stream, bytes[from++]);
        continue;
      }
      const at = this.cursor[stream];
      const n = Math.min(to - from, this.sliceEnd[stream] - at);
      const block = this.blocks[at >>> BLOCK_BITS];
      const offset = at & OFFSET_MASK;
      if (n > 16) block.set(bytes.subarray(from, from + n), offset);
      else for (let i = 0; i < n; i++) block[offset + i] = bytes[from + i];
      this.cursor[stream] = at + n;
      this.written[stream] += n;
      from += n;
    }
  }

  /** Appends an unsigned integer below 2^32 as a varint to a stream. */
  writeVarint(stream: number, value: number): void {
    let v = value >>> 0;
    const at = this.cursor[stream];
    if (this.sliceEnd[stream] - at >= 5) {
      // Room for the longest varint in this slice: written straight into its block.
      const block = this.blocks[at >>> BLOCK_BITS];
      const start = at & OFFSET_MASK;
      let i = start;
      while (v >= 0x80) {
        block[i++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      block[i++] = v;
      this.cursor[stream] = at + (i - start);
      this.written[stream] += i - start;
      return;
    }
    while (v >= 0x80) {
      this.writeByte(stream, (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.writeByte(stream, v);
  }

  /** Copies a stream's bytes, in order, into `target` at `offset`. */
  copyTo(stream: number, target: Uint8Array, offset: number): void {
    let remaining = this.written[stream];
    let at = this.start[stream];
    let level = 0;
    let end = at + FIRST_SLICE;
    while (remaining > 0) {
      const n = Math.min(remaining, end - at);
      const from = at & OFFSET_MASK;
      target.set(this.blocks[at >>> BLOCK_BITS].subarray(from, from + n), offset);
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
