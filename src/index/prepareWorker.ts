/**
 * A worker thread of the build's worker pool (see workerPool.ts): loads jieba once with
 * the user dictionary in `workerData.userDict`, then, for each batch of documents it is
 * sent (JSON Lines documents as their lines, parsed here: unpackDocuments), analyzes the
 * title field and body of each exactly as `Analyzer.analyzeField` does on the main
 * thread, prepares their postings (PreparedBatchWriter, renumbered first when the request
 * says so) and their stored parts (JSON text, docmeta line: packStored) and sends the batch
 * back with their ids. On `release` it frees jieba's memory and ends. An exception (a line
 * that no longer holds its document among them) ends the worker and reaches the pool as an
 * `error` event.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer } from '../analysis/analyzer';
import { unloadJieba } from '../analysis/jieba';
import { bodyText, titleText } from '../document';
import { unpackDocuments } from './batchDocuments';
import { PreparedBatchWriter, transferList, unpackBatch } from './prepared';
import { packStored, storedTransferList } from './preparedStored';
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
  const documents = unpackDocuments(request.documents);
  if (request.renumber) writer.renumber();
  for (const doc of documents) writer.add(analyzer.analyzeField(titleText(doc)), analyzer.analyzeField(bodyText(doc)));
  const batch = writer.finish();
  const stored = packStored(documents, unpackBatch(batch));
  const reply: PrepareReply = { id: request.id, batch, ids: documents.map((doc) => doc.id), stored };
  port.postMessage(reply, [...transferList(batch), ...storedTransferList(stored)]);
});
