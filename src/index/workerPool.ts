import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Analyzer } from '../analysis/analyzer';
import { bodyText, titleText } from '../document';
import { type SourceDocument, documentOf } from '../ingest';
import { BuildError } from '../errors';
import { BatchDocuments, documentsTransferList, packDocuments } from './batchDocuments';
import { PreparedBatch, PreparedBatchWriter, PreparedDocument, unpackBatch } from './prepared';
import { StoredBatch, StoredParts, storedParts, unpackStored } from './preparedStored';

/**
 * Prepares batches of documents for an index build (analysis, then PreparedBatchWriter),
 * in the background or on this thread.
 */
export interface DocumentPreparation {
  /** The prepared documents, in order (lines parsed where they are prepared). Rejects with BuildError when preparing failed. */
  prepare(documents: SourceDocument[]): Promise<PreparedBatchResult>;
  /**
   * Has each writer start its local numbering afresh (PreparedBatchWriter.renumber) with
   * the next batch it is given; that batch's result says so (`renumbered`). Batches
   * already given are prepared with the numbering they were given under.
   */
  renumber(): void;
  /** Releases the threads, if any; batches still pending are rejected. */
  close(): Promise<void>;
}

/** A prepared batch, and which writer (worker) prepared it: see IndexBuilder.addPrepared. */
export interface PreparedBatchResult {
  writer: number;
  documents: PreparedDocument[];
  /** Their ids. */
  ids: string[];
  /** Their stored parts (JSON text, docmeta line): see IndexBuilder.addPrepared. */
  stored: StoredParts[];
  /** Whether the writer renumbered before this batch: its earlier local numbers no longer hold (IndexBuilder.renumbered). */
  renumbered: boolean;
}

/** Preparation on the calling thread: what `--threads 0` uses (and loads jieba here). */
export class InProcessPreparation implements DocumentPreparation {
  private readonly analyzer: Analyzer;
  private readonly writer = new PreparedBatchWriter();
  private renumberNext = false;

  constructor(userDict?: string) {
    this.analyzer = new Analyzer({ userDict });
  }

  async prepare(batch: SourceDocument[]): Promise<PreparedBatchResult> {
    const renumbered = this.renumberNext;
    this.renumberNext = false;
    if (renumbered) this.writer.renumber();
    const documents = batch.map(documentOf);
    for (const doc of documents) this.writer.add(this.analyzer.analyzeField(titleText(doc)), this.analyzer.analyzeField(bodyText(doc)));
    const prepared = unpackBatch(this.writer.finish());
    return { writer: 0, documents: prepared, ids: documents.map((doc) => doc.id), stored: documents.map((doc, i) => storedParts(doc, prepared[i])), renumbered };
  }

  renumber(): void {
    this.renumberNext = true;
  }

  async close(): Promise<void> {}
}

/**
 * What a worker is sent: a batch number and its documents, packed (and `renumber` when it is to
 * start its local numbering afresh first), or `release` when the build is done (the
 * worker frees jieba's memory and ends).
 */
export type PrepareRequest = { id: number; documents: BatchDocuments; renumber: boolean } | { release: true };

/** What a worker answers: the batch number, its prepared documents, their ids and their stored parts. */
export interface PrepareReply {
  id: number;
  batch: PreparedBatch;
  ids: string[];
  stored: StoredBatch;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Worker threads to start (at least 1); each loads its own jieba (about 235 MB). */
  threads: number;
  /** The jieba user dictionary, as `Analyzer` takes it. Default none. */
  userDict?: string;
  /** For tests: a worker script to run instead of prepareWorker (e.g. one that fails). */
  workerScript?: string;
}

interface Pending {
  resolve: (result: PreparedBatchResult) => void;
  reject: (error: Error) => void;
  renumbered: boolean;
}

/**
 * Worker threads that each load jieba once and prepare the batches they are given (see
 * prepareWorker.ts), so that segmentation and most of the postings work run beside the
 * main thread and on every core. A batch goes to the worker with the fewest pending. The first
 * worker error, or a worker exiting on its own, fails every pending and later batch with a
 * BuildError and stops all the workers: a build never hangs on a dead worker.
 */
/**
 * A small young generation for the workers: their garbage is short-lived (each batch's
 * words), and V8's default semi-spaces cost some 40 MB of RSS per worker for no speed.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** How long close() lets a worker finish the batches it was given and end before terminating it. */
const STOP_GRACE_MS = 15_000;

export class WorkerPool implements DocumentPreparation {
  private readonly workers: Worker[];
  private readonly pending: Array<Map<number, Pending>>;
  private nextId = 0;
  /** Per worker: whether its next batch is to be prepared under a fresh numbering. */
  private readonly renumberNext: boolean[] = [];
  private failure: BuildError | undefined;
  private closing = false;
  /** Per worker: whether its thread has ended. */
  private readonly exited: boolean[] = [];

  constructor(options: WorkerPoolOptions) {
    const { file, execArgv } = options.workerScript ? workerScript(options.workerScript) : workerScript(__dirname, 'prepareWorker');
    this.workers = [];
    this.pending = [];
    for (let i = 0; i < options.threads; i++) {
      const worker = new Worker(file, { workerData: { userDict: options.userDict }, execArgv, resourceLimits: WORKER_LIMITS });
      const pending = new Map<number, Pending>();
      worker.on('message', (reply: PrepareReply) => {
        const waiting = pending.get(reply.id);
        pending.delete(reply.id);
        waiting?.resolve({ writer: i, documents: unpackBatch(reply.batch), ids: reply.ids, stored: unpackStored(reply.stored), renumbered: waiting.renumbered });
      });
      worker.on('error', (error) => this.fail(i, error.message));
      worker.on('messageerror', (error) => this.fail(i, `a reply could not be read: ${error.message}`));
      worker.on('exit', (code) => {
        this.exited[i] = true;
        this.fail(i, `it exited with code ${code}`);
      });
      this.workers.push(worker);
      this.pending.push(pending);
      this.renumberNext.push(false);
      this.exited.push(false);
    }
  }

  prepare(documents: SourceDocument[]): Promise<PreparedBatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    let chosen = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.pending[i].size < this.pending[chosen].size) chosen = i;
    const id = this.nextId++;
    const renumber = this.renumberNext[chosen];
    this.renumberNext[chosen] = false;
    return new Promise((resolve, reject) => {
      this.pending[chosen].set(id, { resolve, reject, renumbered: renumber });
      const request: PrepareRequest = { id, documents: packDocuments(documents), renumber };
      this.workers[chosen].postMessage(request, documentsTransferList(request.documents));
    });
  }

  renumber(): void {
    this.renumberNext.fill(true);
  }

  /**
   * Ends the workers: each is asked to free jieba's memory (a worker's jieba would otherwise
   * outlive it, about 235 MB each) and end, which it does after the batches it was given.
   * Terminating a worker inside a native jieba call would abort the whole process (SIGABRT,
   * as the long-query thread's did), so a worker is terminated only if it has not ended
   * STOP_GRACE_MS after it was asked. Batches still pending are rejected at once.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.rejectAll(this.failure ?? new BuildError('the worker pool was closed before this batch was prepared'));
    const release: PrepareRequest = { release: true };
    await Promise.all(
      this.workers.map(async (worker, i) => {
        if (this.exited[i]) return;
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage(release);
        const overdue = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
        await exited;
        clearTimeout(overdue);
      }),
    );
  }

  /** Records the first failure, rejects everything pending and stops the workers. */
  private fail(index: number, reason: string): void {
    if (this.closing || this.failure) return;
    this.failure = new BuildError(
      `segmentation worker ${index + 1} of ${this.workers.length} failed: ${reason}. ` +
        'Build with --threads 0 (segmentation on the main thread) to tell a worker problem from a problem with the documents.',
    );
    this.rejectAll(this.failure);
    void this.close();
  }

  private rejectAll(error: Error): void {
    for (const pending of this.pending) {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    }
  }
}

/**
 * A worker script and the Node options to start it with: `name`.js in `dir` when running
 * compiled, or, when running from TypeScript sources (tsx, ts-jest), `name`.ts loaded
 * through tsx's require hook. Given one argument, that file as it is.
 */
export function workerScript(dirOrFile: string, name?: string): { file: string; execArgv?: string[] } {
  const fromSources = __filename.endsWith('.ts');
  const file = name === undefined ? dirOrFile : path.join(dirOrFile, `${name}${fromSources ? '.ts' : '.js'}`);
  return { file, execArgv: file.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : undefined };
}
