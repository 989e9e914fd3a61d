import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { IndexError } from '../errors';
import { LOAD_FAILED, REPLIES, STOP, StoreSource, wholeBuffers } from './storeMerge';
import { workerScript } from './workerPool';

/**
 * A thread that takes the zlib work of a merge on disk (mergeSegmentsOnDisk) off the
 * thread merging the postings: the merge of the stored documents (their blocks read,
 * inflated, laid out again, deflated against the merged store's dictionary and written to
 * the merged segment's documents.blocks, in order) and the Brotli of table files given to
 * it as the merge makes them. In a build's final merge nothing else runs (the jieba workers
 * have ended), so this work used an idle core; on news-large it was about a third of the
 * merge's CPU. The merge is synchronous (as are its callers: builds, updates, optimize), so
 * this is too: requests are posted, and `finish` blocks (Atomics.wait) until the thread has
 * answered each one, in the order asked, through a port read with receiveMessageOnPort. The
 * thread runs the very functions the merge runs without it (mergeStoredDocuments,
 * compressTableFile): the same bytes. It loads only the stored documents' code and zlib,
 * has a small young generation, works on one block (or one file) at a time, and is ended
 * after the merge, so that its memory goes with it.
 */
export class MergeThread {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  /** [0]: replies posted so far (the thread adds one and notifies after each); [1]: 1 once the merge asks the thread to stop; [2]: 1 if the thread's script failed to load. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  /** What was asked and not answered yet, in order. */
  private readonly asked: Array<MergeRequest['kind']> = [];
  private ended = false;

  constructor() {
    const { file, execArgv } = workerScript(__dirname, 'mergeWorker');
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    this.worker = new Worker(BOOT, { eval: true, execArgv, resourceLimits: MERGE_THREAD_LIMITS, workerData: { file, signal: this.signal, replies: port2 }, transferList: [port2] });
    this.worker.unref();
    // Failures are answered through the port (a reply, or the load flag); the event would reach a busy event loop only after the merge.
    this.worker.on('error', () => undefined);
  }

  /** Asks the thread to merge the stored documents of `sources` (merged document n is document local[n] of sources[part[n]]) into the file `out` (created, fsynced); finish gives its size and SHA-256 and the merged store's table files, compressed. */
  mergeStores(sources: StoreSource[], part: Uint16Array, local: Uint32Array, out: string): void {
    this.post({ kind: 'stores', sources, part, local, out });
  }

  /**
   * Asks the thread to compress table files (compressTableFile); finish gives them back,
   * under the same names, in the same order. Each file whose bytes are the whole of their
   * memory is moved to the thread, not copied: the caller must not use them afterwards.
   */
  compress(files: Record<string, Uint8Array>): void {
    this.post({ kind: 'compress', files }, wholeBuffers(Object.values(files)));
  }

  /**
   * Waits for every answer (blocking this thread) and ends the thread: the stores' merge,
   * if asked, and each `compress`'s files, in the order asked. A failure on the thread is
   * thrown here, as the merge would have thrown it (an IndexError, or the file system's
   * error with its code), once every answer is in.
   */
  finish(): { stores?: StoresReply; compressed: Array<Record<string, Uint8Array>> } {
    let stores: StoresReply | undefined;
    const compressed: Array<Record<string, Uint8Array>> = [];
    let failure: unknown;
    try {
      while (this.asked.length > 0) {
        const reply = this.next();
        if (reply.kind === 'failed') failure ??= rebuiltError(reply.error);
        else if (reply.kind === 'stores') stores = reply;
        else compressed.push(reply.files);
      }
    } finally {
      this.end();
    }
    if (failure !== undefined) throw failure;
    return { stores, compressed };
  }

  /** Asks the thread to stop what it is doing (the merge failed), waits until it has (so that it no longer reads or writes the merge's files) and ends it. */
  stop(): void {
    if (this.ended) return;
    Atomics.store(this.signal, STOP, 1);
    try {
      while (this.asked.length > 0) this.next();
    } finally {
      this.end();
    }
  }

  private post(request: MergeRequest, transfer: ArrayBuffer[] = []): void {
    if (this.ended) throw new IndexError('the merge thread was already ended');
    this.asked.push(request.kind);
    this.worker.postMessage(request, transfer);
  }

  /** The next answer, waiting for it. */
  private next(): MergeReply {
    for (;;) {
      const seen = Atomics.load(this.signal, REPLIES);
      const got = receiveMessageOnPort(this.replies);
      if (got) {
        this.asked.shift();
        return got.message as MergeReply;
      }
      if (Atomics.load(this.signal, LOAD_FAILED) === 1) {
        this.asked.length = 0;
        throw new IndexError('the merge thread could not start (its script did not load)');
      }
      Atomics.wait(this.signal, REPLIES, seen);
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.replies.close();
    void this.worker.terminate();
  }
}

/** The thread's first code: loads mergeWorker (with the TypeScript loader the execArgv names, under tests), and says so through the signal when it cannot, so that a waiting merge does not wait forever. */
const BOOT = `
const { workerData } = require('node:worker_threads');
try {
  require(workerData.file);
} catch (error) {
  Atomics.store(workerData.signal, ${LOAD_FAILED}, 1);
  Atomics.notify(workerData.signal, ${REPLIES});
  throw error;
}
`;

/** A small young generation, as the build's other threads have (workerPool.ts, finishThread.ts). */
const MERGE_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** What mergeWorker.ts is asked, in order. */
export type MergeRequest =
  | { kind: 'stores'; sources: StoreSource[]; part: Uint16Array; local: Uint32Array; out: string }
  | { kind: 'compress'; files: Record<string, Uint8Array> };

/** The stores merged: documents.blocks written (size, SHA-256) and the merged store's table files, compressed. */
export interface StoresReply {
  kind: 'stores';
  file: { bytes: number; sha256: string };
  files: Record<string, Uint8Array>;
}

/** An error thrown on the thread, as it is sent back. */
export interface FailureOnThread {
  message: string;
  index: boolean;
  code?: string;
  errno?: number;
  syscall?: string;
}

/** What mergeWorker.ts answers, one reply per request, in order. */
export type MergeReply = StoresReply | { kind: 'compress'; files: Record<string, Uint8Array> } | { kind: 'failed'; error: FailureOnThread };

/** The error of a failure on the thread as the merge throws it: an IndexError, or an Error with the file system's code (writeFailure reads it). */
function rebuiltError(failure: FailureOnThread): Error {
  if (failure.index) return new IndexError(failure.message);
  const { code, errno, syscall } = failure;
  return Object.assign(new Error(failure.message), code === undefined ? {} : { code }, errno === undefined ? {} : { errno }, syscall === undefined ? {} : { syscall });
}
