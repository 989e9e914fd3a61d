/**
 * How fast jiansuo starts, with the compiled command (`npm run build` first), as a user
 * runs it:
 * - `jiansuo search` on an index (default: the demo index) for each kind of query (a
 *   Chinese word, full pinyin, initials, a misspelling that "did you mean" corrects, a long
 *   sentence) against loading nodejieba alone in a bare `node` — issue 12 asks for at most
 *   0.2 s more;
 * - `jiansuo serve` on an index: time from spawning it to its first answered search
 *   (polled every 10 ms), and to typeahead/pinyin being ready.
 *
 *   npx tsx scripts/startup.ts [--search-index index-data/index] [--serve-index DIR] [--runs 5] [--bin bin/jiansuo.js]
 *
 * `--bin` times another checkout's command (e.g. before a change) on the same machine.
 *
 * Medians of `--runs` runs, each in a fresh process (the files stay in the page cache),
 * the runs of jieba alone and of each query interleaved so that a change in the machine's
 * load touches all alike. Where /usr/bin/time exists, the processes' CPU time (user +
 * system) is shown too: on a machine shared with other work it moves less than the wall time.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
const DICT = path.join(ROOT, 'src', 'analysis', 'dict');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const TIME = '/usr/bin/time';

/** Queries of each kind (`jiansuo search`), on news-dev; the demo index answers them too. */
const QUERIES: Array<[string, string]> = [
  ['Chinese word', '方特'],
  ['full pinyin', 'fangte'],
  ['initials', 'ft'],
  ['misspelling (did you mean)', '郑洲'],
  ['long sentence', '国务院总理在人民大会堂会见了来访的外国领导人并就双边关系交换意见'],
];

/** Wall-clock milliseconds of one run of `node args`, and its CPU milliseconds (user + system) where /usr/bin/time exists. */
function timed(args: string[]): { wall: number; cpu: number } {
  const withTime = fs.existsSync(TIME);
  const started = performance.now();
  const run = withTime
    ? spawnSync(TIME, ['-f', 'cpu %U %S', process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr.toString()}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr.toString());
  return { wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

/** "median ms (+difference to `base`)", wall and CPU. */
function versus(runs: Array<{ wall: number; cpu: number }>, base: Array<{ wall: number; cpu: number }>): string {
  const at = (key: 'wall' | 'cpu', list: Array<{ wall: number; cpu: number }>): number => median(list.map((r) => r[key]));
  const part = (key: 'wall' | 'cpu'): string => `${key} ${at(key, runs).toFixed(0)} ms (+${(at(key, runs) - at(key, base)).toFixed(0)})`;
  return Number.isNaN(at('cpu', runs)) ? part('wall') : `${part('wall')}, ${part('cpu')}`;
}

/** Milliseconds from spawning `serve` to its first 200 answer to a search, and to its "ready" line. */
async function serveStart(bin: string, index: string): Promise<{ firstAnswerMs: number; readyMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--index', index, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
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
    options: {
      'search-index': { type: 'string', default: path.join('index-data', 'index') },
      'serve-index': { type: 'string' },
      runs: { type: 'string', default: '5' },
      bin: { type: 'string', default: path.join('bin', 'jiansuo.js') },
    },
  });
  const runs = Number(values.runs);
  const bin = path.resolve(ROOT, values.bin!);
  const searchIndex = path.resolve(ROOT, values['search-index']!);
  const jieba = `require('nodejieba').load({idfDict: ${JSON.stringify(path.join(DICT, 'minimal-idf.utf8'))}, stopWordDict: ${JSON.stringify(path.join(DICT, 'minimal-stop-words.utf8'))}})`;
  const bare: Array<{ wall: number; cpu: number }> = [];
  const search = QUERIES.map(() => [] as Array<{ wall: number; cpu: number }>);
  for (let i = 0; i < runs; i++) {
    bare.push(timed(['-e', jieba]));
    QUERIES.forEach(([, query], q) => search[q].push(timed([bin, 'search', '--index', searchIndex, query, '--limit', '10'])));
  }
  console.log(`node + nodejieba load alone: ${versus(bare, bare)}`);
  QUERIES.forEach(([kind, query], q) => console.log(`jiansuo search ${query.length > 12 ? `${query.slice(0, 12)}…` : query} (${kind}, ${path.relative(ROOT, searchIndex)}): ${versus(search[q], bare)}`));
  if (values['serve-index']) {
    const starts: Array<{ firstAnswerMs: number; readyMs: number }> = [];
    for (let i = 0; i < runs; i++) starts.push(await serveStart(bin, path.resolve(values['serve-index'])));
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
