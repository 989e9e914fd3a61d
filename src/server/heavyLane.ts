import { Worker } from 'node:worker_threads';
import type { WordSource } from '../analysis/analyzer';
import { returnFreedMemory } from '../analysis/mallocTrim';
import type { WordTable } from '../analysis/wordTable';
import type { EngineOptions, SharedEngineIndex } from '../engine';
import { QueryError, QueryErrorCode, ServerBusyError } from '../errors';
import { indexFileHandles, releaseIndexFiles } from '../index/adoptFiles';
import type { IndexFileHandle } from '../index/indexFile';
import { workerScript } from '../index/workerPool';
import { DEFAULT_SEARCH_TIMEOUT_MS } from '../search/searcher';
import type { DocumentView, SearchOptions, SearchResult } from '../search/types';
import { BorrowedWordsLink, lendWords } from './borrowedWords';
import { DEFAULT_MAX_QUEUE_WAIT_MS } from './defaults';
import { LaneAdmission } from './laneAdmission';

/** What the heavy lane is asked: a search, a document view with a query's matches highlighted, or to open and warm up the index. */
export type HeavyCall = { kind: 'search'; query: string; options: SearchOptions } | { kind: 'view'; id: string; query?: string } | { kind: 'warm' };

/** A call to the heavy lane's thread, for the generation of the index the server serves (its createdAt). */
export interface HeavyRequest {
  id: number;
  generation: string | undefined;
  call: HeavyCall;
  /** That generation's files in shared memory, given when the thread has not opened it yet and the server has them: opened from them, not from disk. */
  index?: SharedEngineIndex;
  /** The number the lane gave `index` (HeavyWorkerData.holding). */
  indexId?: number;
  /** The words of the call's query, when the lane borrows the server's jieba (HeavyLaneOptions.words). */
  words?: WordTable;
}

/** The thread's answer: a result (null for an unknown document), or an error by kind (errors lose their class between threads). */
export type HeavyReply = { id: number; result: SearchResult | DocumentView | null } | { id: number; error: { kind: 'query'; message: string; code: QueryErrorCode; limit?: number } | { kind: 'other'; message: string } };

/** What the thread is started with: the index directory and how to open it. */
export interface HeavyWorkerData {
  dir: string;
  engineOptions: EngineOptions;
  /** Where the thread borrows the server's jieba (borrowedWords.ts); without it, it loads its own. */
  words?: BorrowedWordsLink;
  /**
   * One Int32 in shared memory: the indexId of the shared index whose open files (stored documents, postings)
   * the thread holds (adopted by SearchEngine.openShared), 0 for none. The thread sets it
   * once it has opened one and clears it before closing it, so that when the thread ends
   * holding them (it failed, or was terminated) the lane lets go of them for it, and never
   * of files the thread had already let go of.
   */
  holding: Int32Array;
}

/** A running thread's holding flag, and the open files (stored documents, postings) of the last two shared indexes it was given, by indexId. */
interface ThreadFiles {
  holding: Int32Array;
  given: Map<number, IndexFileHandle[]>;
}

export interface HeavyLaneOptions {
  /** The served index directory. */
  dir: string;
  /** How the server opened it (user dictionary, synonyms, limits). Default: as recorded in the index. */
  engineOptions?: EngineOptions;
  /**
   * Calls waiting beyond the one running, past which new ones are refused with
   * ServerBusyError (as Elasticsearch rejects searches when its search queue is full).
   * Default 64: more than a load run's connections, so pasted passages under load wait
   * rather than fail.
   */
  maxWaiting?: number;
  /**
   * Milliseconds a new call may be expected to wait before it runs (LaneAdmission: the calls
   * ahead times the average call time); a call expected to wait longer is refused with
   * ServerBusyError at once, and one that has waited twice as long by its turn is refused
   * then rather than run. Default DEFAULT_MAX_QUEUE_WAIT_MS.
   */
  maxWaitMs?: number;
  /** The clock calls are timed with, in milliseconds. Default performance.now (tests pass one they move). */
  clock?: () => number;
  /** Milliseconds without a call after which the thread ends, freeing its memory. Default 600,000 (ten minutes). */
  idleMs?: number;
  /**
   * The served index's files in shared memory, for a generation (SearchEngine.sharedIndex):
   * the thread then searches the very bytes the event loop does instead of reading a second
   * copy of the index (which doubles a server's memory). Default: none (the thread reads the index).
   */
  sharedIndex?: (generation: string | undefined) => SharedEngineIndex | undefined;
  /**
   * The server's jieba, lent to the thread (borrowedWords.ts) so that it never loads its own
   * (about 120 MB): `source` gives the words of any text, `ofQuery` those of a query (sent
   * with each call, SearchEngine.wordsOfQuery). Default: none (the thread loads jieba).
   */
  words?: { source: () => WordSource; ofQuery: (query: string) => WordTable };
}

interface Queued {
  request: HeavyRequest;
  /** When the call was queued, and when the thread got it (HeavyLaneOptions.clock). */
  queuedAt: number;
  startedAt?: number;
  /** Whether the thread had the call's generation open when given the call: then its time is a search's, not an opening's. */
  timed?: boolean;
  resolve: (result: SearchResult | DocumentView | null) => void;
  reject: (error: Error) => void;
}

/** A call dropped from the queue because its client went away before it ran: there is nobody to answer. */
export class AbandonedCall extends Error {
  constructor() {
    super('the client went away before the search ran');
  }
}

/** How long the long-query thread waits without a call before it ends (see HeavyLaneOptions.idleMs). */
const DEFAULT_IDLE_MS = 600_000;

/** How long stopWorker lets the thread end by itself before terminating it: a search's default deadline and some. */
const STOP_GRACE_MS = DEFAULT_SEARCH_TIMEOUT_MS + 5_000;

/**
 * The thread's young generation, in MB (V8's default would let it grow to 48 MB): what a
 * long query allocates and drops. A smaller one is collected more often and stays resident
 * smaller; the answers are the same.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 6 };

/**
 * A server's lane for long queries and those its event loop gave up on (see
 * searchLanes.ts): one worker thread searching the server's own index bytes in shared
 * memory (`sharedIndex`; else its own copy, read from disk) with the server's jieba lent
 * to it (`words`; else its own, about 120 MB), started by
 * `warmUp` (a server calls it once it is ready) or by the first call, and ended after
 * `idleMs` without one, so that its memory (what searching builds) is taken only while
 * such queries come. Calls run one at a time in arrival
 * order, each bounded by its search deadline; a call whose client went away (its
 * `signal` aborted) leaves the queue. New calls are refused (ServerBusyError, HTTP 503
 * with Retry-After) rather than queued without end when `maxWaiting` wait, or when one
 * would be expected to wait longer than `maxWaitMs` (LaneAdmission); a call that has
 * waited twice that by its turn is refused then. A thread that fails rejects the call
 * it was running and is replaced on the next call.
 */
export class HeavyLane {
  private worker?: Worker;
  private readonly queue: Queued[] = [];
  private running?: Queued;
  private nextId = 0;
  private idleTimer?: NodeJS.Timeout;
  private closed = false;
  /** The thread has opened the index (a call on it succeeded). */
  private opened = false;
  /** The generation the thread answered its last call from. */
  private threadGeneration?: string;
  /** Ends the lending of words to the running thread. */
  private endLending?: () => void;
  /** What the running thread may hold of the shared indexes it was given (ThreadFiles). */
  private threadFiles?: ThreadFiles;
  private nextIndexId = 1;
  private readonly admission: LaneAdmission;
  private readonly clock: () => number;

  constructor(private readonly options: HeavyLaneOptions) {
    this.admission = new LaneAdmission(options.maxWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS);
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Runs a search on the lane's thread, against the generation `generation` of the index; dropped while waiting if `signal` aborts. */
  async search(generation: string | undefined, query: string, options: SearchOptions, signal?: AbortSignal): Promise<SearchResult> {
    return (await this.call(generation, { kind: 'search', query, options }, signal)) as SearchResult;
  }

  /** Builds a document view on the lane's thread (undefined for an unknown id); dropped while waiting if `signal` aborts. */
  async documentView(generation: string | undefined, id: string, query?: string, signal?: AbortSignal): Promise<DocumentView | undefined> {
    return ((await this.call(generation, { kind: 'view', id, query }, signal)) as DocumentView | null) ?? undefined;
  }

  /**
   * Starts the thread and has it open the index and build what queries would build on
   * first use (pinyin, speller, copies), so that the first long query does not wait for
   * that. Resolves with whether the lane is ready; a failure is the next call's to report.
   */
  async warmUp(generation: string | undefined): Promise<boolean> {
    return this.call(generation, { kind: 'warm' }).then(
      () => this.ready,
      () => false,
    );
  }

  /** Whether the thread runs and has opened the index: a call now waits only for those before it. */
  get ready(): boolean {
    return this.worker !== undefined && this.opened;
  }

  /** Whether the lane's thread is running (started by a call, ended when idle or closed). */
  get threadRunning(): boolean {
    return this.worker !== undefined;
  }

  /** Calls waiting or running. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Ends the thread; calls waiting or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error('the server is stopping');
    for (const queued of this.queue.splice(0)) queued.reject(stopped);
    this.running?.reject(stopped);
    this.running = undefined;
    await this.stopWorker();
  }

  private call(generation: string | undefined, call: HeavyCall, signal?: AbortSignal): Promise<SearchResult | DocumentView | null> {
    if (this.closed) return Promise.reject(new Error('the server is stopping'));
    const maxWaiting = this.options.maxWaiting ?? 64;
    const now = this.clock();
    const runningMs = this.running?.startedAt === undefined ? undefined : now - this.running.startedAt;
    if (this.queue.length >= maxWaiting || this.admission.refuses(this.queue.length, runningMs)) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      const queued: Queued = { request: { id: this.nextId++, generation, call }, queuedAt: now, resolve, reject };
      this.queue.push(queued);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.queue.indexOf(queued);
          if (at < 0) return;
          this.queue.splice(at, 1);
          reject(new AbandonedCall());
        },
        { once: true },
      );
      this.next();
    });
  }

  /** The error a refused call gets, saying how many wait (HTTP 503 with Retry-After, see app.ts). */
  private busy(): ServerBusyError {
    return new ServerBusyError(`the server is busy with ${this.pending} slow searches: try again in a few seconds, or with a shorter query`);
  }

  /** The next call that has not waited past twice maxWaitMs; those that have are refused as busy (their client has waited long enough). */
  private nextQueued(): Queued | undefined {
    let queued = this.queue.shift();
    while (queued && this.clock() - queued.queuedAt > 2 * this.admission.maxWaitMs) {
      const waitedS = Math.round((this.clock() - queued.queuedAt) / 1000);
      queued.reject(new ServerBusyError(`the server is busy: this search waited ${waitedS} s behind slow searches: try again in a few seconds, or with a shorter query`));
      queued = this.queue.shift();
    }
    return queued;
  }

  private next(): void {
    if (this.running || this.closed) return;
    const queued = this.nextQueued();
    if (!queued) {
      // The thread has nothing to do: it collects the garbage of its last calls (collectGarbage.ts).
      this.worker?.postMessage('collect');
      this.idleTimer = setTimeout(() => this.retireWorker(), this.options.idleMs ?? DEFAULT_IDLE_MS);
      this.idleTimer.unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.running = queued;
    const worker = this.startedWorker();
    const { generation } = queued.request;
    if (!this.opened || generation !== this.threadGeneration) {
      const index = this.options.sharedIndex?.(generation);
      if (index && index.manifest.createdAt === generation) {
        queued.request.index = index;
        queued.request.indexId = this.given(index);
      }
    }
    const { call } = queued.request;
    const query = call.kind === 'search' ? call.query : call.kind === 'view' ? call.query : undefined;
    if (query !== undefined && this.options.words) queued.request.words = this.options.words.ofQuery(query);
    queued.timed = call.kind !== 'warm' && this.opened && generation === this.threadGeneration;
    queued.startedAt = this.clock();
    worker.postMessage(queued.request);
  }

  /**
   * Numbers `index`, given to the running thread, and keeps its open files (stored documents, postings)
   * (their descriptors, not the index) with the one given before: calls run one at a time,
   * so a thread that ends holds at most one of those two (HeavyWorkerData.holding).
   */
  private given(index: SharedEngineIndex): number {
    const id = this.nextIndexId++;
    const { given } = this.threadFiles!;
    given.set(id, indexFileHandles(index.data));
    for (const old of given.keys()) if (old < id - 1) given.delete(old);
    return id;
  }

  private startedWorker(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = workerScript(__dirname, 'heavyWorker');
    const lending = this.options.words && lendWords(this.options.words.source);
    const files: ThreadFiles = { holding: new Int32Array(new SharedArrayBuffer(4)), given: new Map() };
    this.threadFiles = files;
    const data: HeavyWorkerData = { dir: this.options.dir, engineOptions: this.options.engineOptions ?? {}, holding: files.holding, ...(lending ? { words: lending.link } : {}) };
    const worker = new Worker(file, { workerData: data, execArgv, resourceLimits: THREAD_LIMITS, transferList: lending ? [lending.link.port] : [] });
    this.endLending = lending?.close;
    this.opened = false;
    worker.on('message', (reply: HeavyReply) => {
      const running = this.running;
      if (!running || running.request.id !== reply.id) return;
      this.running = undefined;
      if (running.timed && running.startedAt !== undefined) this.admission.timed(this.clock() - running.startedAt);
      if ('result' in reply) {
        this.opened = true;
        this.threadGeneration = running.request.generation;
        running.resolve(reply.result);
      } else running.reject(reply.error.kind === 'query' ? new QueryError(reply.error.message, reply.error.code, reply.error.limit) : new Error(`the slow-query thread failed: ${reply.error.message}`));
      this.next();
    });
    const lost = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.stopLending();
      const running = this.running;
      this.running = undefined;
      running?.reject(new Error(`the slow-query thread ${why}`));
      this.next();
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => {
      // A thread that ended holding a shared index's files (it failed, or was terminated) never let go of them: let go for it.
      const held = files.given.get(Atomics.load(files.holding, 0));
      if (held) releaseIndexFiles(held);
      // What the thread's malloc arena held (its heap's pages go back by themselves) would stay with glibc for later threads:
      // on news-large, trimmed before and after, RSS fell by 133 MiB at its end. Once per thread (after ten minutes without a long query).
      returnFreedMemory();
      lost(`exited with code ${code}`);
    });
    this.worker = worker;
    return worker;
  }

  /** Lets an idle thread end by itself, after it has freed jieba (terminating it would not). */
  private retireWorker(): void {
    const worker = this.worker;
    if (!worker || this.running) return;
    this.worker = undefined;
    worker.postMessage('stop');
    this.stopLending();
  }

  private stopLending(): void {
    this.endLending?.();
    this.endLending = undefined;
  }

  /**
   * Ends the thread as retireWorker does, and waits for it: asked to stop, it ends once the
   * call it is running returns (within that call's deadline), so that it is never terminated
   * inside a native jieba call, which aborts the whole process (SIGABRT: "terminate called
   * after throwing an instance of 'Napi::Error'", seen when a test closed a lane mid-search).
   * Terminated only if it has not ended STOP_GRACE_MS later.
   */
  private async stopWorker(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const overdue = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    await exited;
    clearTimeout(overdue);
    this.stopLending();
  }
}
