import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { returnFreedMemory } from '../analysis/mallocTrim';

/**
 * A full garbage collection of the calling thread's heap, as `global.gc` does under
 * `--expose-gc` (V8 then also releases the array buffers only garbage held). A server's
 * threads call it when they have nothing to do: V8 by itself lets a busy heap grow to
 * several times what is alive before it collects (on news-large, 150 MiB of a long-query
 * thread's heap for 52 MiB alive), and that garbage stays resident. The flag is set here,
 * at run time, because `serve` is not started with it; answers are not affected.
 */
export function fullCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Has V8 collect every heap of the process (the event loop's and its worker threads') once
 * it has grown `percent` past what its last full collection left alive (V8's
 * `--heap-growing-percent`; 0: V8's own factor, up to 4× on a machine with a few GB).
 * Unlike `--max-old-space-size`, which also lowers V8's factor but only when given at
 * start-up, and is a hard limit whose excess ends the process, this is read at every
 * collection, so `serve` sets it at run time, and it limits nothing: a heap with more alive
 * simply grows. The cost is more full collections for the same work.
 */
export function limitHeapGrowth(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * fullCollector, then what malloc holds freed handed back to the system
 * (returnFreedMemory, every thread's arena): glibc keeps it otherwise, 77–83 MiB of an
 * idle news-large server's RSS after opening. For moments the whole process is idle
 * (after opening, the event loop's idle collection): the trim walks malloc's free lists
 * holding each arena's lock, 70–130 ms with 80 MB freed in 20,000 pieces, and the pages
 * it gives back cost a fault each when used again, so a long-query thread's collections
 * under load do not trim.
 */
export function trimmingCollector(): () => void {
  const collect = fullCollector();
  return () => {
    collect();
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
