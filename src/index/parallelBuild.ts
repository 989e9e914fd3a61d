import * as os from 'node:os';
import { RejectedDocument, fieldUnits } from '../document';
import { type SourceDocument, isDocumentLine } from '../ingest';
import { IndexBuilder, addOrReject } from './builder';
import { IndexData } from './data';
import { FinishThread } from './finishThread';
import { DocumentPreparation, InProcessPreparation, PreparedBatchResult, WorkerPool } from './workerPool';

/** A batch closes at this many documents… */
const BATCH_DOCUMENTS = 128;
/** …or at this many UTF-16 units of field text, whichever comes first. */
const BATCH_UNITS = 128 * 1024;
/** Batches in flight per worker: one being analyzed, one queued, so no worker waits for the main thread. */
const IN_FLIGHT_PER_THREAD = 2;

/** Options of {@link buildIndexData}. */
export interface ParallelBuildOptions {
  /**
   * Worker threads that segment documents. 0 segments on the calling thread (which then
   * loads jieba itself). Default: `os.availableParallelism()`.
   */
  threads?: number;
  /** A jieba user dictionary, as `Analyzer` takes it. Default none. */
  userDict?: string;
  /** Called after each document is indexed or rejected, with how many are done. */
  onIndexed?: (done: number) => void;
  /** For tests: a worker script to run instead of prepareWorker (see WorkerPool). */
  workerScript?: string;
}

/** What {@link buildIndexData} built. */
export interface ParallelBuildResult {
  data: IndexData;
  /** Documents left out of the index (too long), with why. */
  rejected: RejectedDocument[];
}

/** Options of {@link buildSegments}: those of buildIndexData, and what to do with each segment. */
export interface SegmentedBuildOptions extends ParallelBuildOptions {
  /** Asked after each batch whether to finish the segment being built (see MemoryFlushPolicy). */
  shouldFlush: (bufferBytes: number) => boolean;
  /** Takes each finished segment, in order (e.g. writes it to disk); the last one holds the documents left at the end. */
  onSegment: (data: IndexData) => void;
}

/**
 * Builds the index of `documents` with segmentation and postings preparation on worker
 * threads: documents go out in batches, at most two per worker at a time (so memory
 * stays flat however many documents there are), and the main thread adds the prepared
 * documents strictly in order (IndexBuilder.addPrepared) while the workers go on. The
 * result is byte for byte the index that `IndexBuilder.add` builds from the same
 * documents on one thread, with the same ordinals; the main thread never loads jieba. Documents too long to index are listed in
 * `rejected`. Rejects with BuildError when a worker fails; the workers are stopped in
 * every case before this settles.
 */
export async function buildIndexData(documents: Documents, options: ParallelBuildOptions = {}): Promise<ParallelBuildResult> {
  let data: IndexData | undefined;
  const { rejected } = await buildSegments(documents, { ...options, shouldFlush: () => false, onSegment: (segment) => (data = segment) });
  return { data: data!, rejected };
}

/** Documents to build an index of, read as they are iterated (JSON Lines documents may come as their lines: DocumentLine). */
export type Documents = Iterable<SourceDocument> | AsyncIterable<SourceDocument>;

/**
 * buildIndexData in segments: whenever `shouldFlush` says so after a batch, the
 * documents added so far are finished as one segment and handed to `onSegment`, and
 * the build goes on with a new one (numbered from 0 again), so that the index in memory
 * never grows past a budget. The segments, read in order as one index, hold exactly what
 * one segment of all the documents would (the term dictionaries span the whole build).
 * There is always at least one segment (an empty one when no document was added).
 * `documents` may be a promise (e.g. of sources still being read a first time): the
 * worker threads are started, and load jieba, while it settles; when it rejects, they are
 * stopped and buildSegments rejects with its error.
 * Returns the documents rejected and the distinct words and bigrams over all segments.
 */
export async function buildSegments(
  documents: Documents | Promise<Documents>,
  options: SegmentedBuildOptions,
): Promise<{ rejected: RejectedDocument[]; words: number; bigrams: number }> {
  const threads = options.threads ?? os.availableParallelism();
  // Started before the documents are awaited: the workers load jieba while the caller reads its sources.
  const preparation: DocumentPreparation =
    threads > 0 ? new WorkerPool({ threads, userDict: options.userDict, workerScript: options.workerScript }) : new InProcessPreparation(options.userDict);
  const builder = new IndexBuilder();
  const rejected: RejectedDocument[] = [];
  // Only the promises: the documents are the workers' once sent, and come back prepared with their ids.
  const queue: Array<Promise<PreparedBatchResult>> = [];
  let done = 0;
  let segments = 0;
  /**
   * Finishes the segment being built and hands it to onSegment. The `last`, once the workers
   * have ended and freed jieba, with a FinishThread (finishWithThread), its lexicon made there
   * only when it is the build's one segment (after flushes it is most often merged away, and
   * SegmentStaging makes the lexicons of the segments kept); a flushed one on this
   * thread alone, since a FinishThread beside the postings pools raised news-large's peak
   * (docs/performance.md, "A segment's finish beside the main thread").
   */
  const finishSegment = async (last: boolean): Promise<void> => {
    segments++;
    options.onSegment(threads > 0 && last ? await finishWithThread(builder, segments === 1) : builder.finish());
    // The writers' tables then hold one segment's words and bigrams, not the whole build's.
    preparation.renumber();
  };
  const addNext = async (): Promise<void> => {
    const { writer, documents, ids, stored, renumbered } = await queue.shift()!;
    if (renumbered) builder.renumbered(writer);
    ids.forEach((id, i) => {
      addOrReject(id, rejected, () => builder.addPrepared(id, documents[i], writer, stored[i]));
      options.onIndexed?.(++done);
    });
    if (builder.documentCount > 0 && options.shouldFlush(builder.bufferBytes)) await finishSegment(false);
  };
  try {
    for await (const batch of batches(await documents)) {
      const prepared = preparation.prepare(batch);
      // Awaited in order by addNext; until then, a failure must not count as unhandled.
      prepared.catch(() => undefined);
      queue.push(prepared);
      if (queue.length >= Math.max(1, threads) * IN_FLIGHT_PER_THREAD) await addNext();
    }
    while (queue.length > 0) await addNext();
  } finally {
    await preparation.close();
  }
  if (builder.documentCount > 0 || segments === 0) await finishSegment(true);
  return { rejected, ...builder.distinctTerms };
}

/**
 * The segment `builder` holds, finished with a FinishThread making its lexicon (when
 * `withLexicon`) and deflating its stored documents while this thread lays its postings out
 * (IndexBuilder.finishWith).
 */
async function finishWithThread(builder: IndexBuilder, withLexicon: boolean): Promise<IndexData> {
  const thread = new FinishThread();
  try {
    return await builder.finishWith(thread, withLexicon);
  } finally {
    await thread.close();
  }
}

/** The documents in batches of at most BATCH_DOCUMENTS documents or about BATCH_UNITS units of text. */
async function* batches(documents: Documents): AsyncGenerator<SourceDocument[]> {
  let batch: SourceDocument[] = [];
  let units = 0;
  for await (const doc of documents) {
    batch.push(doc);
    units += isDocumentLine(doc) ? doc.units : fieldUnits(doc);
    if (batch.length >= BATCH_DOCUMENTS || units >= BATCH_UNITS) {
      yield batch;
      batch = [];
      units = 0;
    }
  }
  if (batch.length > 0) yield batch;
}
