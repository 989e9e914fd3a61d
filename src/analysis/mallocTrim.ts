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

/** The mmap threshold `serve` fixes in glibc's malloc, in bytes (see keepLargeBlocksMapped). */
export const MALLOC_MMAP_THRESHOLD = 128 * 1024;
/** The trim threshold `serve` fixes in glibc's malloc, in bytes (see keepLargeBlocksMapped). */
export const MALLOC_TRIM_THRESHOLD = 128 * 1024;

/**
 * Fixes glibc malloc's mmap threshold at MALLOC_MMAP_THRESHOLD: a block that large or larger
 * (a postings list's array buffer, a decoded table) gets a mapping of its own, which goes back
 * to the system as soon as it is freed; and its trim threshold at MALLOC_TRIM_THRESHOLD. Those
 * are glibc's starting values, but glibc raises both each time a mapped block is freed (up to
 * 32 and 64 MB), after which large blocks come from the arenas and what is freed stays there:
 * a loaded news-large server's arenas held 92–103 MiB freed at the end of a load run. For
 * the whole process and every thread, from the call on, until it ends (what
 * `GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072`
 * sets from the start). The cost: a page fault for each page of every such block, again at
 * each allocation. Exported by jiansuo's patch of nodejieba; true when glibc took both
 * values, false where the C library is not glibc.
 */
export function keepLargeBlocksMapped(): boolean {
  return nodejieba.setMallocThresholds(MALLOC_MMAP_THRESHOLD, MALLOC_TRIM_THRESHOLD);
}
