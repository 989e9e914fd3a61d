/**
 * A full disk: a write that fails part way (ENOSPC, injected into the file system calls
 * the index writer makes) removes what it created, leaves the index as it was, and says
 * which directory is full and how much the write needed; a write the file system has no
 * room for is refused before anything is written. The next write then works.
 */
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildIndex } from '../../src/build';
import { SearchEngine } from '../../src/engine';
import { IndexError } from '../../src/errors';
import { updateIndex } from '../../src/update';
import { demoDocuments, doc } from '../helpers';

let work: string;
let index: string;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-disk-full-'));
  index = path.join(work, 'index');
  SearchEngine.build(demoDocuments()).save(index);
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(work, { recursive: true, force: true });
});

function noSpace(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

/** Makes every write after the first `allowed` fail as on a full disk (the first is the lock's). */
function fillDiskAfter(allowed: number): void {
  const write = fs.writeSync.bind(fs) as (...args: unknown[]) => number;
  let writes = 0;
  jest.spyOn(fs, 'writeSync').mockImplementation(((...args: unknown[]) => {
    if (++writes > allowed) throw noSpace();
    return write(...args);
  }) as typeof fs.writeSync);
}

/** What the index directory holds besides its generations: nothing a failed write created may be left. */
function entries(): string[] {
  return fs.readdirSync(index).sort();
}

it.each([1, 3, 12])('an update that hits a full disk after %i writes removes what it created and says what it needed', (allowed) => {
  const before = entries();
  fillDiskAfter(allowed);
  let failure: unknown;
  try {
    updateIndex(index, { add: [doc('new-1', '新加的文章', '磁盘满了')] });
  } catch (error) {
    failure = error;
  }
  expect(failure).toBeInstanceOf(IndexError);
  expect((failure as Error).message).toMatch(
    new RegExp(`^The disk holding ${index.replace(/[/.\\-]/g, '\\$&')} is full \\(ENOSPC while writing the index\\): the new generation needs about \\d+\\.\\d MB, \\d+\\.\\d MB are free\\. What this write had created was removed and the index was not changed; free some space and try again\\.$`),
  );
  expect(entries()).toEqual(before);
  jest.restoreAllMocks();
  expect(SearchEngine.open(index).documentCount).toBe(11);
  // The next write finds nothing in its way.
  expect(updateIndex(index, { add: [doc('new-1', '新加的文章', '磁盘满了')] }).added).toBe(1);
  expect(SearchEngine.open(index).search('磁盘满了').total).toBe(1);
});

it('a build that hits a full disk leaves no temporary generation and names the directory', async () => {
  const sources = path.join(work, 'sources.jsonl');
  fs.writeFileSync(sources, demoDocuments().map((d) => JSON.stringify({ id: d.id, title: d.title, body: d.paragraphs.join('\n') })).join('\n') + '\n');
  const before = entries();
  fillDiskAfter(5);
  await expect(buildIndex({ sources: [sources], out: index, threads: 0 })).rejects.toThrow(new RegExp(`^The disk holding ${index.replace(/[/.\\-]/g, '\\$&')} is full`));
  expect(entries()).toEqual(before);
  jest.restoreAllMocks();
  expect(SearchEngine.open(index).documentCount).toBe(11);
  expect(updateIndex(index, { remove: [demoDocuments()[0].id] }).removed).toBe(1);
});

it('a write the file system has no room for is refused before anything is written', () => {
  const before = entries();
  const statfs = fs.statfsSync(index);
  jest.spyOn(fs, 'statfsSync').mockReturnValue({ ...statfs, bavail: 2, bsize: 4096 } as fs.StatsFs);
  const made = jest.spyOn(fs, 'mkdirSync');
  expect(() => updateIndex(index, { add: [doc('new-1', '新加的文章', '磁盘满了')] })).toThrow(
    new RegExp(`^Not enough disk space to write the index in ${index.replace(/[/.\\-]/g, '\\$&')}: the new generation needs about 0\\.\\d MB, and the file system holding .* has 0\\.0 MB free\\. Free some space and try again; the index was not changed\\.$`),
  );
  expect(made.mock.calls.filter(([dir]) => String(dir).includes('.tmp-gen-'))).toEqual([]);
  expect(entries()).toEqual(before);
});

it('a disk too full for the lock file says so and leaves no lock behind', () => {
  const before = entries();
  fillDiskAfter(0);
  expect(() => updateIndex(index, { remove: [demoDocuments()[0].id] })).toThrow(
    `The disk holding ${index} is full: cannot create its LOCK file (ENOSPC). Free some space and try again; the index was not changed.`,
  );
  expect(entries()).toEqual(before);
});
