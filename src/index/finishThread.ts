import { Worker } from 'node:worker_threads';
import { BuildError } from '../errors';
import { Lexicon } from './data';
import { BlockDeflater } from './docStore';
import { workerScript } from './workerPool';

/**
 * A thread that takes work off the main thread while it finishes the last segment of a
 * build (IndexBuilder.finishWith), or makes the lexicon of a segment a build staged without
 * one (SegmentStaging.finishDrafts): its lexicon (pinyin readings and speller keys of its
 * words, buildLexicon) and the deflating of its stored documents' blocks, while the main
 * thread lays the postings out. On news-dev (one segment) those were 3.8 and 1.8 s of the
 * main thread's 15.6 s finish, run alone while the other core sat idle. The thread loads no
 * jieba (pinyin-pro only when a lexicon is asked for: about 0.15 s and 30 MB) and is ended
 * after the segment (close), so that its garbage goes with it. The results are byte for
 * byte those of the main thread's buildLexicon and deflateBlock (finishWorker.ts runs the
 * same code).
 */
export class FinishThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<FinishReply['kind'], { resolve: (reply: FinishReply) => void; reject: (error: Error) => void }>();
  private failure: BuildError | undefined;

  constructor() {
    const { file, execArgv } = workerScript(__dirname, 'finishWorker');
    this.worker = new Worker(file, { execArgv, resourceLimits: FINISH_LIMITS });
    this.worker.on('message', (reply: FinishReply) => {
      const waiting = this.waiting.get(reply.kind);
      this.waiting.delete(reply.kind);
      waiting?.resolve(reply);
    });
    this.worker.on('error', (error) => this.fail(error.message));
    this.worker.on('messageerror', (error) => this.fail(`a reply could not be read: ${error.message}`));
    this.worker.on('exit', (code) => this.fail(`it exited with code ${code}`));
  }

  /** The lexicon of a segment whose sorted words are `wordTerms` (buildLexicon), made on the thread. */
  async lexicon(wordTerms: readonly string[]): Promise<Lexicon> {
    const reply = await this.ask({ kind: 'lexicon', wordTerms });
    if (reply.kind !== 'lexicon') throw new BuildError(`the finishing thread answered ${reply.kind} to lexicon`);
    return reply.lexicon;
  }

  /**
   * A BlockDeflater for a store whose dictionary is `dictionary`: the coded blocks are sent
   * to the thread in chunks of about CHUNK_BYTES as they come (moved, not copied), deflated
   * there, and sent back together when `done` is asked. One store per thread.
   */
  deflater(dictionary: Uint8Array): BlockDeflater {
    this.worker.postMessage({ kind: 'store', dictionary } satisfies FinishRequest);
    let chunk: Uint8Array[] = [];
    let chunkBytes = 0;
    const send = (): void => {
      if (chunk.length === 0) return;
      const coded = new Uint8Array(chunkBytes);
      const lengths = new Uint32Array(chunk.length);
      let at = 0;
      chunk.forEach((block, i) => {
        coded.set(block, at);
        at += lengths[i] = block.length;
      });
      this.worker.postMessage({ kind: 'blocks', coded, lengths } satisfies FinishRequest, [coded.buffer, lengths.buffer]);
      chunk = [];
      chunkBytes = 0;
    };
    return {
      add: (coded) => {
        chunk.push(coded);
        chunkBytes += coded.length;
        if (chunkBytes >= CHUNK_BYTES) send();
      },
      done: async () => {
        send();
        const reply = await this.ask({ kind: 'deflate' });
        if (reply.kind !== 'deflated') throw new BuildError(`the finishing thread answered ${reply.kind} to deflate`);
        const blocks: Uint8Array[] = [];
        let at = 0;
        for (const length of reply.lengths) blocks.push(reply.deflated.subarray(at, (at += length)));
        return blocks;
      },
    };
  }

  /** Ends the thread (what it was asked was answered, or the build failed). */
  async close(): Promise<void> {
    this.failure ??= new BuildError('the finishing thread was closed');
    this.rejectAll(this.failure);
    await this.worker.terminate();
  }

  private ask(request: FinishRequest & { kind: 'lexicon' | 'deflate' }): Promise<FinishReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(request.kind === 'lexicon' ? 'lexicon' : 'deflated', { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = new BuildError(`the thread finishing a segment (lexicon, stored documents) failed: ${reason}`);
    this.rejectAll(this.failure);
  }

  private rejectAll(error: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

/** A small young generation, as the workers have (workerPool.ts): V8's default semi-spaces cost tens of MB of RSS, at the build's peak. */
const FINISH_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** Coded blocks are sent to the finishing thread in chunks of about this many bytes: one message per block (news-dev: 11 K) cost more than the deflating saved. */
const CHUNK_BYTES = 1 << 20;

/**
 * What finishWorker.ts is sent: the words to make a lexicon of; a store's dictionary, then
 * its coded blocks in order (`coded` holds them one after another, `lengths` says where
 * they end), then `deflate` to have them all back deflated.
 */
export type FinishRequest =
  | { kind: 'lexicon'; wordTerms: readonly string[] }
  | { kind: 'store'; dictionary: Uint8Array }
  | { kind: 'blocks'; coded: Uint8Array; lengths: Uint32Array }
  | { kind: 'deflate' };

/** What finishWorker.ts answers: the lexicon, or the store's blocks deflated (one after another in `deflated`, of `lengths` bytes each). */
export type FinishReply = { kind: 'lexicon'; lexicon: Lexicon } | { kind: 'deflated'; deflated: Uint8Array; lengths: Uint32Array };
