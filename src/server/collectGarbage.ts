import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { returnFreedMemory } from '../analysis/mallocTrim';

/**
 * A full garbage collection of the calling thread's heap, as `global.gc` does under
 * `--expose-gc` (V8 then also releases the array buffers only garbage held), followed by
 * handing what malloc then holds freed back to the system (returnFreedMemory: glibc keeps
 * it otherwise, 77–83 MiB of an idle news-large server's RSS). A server's threads call it
 * when they have nothing to do: V8 by itself lets a busy heap grow to several times what
 * is alive before it collects (on news-large, 150 MiB of a long-query thread's heap for
 * 52 MiB alive), and that garbage stays resident. The flag is set here, at run time,
 * because `serve` is not started with it; answers are not affected.
 */
export function fullCollector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    returnFreedMemory();
  };
}

/** Bytes of JavaScript heap and array buffers the calling thread uses (a worker's figures are its own isolate's). */
function heldBytes(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Full collections of the calling thread's heap, each only once the thread holds `slack`
 * bytes (heap and array buffers) more than were alive after its last one: a full
 * collection costs 100–200 ms of CPU on a news-large server, not worth it after work that
 * left little behind. The thread asks (`collectIfGrown`) when it has nothing to do.
 */
export class GrowthCollector {
  /** Heap and array buffers alive after the last collection (none before the first). */
  private alive = 0;

  constructor(
    private readonly slack: number,
    private readonly collect: () => void = fullCollector(),
  ) {}

  /** Collects when the thread holds more than `slack` beyond what was alive after the last collection; says whether it did. */
  collectIfGrown(): boolean {
    if (heldBytes() <= this.alive + this.slack) return false;
    this.collect();
    this.alive = heldBytes();
    return true;
  }
}
