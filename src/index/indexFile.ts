/**
 * A segment's bulk files, its `documents.blocks` and its three `*.postings`, read from the
 * file when a document or a term's list is wanted, instead of held in memory: on news-large
 * the five segments' blocks are 54 MiB and their postings 143 MiB that a server held for the
 * few documents a page of results shows and the few lists a query reads; the operating
 * system's page cache keeps the lists read often (as Lucene's and Tantivy's memory-mapped
 * directories leave them to it). The file stays open (its descriptor pins the file: a later
 * write may remove the generation), and every read is positioned (pread), so threads never
 * share a file offset. The descriptor is shared by the threads of the process: a server's
 * long-query thread given the index data reads through the same one (adoptIndexFiles), and
 * the last thread to let go of it closes it (a reference count in shared memory), so none
 * ever reads a descriptor another closed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { types } from 'node:util';
import { IndexError } from '../errors';

/** What an IndexFile is made of: what crosses to another thread (structured clone keeps these fields, not the class). */
export interface IndexFileHandle {
  readonly fd: number;
  /** The file's size when opened and checked against the manifest: bytes past it are not asked for. */
  readonly length: number;
  /** How many IndexFiles, in all threads, hold `fd` (one Int32 over a SharedArrayBuffer); the one that brings it to 0 closes it. */
  readonly refs: Int32Array;
  /** The file's name in its segment (`documents.blocks`, `bigrams.postings`…): what errors name. */
  readonly name: string;
}

/**
 * Lets go of one reference to a descriptor, closing it with the last: what an IndexFile's
 * `close` does, and what a thread does for another that held an IndexFile and ended without
 * closing it (releaseIndexFiles).
 */
export function release({ fd, refs }: Pick<IndexFileHandle, 'fd' | 'refs'>): void {
  if (Atomics.sub(refs, 0, 1) === 1) fs.closeSync(fd);
}

/** Releases the reference of an IndexFile no longer reachable in its thread. */
const unreachable = new FinalizationRegistry<Pick<IndexFileHandle, 'fd' | 'refs'>>(release);

/** Reads up to this size go to a buffer reused by the next read; a longer one (a very common bigram's whole list) gets one of its own, not kept. */
const SCRATCH_MOST = 1 << 22;

/** Bytes reads are read into, reused: reads are synchronous and their bytes used before the next (grown to the largest read up to SCRATCH_MOST). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * An open file of a segment (see the module comment), read a range at a time. It holds one
 * reference to its descriptor, let go by `close` or when it is no longer reachable.
 */
export class IndexFile implements IndexFileHandle {
  private closed = false;

  private constructor(
    readonly fd: number,
    readonly length: number,
    readonly refs: Int32Array,
    readonly name: string,
  ) {
    unreachable.register(this, { fd, refs }, this);
  }

  /**
   * Lets go of this IndexFile's reference now rather than when it is collected (a thread
   * ending would never let go of it: a long-query thread closes the files of each index it
   * drops). Reading it afterwards is an IndexError; closing it again does nothing.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    unreachable.unregister(this);
    release(this);
  }

  /** An IndexFile over `fd`, a descriptor opened for reading file `name` of `length` bytes; it is closed when the IndexFile is no longer reachable (and no other thread holds it). */
  static over(fd: number, length: number, name: string): IndexFile {
    const refs = new Int32Array(new SharedArrayBuffer(4));
    refs[0] = 1;
    return new IndexFile(fd, length, refs, name);
  }

  /**
   * The IndexFile `handle` describes, in this thread (an IndexFile posted from another
   * thread arrives as its fields): takes a reference to its descriptor. The thread that
   * posted it must hold its own until this returns (a server's heavy lane keeps the request
   * until the reply); a descriptor already closed is an IndexError, never a read of another file.
   */
  static adopt(handle: IndexFileHandle): IndexFile {
    for (;;) {
      const held = Atomics.load(handle.refs, 0);
      if (held <= 0) throw new IndexError(`The index file ${handle.name} was closed before this thread opened it; open the index again.`);
      if (Atomics.compareExchange(handle.refs, 0, held, held + 1) === held) return new IndexFile(handle.fd, handle.length, handle.refs, handle.name);
    }
  }

  /**
   * Bytes `from` to `to` of the file, in a buffer reused by the next read (use them before
   * reading again). A file shorter than when it was opened, or one that cannot be read, is
   * damage (IndexError naming the file).
   */
  read(from: number, to: number): Buffer {
    const size = to - from;
    if (size > SCRATCH_MOST) return this.readInto(Buffer.allocUnsafe(size), from, to);
    if (scratch.length < size) scratch = Buffer.allocUnsafe(size);
    return this.readInto(scratch, from, to);
  }

  /** The whole file, in a buffer of its own (what saving a segment held this way writes). */
  bytes(): Uint8Array {
    return this.readInto(Buffer.allocUnsafe(this.length), 0, this.length);
  }

  /** Reads bytes `from` to `to` into the start of `target` (as long as they are at least) and returns them there; throws as `read` does. */
  private readInto(target: Buffer, from: number, to: number): Buffer {
    if (this.closed) throw new IndexError(`The index file ${this.name} was closed: this index was let go of; open it again.`);
    const size = to - from;
    if (!(from >= 0 && size >= 0 && to <= this.length)) throw new RangeError(`bytes ${from}–${to} are outside ${this.name} (${this.length} bytes)`);
    let done = 0;
    try {
      while (done < size) {
        const got = fs.readSync(this.fd, target, done, size - done, from + done);
        if (got === 0) break;
        done += got;
      }
    } catch (error) {
      throw new IndexError(`The index is damaged: ${this.name} cannot be read (${(error as Error).message})`);
    }
    if (done < size) throw new IndexError(`The index is damaged: ${this.name} is ${fs.fstatSync(this.fd).size} bytes, shorter than the ${this.length} it had when the index was opened`);
    return target.subarray(0, size);
  }
}

/** A file's bytes, held in memory or read from the file on demand. */
export type FileBytes = Uint8Array | IndexFile;

/** Bytes `from` to `to` of `bytes` (an IndexFile's are reused by its next read). */
export function bytesAt(bytes: FileBytes, from: number, to: number): Uint8Array {
  return bytes instanceof IndexFile ? bytes.read(from, to) : bytes.subarray(from, to);
}

/** All of `bytes`, held in memory. */
export function wholeBytes(bytes: FileBytes): Uint8Array {
  return bytes instanceof IndexFile ? bytes.bytes() : bytes;
}

/** Whether `value` is an IndexFile as another thread posted it (its fields, without the class). */
export function isIndexFileHandle(value: unknown): value is IndexFileHandle {
  if (value === null || typeof value !== 'object' || value instanceof IndexFile || ArrayBuffer.isView(value)) return false;
  const handle = value as Partial<IndexFileHandle>;
  return typeof handle.fd === 'number' && typeof handle.length === 'number' && typeof handle.name === 'string' && types.isInt32Array(handle.refs);
}

/**
 * Files of a directory opened for reading, by name, until each is taken as an IndexFile or
 * the rest are closed: readSegmentsAsync opens a generation's documents.blocks and postings
 * before they are hashed, so that the bytes checked are the bytes read later, whatever
 * happens to the directory meanwhile. A file that does not open is left out (the manifest
 * check names it).
 */
export class OpenedFiles {
  private readonly fds = new Map<string, number>();

  constructor(dir: string, names: readonly string[]) {
    for (const name of names) {
      try {
        this.fds.set(name, fs.openSync(path.join(dir, name), 'r'));
      } catch {
        // Missing or unreadable: read (and found missing) with the other files.
      }
    }
  }

  /** The descriptors still open, by name. */
  descriptors(): Record<string, number> {
    return Object.fromEntries(this.fds);
  }

  /** File `name` as an IndexFile of `length` bytes (checked by the caller), or undefined when it did not open; it is then no longer this object's to close. */
  take(name: string, length: number): IndexFile | undefined {
    const fd = this.fds.get(name);
    if (fd === undefined) return undefined;
    this.fds.delete(name);
    return IndexFile.over(fd, length, path.basename(name));
  }

  /** Closes the files not taken (an opening that failed, or segments reused). */
  closeRest(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
