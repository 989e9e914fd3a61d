import * as fs from 'node:fs';
import * as path from 'node:path';
import { IndexError, IndexLockedError } from '../errors';

const LOCK = 'LOCK';

/** Whether a process with this id is running (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `write` while holding the index directory's write lock: a `LOCK` file created
 * exclusively, holding the writer's process id. Two writers (a build and an `add`, or
 * `add` from the command line while the server takes an upload) would otherwise each
 * switch CURRENT to a generation that lacks the other's change. A lock left by a process
 * that no longer runs (killed mid-write) is taken over; one held by a running process is
 * refused with an IndexLockedError naming it. Readers never take the lock.
 */
export function withIndexLock<T>(dir: string, write: () => T): T {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      createLock(file);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(dir, file, error);
      const holder = Number.parseInt(readOr(file, ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new IndexLockedError(`The index at ${dir} is being written by another jiansuo process (pid ${holder}); try again when it has finished.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  try {
    return write();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Creates the LOCK file holding this process's id; one this call created but could not fill (a full disk) is removed. */
function createLock(file: string): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeSync(fd, `${process.pid}\n`);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw error;
  }
  fs.closeSync(fd);
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function lockError(dir: string, file: string, error: unknown): IndexError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new IndexError(`The disk holding ${dir} is full: cannot create its LOCK file (${code}). Free some space and try again; the index was not changed.`);
  }
  const holder = readOr(file, '').trim();
  return holder
    ? new IndexLockedError(`The index at ${dir} is being written by another jiansuo process (pid ${holder}); try again when it has finished.`)
    : new IndexError(`Cannot lock the index at ${dir} for writing: ${(error as Error).message}`);
}
