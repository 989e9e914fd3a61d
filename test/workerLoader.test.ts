/** test/workerLoader.cjs: the threads src/ starts under Jest run dist/'s compiled files when current, anything else through tsx. */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../src/index/workerPool';
import { distIsCurrent } from './compiled';
import { ROOT } from './helpers';

/** Runs `code` on a thread started as src/ starts its threads (workerScript's Node options) and resolves with the first message it posts. */
function onThread(code: string): Promise<unknown> {
  const { execArgv } = workerScript(path.join(ROOT, 'src', 'index'), 'finishWorker');
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, execArgv });
    worker.once('message', (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** What a thread that loaded `file` reports: whether tsx was loaded, and a value the file computes. */
const report = (file: string, expression: string): string => `
  const { parentPort } = require('node:worker_threads');
  const loaded = require(${JSON.stringify(file)});
  parentPort.postMessage({ tsx: Object.keys(require.cache).some((name) => name.includes('${path.sep}tsx${path.sep}')), value: ${expression} });
`;

it('starts src/ threads with this loader instead of tsx', () => {
  expect(workerScript(path.join(ROOT, 'src', 'index'), 'finishWorker').execArgv).toEqual(['--require', path.join(ROOT, 'test', 'workerLoader.cjs')]);
});

it('loads a source of src/ from dist/ when dist/ is current, else through tsx, with the same result', async () => {
  const source = path.join(ROOT, 'src', 'document.ts');
  const answer = await onThread(report(source, "loaded.bodyText({ paragraphs: ['第一段', '第二段'] })"));
  expect(answer).toEqual({ tsx: !distIsCurrent(), value: '第一段\n第二段' });
});

it('loads a TypeScript file outside src/ through tsx', async () => {
  expect(await onThread(`require(${JSON.stringify(path.join(ROOT, 'test', 'fixtures', 'workers', 'typed.ts'))})`)).toBe(42);
});
