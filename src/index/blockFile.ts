/**
 * A segment's `documents.blocks` read from its file when a document is wanted, instead of
 * held in memory: on news-large the five segments' blocks are 54 MiB that a server held
 * for the few documents a page of results shows (README "Reliability and load", serving memory). The file stays
 * open (its descriptor pins the file: a later write may remove the generation), and every
 * read is positioned (pread), so threads never share a file offset. The descriptor is
 * shared by the threads of the process: a server's long-query thread given the index data
 * reads through the same one (adoptBlockFiles), and the last thread to let go of it closes
 * it (a reference count in shared memory), so none ever reads a descriptor another closed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { types } from 'node:util';
import { IndexError } from '../errors';

/** What a BlockFile is made of: what crosses to another thread (structured clone keeps these fields, not the class). */
export interface BlockFileHandle {
  readonly fd: number;
  /** The file's size when opened and checked against the manifest: a block past it is not asked for. */
  readonly length: number;
  /** How many BlockFiles, in all threads, hold `fd` (one Int32 over a SharedArrayBuffer); the one that brings it to 0 closes it. */
  readonly refs: Int32Array;
}

/**
 * Lets go of one reference to a descriptor, closing it with the last: what a BlockFile's
 * `close` does, and what a thread does for another that held a BlockFile and ended without
 * closing it (releaseBlockFiles).
 */
export function release({ fd, refs }: Pick<BlockFileHandle, 'fd' | 'refs'>): void {
  if (Atomics.sub(refs, 0, 1) === 1) fs.closeSync(fd);
}

/** Releases the reference of a BlockFile no longer reachable in its thread. */
const unreachable = new FinalizationRegistry<Pick<BlockFileHandle, 'fd' | 'refs'>>(release);

/** Bytes read blocks are read into (blocks are a few KB: grown to the largest read), reused: reads are synchronous and their bytes used before the next. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * An open documents.blocks file (see the module comment), read a block at a time. It holds
 * one reference to its descriptor, let go by `close` or when it is no longer reachable.
 */
export class BlockFile implements BlockFileHandle {
  private closed = false;

  private constructor(
    readonly fd: number,
    readonly length: number,
    readonly refs: Int32Array,
  ) {
    unreachable.register(this, { fd, refs }, this);
  }

  /**
   * Lets go of this BlockFile's reference now rather than when it is collected (a thread
   * ending would never let go of it: a long-query thread closes the files of each index it
   * drops). Reading it afterwards is an IndexError; closing it again does nothing.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    unreachable.unregister(this);
    release(this);
  }

  /** A BlockFile over `fd`, a descriptor opened for reading a file of `length` bytes; it is closed when the BlockFile is no longer reachable (and no other thread holds it). */
  static over(fd: number, length: number): BlockFile {
    const refs = new Int32Array(new SharedArrayBuffer(4));
    refs[0] = 1;
    return new BlockFile(fd, length, refs);
  }

  /**
   * The BlockFile `handle` describes, in this thread (a BlockFile posted from another
   * thread arrives as its fields): takes a reference to its descriptor. The thread that
   * posted it must hold its own until this returns (a server's heavy lane keeps the request
   * until the reply); a descriptor already closed is an IndexError, never a read of another file.
   */
  static adopt(handle: BlockFileHandle): BlockFile {
    for (;;) {
      const held = Atomics.load(handle.refs, 0);
      if (held <= 0) throw new IndexError('The stored documents were closed before this thread opened them (documents.blocks); open the index again.');
      if (Atomics.compareExchange(handle.refs, 0, held, held + 1) === held) return new BlockFile(handle.fd, handle.length, handle.refs);
    }
  }

  /**
   * Bytes `from` to `to` of the file, in a buffer reused by the next read (use them before
   * reading again). A file shorter than when it was opened, or one that cannot be read, is
   * damage (IndexError naming documents.blocks).
   */
  read(from: number, to: number): Buffer {
    if (scratch.length < to - from) scratch = Buffer.allocUnsafe(to - from);
    return this.readInto(scratch, from, to);
  }

  /** The whole file, in a buffer of its own (what saving a segment held this way writes). */
  bytes(): Uint8Array {
    return this.readInto(Buffer.allocUnsafe(this.length), 0, this.length);
  }

  /** Reads bytes `from` to `to` into the start of `target` (as long as they are at least) and returns them there; throws as `read` does. */
  private readInto(target: Buffer, from: number, to: number): Buffer {
    if (this.closed) throw new IndexError('The stored documents were closed (documents.blocks): this index was let go of; open it again.');
    const size = to - from;
    if (!(from >= 0 && size >= 0 && to <= this.length)) throw new RangeError(`bytes ${from}–${to} are outside documents.blocks (${this.length} bytes)`);
    let done = 0;
    try {
      while (done < size) {
        const got = fs.readSync(this.fd, target, done, size - done, from + done);
        if (got === 0) break;
        done += got;
      }
    } catch (error) {
      throw new IndexError(`The stored documents are damaged: documents.blocks cannot be read (${(error as Error).message})`);
    }
    if (done < size) throw new IndexError(`The stored documents are damaged: documents.blocks is ${fs.fstatSync(this.fd).size} bytes, shorter than the ${this.length} it had when the index was opened`);
    return target.subarray(0, size);
  }
}

/** A store's blocks, held in memory or read from their file. */
export type DocumentBlocks = Uint8Array | BlockFile;

/** Bytes `from` to `to` of `blocks` (a BlockFile's are reused by its next read). */
export function blockBytes(blocks: DocumentBlocks, from: number, to: number): Uint8Array {
  return blocks instanceof BlockFile ? blocks.read(from, to) : blocks.subarray(from, to);
}

/** All of `blocks`, as bytes. */
export function wholeBlocks(blocks: DocumentBlocks): Uint8Array {
  return blocks instanceof BlockFile ? blocks.bytes() : blocks;
}

/** Whether `value` is a BlockFile as another thread posted it (its fields, without the class). */
export function isBlockFileHandle(value: unknown): value is BlockFileHandle {
  if (value === null || typeof value !== 'object' || value instanceof BlockFile || ArrayBuffer.isView(value)) return false;
  const handle = value as Partial<BlockFileHandle>;
  return typeof handle.fd === 'number' && typeof handle.length === 'number' && types.isInt32Array(handle.refs);
}

/**
 * Files of a directory opened for reading, by name, until each is taken as a BlockFile or
 * the rest are closed: readSegmentsAsync opens a generation's documents.blocks before they
 * are hashed, so that the bytes checked are the bytes read later, whatever happens to the
 * directory meanwhile. A file that does not open is left out (the manifest check names it).
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

  /** File `name` as a BlockFile of `length` bytes (checked by the caller), or undefined when it did not open; it is then no longer this object's to close. */
  take(name: string, length: number): BlockFile | undefined {
    const fd = this.fds.get(name);
    if (fd === undefined) return undefined;
    this.fds.delete(name);
    return BlockFile.over(fd, length);
  }

  /** Closes the files not taken (an opening that failed, or segments reused). */
  closeRest(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
