/**
 * A worker thread that applies one index update (see updateThread.ts): it receives the
 * documents to add, then the index directory and the ids to remove, runs updateIndex —
 * analysis with its own jieba, a merge when one is due, writing and switching the
 * generation — and answers with the summary or the error, then frees jieba's memory and
 * ends. The thread that started it stays free.
 */
import { parentPort } from 'node:worker_threads';
import { unloadJieba } from './analysis/jieba';
import type { SearchDocument } from './document';
import { IndexError, IndexLockedError, UpdateError } from './errors';
import { updateIndex } from './update';
import type { UpdateReply, UpdateRequest } from './updateThread';

const port = parentPort;
if (!port) throw new Error('updateWorker runs as a worker thread of updateIndexOffThread, not on its own');
const add: SearchDocument[] = [];
port.on('message', (request: UpdateRequest) => {
  if ('add' in request) {
    add.push(...request.add);
    return;
  }
  let reply: UpdateReply;
  try {
    reply = { summary: updateIndex(request.dir, { add, remove: request.remove }) };
  } catch (error) {
    const kind = error instanceof UpdateError ? 'update' : error instanceof IndexLockedError ? 'locked' : error instanceof IndexError ? 'index' : 'other';
    const missingIds = error instanceof UpdateError ? error.missingIds : [];
    reply = { error: { kind, message: error instanceof Error ? error.message : String(error), missingIds } };
  }
  port.postMessage(reply);
  unloadJieba();
  port.close();
});
