/**
 * `serve --heap-growth`: the server has V8 collect its heaps once they have grown that much past what
 * was alive (limitHeapGrowth), from the full collection after opening on. Read from V8's own trace
 * (`--trace-gc-verbose` prints the factor of each new limit, "[HeapController] Limit: … (1.4)"), the
 * only place V8 shows it: should a Node upgrade change that line, check that the flag still works.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { DEFAULT_HEAP_GROWTH_PERCENT } from '../../src/server/defaults';
import { demoDocuments } from '../helpers';
import { ServeProcess, kill, startServe } from '../process';

let work: string;
let index: string;
let serve: ServeProcess | undefined;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-heap-growth-'));
  index = path.join(work, 'index');
  SearchEngine.build(demoDocuments()).save(index);
});

afterEach(() => {
  kill(serve);
  serve = undefined;
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The growing factors of the heap limits V8 set before the server said it was serving, in order. */
function factorsBeforeServing(output: string): string[] {
  const head = output.slice(0, output.indexOf('jiansuo serving'));
  return [...head.matchAll(/\[HeapController\] Limit: .*\((\d+\.\d)\)/g)].map((match) => match[1]);
}

it.each([
  ['--heap-growth 60', ['--heap-growth', '60'], '1.6'],
  ['the default', [], (1 + DEFAULT_HEAP_GROWTH_PERCENT / 100).toFixed(1)],
])('with %s, the heap limit set after opening grows by that factor', async (_name, args, factor) => {
  serve = await startServe(['--index', index, '--long-query-thread', 'off', ...args], work, ['--trace-gc-verbose']);
  const factors = factorsBeforeServing(serve.output());
  // The full collection after opening sets the limit with the server's factor (any before it, V8's own).
  expect(factors.at(-1)).toBe(factor);
});
