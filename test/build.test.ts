import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildProgress, buildIndex, indexIsStale } from '../src/build';
import { SearchEngine } from '../src/engine';
import { IngestError } from '../src/errors';
import { readManifest } from '../src/index/generation';
import { updateIndex } from '../src/update';
import { DEMO_PAGE, doc } from './helpers';

let tmp: string;
let sources: string;
let out: string;

// Builds that set a test up, or whose point is not the worker threads, segment on the main thread
// (threads: 0), as in test/cli.test.ts: the default starts a worker thread per core, each loading
// jieba, for 11 documents. The default is tested in the first test and in 'jiansuo index'.

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-build-'));
  sources = path.join(tmp, 'sources');
  out = path.join(tmp, 'index');
  fs.mkdirSync(sources);
  fs.copyFileSync(DEMO_PAGE, path.join(sources, 'page.txt'));
});

afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function relative(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/');
}

describe('buildIndex', () => {
  it('builds a searchable index and fingerprints its sources', async () => {
    const progress: BuildProgress[] = [];
    const summary = await buildIndex({ sources: [sources], out, onProgress: (p) => progress.push(p) });
    expect(summary.documents).toBe(11);
    expect(summary.files).toBe(1);
    expect(summary.words).toBeGreaterThan(0);
    expect(summary.bigrams).toBeGreaterThan(0);
    expect(summary.problems).toEqual([]);
    expect(summary.rejected).toEqual([]);
    const { manifest } = readManifest(out);
    expect(summary.bytes).toBe(Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0));
    const page = fs.readFileSync(path.join(sources, 'page.txt'));
    expect(manifest.sources).toEqual([
      { path: relative(path.join(sources, 'page.txt')), bytes: page.length, sha256: createHash('sha256').update(page).digest('hex') },
    ]);
    expect(SearchEngine.open(out).search('方特').hits[0].title).toBe('郑州方特开启暑期亲子游');
    expect(progress).toContainEqual({ phase: 'reading', documents: 11 });
    expect(progress).toContainEqual({ phase: 'indexing', done: 11, total: 11 });
    expect(progress[progress.length - 1]).toEqual({ phase: 'saving' });
  });

  it('reports problems with some files but indexes the others', async () => {
    fs.writeFileSync(path.join(sources, 'empty.txt'), '');
    const summary = await buildIndex({ sources: [sources], out, threads: 0 });
    expect(summary.documents).toBe(11);
    expect(summary.problems).toEqual([{ file: path.join(sources, 'empty.txt'), message: 'file is empty' }]);
  });

  it('throws IngestError and leaves the old index alone when nothing is valid', async () => {
    await buildIndex({ sources: [sources], out, threads: 0 });
    const before = fs.readFileSync(path.join(out, 'CURRENT'), 'utf8');
    const bad = path.join(tmp, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'empty.txt'), '');
    await expect(buildIndex({ sources: [bad], out })).rejects.toThrow(IngestError);
    expect(fs.readFileSync(path.join(out, 'CURRENT'), 'utf8')).toBe(before);
  });
  it('reads JSON Lines while the workers start: problems and repeated ids as before, the last version where the id first stood', async () => {
    const file = path.join(sources, 'news.jsonl');
    const lines = [
      JSON.stringify({ id: 'a', title: '第一版标题', body: '北京今天下雨' }),
      JSON.stringify({ id: 'b', title: '另一篇', body: '上海今天晴天' }),
      '{not json',
      JSON.stringify({ id: 'a', title: '第二版标题', body: '北京今天放晴' }),
    ];
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const progress: BuildProgress[] = [];
    const summary = await buildIndex({ sources: [file], out, threads: 2, onProgress: (p) => progress.push(p) });
    expect(summary.documents).toBe(2);
    expect(summary.problems).toEqual([
      { file, line: 3, message: expect.stringMatching(/^not valid JSON \(/) },
      { file, line: 4, message: `duplicate id "a" (also at ${file}:1): this later document replaces the earlier one` },
    ]);
    expect(progress).toContainEqual({ phase: 'indexing', done: 2, total: 2 });
    const engine = SearchEngine.open(out);
    expect(engine.getDocument('a')?.title).toBe('第二版标题');
    expect(engine.search('放晴').hits.map((hit) => hit.id)).toEqual(['a']);
    expect(engine.search('下雨').hits).toEqual([]);
  });

  it('stops its worker threads and leaves no staging directory when no source can be read', async () => {
    await expect(buildIndex({ sources: [path.join(tmp, 'missing.jsonl')], out, threads: 2 })).rejects.toThrow(
      `no documents found in ${path.join(tmp, 'missing.jsonl')}:\n  ${path.join(tmp, 'missing.jsonl')}: no such file or directory`,
    );
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  it('refuses to write when an update landed while it was building, and leaves the update in place', async () => {
    await buildIndex({ sources: [sources], out, threads: 0 });
    // The update lands once the documents are indexed, just before the build writes.
    const landing = (progress: BuildProgress): void => {
      if (progress.phase === 'saving') updateIndex(out, { add: [doc('late-1', '迟到的文章', '建索引时加入')] });
    };
    await expect(buildIndex({ sources: [sources], out, threads: 0, onProgress: landing })).rejects.toThrow(
      `Not rebuilding the index at ${out}: it holds 1 update (add/remove, admin API) since its build that a rebuild from the sources would lose; nothing was changed.`,
    );
    expect(SearchEngine.open(out).getDocument('late-1')?.title).toBe('迟到的文章');
  });
});

describe('indexIsStale', () => {
  it('asks for a build when there is no index', async () => {
    expect(await indexIsStale(out, [sources])).toBe(`No index found at ${out}.`);
  });

  it('is satisfied right after a build', async () => {
    await buildIndex({ sources: [sources], out, threads: 0 });
    expect(await indexIsStale(out, [sources])).toBeUndefined();
  });

  it('notices a source file added, changed or removed', async () => {
    await buildIndex({ sources: [sources], out, threads: 0 });
    const added = path.join(sources, 'more.jsonl');
    fs.writeFileSync(added, '{"id":"a","title":"t","content":"c"}\n');
    expect(await indexIsStale(out, [sources])).toBe(`1 source file added: ${relative(added)}`);
    fs.rmSync(added);

    const page = path.join(sources, 'page.txt');
    const text = fs.readFileSync(page, 'utf8');
    // Same size, different bytes: only the checksum can tell.
    fs.writeFileSync(page, text.replace('方特', '方待'));
    expect(fs.statSync(page).size).toBe(Buffer.byteLength(text));
    expect(await indexIsStale(out, [sources])).toBe(`1 source file changed: ${relative(page)}`);

    fs.rmSync(page);
    expect(await indexIsStale(out, [sources])).toBe(`1 source file removed: ${relative(page)}`);
  });

  it('notices an index of an older format, and a damaged manifest', async () => {
    await buildIndex({ sources: [sources], out, threads: 0 });
    const { generationDir, manifest } = readManifest(out);
    const file = path.join(generationDir, 'manifest.json');
    fs.writeFileSync(file, JSON.stringify({ ...manifest, version: 0 }));
    expect(await indexIsStale(out, [sources])).toMatch(/has format version 0/);
    fs.writeFileSync(file, '{');
    expect(await indexIsStale(out, [sources])).toMatch(/is damaged: cannot read .*manifest\.json/);
    expect(await indexIsStale(out, [sources])).not.toMatch(/Rebuild it with/);
  });

  it('notices an analyzer change', async () => {
    await buildIndex({ sources: [sources], out, threads: 0 });
    const { generationDir, manifest } = readManifest(out);
    const old = { ...manifest, analyzer: { ...manifest.analyzer, normalization: 'nfkc-lower-t2s-fold/0' } };
    fs.writeFileSync(path.join(generationDir, 'manifest.json'), JSON.stringify(old));
    expect(await indexIsStale(out, [sources])).toMatch(/^the analyzer changed \(normalization: nfkc-lower-t2s-fold\/0 → /);
  });

  it("counts a user dictionary's content, not its path: a checkout moved elsewhere needs no rebuild", async () => {
    const dict = path.join(tmp, 'dict', 'user.dict.txt');
    fs.mkdirSync(path.dirname(dict));
    fs.writeFileSync(dict, '无主管楼院 2000 n\n');
    await buildIndex({ sources: [sources], out, threads: 0, dictionaries: { userDict: dict } });
    expect(await indexIsStale(out, [sources], { userDict: dict })).toBeUndefined();
    const moved = path.join(tmp, 'elsewhere', 'user.dict.txt');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(dict, moved);
    expect(await indexIsStale(out, [sources], { userDict: moved })).toBeUndefined();
    fs.appendFileSync(moved, '主管部门 10 n\n');
    expect(await indexIsStale(out, [sources], { userDict: moved })).toBe(`the user dictionary ${moved} changed`);
    expect(await indexIsStale(out, [sources])).toBe(`the user dictionary it was built with (${dict}) is not given now`);
  });
});
