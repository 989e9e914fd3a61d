/**
 * `jiansuo add` killed with SIGKILL at random moments, and all through its writing, never
 * damages the index and never loses an update it acknowledged (exit 0): the index always
 * opens, holding either the documents before the killed add or after it.
 */
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnCli } from './process';
import { SearchDocument } from '../src/document';
import { SearchEngine } from '../src/engine';
import { PROCESS_SERIES_TIMEOUT_MS, corpusDocuments, demoDocuments, seeded } from './helpers';

const BATCH = 40;
/** Fractions of an add's writing time (from the temporary generation's creation to the exit) at which to kill it. */
const WRITING_KILLS = [0, 0.25, 0.5, 0.75, 0.95];
const RANDOM_KILLS = 3;

let work: string;
let out: string;
let batches: SearchDocument[][];

interface AddRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  /** Milliseconds from the start to the temporary generation's creation. */
  writeMs?: number;
}

/** Runs `jiansuo add` of batch `b`; `onWrite` is called when the temporary generation appears, `onStart` at once. */
function add(b: number, onWrite?: (child: ChildProcess) => void, onStart?: (child: ChildProcess) => void, dir = out): Promise<AddRun> {
  const file = path.join(work, `batch-${b}.jsonl`);
  const started = Date.now();
  const child = spawnCli(['add', file, '--index', dir], { cwd: work, stdio: 'ignore' });
  let writeMs: number | undefined;
  const watcher = fs.watch(dir, (_event, entry) => {
    if (writeMs !== undefined || !entry?.startsWith('.tmp-gen-')) return;
    writeMs = Date.now() - started;
    onWrite?.(child);
  });
  onStart?.(child);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      watcher.close();
      resolve({ code, signal, ms: Date.now() - started, writeMs });
    }),
  );
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-update-crash-'));
  out = path.join(work, 'index');
  const news = await corpusDocuments('news-dev.jsonl.gz', BATCH * (WRITING_KILLS.length + RANDOM_KILLS + 2));
  batches = [];
  for (let b = 0; b * BATCH < news.length; b++) {
    batches.push(news.slice(b * BATCH, (b + 1) * BATCH));
    const lines = batches[b].map((d) => JSON.stringify({ id: d.id, title: d.title, body: d.paragraphs.join('\n') }));
    fs.writeFileSync(path.join(work, `batch-${b}.jsonl`), lines.join('\n') + '\n');
  }
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('an add killed at any moment leaves the index before or after it, and acknowledged adds are never lost', async () => {
  const timingDir = path.join(work, 'timing');
  SearchEngine.build(demoDocuments()).save(timingDir);
  const timing = await add(0, undefined, undefined, timingDir);
  expect(timing.code).toBe(0);
  const writingMs = timing.ms - timing.writeMs!;

  SearchEngine.build(demoDocuments()).save(out);
  const acknowledged: number[] = [];
  let documents = 11;
  let killedWhileWriting = 0;
  const check = (b: number, run: AddRun): void => {
    const engine = SearchEngine.open(out);
    const landed = engine.getDocument(batches[b][0].id) !== undefined;
    expect(engine.documentCount).toBe(documents + (landed ? BATCH : 0));
    if (run.code === 0) expect(landed).toBe(true);
    if (landed) acknowledged.push(b);
    documents = engine.documentCount;
    for (const done of acknowledged) {
      expect(engine.getDocument(batches[done][BATCH - 1].id)?.title).toBe(batches[done][BATCH - 1].title);
      expect(engine.search(batches[done][5].title, { limit: 1 }).hits[0].literal).toBe(true);
    }
  };

  const random = seeded(11);
  let b = 0;
  for (let i = 0; i < RANDOM_KILLS; i++, b++) {
    const delay = Math.round(random() * timing.ms);
    check(b, await add(b, undefined, (child) => setTimeout(() => child.kill('SIGKILL'), delay)));
  }
  for (const fraction of WRITING_KILLS) {
    const run = await add(b, (child) => setTimeout(() => child.kill('SIGKILL'), fraction * writingMs));
    if (run.signal === 'SIGKILL' && run.writeMs !== undefined) killedWhileWriting++;
    check(b++, run);
  }
  expect(killedWhileWriting).toBeGreaterThan(0);

  // The next add takes over the dead writers' lock, removes their leftovers (keeping the generation before it, for readers) and lands.
  const before = fs.readFileSync(path.join(out, 'CURRENT'), 'utf8').trim();
  const last = await add(b);
  expect(last.code).toBe(0);
  check(b, last);
  const current = fs.readFileSync(path.join(out, 'CURRENT'), 'utf8').trim();
  const [kept, ...others] = fs.readdirSync(out).filter((name) => name !== 'CURRENT' && name !== current);
  expect(others).toEqual([]);
  // Kept: the generation CURRENT named before the command's last write, `before` itself or, when the add also merged
  // segments by the merge policy (a generation of its own), the add's own generation written after it.
  expect(kept === before || (/^gen-/.test(kept) && kept > before && kept < current)).toBe(true);
}, PROCESS_SERIES_TIMEOUT_MS);
