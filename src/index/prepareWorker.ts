/**
 * A worker thread of the build's worker pool (see workerPool.ts): loads jieba once with
 * the user dictionary in `workerData.userDict`, then, for each batch of documents it is
 * sent, analyzes the title field and body of each exactly as `Analyzer.analyzeField` does
 * on the main thread, prepares their postings (PreparedBatchWriter, renumbered first when
 * the request says so) and sends the batch back. On `release` it frees jieba's memory and ends. An exception ends the worker and
 * reaches the pool as an `error` event.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer } from '../analysis/analyzer';
import { unloadJieba } from '../analysis/jieba';
import { PreparedBatchWriter, transferList } from './prepared';
import type { PrepareReply, PrepareRequest } from './workerPool';

const port = parentPort;
if (!port) throw new Error('prepareWorker runs as a worker thread of WorkerPool, not on its own');
const analyzer = new Analyzer({ userDict: (workerData as { userDict?: string }).userDict });
const writer = new PreparedBatchWriter();
port.on('message', (request: PrepareRequest) => {
  if ('release' in request) {
    unloadJieba();
    port.close();
    return;
  }
  const { texts } = request;
  if (request.renumber) writer.renumber();
  for (let i = 0; i + 1 < texts.length; i += 2) writer.add(analyzer.analyzeField(texts[i]), analyzer.analyzeField(texts[i + 1]));
  const reply: PrepareReply = { id: request.id, batch: writer.finish() };
  port.postMessage(reply, transferList(reply.batch));
});
