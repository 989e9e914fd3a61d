/**
 * The thread of a MergeThread (mergeThread.ts): merges the stored documents of a merge's
 * segments into the merged segment's documents.blocks (mergeStoredDocuments) and
 * compresses table files (compressTableFile), one request at a time in the order they come,
 * answering each through the port it was given and counting the answer in the shared
 * signal (Atomics.notify), which the merge waits on. Every failure is answered, never
 * thrown: the merge is blocked waiting for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IndexError } from '../errors';
import type { FailureOnThread, MergeReply, MergeRequest } from './mergeThread';
import { FileSink, MergeStopped, REPLIES, STOP, mergeStoredDocuments, wholeBuffers } from './storeMerge';
import { compressTableFiles, storedDocumentTableFiles } from './tableFiles';

const port = parentPort;
if (!port) throw new Error('mergeWorker runs as the thread of a MergeThread, not on its own');
const { signal, replies } = workerData as { signal: Int32Array; replies: import('node:worker_threads').MessagePort };
const stopped = (): boolean => Atomics.load(signal, STOP) === 1;

port.on('message', (request: MergeRequest) => {
  let reply: MergeReply;
  try {
    reply = answer(request);
  } catch (error) {
    reply = { kind: 'failed', error: failureOf(error) };
  }
  replies.postMessage(reply, transfers(reply));
  Atomics.add(signal, REPLIES, 1);
  Atomics.notify(signal, REPLIES);
});

/** Throws MergeStopped once the merge has asked the thread to stop. */
function stopIfAsked(): void {
  if (stopped()) throw new MergeStopped();
}

function answer(request: MergeRequest): MergeReply {
  stopIfAsked();
  if (request.kind === 'compress') return { kind: 'compress', files: compressTableFiles(request.files, stopIfAsked) };
  const sink = new FileSink(request.out);
  try {
    const tables = mergeStoredDocuments(request.sources, request.part, request.local, (block) => sink.write(block), stopped);
    const file = sink.close();
    return { kind: 'stores', file, files: compressTableFiles(storedDocumentTableFiles(tables)) };
  } catch (error) {
    sink.abandon();
    throw error;
  }
}

function failureOf(error: unknown): FailureOnThread {
  const { message, code, errno, syscall } = error as NodeJS.ErrnoException;
  return { message: String(message ?? error), index: error instanceof IndexError, code, errno, syscall };
}

/** The reply's compressed files, moved rather than copied where they own their memory. */
function transfers(reply: MergeReply): ArrayBuffer[] {
  return reply.kind === 'failed' ? [] : wholeBuffers(Object.values(reply.files));
}
