/**
 * Many growing byte streams, one per term, in one shared buffer (the idea of Lucene's
 * ByteBlockPool): a term's bytes live in a chain of slices that double in size, each
 * ending in a 4-byte pointer to the next. No JS object per term or per posting, so
 * building stays compact; `copyTo` lays a term's stream out contiguously at the end.
 */
const FIRST_SLICE = 8;
/** Slices stop doubling at this level (8 << 10 = 8 KiB); a long stream is a chain of 8 KiB slices. */
const MAX_LEVEL = 10;
const POINTER = 4;
/** Past this size the buffer grows by this much rather than doubling, so a large pool does not overshoot a build's memory budget by half its size. */
const GROWTH_STEP = 64 << 20;

function sliceSize(level: number): number {
  return FIRST_SLICE << level;
}

export class SlicePool {
  private buf = new Uint8Array(1 << 20);
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
    return this.buf.byteLength + 17 * this.start.length;
  }

  /** Lets go of the pool's memory once its streams were copied out: the pool must not be used afterwards. */
  release(): void {
    this.buf = new Uint8Array(0);
    this.top = 0;
  }

  /** Total bytes in a stream. */
  lengthOf(stream: number): number {
    return this.written[stream];
  }

  private allocate(bytes: number): number {
    while (this.top + bytes > this.buf.length) {
      const grown = new Uint8Array(this.buf.length + Math.min(this.buf.length, GROWTH_STEP));
      grown.set(this.buf.subarray(0, this.top));
      this.buf = grown;
    }
    const at = this.top;
    this.top += bytes;
    return at;
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
      new DataView(this.buf.buffer).setUint32(at, next, true);
      this.level[stream] = level;
      this.sliceEnd[stream] = next + size;
      at = next;
    }
    this.buf[at] = byte;
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
      if (n > 16) this.buf.set(bytes.subarray(from, from + n), at);
      else for (let i = 0; i < n; i++) this.buf[at + i] = bytes[from + i];
      this.cursor[stream] = at + n;
      this.written[stream] += n;
      from += n;
    }
  }

  /** Appends an unsigned integer below 2^32 as a varint to a stream. */
  writeVarint(stream: number, value: number): void {
    let v = value >>> 0;
    while (v >= 0x80) {
      this.writeByte(stream, (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.writeByte(stream, v);
  }

  /** Copies a stream's bytes, in order, into `target` at `offset`. */
  copyTo(stream: number, target: Uint8Array, offset: number): void {
    const view = new DataView(this.buf.buffer);
    let remaining = this.written[stream];
    let at = this.start[stream];
    let level = 0;
    let end = at + FIRST_SLICE;
    while (remaining > 0) {
      const n = Math.min(remaining, end - at);
      target.set(this.buf.subarray(at, at + n), offset);
      offset += n;
      remaining -= n;
      if (remaining > 0) {
        at = view.getUint32(end, true);
        level = Math.min(level + 1, MAX_LEVEL);
        end = at + sliceSize(level);
      }
    }
  }
}
