import * as nodejieba from 'nodejieba';

/**
 * Gives the memory the process's malloc holds freed back to the system (glibc's
 * `malloc_trim(0)`, over every thread's arena), and says whether there was any. glibc
 * keeps what a program frees for its next allocations, and hands little of it back by
 * itself: after `serve` opened news-large and collected its garbage, 77–83 MiB of the RSS
 * was such memory. Exported by jiansuo's patch of nodejieba (patches/nodejieba+3.5.8.patch),
 * the one native module jiansuo builds; false where the C library is not glibc. Costs a
 * walk of malloc's free lists under each arena's lock (4–130 ms measured, up to 0.8 s on a
 * loaded machine), and the pages it gives back fault when used again: called only when
 * the process has nothing to do.
 */
export function returnFreedMemory(): boolean {
  return nodejieba.mallocTrim();
}
