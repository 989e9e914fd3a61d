/**
 * Picking up a new index while serving: a changed CURRENT pointer is reloaded, a broken
 * new index is refused while the old one keeps serving, and an engine whose generation
 * was deleted by the next build still answers (what requests under way rely on).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { SearchEngine } from '../../src/engine';
import { EngineHolder } from '../../src/server/holder';
import { IndexReloader } from '../../src/server/reload';
import { demoDocuments, doc } from '../helpers';
import { quietApp } from './helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-reload-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const demo = SearchEngine.build(demoDocuments());
const small = SearchEngine.build([doc('n-1', '新的索引', '量子计算的新进展'), doc('n-2', '第二篇', '火星探测')]);

/** Waits until `condition` holds, checking every 20 ms, or fails after `ms`. */
async function until(condition: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Serves the index in `dir` through a holder that a reloader watches; `lines` collects what it logs. */
function serving(): { holder: EngineHolder; reloader: IndexReloader; lines: string[] } {
  const holder = new EngineHolder(SearchEngine.open(dir));
  const lines: string[] = [];
  const reloader = new IndexReloader({ dir, holder, open: () => SearchEngine.open(dir), log: (line) => lines.push(line), debounceMs: 50 });
  return { holder, reloader, lines };
}

/** Switches CURRENT to a new build of `engine` with one byte of `file` flipped, as a failing disk might leave it. */
function switchToDamagedBuild(engine: SearchEngine, file: string): void {
  const scratch = path.join(dir, 'scratch');
  engine.save(scratch);
  const generation = fs.readFileSync(path.join(scratch, 'CURRENT'), 'utf8').trim();
  const damaged = 'gen-zzzzzzzz-00000000';
  fs.renameSync(path.join(scratch, generation), path.join(dir, damaged));
  const target = path.join(dir, damaged, file);
  const bytes = fs.readFileSync(target);
  bytes[bytes.length >> 1] ^= 0x20;
  fs.writeFileSync(target, bytes);
  fs.writeFileSync(path.join(dir, '.CURRENT.tmp'), `${damaged}\n`);
  fs.renameSync(path.join(dir, '.CURRENT.tmp'), path.join(dir, 'CURRENT'));
}

describe('IndexReloader', () => {
  it('serves a new build as soon as CURRENT changes: search, documents and typeahead', async () => {
    demo.save(dir);
    const { holder, reloader, lines } = serving();
    const app = quietApp(holder);
    reloader.watch();
    try {
      expect((await request(app).get('/api/health').expect(200)).body.documents).toBe(11);
      small.save(dir);
      await until(() => holder.current.engine.info().documents === 2);
      expect((await request(app).get('/api/health').expect(200)).body.documents).toBe(2);
      expect((await request(app).get('/api/search').query({ q: '量子' }).expect(200)).body.hits[0].id).toBe('n-1');
      expect((await request(app).get('/api/search').query({ q: '方特' }).expect(200)).body.total).toBe(0);
      await request(app).get('/api/doc/n-2').expect(200);
      expect((await request(app).get('/api/suggest').query({ q: '新的' }).expect(200)).body.suggestions).toEqual([{ text: '新的索引', kind: 'title' }]);
      expect(lines).toEqual([expect.stringMatching(/^Reloaded the index \(CURRENT changed\): 2 documents, written \S+, opened in \d+ ms\.$/)]);
    } finally {
      await reloader.close();
    }
  });

  it('refuses a damaged new index, naming the file, and keeps serving the old one', async () => {
    demo.save(dir);
    const { holder, reloader, lines } = serving();
    const app = quietApp(holder);
    const before = holder.current;
    reloader.watch();
    try {
      switchToDamagedBuild(small, 'seg-0/bigrams.postings');
      await until(() => lines.length > 0);
      expect(lines).toEqual([
        `Not reloading the index (CURRENT changed): The index at ${dir} is damaged: seg-0/bigrams.postings does not match its checksum. ` +
          `Rebuild it with: npx jiansuo index --source <files or directories of your archive> --out ${dir} Still serving the previous index (11 documents).`,
      ]);
      expect(holder.current).toBe(before);
      expect((await request(app).get('/api/search').query({ q: '方特' }).expect(200)).body.total).toBe(1);
      // A good build afterwards is taken again.
      small.save(dir);
      await until(() => holder.current.engine.info().documents === 2);
    } finally {
      await reloader.close();
    }
  });

  it('reloads on demand only when forced if the build is the one served', async () => {
    demo.save(dir);
    const { holder, reloader, lines } = serving();
    const before = holder.current;
    expect(await reloader.reload('check')).toBe(false);
    expect(holder.current).toBe(before);
    expect(await reloader.reload('SIGHUP', true)).toBe(true);
    expect(holder.current).not.toBe(before);
    expect(lines).toEqual([expect.stringMatching(/^Reloaded the index \(SIGHUP\): 11 documents/)]);
  });

  it('says so, and does not fail, when the directory cannot be watched', () => {
    demo.save(dir);
    const lines: string[] = [];
    const gone = new IndexReloader({ dir: path.join(dir, 'missing'), holder: new EngineHolder(SearchEngine.open(dir)), open: () => SearchEngine.open(dir), log: (line) => lines.push(line) });
    gone.watch();
    expect(lines).toEqual([expect.stringMatching(/^Not watching .*missing for new index builds \(ENOENT.*\); send SIGHUP to reload\.$/)]);
    void gone.close();
  });

  it('once closed, stops a reload under way without serving or saying anything, and reloads no more', async () => {
    demo.save(dir);
    const holder = new EngineHolder(SearchEngine.open(dir));
    const before = holder.current;
    const lines: string[] = [];
    let opened!: () => void;
    const opening = new Promise<void>((resolve) => (opened = resolve));
    const reloader = new IndexReloader({
      dir,
      holder,
      open: () => {
        opened();
        return SearchEngine.open(dir);
      },
      log: (line) => lines.push(line),
    });
    const underWay = reloader.reload('SIGHUP', true);
    await opening;
    await reloader.close();
    expect(await underWay).toBe(false);
    expect(await reloader.reload('SIGHUP', true)).toBe(false);
    expect(reloader.closed).toBe(true);
    expect(holder.current).toBe(before);
    expect(lines).toEqual([]);
  });

  it('keeps serving when the index directory is gone', async () => {
    demo.save(dir);
    const { holder, reloader, lines } = serving();
    fs.rmSync(dir, { recursive: true });
    expect(await reloader.reload('SIGHUP', true)).toBe(false);
    expect(holder.current.engine.info().documents).toBe(11);
    expect(lines[0]).toMatch(/^Not reloading the index \(SIGHUP\): No index found at .* Still serving the previous index \(11 documents\)\.$/);
  });
});

describe('an engine whose files a newer build removed', () => {
  it('answers exactly as before: its data is in memory', () => {
    demo.save(dir);
    const old = SearchEngine.open(dir);
    const queries = ['方特', '郑州 -方特', '"红色物业"', 'fangte', '放特'];
    const before = queries.map((q) => ({ ...old.search(q, { facets: 5 }), took_ms: 0 }));
    const view = old.documentView('000_2cd9194f99e4ed8d-10', '方特');
    const first = fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim();
    // Two newer builds: the first one keeps the generation before it (for readers still opening it), the second removes it.
    small.save(dir);
    small.save(dir);
    const generations = fs.readdirSync(dir).filter((entry) => entry.startsWith('gen-'));
    expect(generations).toHaveLength(2);
    expect(generations).not.toContain(first);
    expect(queries.map((q) => ({ ...old.search(q, { facets: 5 }), took_ms: 0 }))).toEqual(before);
    expect(old.documentView('000_2cd9194f99e4ed8d-10', '方特')).toEqual(view);
    expect(old.titles()).toHaveLength(11);
  });
});
