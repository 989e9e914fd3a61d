/**
 * A worker thread of the analysis pool (see analysisPool.ts): loads jieba once with the
 * user dictionary in `workerData.userDict`, then analyzes each batch of field texts it is
 * sent exactly as `Analyzer.analyzeField` does on the main thread, and sends the fields
 * back packed. On `release` it frees jieba's memory and ends. An exception ends the
 * worker and reaches the pool as an `error` event.
 */
import { parentPort, workerData } from 'worker_threads';
import { AnalysisReply, AnalysisRequest, packFields, transferList } from './analyzedBatch';
import { Analyzer } from './analyzer';
import { unloadJieba } from './segment';

const port = parentPort;
if (!port) throw new Error('segmentWorker.ts runs as a worker thread of AnalysisPool, not on its own');
const analyzer = new Analyzer({ userDict: (workerData as { userDict?: string }).userDict });
port.on('message', (request: AnalysisRequest) => {
  if ('release' in request) {
    unloadJieba();
    port.close();
    return;
  }
  const packed = packFields(request.texts.map((text) => analyzer.analyzeField(text)));
  const reply: AnalysisReply = { id: request.id, packed };
  port.postMessage(reply, transferList(packed));
});
