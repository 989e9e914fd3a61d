import { fork } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Heap limit of each child: news-large indexes need more than Node's default. */
const CHILD_HEAP_MB = 16384;

/** What a child reports when it fails, or when it is killed or exits without a report. */
export interface ChildError {
  kind: 'error';
  message: string;
}

/**
 * Runs `script` (TypeScript, through tsx, with GC exposed) in a fresh process with `task` as
 * its only argument (JSON) and resolves with the one message it sends, or with an error when
 * it sends none; kills it after `minutes`, when given.
 */
export function runChild<T>(script: string, task: object, minutes?: number): Promise<T | ChildError> {
  return new Promise((resolve) => {
    const child = fork(script, [JSON.stringify(task)], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${CHILD_HEAP_MB}`],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message: T | ChildError | undefined;
    const timer =
      minutes === undefined
        ? undefined
        : setTimeout(() => {
            message = { kind: 'error', message: `timed out after ${minutes} minutes (--step-minutes)` };
            child.kill('SIGKILL');
          }, minutes * 60_000);
    child.on('exit', () => clearTimeout(timer));
    child.on('message', (m) => {
      message = m as T;
    });
    child.on('error', (error) => resolve({ kind: 'error', message: error.message }));
    child.on('exit', (code, signal) => resolve(message ?? { kind: 'error', message: `child exited (${signal ?? `code ${code}`}) without a report` }));
  });
}
