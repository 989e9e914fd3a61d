/**
 * The pieces of a merge on disk (streamingMerge.ts) that read and write files in order
 * without the rest of the index's code: input files read at offsets, output files written
 * front to back and hashed, and the merge of the stored documents, which the merge's thread
 * (mergeThread.ts) runs beside the postings' merge when the stores are large.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { IndexError } from '../errors';
import { DocBlockPacker, DocStoreReader, StoredDocumentTables, blockOfDocument, sampleDictionary, storedText } from './docStore';

/** An input file opened for reading in pieces. */
export interface OpenFile {
  fd: number;
  size: number;
}

/** Reads `size` bytes of `file` at `position` into the start of `buffer`. */
export function readAt(file: OpenFile, buffer: Uint8Array, size: number, position: number): void {
  let done = 0;
  while (done < size) {
    const read = fs.readSync(file.fd, buffer, done, size - done, position + done);
    if (read === 0) throw new IndexError(`an index file ended while a merge read it (changed since it was checked)`);
    done += read;
  }
}

/** One segment's stored documents, read a block at a time from its documents.blocks (the last block read is kept). */
export class StoredDocumentsFile {
  private block = -1;
  private reader?: DocStoreReader;

  constructor(
    private readonly file: OpenFile,
    private readonly tables: StoredDocumentTables,
  ) {}

  /** The JSON text (UTF-8) of the segment's document `doc`. */
  get(doc: number): Uint8Array {
    const { blockOffsets, blockFirstDoc, docOffsets, dictionary } = this.tables;
    const block = this.blockOf(doc);
    if (block !== this.block || !this.reader) {
      const size = blockOffsets[block + 1] - blockOffsets[block];
      const blocks = new Uint8Array(size);
      readAt(this.file, blocks, size, blockOffsets[block]);
      const first = blockFirstDoc[block];
      const last = blockFirstDoc[block + 1];
      // The block alone, as a store of one block: the reader inflates it as it would in the whole store.
      this.reader = new DocStoreReader({ blocks, dictionary, blockOffsets: Uint32Array.of(0, size), blockFirstDoc: Uint32Array.of(0, last - first), docOffsets: docOffsets.subarray(first, last) });
      this.block = block;
    }
    return this.reader.get(doc - blockFirstDoc[block]);
  }

  /** The block holding `doc` (the last block read, most often). */
  private blockOf(doc: number): number {
    const first = this.tables.blockFirstDoc;
    return this.block >= 0 && first[this.block] <= doc && doc < first[this.block + 1] ? this.block : blockOfDocument(first, doc);
  }
}

/** A file written front to back, hashed as it goes, fsynced when closed. */
export class FileSink {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private closed = false;
  /** Bytes written so far. */
  bytes = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    this.hash.update(bytes);
    this.bytes += bytes.length;
  }

  /** Fsyncs and closes the file; its size and SHA-256. */
  close(): { bytes: number; sha256: string } {
    fs.fsyncSync(this.fd);
    this.closed = true;
    fs.closeSync(this.fd);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Closes the file without syncing it (the merge failed and removes it). */
  abandon(): void {
    if (!this.closed) fs.closeSync(this.fd);
    this.closed = true;
  }
}

/** One input segment's stored documents: its documents.blocks (opened, checked) and the tables to find a document in it. */
export interface StoreSource {
  file: OpenFile;
  tables: StoredDocumentTables;
}

/** Thrown by mergeStoredDocuments when `stopped` says so (the merge failed elsewhere). */
export class MergeStopped extends Error {
  constructor() {
    super('the merge was stopped');
  }
}

/**
 * Lays the merged documents out in blocks, deflates them against a dictionary sampled from
 * them (DocBlockPacker) and hands each block to `write` in order: merged document `n` is
 * document `local[n]` of `sources[part[n]]`. Returns the merged store's tables. `stopped`
 * is asked before each document (MergeStopped when it says yes).
 */
export function mergeStoredDocuments(sources: StoreSource[], part: ArrayLike<number>, local: ArrayLike<number>, write: (block: Uint8Array) => void, stopped: () => boolean = () => false): StoredDocumentTables {
  const stores = sources.map(({ file, tables }) => new StoredDocumentsFile(file, tables));
  const textOf = (n: number): Uint8Array => storedText(stores[part[n]].get(local[n]));
  const count = part.length;
  const packer = new DocBlockPacker(sampleDictionary(count, textOf), count, write);
  for (let n = 0; n < count; n++) {
    if (stopped()) throw new MergeStopped();
    packer.add(textOf(n));
  }
  return packer.finish();
}

/** Where a MergeThread's shared signal (mergeThread.ts, mergeWorker.ts) holds what: the replies posted so far, whether the merge asked the thread to stop, whether the thread's script failed to load. */
export const REPLIES = 0;
export const STOP = 1;
export const LOAD_FAILED = 2;

/** The memory of those of `arrays` that are the whole of it (a view of part of a larger buffer, or of Node's shared pool, is copied instead), each once. */
export function wholeBuffers(arrays: Uint8Array[]): ArrayBuffer[] {
  const whole = new Set<ArrayBuffer>();
  for (const bytes of arrays) {
    const { buffer } = bytes;
    if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) whole.add(buffer);
  }
  return [...whole];
}
