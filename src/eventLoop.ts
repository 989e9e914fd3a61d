import { setImmediate as nextTurn } from 'node:timers/promises';

/** Time one slice may hold the event loop when work runs beside a serving server. */
export const SLICE_MS = 8;

/** How inSlices divides its work, and when it stops. */
export interface SliceOptions {
  /** Longest a slice may hold the event loop, in milliseconds (default SLICE_MS). */
  sliceMs?: number;
  /**
   * Stops the work between two slices: inSlices then rejects with the signal's reason,
   * so that a stopping server neither keeps working nor keeps a half-built result.
   */
  signal?: AbortSignal;
}

/**
 * Runs `step` for each item, in slices of about `sliceMs` milliseconds with a turn of
 * the event loop between them, so that a server keeps answering while a long job (its
 * typeahead, its pinyin index) is built beside it. Same result as a plain loop, unless
 * `signal` aborts first: then no further step runs and the promise rejects.
 */
export async function inSlices<T>(items: Iterable<T>, step: (item: T) => void, options: SliceOptions = {}): Promise<void> {
  const { sliceMs = SLICE_MS, signal } = options;
  signal?.throwIfAborted();
  let sliceStart = performance.now();
  let sinceCheck = 0;
  for (const item of items) {
    step(item);
    // Reading the clock costs more than most steps: look every 64 items.
    if (++sinceCheck < 64) continue;
    sinceCheck = 0;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}

/** Runs a job written as a generator that pauses (yields) between its steps to the end, without pausing: its result. */
export function stepsAtOnce<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs a job written as a generator that pauses (yields) between its steps, in slices of
 * about `sliceMs` milliseconds with a turn of the event loop between them (see inSlices):
 * the same result as stepsAtOnce, while a server keeps answering.
 */
export async function stepsInSlices<T>(steps: Generator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
