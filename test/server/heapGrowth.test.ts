/**
 * `serve --heap-growth`: the server has V8 collect its heaps once they have grown that much past what
 * was alive (limitHeapGrowth), from the full collection after opening on. Read from V8's own trace
 * (`--trace-gc-verbose` prints the factor of each new limit, "[HeapController] Limit: … (1.4)"), the
 * only place V8 shows it: should a Node upgrade change that line, check that the flag still works.
 *
 * And the other process-wide memory setting `serve` makes: glibc malloc's mmap threshold, fixed before
 * opening (keepLargeBlocksMapped), so that large blocks keep mappings of their own, given back when
 * freed, instead of glibc raising the threshold each time one is freed and keeping the next ones in its
 * arenas. glibc has no call that reports the threshold: a preloaded probe (test/fixtures/mallocProbe.cjs)
 * asks malloc for two blocks as the process exits and looks whether each was mapped.
 */
import { spawnSync } from 'node:child_process';
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

describe("glibc malloc's mmap threshold", () => {
  const PROBE = path.join(__dirname, '..', 'fixtures', 'mallocProbe.cjs');
  const { glibcVersionRuntime } = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header;
  const glibc = glibcVersionRuntime !== undefined;

  /** The probe's answer in a process's output: whether the 24 MiB and then the 20 MiB block were mapped. */
  function mapped(output: string): boolean[] {
    const line = /malloc maps 24 MiB, 20 MiB: (\[.*\])/.exec(output);
    if (!line) throw new Error(`no probe output in:\n${output}`);
    return JSON.parse(line[1]) as boolean[];
  }

  it('in a plain Node process glibc raises it past the first block once that is freed: the second comes from an arena', () => {
    const plain = spawnSync(process.execPath, ['--require', PROBE, '-e', ''], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(mapped(plain.stdout)).toEqual(glibc ? [true, false] : [false, false]);
  });

  it('serve fixes it at start: both blocks are mapped', async () => {
    serve = await startServe(['--index', index, '--long-query-thread', 'off'], work, ['--require', PROBE]);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(mapped(serve.output())).toEqual(glibc ? [true, true] : [false, false]);
  });
});
