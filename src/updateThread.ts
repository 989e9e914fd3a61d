import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { SearchDocument } from './document';
import { IndexError, IndexLockedError, UpdateError } from './errors';
import { workerScript } from './index/workerPool';
import type { IndexChange, UpdateSummary } from './update';

/**
 * What the update worker is sent: the documents to add, in parts of at most
 * DOCUMENTS_PER_MESSAGE (copying a message blocks the sender: a big upload in one would
 * hold a server's event loop), then the index directory and the ids to remove, which
 * start the update.
 */
export type UpdateRequest = { add: SearchDocument[] } | { dir: string; remove: string[] };

const DOCUMENTS_PER_MESSAGE = 256;

/** What the update worker answers: the update's summary, or its error by kind (errors lose their class between threads). */
export type UpdateReply =
  | { summary: UpdateSummary }
  | { error: { kind: 'update' | 'locked' | 'index' | 'other'; message: string; missingIds: string[] } };

/**
 * updateIndex on a worker thread of its own, which loads its own jieba (about 235 MB,
 * freed when it ends): the analysis of new documents, a merge when one is due and the
 * writing all run beside the calling thread, so that a server keeps answering searches
 * while an upload is indexed. Resolves with updateIndex's summary; rejects with the error
 * it would throw (UpdateError, IndexLockedError, IndexError), or an Error when the thread
 * failed.
 */
export function updateIndexOffThread(dir: string, change: IndexChange): Promise<UpdateSummary> {
  const { file, execArgv } = workerScript(__dirname, 'updateWorker');
  const worker = new Worker(file, { execArgv });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.once('message', (reply: UpdateReply) => settle(() => ('summary' in reply ? resolve(reply.summary) : reject(replyError(reply.error)))));
    worker.once('error', (error) => settle(() => reject(new Error(`the index update thread failed: ${error.message}`))));
    worker.once('exit', (code) => settle(() => reject(new Error(`the index update thread exited with code ${code} before answering`))));
    void send(worker, dir, change);
  });
}

/** Posts the change to the worker in parts, with a turn of the event loop between them. */
async function send(worker: Worker, dir: string, change: IndexChange): Promise<void> {
  const add = change.add ?? [];
  for (let i = 0; i < add.length; i += DOCUMENTS_PER_MESSAGE) {
    const part: UpdateRequest = { add: add.slice(i, i + DOCUMENTS_PER_MESSAGE) };
    worker.postMessage(part);
    await nextTurn();
  }
  const start: UpdateRequest = { dir: path.resolve(dir), remove: change.remove ?? [] };
  worker.postMessage(start);
}

function replyError({ kind, message, missingIds }: Extract<UpdateReply, { error: unknown }>['error']): Error {
  switch (kind) {
    case 'update':
      return new UpdateError(message, missingIds);
    case 'locked':
      return new IndexLockedError(message);
    case 'index':
      return new IndexError(message);
    default:
      return new Error(message);
  }
}
