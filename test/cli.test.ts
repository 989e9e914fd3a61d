import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchResult } from '../src/search/types';
import { segmentFile } from '../src/index/segmentFiles';
import { run } from './cliRun';
import { BIN, distIsCurrent } from './compiled';
import { DEMO_PAGE, ROOT } from './helpers';

let tmp: string;
let index: string;

// Builds that set a test up, or whose point is not the worker threads, segment on the main thread
// (--threads 0): by default each build starts a worker thread per core, each loading jieba, which
// costs seconds of CPU per build for 11 documents. The default is tested in 'jiansuo index' below
// and through bin/jiansuo.js.
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-cli-'));
  index = path.join(tmp, 'index');
  const built = await run(['index', '--threads', '0', '--source', DEMO_PAGE, '--out', index]);
  expect(built).toMatchObject({ code: 0, stderr: '' });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('jiansuo index', () => {
  it('prints documents, terms, bytes and time, and writes the index', async () => {
    const out = path.join(tmp, 'fresh');
    const { code, stdout, stderr } = await run(['index', '--source', path.dirname(DEMO_PAGE), '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^Indexed 11 documents from 1 source file into ${out}$`, 'm'));
    expect(stdout).toMatch(/^ {2}terms: \d+ \(\d+ words, \d+ bigrams\)$/m);
    expect(stdout).toMatch(/^ {2}bytes: \d+$/m);
    expect(stdout).toMatch(/^ {2}time: {2}\d+\.\d\d s$/m);
    const generation = fs.readFileSync(path.join(out, 'CURRENT'), 'utf8').trim();
    expect(fs.existsSync(path.join(out, generation, 'manifest.json'))).toBe(true);
  });

  it('builds the same index files with --threads 0 and --threads 2', async () => {
    const files = async (threads: string): Promise<Record<string, string>> => {
      const out = path.join(tmp, `threads-${threads}`);
      expect((await run(['index', '--source', DEMO_PAGE, '--out', out, '--threads', threads])).code).toBe(0);
      const dir = path.join(out, fs.readFileSync(path.join(out, 'CURRENT'), 'utf8').trim(), 'seg-0');
      const names = fs.readdirSync(dir);
      return Object.fromEntries(names.map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]));
    };
    expect(await files('2')).toEqual(await files('0'));
  });

  it('prints ingest problems as file: message on stderr but succeeds when something was indexed', async () => {
    const sources = path.join(tmp, 'mixed');
    fs.mkdirSync(sources);
    fs.copyFileSync(DEMO_PAGE, path.join(sources, 'page.txt'));
    fs.writeFileSync(path.join(sources, 'records.jsonl'), '{"id":"r1","title":"好","body":"正文"}\n{oops\n');
    const { code, stdout, stderr } = await run(['index', '--threads', '0', '--source', sources, '--out', path.join(tmp, 'mixed-index')]);
    expect(code).toBe(0);
    expect(stderr).toMatch(new RegExp(`^${path.join(sources, 'records.jsonl')}:2: `, 'm'));
    expect(stdout).toMatch(/^Indexed 12 documents from 2 source files/m);
    expect(stdout).toMatch(/warnings: 1 \(listed on stderr\)/);
  });

  it('exits 1 when no source file holds a valid document', async () => {
    const sources = path.join(tmp, 'bad');
    fs.mkdirSync(sources);
    fs.writeFileSync(path.join(sources, 'empty.txt'), '');
    const out = path.join(tmp, 'bad-index');
    const { code, stderr } = await run(['index', '--threads', '0', '--source', sources, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(`error: no documents found in ${sources}:`);
    expect(stderr).toContain(`${path.join(sources, 'empty.txt')}: file is empty`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('jiansuo search', () => {
  it('prints exactly one JSON object with --json', async () => {
    const { code, stdout, stderr } = await run(['search', '--index', index, '--json', '方特']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const result = JSON.parse(stdout) as SearchResult;
    // The contract's keys first; `expansions` says the synonyms of index-data/dict/synonyms.txt were applied.
    expect(Object.keys(result)).toEqual(['query', 'total', 'exact_total', 'folded', 'took_ms', 'match', 'hits', 'expansions']);
    expect(result.expansions).toEqual([{ term: '方特', via: 'synonym', words: ['方特梦幻王国'] }]);
    expect(result).toMatchObject({ query: '方特', total: 1, match: 'exact' });
    expect(typeof result.took_ms).toBe('number');
    const hit = result.hits[0];
    expect(hit).toMatchObject({ id: '000_2cd9194f99e4ed8d-10', title: '郑州方特开启暑期亲子游', kind: 'article', reporters: ['卢文军'], source: '000_2cd9194f99e4ed8d.txt' });
    expect(typeof hit.score).toBe('number');
    expect(hit.snippet).toContain('郑州<mark>方特梦幻王国</mark>');
  });

  it('prints a header, the title and a plain snippet when stdout is not a terminal', async () => {
    const { code, stdout } = await run(['search', '--index', index, '方特']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 result \(match: exact, \d+(\.\d+)? ms\)$/m);
    expect(stdout).toMatch(/^1\. 郑州方特开启暑期亲子游 {2}\[\d+(\.\d+)?\]$/m);
    expect(stdout).toContain('郑州方特梦幻王国');
    expect(stdout).not.toContain('\x1b');
    expect(stdout).not.toContain('<mark>');
  });

  it('prints matches in bold when stdout is a terminal', async () => {
    const { stdout } = await run(['search', '--index', index, '梦幻'], true);
    expect(stdout).toContain('郑州方特\x1b[1m梦幻\x1b[0m王国');
    expect(stdout).not.toContain('<mark>');
  });

  it('joins several words into one query and numbers ranks from the offset', async () => {
    const joined = await run(['search', '--index', index, '--json', '郑州', '方特']);
    expect(joined.code).toBe(0);
    expect(JSON.parse(joined.stdout)).toMatchObject({ query: '郑州 方特', total: 1 });
    const paged = await run(['search', '--index', index, '--limit', '2', '--offset', '1', '--json', '郑州']);
    const result = JSON.parse(paged.stdout) as SearchResult;
    expect(result.total).toBe(4);
    expect(result.hits).toHaveLength(2);
    const human = await run(['search', '--index', index, '--limit', '2', '--offset', '1', '郑州']);
    expect(human.stdout).toMatch(/^4 results, showing 2-3 \(match: exact/m);
    expect(human.stdout).toMatch(new RegExp(`^2\\. ${result.hits[0].title} `, 'm'));
    expect(human.stdout).toMatch(new RegExp(`^3\\. ${result.hits[1].title} `, 'm'));
  });

  it('reads a word starting with a single dash as an exclusion, not an option', async () => {
    const { code, stdout } = await run(['search', '--index', index, '--json', '楼院', '-惠济区']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as SearchResult;
    expect(result).toMatchObject({ query: '楼院 -惠济区', total: 1, match: 'exact' });
    expect(result.hits[0].title).toBe('二七区党建引领提高基层治理水平');
  });

  it('explains in Chinese and English when nothing matches exactly', async () => {
    const { stdout } = await run(['search', '--index', index, '方特乐园']);
    expect(stdout).toContain('没有完全匹配“方特乐园”的结果，显示包含全部词语的结果');
    expect(stdout).toContain('No exact match for "方特乐园"');
    expect(stdout).toMatch(/^1 result \(match: all-words/m);
    const some = await run(['search', '--index', index, '方特', '暑假', '火星']);
    expect(some.stdout).toContain('显示包含部分词语的结果');
  });

  it('shows the results of the "did you mean" spelling when the query finds nothing, and the query as typed with --as-typed', async () => {
    const corrected = await run(['search', '--index', index, '放特']);
    expect(corrected.code).toBe(0);
    expect(corrected.stdout).toContain('已显示“方特”的结果。仍然搜索：放特（加 --as-typed）  Showing results for 方特; search instead for 放特 with --as-typed');
    expect(corrected.stdout).toMatch(/^1\. 郑州方特开启暑期亲子游 /m);
    expect(JSON.parse((await run(['search', '--index', index, '--json', '放特'])).stdout)).toMatchObject({ query: '方特', corrected_from: '放特', total: 1 });
    const typed = await run(['search', '--index', index, '--as-typed', '放特']);
    expect(typed.stdout).toContain('您要找的是：方特？');
    expect(typed.stdout).toMatch(/^0 results/m);
  });

  it('unescapes HTML entities for the terminal', async () => {
    const sources = path.join(tmp, 'html');
    fs.mkdirSync(sources);
    fs.writeFileSync(path.join(sources, 'r.jsonl'), `${JSON.stringify({ id: 'h1', title: '标签', body: '写 <b>方特</b> & "引号"' })}\n`);
    const out = path.join(tmp, 'html-index');
    expect((await run(['index', '--threads', '0', '--source', sources, '--out', out])).code).toBe(0);
    const { stdout } = await run(['search', '--index', out, '方特']);
    expect(stdout).toContain('写 <b>方特</b> & "引号"');
  });

  it('exits 1 for an empty query', async () => {
    const { code, stdout, stderr } = await run(['search', '--index', index, '  ']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: The query is empty: type a word or phrase to search for.\n');
  });

  it('exits 1 with a rebuild hint when the index is missing', async () => {
    const missing = path.join(tmp, 'missing');
    const { code, stderr } = await run(['search', '--index', missing, '方特']);
    expect(code).toBe(1);
    expect(stderr).toBe(`error: No index found at ${missing}. Build one with: npx jiansuo index --source <files or directories of your archive> --out ${missing}\n`);
  });

  it('exits 1 with a rebuild hint when the index is damaged', async () => {
    const damaged = path.join(tmp, 'damaged');
    expect((await run(['index', '--threads', '0', '--source', DEMO_PAGE, '--out', damaged])).code).toBe(0);
    const generation = fs.readFileSync(path.join(damaged, 'CURRENT'), 'utf8').trim();
    const postings = path.join(damaged, generation, 'seg-0', 'words.postings');
    const bytes = fs.readFileSync(postings);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(postings, bytes);
    const { code, stderr } = await run(['search', '--index', damaged, '方特']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: The index at .* is damaged: seg-0\/words\.postings does not match its checksum\. Rebuild it with: npx jiansuo index/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('jiansuo add, remove, optimize', () => {
  it('adds a JSON Lines file, replaces by id, removes by id and merges, each visible to the next search', async () => {
    const dir = path.join(tmp, 'updated');
    expect((await run(['index', '--threads', '0', '--source', DEMO_PAGE, '--out', dir])).code).toBe(0);
    const records = path.join(tmp, 'more.jsonl');
    fs.writeFileSync(
      records,
      [
        { id: 'n-1', title: '鼋鼍主题公园开园', body: '郑州新开一座鼋鼍主题公园。' },
        { id: 'n-2', title: '第二篇', body: '第二篇正文' },
        { id: 'n-3', title: '坏日期', body: '正文', date: '2020-02-30' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const added = await run(['add', records, '--index', dir]);
    expect(added.stderr).toMatch(/more\.jsonl:3: "date" "2020-02-30" is not a real YYYY-MM-DD date/);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toMatch(/^Added 3 documents in .*updated: now 14 documents \(2 segments, \d+\.\d\d s\)\n$/);
    const found = JSON.parse((await run(['search', '--index', dir, '--json', '鼋鼍'])).stdout) as SearchResult;
    expect(found.hits.map((hit) => hit.id)).toEqual(['n-1']);

    fs.writeFileSync(records, JSON.stringify({ id: 'n-1', title: '改写', body: '改写后的正文' }) + '\n');
    expect((await run(['add', records, '--index', dir])).stdout).toMatch(/^Replaced 1 document in .*: now 14 documents \(3 segments/);
    expect((await run(['search', '--index', dir, '鼋鼍'])).stdout).toMatch(/^0 results/);

    expect((await run(['remove', 'n-2', '000_2cd9194f99e4ed8d-01', '--index', dir])).stdout).toMatch(/^Removed 2 documents in .*: now 12 documents \(3 segments/);
    const unknown = await run(['remove', 'n-2', '--index', dir]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe(`error: no document with id "n-2" in the index at ${dir}; nothing was changed\n`);
    const tooLong = await run(['remove', 'x'.repeat(513), '--index', dir]);
    expect(tooLong).toMatchObject({ code: 2, stdout: '' });
    expect(tooLong.stderr).toMatch(/"id" is 513 bytes long: ids are at most 512 bytes \(UTF-8\)/);
    expect((await run(['remove', ' ', '--index', dir])).code).toBe(2);

    // The removal left 2 of the added segment's 3 documents deleted: the merge policy rewrote it then, so only the page's deleted one is left to drop.
    expect((await run(['optimize', '--index', dir])).stdout).toMatch(/^Merged 3 segments of .* into one, dropping 1 deleted document: 12 documents/);
    expect((await run(['optimize', '--index', dir])).stdout).toMatch(/is already one segment without deleted documents: 12 documents/);
    const missing = await run(['add', path.join(tmp, 'nothing.jsonl'), '--index', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no documents found in .*nothing\.jsonl:\n.*no such file or directory\n$/);
  });
});

describe('a lost CURRENT or a damaged index: never rebuilt over updates, recovered where it can be', () => {
  /** An index of the demo page plus one added document (`extra-1`, in seg-1), built through the CLI. */
  async function updatedIndex(name: string): Promise<string> {
    const dir = path.join(tmp, name);
    expect((await run(['index', '--threads', '0', '--source', DEMO_PAGE, '--out', dir])).code).toBe(0);
    const records = path.join(tmp, `${name}.jsonl`);
    fs.writeFileSync(records, JSON.stringify({ id: 'extra-1', title: '补充的文章', body: '鼋鼍主题公园开园' }) + '\n');
    expect((await run(['add', records, '--index', dir])).code).toBe(0);
    return dir;
  }

  function generationOf(dir: string): string {
    return fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim();
  }

  /** Flips one byte of a file in place (as a disk error would: hard-linked copies in older generations flip too). */
  function flipByte(file: string): void {
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    fs.writeFileSync(file, bytes);
  }

  /** Every file under `dir` with its content, to show that nothing was changed. */
  function snapshot(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
      const file = path.join(dir, entry);
      if (fs.statSync(file).isFile()) files[entry] = fs.readFileSync(file).toString('base64');
    }
    return files;
  }

  async function found(dir: string, query: string): Promise<string[]> {
    const searched = await run(['search', '--index', dir, '--json', query]);
    expect(searched.code).toBe(0);
    return (JSON.parse(searched.stdout) as SearchResult).hits.map((hit) => hit.id);
  }

  it('with CURRENT deleted, search says how to recover, index recovers it and refuses to drop the update, recover says so', async () => {
    const dir = await updatedIndex('lost-current');
    const generation = generationOf(dir);
    fs.rmSync(path.join(dir, 'CURRENT'));
    const searched = await run(['search', '--index', dir, '方特']);
    expect(searched.code).toBe(1);
    expect(searched.stderr).toBe(
      `error: The index at ${dir} has lost its CURRENT file. Its generations are still there (newest: ${generation}). Recover it with: npx jiansuo recover --index ${dir}\n`,
    );
    const rebuilt = await run(['index', '--source', DEMO_PAGE, '--out', dir]);
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.stderr).toBe(
      `error: Not rebuilding the index at ${dir}: it holds 1 update (add/remove, admin API) since its build that a rebuild from the sources would lose; nothing was changed.\n` +
        `  To rebuild it anyway, run the build again with --force:\n    npx jiansuo index --force --out ${dir}\n`,
    );
    expect(generationOf(dir)).toBe(generation);
    expect(await found(dir, '鼋鼍')).toEqual(['extra-1']);

    fs.rmSync(path.join(dir, 'CURRENT'));
    const recovered = await run(['recover', '--index', dir]);
    expect(recovered).toMatchObject({ code: 0, stderr: '' });
    expect(recovered.stdout).toMatch(new RegExp(`^Recovered the index at .*: its CURRENT file was lost; it names ${generation} \\(written [-\\dT:.Z]+, 12 documents\\) again\\.\n$`));
    expect((await run(['recover', '--index', dir])).stdout).toMatch(new RegExp(`^The index at .* is intact: ${generation} \\(written .*, 12 documents\\); nothing to recover\\.\n$`));
  });

  it('with a flipped byte in seg-0, index refuses naming the file and the commands, changes nothing; --force rebuilds and keeps the damaged files', async () => {
    const dir = await updatedIndex('flipped-seg-0');
    const generation = generationOf(dir);
    flipByte(path.join(dir, generation, 'seg-0', 'words.postings'));
    const before = snapshot(dir);
    const refused = await run(['index', '--source', DEMO_PAGE, '--out', dir]);
    expect(refused.code).toBe(1);
    // The generation before the add shares seg-0 (hard links): it is damaged too, so there is nothing complete to go back to.
    expect(refused.stderr).toBe(
      `error: The index at ${dir} is damaged: seg-0/words.postings does not match its checksum. It holds 1 update (add/remove, admin API) that a rebuild from the sources would lose. ` +
        `Nothing was changed. No complete generation is left to go back to.\n` +
        `  To rebuild it from the sources anyway, keeping the damaged files in ${path.join(dir, 'damaged-<time>')}/:\n    npx jiansuo index --force --out ${dir}\n`,
    );
    expect(snapshot(dir)).toEqual(before);
    const recover = await run(['recover', '--index', dir]);
    expect(recover.code).toBe(1);
    expect(recover.stderr).toMatch(/^error: The index at .* is damaged: seg-0\/words\.postings does not match its checksum\. It holds 1 update .* No complete generation is left to go back to\.\n/);
    expect(snapshot(dir)).toEqual(before);

    const forced = await run(['index', '--force', '--threads', '0', '--source', DEMO_PAGE, '--out', dir]);
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    expect(forced.stdout).toMatch(/note: the index replaced had 1 update \(jiansuo add\/remove, admin API\) since its build/);
    const kept = /note: the damaged index replaced was moved to (\S+); delete that folder when you no longer need it\n/.exec(forced.stdout)![1];
    expect(path.dirname(kept)).toBe(dir);
    expect(path.basename(kept)).toMatch(/^damaged-\d{4}-\d\d-\d\dT[-\dZ]+$/);
    // The damaged generation is there whole, seg-1 (the added document) with it.
    const damaged = path.join(kept, generation);
    expect(Buffer.from(segmentFile(damaged, (name) => fs.readFileSync(path.join(damaged, name)), 'seg-1', 'docmeta.jsonl')).toString('utf8')).toMatch(/^\["extra-1","补充的文章"/);
    expect(fs.readdirSync(kept)).toContain(generation);
    expect(await found(dir, '方特')).toEqual(['000_2cd9194f99e4ed8d-10']);
  });

  it('with a flipped byte in the newest segment only, index points to recover, which goes back to the complete generation before it', async () => {
    const dir = await updatedIndex('flipped-seg-1');
    const damaged = generationOf(dir);
    flipByte(path.join(dir, damaged, 'seg-1', 'docmeta.jsonl'));
    const refused = await run(['index', '--source', DEMO_PAGE, '--out', dir]);
    expect(refused.code).toBe(1);
    const [previous] = fs.readdirSync(dir).filter((entry) => entry.startsWith('gen-') && entry !== damaged);
    expect(refused.stderr).toContain(
      `  To go back to ${previous} (written ${JSON.parse(fs.readFileSync(path.join(dir, previous, 'manifest.json'), 'utf8')).createdAt}, 11 documents; what was written after it is lost), ` +
        `keeping the damaged files in ${path.join(dir, 'damaged-<time>')}/:\n    npx jiansuo recover --index ${dir}\n`,
    );
    const recovered = await run(['recover', '--index', dir]);
    expect(recovered).toMatchObject({ code: 0, stderr: '' });
    expect(recovered.stdout).toMatch(
      new RegExp(`^Recovered the index at .*: seg-1/docmeta\\.jsonl does not match its checksum\\. It is back to ${previous} \\(written .*, 11 documents\\); what was written after it is lost\\. The damaged ${damaged} moved to .*damaged-[^ ]+ \\(delete it when you no longer need it\\)\\.\n$`),
    );
    expect(generationOf(dir)).toBe(previous);
    expect(await found(dir, '方特')).toEqual(['000_2cd9194f99e4ed8d-10']);
    const [folder] = fs.readdirSync(dir).filter((entry) => entry.startsWith('damaged-'));
    expect(fs.readdirSync(path.join(dir, folder))).toEqual([damaged]);
  });

  it('a damaged index without updates is rebuilt, its damaged generation kept aside', async () => {
    const dir = path.join(tmp, 'damaged-build');
    expect((await run(['index', '--threads', '0', '--source', DEMO_PAGE, '--out', dir])).code).toBe(0);
    const generation = generationOf(dir);
    flipByte(path.join(dir, generation, 'seg-0', 'chars.postings'));
    const rebuilt = await run(['index', '--threads', '0', '--source', DEMO_PAGE, '--out', dir]);
    expect(rebuilt).toMatchObject({ code: 0, stderr: '' });
    const kept = /moved to (\S+);/.exec(rebuilt.stdout)![1];
    expect(fs.readdirSync(kept)).toEqual([generation]);
    expect(await found(dir, '方特')).toEqual(['000_2cd9194f99e4ed8d-10']);
  });
});

describe('jiansuo serve', () => {
  it('exits 1 saying what to do when the port is taken', async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const { code, stdout, stderr } = await run(['serve', '--index', index, '--port', String(port)]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(`error: port ${port} on 127.0.0.1 is already in use: stop the other server or choose another port with --port\n`);
    } finally {
      taken.close();
    }
  });
});

describe('usage errors exit 2', () => {
  it.each([
    ['an unknown option', ['search', '--index', 'x', '--colour', '方特'], /unknown option '--colour'/],
    ['a missing query', ['search'], /missing required argument 'query'/],
    ['--limit -1', ['search', '--limit', '-1', '方特'], /--limit <n>' argument '-1' is invalid/],
    ['--limit abc', ['search', '--limit', 'abc', '方特'], /argument 'abc' is invalid\. Expected a whole number from 1 to 100/],
    ['--limit 101', ['search', '--limit', '101', '方特'], /argument '101' is invalid/],
    ['--limit 0', ['search', '--limit', '0', '方特'], /argument '0' is invalid/],
    ['--offset 1.5', ['search', '--offset', '1.5', '方特'], /argument '1.5' is invalid/],
    ['an impossible --date', ['index', '--date', '2020-02-30'], /Expected a real date/],
    ['a bad --threads', ['index', '--threads', 'two'], /Expected a whole number from 0 to 256/],
    ['a bad --port', ['serve', '--port', '70000'], /argument '70000' is invalid/],
    ['--source without --ensure-index', ['serve', '--source', 'x'], /--source is only used with --ensure-index/],
    ['an unknown command', ['find', '方特'], /unknown command 'find'/],
    ['no command', [], /Usage: jiansuo/],
  ])('%s', async (_name, args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('--help prints usage and exits 0', async () => {
    const { code, stdout } = await run(['search', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: jiansuo search \[options\] <query\.\.\.>/);
  });
});

describe('bin/jiansuo.js (compiled)', () => {
  const bin = BIN;
  let work: string;

  beforeAll(() => {
    // Built by `npm ci` (prepare) and by hand after edits; rebuilt here only when a source is newer than its output.
    if (!distIsCurrent()) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-bin-'));
    fs.mkdirSync(path.join(work, 'sources'));
    fs.copyFileSync(DEMO_PAGE, path.join(work, 'sources', 'page.txt'));
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  function jiansuo(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Starts `jiansuo serve`, resolving with the process and its URL once it listens. */
  function serve(args: string[]): Promise<{ child: ChildProcess; url: string; log: () => string }> {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { cwd: work });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // Only a whole line: a chunk may end in the middle of the port number.
        const url = /jiansuo serving \d+ documents on (http:\/\/\S+).*\n/.exec(stdout)?.[1];
        if (url) resolve({ child, url, log: () => stdout });
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}${stderr}`)));
    });
  }

  function exit(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  it('indexes, searches, and sets the exit code', () => {
    const built = jiansuo(['index', '--source', 'sources', '--out', 'index']);
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(/^Indexed 11 documents from 1 source file into index$/m);
    const found = jiansuo(['search', '--index', 'index', '--json', '方特']);
    expect(found.status).toBe(0);
    expect((JSON.parse(found.stdout) as SearchResult).hits[0].title).toBe('郑州方特开启暑期亲子游');
    const usage = jiansuo(['search', '--limit', 'abc', '方特']);
    expect(usage.status).toBe(2);
    const missing = jiansuo(['search', '--index', 'nowhere', '方特']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Build one with: npx jiansuo index --source <files or directories of your archive> --out nowhere');
  });

  it('serves with --ensure-index: builds when stale, answers the API and the page, stops on SIGTERM', async () => {
    const args = ['--ensure-index', '--source', 'sources', '--index', 'served'];
    const first = await serve(args);
    expect(first.log()).toContain('Building the index in served: No index found at served.');
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.log()).toMatch(/jiansuo serving 11 documents on http:\/\/127\.0\.0\.1:\d+ \(loopback only/);
    const api = await fetch(`${first.url}/api/search?q=${encodeURIComponent('方特')}`);
    expect(api.status).toBe(200);
    expect(((await api.json()) as SearchResult).hits[0].title).toBe('郑州方特开启暑期亲子游');
    const page = await fetch(`${first.url}/`);
    expect(await page.text()).toContain('<form id="search"');
    const stopped = exit(first.child);
    first.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    expect(first.log()).toContain('Stopped.');

    const second = await serve(args);
    expect(second.log()).not.toContain('Building');
    const stoppedAgain = exit(second.child);
    second.child.kill('SIGINT');
    expect(await stoppedAgain).toBe(0);

    fs.appendFileSync(path.join(work, 'sources', 'page.txt'), '\n');
    const third = await serve(args);
    expect(third.log()).toContain('Building the index in served: 1 source file changed: sources/page.txt');
    const stoppedLast = exit(third.child);
    third.child.kill('SIGTERM');
    expect(await stoppedLast).toBe(0);
  });
});
