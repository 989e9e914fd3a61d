/**
 * How fast jiansuo starts, with the compiled command (`npm run build` first), as a user
 * runs it:
 * - `jiansuo search` on an index (default: the demo index) against loading nodejieba
 *   alone in a bare `node` — the issue asks for at most 0.2 s more;
 * - `jiansuo serve` on an index: time from spawning it to its first answered search
 *   (polled every 10 ms), and to typeahead/pinyin being ready.
 *
 *   npx tsx scripts/startup.ts [--search-index index-data/index] [--serve-index DIR] [--runs 5]
 *
 * Medians of `--runs` runs, each in a fresh process (the files stay in the page cache).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'jiansuo.js');
const DICT = path.join(ROOT, 'src', 'analysis', 'dict');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(args: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr.toString()}`);
  return performance.now() - started;
}

/** Milliseconds from spawning `serve` to its first 200 answer to a search, and to its "ready" line. */
async function serveStart(index: string): Promise<{ firstAnswerMs: number; readyMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--index', index, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let readyMs = NaN;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (Number.isNaN(readyMs) && /Typeahead, pinyin and "did you mean" ready/.test(output)) readyMs = performance.now() - started;
  });
  try {
    let firstAnswerMs = NaN;
    while (Number.isNaN(firstAnswerMs)) {
      const url = /on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        const response = await fetch(`${url}/api/search?q=${encodeURIComponent('经济发展')}`).catch(() => undefined);
        if (response?.status === 200) {
          await response.json();
          firstAnswerMs = performance.now() - started;
          break;
        }
      }
      if (child.exitCode !== null) throw new Error(`serve exited: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    while (Number.isNaN(readyMs)) await new Promise((resolve) => setTimeout(resolve, 10));
    return { firstAnswerMs, readyMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'search-index': { type: 'string', default: path.join('index-data', 'index') }, 'serve-index': { type: 'string' }, runs: { type: 'string', default: '5' } },
  });
  const runs = Number(values.runs);
  const searchIndex = path.resolve(ROOT, values['search-index']!);
  const jieba = `require('nodejieba').load({idfDict: ${JSON.stringify(path.join(DICT, 'minimal-idf.utf8'))}, stopWordDict: ${JSON.stringify(path.join(DICT, 'minimal-stop-words.utf8'))}})`;
  const bare: number[] = [];
  const search: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timed(['-e', jieba]));
    search.push(timed([BIN, 'search', '--index', searchIndex, '方特', '--limit', '1']));
  }
  console.log(`node + nodejieba load alone: ${median(bare).toFixed(0)} ms`);
  console.log(`jiansuo search (${path.relative(ROOT, searchIndex)}): ${median(search).toFixed(0)} ms (+${(median(search) - median(bare)).toFixed(0)} ms)`);
  if (values['serve-index']) {
    const starts: Array<{ firstAnswerMs: number; readyMs: number }> = [];
    for (let i = 0; i < runs; i++) starts.push(await serveStart(path.resolve(values['serve-index'])));
    console.log(
      `jiansuo serve (${values['serve-index']}): first answer ${median(starts.map((s) => s.firstAnswerMs)).toFixed(0)} ms, ` +
        `typeahead and pinyin ready ${median(starts.map((s) => s.readyMs)).toFixed(0)} ms after spawning`,
    );
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
