/**
 * The thread of a server's heavy lane (see heavyLane.ts): it opens the served index (from
 * the server's own bytes in shared memory when given them) with the server's jieba lent
 * to it when given the link (borrowedWords.ts; else with its own), answers the
 * searches and document views the event loop gave up on one at a time, each within its
 * deadline, and reopens the index when the server serves another generation. Collects its garbage when told 'collect' (the lane has
 * nothing waiting). Ends when told 'stop', freeing jieba's memory first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { unloadJieba } from '../analysis/jieba';
import { TableWords } from '../analysis/wordTable';
import { EngineOptions, SearchEngine, SharedEngineIndex } from '../engine';
import { QueryError } from '../errors';
import { borrowedWords } from './borrowedWords';
import { GrowthCollector } from './collectGarbage';
import type { HeavyReply, HeavyRequest, HeavyWorkerData } from './heavyLane';

const port = parentPort;
if (!port) throw new Error('heavyWorker runs as a worker thread of a HeavyLane, not on its own');
const { dir, engineOptions: given, words: link, holding } = workerData as HeavyWorkerData;
// Each call's query words first, then anything else asked of the server.
const words = link && new TableWords(borrowedWords(link));
const engineOptions: EngineOptions = { ...(given as EngineOptions), ...(words ? { words } : {}) };
let engine: SearchEngine | undefined;
/**
 * Collects when told 'collect' and holding 32 MiB more than after its last collection: a
 * full collection costs the thread 150–200 ms of CPU on news-large, not worth it after a
 * call that left little behind.
 */
const collector = new GrowthCollector(32 * 1024 * 1024);

/** Closes the engine held, if any, having first said it holds no shared files (HeavyWorkerData.holding: a thread ending mid-close leaks, never releases twice). */
function dropEngine(): void {
  Atomics.store(holding, 0, 0);
  engine?.close();
  engine = undefined;
}

/** The index as the server serves it: opened again (from its shared files, numbered `indexId`, when given) when the server's generation differs from the one held. */
function served(generation: string | undefined, index: SharedEngineIndex | undefined, indexId: number | undefined): SearchEngine {
  if (!engine || engine.info().createdAt !== generation) {
    dropEngine();
    engine = index ? SearchEngine.openShared(index, engineOptions) : SearchEngine.open(dir, engineOptions);
    if (index && indexId !== undefined) Atomics.store(holding, 0, indexId);
  }
  return engine;
}

port.on('message', (request: HeavyRequest | 'stop' | 'collect') => {
  if (request === 'collect') {
    // Nothing waits: what the last calls left behind is given back now rather than kept until the heap is several times larger.
    collector.collectIfGrown();
    return;
  }
  if (request === 'stop') {
    // jieba's dictionaries (when it loaded its own) live outside the JavaScript heap: freed here, not by the thread's end.
    dropEngine();
    unloadJieba();
    port.close();
    return;
  }
  let reply: HeavyReply;
  try {
    const { call } = request;
    words?.use(request.words);
    const opened = served(request.generation, request.index, request.indexId);
    if (call.kind === 'warm') opened.warmUp();
    const result = call.kind === 'search' ? opened.search(call.query, call.options) : call.kind === 'view' ? (opened.documentView(call.id, call.query) ?? null) : null;
    reply = { id: request.id, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { id: request.id, error: error instanceof QueryError ? { kind: 'query', message, code: error.code, limit: error.limit } : { kind: 'other', message } };
  }
  port.postMessage(reply);
});
