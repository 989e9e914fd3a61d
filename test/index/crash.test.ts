/**
 * `jiansuo index` killed with SIGKILL at any moment of a build of real news text leaves
 * the previous index intact and loadable (or, killed after the switch, the new one
 * complete), and the leftovers of a killed build are removed by the next one.
 */
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { spawnCli } from '../process';
import { SearchEngine } from '../../src/engine';
import { CORPUS_DIR, PROCESS_SERIES_TIMEOUT_MS, demoDocuments, seeded } from '../helpers';

/** Enough text for a saving phase long enough to be cut into (about 0.3 s of a 2 s build on an idle machine). */
const SLICE_DOCUMENTS = 1000;
/** Kills at random moments of the whole build. */
const RANDOM_KILLS = 3;
/** Kills spread over the saving phase (from the first write into the index directory to the end): where a non-atomic writer would break. */
const SAVING_KILLS = [0, 0.3, 0.6, 0.9];
/** More kills over the saving phase, tried one by one only while none of SAVING_KILLS landed inside a write (on a loaded machine the phase's length varies). */
const MORE_SAVING_KILLS = [0.1, 0.2, 0.45, 0.75, 0.05, 0.15, 0.4, 0.5];
/** Builds segment on the main thread: half the CPU time of worker threads, and the saving tested is the same. */
const THREADS = '0';

let work: string;
let slice: string;
let out: string;
let sliceTitle: string;

/** The first `n` lines of a gzipped JSON Lines file. */
async function firstLines(file: string, n: number): Promise<string[]> {
  const lines: string[] = [];
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    lines.push(line);
    if (lines.length === n) break;
  }
  input.destroy();
  return lines;
}

interface BuildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the start to the exit, and to the build's first write into the index directory. */
  ms: number;
  firstWriteMs?: number;
}

/**
 * Runs `jiansuo index` of the slice into `dir`, watching the directory; `onFirstWrite` is
 * called with the child the moment a new entry appears in it (the saving phase begins).
 */
function build(dir: string, onFirstWrite?: (child: ChildProcess) => void, onStart?: (child: ChildProcess) => void): Promise<BuildRun> {
  fs.mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const existing = new Set(fs.readdirSync(dir));
  const child = spawnCli(['index', '--source', slice, '--out', dir, '--threads', THREADS], { cwd: work, stdio: 'ignore' });
  let firstWriteMs: number | undefined;
  const watcher = fs.watch(dir, (_event, entry) => {
    if (firstWriteMs !== undefined || !entry || existing.has(entry)) return;
    firstWriteMs = Date.now() - started;
    onFirstWrite?.(child);
  });
  onStart?.(child);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      watcher.close();
      resolve({ code, signal, ms: Date.now() - started, firstWriteMs });
    }),
  );
}

/** Entries of `out` a killed build left: segments being staged (`.tmp-build-*`) or a generation being written (`.tmp-gen-*`). */
function halfWritten(): number {
  return fs.readdirSync(out).filter((entry) => entry.startsWith('.tmp-gen-') || entry.startsWith('.tmp-build-')).length;
}

/** What a reader finds in `out` now: it must always open, holding the old 11 documents or the whole new build. */
function checkIndex(): number {
  const engine = SearchEngine.open(out);
  if (engine.documentCount === 11) {
    expect(engine.search('方特').hits.map((hit) => hit.title)).toEqual(['郑州方特开启暑期亲子游']);
  } else {
    expect(engine.documentCount).toBe(SLICE_DOCUMENTS);
    expect(engine.search(sliceTitle, { limit: 1 }).hits[0].literal).toBe(true);
  }
  return engine.documentCount;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-crash-'));
  slice = path.join(work, 'slice.jsonl');
  const lines = await firstLines(path.join(CORPUS_DIR, 'news-dev.jsonl.gz'), SLICE_DOCUMENTS);
  fs.writeFileSync(slice, lines.join('\n') + '\n');
  sliceTitle = (JSON.parse(lines[SLICE_DOCUMENTS - 1]) as { title: string }).title;
  out = path.join(work, 'index');
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('a build killed at random moments and all through its saving never damages the index; the next build cleans up', async () => {
  // How long a whole build takes here, and when its saving starts, to spread the kills over them.
  const full = await build(path.join(work, 'timing'));
  expect(full.code).toBe(0);
  const savingMs = full.ms - full.firstWriteMs!;

  SearchEngine.build(demoDocuments()).save(out);
  const random = seeded(6);
  for (let i = 0; i < RANDOM_KILLS; i++) {
    const delay = Math.round(random() * full.ms);
    await build(out, undefined, (child) => setTimeout(() => child.kill('SIGKILL'), delay));
    checkIndex();
  }
  let cutWhileWriting = 0;
  for (const [i, fraction] of [...SAVING_KILLS, ...MORE_SAVING_KILLS].entries()) {
    if (i >= SAVING_KILLS.length && cutWhileWriting > 0) break;
    const leftovers = halfWritten();
    const run = await build(out, (child) => setTimeout(() => child.kill('SIGKILL'), fraction * savingMs));
    checkIndex();
    // Killed while writing: the half-written segments or generation are left aside, never read.
    if (run.signal === 'SIGKILL' && halfWritten() > leftovers) cutWhileWriting++;
  }
  expect(cutWhileWriting).toBeGreaterThan(0);

  // The next whole build replaces it and removes every leftover, keeping only the generation before it (for readers still opening it).
  const before = fs.readFileSync(path.join(out, 'CURRENT'), 'utf8').trim();
  expect((await build(out)).code).toBe(0);
  expect(checkIndex()).toBe(SLICE_DOCUMENTS);
  const now = fs.readFileSync(path.join(out, 'CURRENT'), 'utf8').trim();
  expect(fs.readdirSync(out).sort()).toEqual(['CURRENT', before, now].sort());
}, PROCESS_SERIES_TIMEOUT_MS);
