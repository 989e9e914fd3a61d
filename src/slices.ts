import { setImmediate as nextTurn } from 'timers/promises';

/** Time one slice may hold the event loop when work runs beside a serving server. */
export const SLICE_MS = 8;

/**
 * Runs `step` for each item, in slices of about `sliceMs` milliseconds with a turn of
 * the event loop between them, so that a server keeps answering while a long job (its
 * typeahead, its pinyin index) is built beside it. Same result as a plain loop.
 */
export async function inSlices<T>(items: Iterable<T>, step: (item: T) => void, sliceMs = SLICE_MS): Promise<void> {
  let sliceStart = performance.now();
  let sinceCheck = 0;
  for (const item of items) {
    step(item);
    // Reading the clock costs more than most steps: look every 64 items.
    if (++sinceCheck < 64) continue;
    sinceCheck = 0;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
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
