/** fullCollector and trimmingCollector: a full collection of the calling thread's heap, without --expose-gc on the command line. */
import { fullCollector, trimmingCollector } from '../../src/server/collectGarbage';

it.each([
  ['fullCollector', fullCollector],
  ['trimmingCollector', trimmingCollector],
])('%s gives back the heap that only garbage holds', (_name, collector) => {
  const collect = collector();
  collect();
  const before = process.memoryUsage().heapUsed;
  let garbage: Array<{ n: number; s: string }> | undefined = [];
  for (let i = 0; i < 500_000; i++) garbage.push({ n: i, s: `word ${i}` });
  const held = process.memoryUsage().heapUsed;
  expect(held - before).toBeGreaterThan(20 * 1024 * 1024);
  garbage = undefined;
  collect();
  expect(process.memoryUsage().heapUsed - before).toBeLessThan(5 * 1024 * 1024);
});
