/**
 * Readers opening the index over and over while `jiansuo add` and `jiansuo remove` run in
 * other processes never fail: a generation being superseded is never removed under a
 * reader (the previous one is kept; a reader that still loses the race opens the new
 * CURRENT), so no reader ever reports a healthy index as damaged.
 */
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnCli } from '../process';
import { SearchDocument } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { corpusDocuments } from '../helpers';

/** A base large enough that reading and checking its files is most of an open: where a removed generation hurts. */
const BASE = 2000;
const BATCH = 10;
/** Writes in all: adds and removes alternating. */
const WRITES = 8;
/** Documents of each added batch removed again (few: analyzing removed documents is a cost of opening). */
const REMOVED = 2;
/** Readers opening concurrently, each in a loop: one with open, the others with openAsync. */
const READERS = 3;

let work: string;
let index: string;
let batches: SearchDocument[][];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-readers-'));
  index = path.join(work, 'index');
  const news = await corpusDocuments('news-dev.jsonl.gz', BASE + BATCH * WRITES);
  SearchEngine.build(news.slice(0, BASE)).save(index);
  batches = [];
  for (let b = 0; b < WRITES / 2; b++) {
    batches.push(news.slice(BASE + b * BATCH, BASE + (b + 1) * BATCH));
    const lines = batches[b].map((d) => JSON.stringify({ id: d.id, title: d.title, body: d.paragraphs.join('\n') }));
    fs.writeFileSync(path.join(work, `batch-${b}.jsonl`), lines.join('\n') + '\n');
  }
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(args: string[]): Promise<number | null> {
  const child: ChildProcess = spawnCli([...args, '--index', index], { cwd: work, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

it('readers opening in a loop while adds and removes run never fail', async () => {
  let writing = true;
  const failures: string[] = [];
  let opens = 0;
  const reader = async (async: boolean): Promise<void> => {
    while (writing) {
      try {
        const engine = async ? await SearchEngine.openAsync(index) : SearchEngine.open(index);
        expect(engine.documentCount).toBeGreaterThanOrEqual(BASE);
        // A cheap search: the time of a loop goes into opening, where a removed generation would be seen.
        expect(engine.search('经济', { limit: 1 }).total).toBeGreaterThan(0);
        opens++;
      } catch (error) {
        failures.push((error as Error).message);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const readers = Array.from({ length: READERS }, (_, i) => reader(i > 0));
  const codes: Array<number | null> = [];
  for (let b = 0; b < WRITES / 2; b++) {
    codes.push(await run(['add', path.join(work, `batch-${b}.jsonl`)]));
    codes.push(await run(['remove', ...batches[b].slice(0, REMOVED).map((d) => d.id)]));
  }
  writing = false;
  await Promise.all(readers);
  expect(codes).toEqual(Array(WRITES).fill(0));
  expect(failures).toEqual([]);
  expect(opens).toBeGreaterThan(WRITES);
  expect(SearchEngine.open(index).documentCount).toBe(BASE + (WRITES / 2) * (BATCH - REMOVED));
}, 600_000);
