import { MessageChannel, MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { WordSource } from '../analysis/analyzer';

/**
 * jieba lent by a server's event loop to its long-query thread (heavyLane.ts), so that the
 * thread never loads jieba's dictionaries (about 120 MB of its own): the event loop sends
 * each call the words of its query (SearchEngine.wordsOfQuery), and the thread asks for any
 * other text it must analyze (a synonym, a pinyin spelling, a document's words for its
 * related articles) through a message port, waiting (Atomics.wait) for the answer. The
 * event loop never waits for the thread, so the two cannot block each other.
 */

/** An ask: which words of which normalized text. */
interface WordAsk {
  kind: 'query' | 'search';
  text: string;
}

/** What the thread is given to borrow words (cloned into its workerData; the port transferred). */
export interface BorrowedWordsLink {
  port: MessagePort;
  /** One Int32: 1 once the answer to the last ask is on the port. */
  answered: SharedArrayBuffer;
}

/**
 * Lends `words()` (the served engine's jieba, looked up at each ask) through a new link:
 * the link goes to the thread (its port in the transfer list), `close` ends the lending.
 */
export function lendWords(words: () => WordSource): { link: BorrowedWordsLink; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const answered = new SharedArrayBuffer(4);
  const flag = new Int32Array(answered);
  port1.on('message', ({ kind, text }: WordAsk) => {
    let reply: string[] | { error: string };
    try {
      const source = words();
      reply = kind === 'query' ? source.queryWords(text) : source.searchWords(text);
    } catch (error) {
      reply = { error: error instanceof Error ? error.message : String(error) };
    }
    port1.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  // Lending must not keep a stopping server's process alive.
  port1.unref();
  return { link: { port: port2, answered }, close: () => port1.close() };
}

/** How long one wait for the event loop lasts before waiting again (a terminated thread stops between waits). */
const WAIT_MS = 1000;

/** The thread's side: a WordSource asking the event loop over `link` for each text, waiting for the answer. */
export function borrowedWords(link: BorrowedWordsLink): WordSource {
  const flag = new Int32Array(link.answered);
  const ask = (kind: WordAsk['kind'], text: string): string[] => {
    Atomics.store(flag, 0, 0);
    const message: WordAsk = { kind, text };
    link.port.postMessage(message);
    while (Atomics.wait(flag, 0, 0, WAIT_MS) === 'timed-out') {
      // The event loop is busy with other requests: wait on.
    }
    const reply = receiveMessageOnPort(link.port)?.message as string[] | { error: string } | undefined;
    if (reply === undefined) throw new Error('the server did not answer for the words of a text');
    if (!Array.isArray(reply)) throw new Error(`the server could not give the words of a text: ${reply.error}`);
    return reply;
  };
  return { queryWords: (text) => ask('query', text), searchWords: (text) => ask('search', text) };
}
