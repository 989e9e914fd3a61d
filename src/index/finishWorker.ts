/**
 * The thread of a FinishThread (finishThread.ts): makes a segment's lexicon (buildLexicon)
 * and deflates its stored documents' blocks (deflateBlock) while the main thread lays the
 * segment's postings out. Requests are answered in the order they come; an exception ends
 * the thread and reaches the FinishThread as an `error` event.
 */
import { parentPort } from 'node:worker_threads';
import { deflateBlock } from './docStore';
import type { FinishReply, FinishRequest } from './finishThread';

const port = parentPort;
if (!port) throw new Error('finishWorker runs as the thread of a FinishThread, not on its own');
let dictionary: Uint8Array = new Uint8Array(0);
let deflated: Uint8Array[] = [];
port.on('message', (request: FinishRequest) => {
  switch (request.kind) {
    case 'lexicon': {
      // Loaded when first asked for (pinyin-pro: some 30 MB): a thread that only deflates never loads it.
      const { buildLexicon } = require('./lexicon') as typeof import('./lexicon');
      const lexicon = buildLexicon(request.wordTerms);
      const reply: FinishReply = { kind: 'lexicon', lexicon };
      port.postMessage(reply, Object.values(lexicon).map((array: Uint8Array | Uint32Array) => array.buffer as ArrayBuffer));
      return;
    }
    case 'store':
      dictionary = request.dictionary;
      deflated = [];
      return;
    case 'blocks': {
      let at = 0;
      for (const length of request.lengths) deflated.push(deflateBlock(dictionary, request.coded.subarray(at, (at += length))));
      return;
    }
    case 'deflate': {
      const lengths = Uint32Array.from(deflated, (block) => block.length);
      const all = new Uint8Array(deflated.reduce((sum, block) => sum + block.length, 0));
      let at = 0;
      for (const block of deflated) {
        all.set(block, at);
        at += block.length;
      }
      deflated = [];
      const reply: FinishReply = { kind: 'deflated', deflated: all, lengths };
      port.postMessage(reply, [all.buffer, lengths.buffer]);
      return;
    }
  }
});
