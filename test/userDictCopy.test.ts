/**
 * An index keeps a copy of the user dictionary its documents were segmented with
 * (Manifest.userDictCopy): moved or copied elsewhere, with the original dictionary deleted
 * or edited, it answers, updates and warns exactly as where it was built.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analyzer, analyzerSettings, fileSha256 } from '../src/analysis/analyzer';
import { SearchEngine } from '../src/engine';
import { IndexError, UpdateError } from '../src/errors';
import { IndexBuilder } from '../src/index/builder';
import { readManifest, readSegments, saveIndexData } from '../src/index/generation';
import { rebuildHint } from '../src/index/manifest';
import { SearchResult } from '../src/search/types';
import { optimizeIndex, updateIndex } from '../src/update';
import { run } from './cliRun';
import { doc } from './helpers';

/** A word jieba does not know: with the dictionary it is one word, without it 无 / 主管 / 楼院. */
const WORD = '无主管楼院';
const DICTIONARY = `${WORD} 2000 n\n`;

const DOCUMENTS = [
  doc('a', '无主管楼院整治', `本市三百个${WORD}年底前完成改造，居民说楼院变了样。`),
  doc('b', '社区新闻', '主管部门检查了无人管理的老楼院，楼院环境改善。'),
  doc('c', '城市建设', `${WORD}改造带动社区治理，主管单位明确了责任。`),
  doc('d', '天气', '今天晴，明天多云。'),
];

const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-dictcopy-'));
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A search result without its timing, to compare answers. */
function answers(result: SearchResult): Omit<SearchResult, 'took_ms'> {
  const { took_ms: _took, ...rest } = result;
  return rest;
}

/** The files of the live generation of `dir`, its directory first. */
function generationDir(dir: string): string {
  return readManifest(dir).generationDir;
}

/** The dictionary file and an index built with it in `<tmp>/built/index`, saved by SearchEngine.save. */
function builtIndex(): { dict: string; dir: string } {
  const tmp = tempDir();
  const dict = path.join(tmp, 'dict', 'user.dict.txt');
  fs.mkdirSync(path.dirname(dict));
  fs.writeFileSync(dict, DICTIONARY);
  const dir = path.join(tmp, 'built', 'index');
  SearchEngine.build(DOCUMENTS, { userDict: dict }).save(dir);
  return { dict, dir };
}

/** `dir` copied to a new place, as a user moving an index to another machine does. */
function copiedElsewhere(dir: string): string {
  const to = path.join(tempDir(), 'moved', 'index');
  fs.cpSync(dir, to, { recursive: true });
  return to;
}

describe('an index keeps a copy of its user dictionary', () => {
  it('is written into the generation, listed and checksummed in the manifest', () => {
    const { dict, dir } = builtIndex();
    const { manifest, generationDir: gen } = readManifest(dir);
    expect(manifest.userDictCopy).toBe('user.dict.txt');
    expect(fs.readFileSync(path.join(gen, 'user.dict.txt'), 'utf8')).toBe(DICTIONARY);
    expect(manifest.files['user.dict.txt']).toEqual({ bytes: Buffer.byteLength(DICTIONARY), sha256: fileSha256(dict) });
    expect(manifest.analyzer.userDict).toBe(dict);
    expect(manifest.analyzer.userDictSha256).toBe(fileSha256(dict));
  });

  it('answers the same when moved and the dictionary deleted, with no warning, segmenting queries with the copy', async () => {
    const { dict, dir } = builtIndex();
    const before = SearchEngine.open(dir);
    const queries = [WORD, `${WORD}改造`, '主管 楼院'];
    const expected = queries.map((q) => answers(before.search(q)));
    expect(before.analyzer.queryWords(WORD)).toEqual([WORD]);

    const moved = copiedElsewhere(dir);
    fs.rmSync(path.dirname(path.dirname(dir)), { recursive: true });
    expect(fs.existsSync(dict)).toBe(false);
    for (const opened of [SearchEngine.open(moved), await SearchEngine.openAsync(moved)]) {
      expect(opened.dictionaryWarning()).toBeUndefined();
      expect(opened.dictionaryNote()).toBeUndefined();
      expect(opened.analyzer.queryWords(WORD)).toEqual([WORD]);
      expect(queries.map((q) => answers(opened.search(q)))).toEqual(expected);
      // Recorded under the path it was built from, with the same checksum.
      expect(opened.analyzer.settings).toEqual(readManifest(moved).manifest.analyzer);
    }
    // A long-query thread opens it from what the server shares: with the copy too, never reading the original.
    const shared = (await SearchEngine.openAsync(moved)).sharedIndex()!;
    expect(shared.userDict?.path).toBe(path.join(generationDir(moved), 'user.dict.txt'));
    const onThread = SearchEngine.openShared(shared);
    expect(onThread.dictionaryWarning()).toBeUndefined();
    expect(queries.map((q) => answers(onThread.search(q)))).toEqual(expected);
    onThread.close();
    // The comparison means something: segmented without the dictionary, queries rank otherwise.
    const none = path.join(tempDir(), 'empty.dict.txt');
    fs.writeFileSync(none, '');
    const without = SearchEngine.open(moved, { userDict: none });
    expect(without.analyzer.queryWords(WORD)).not.toEqual([WORD]);
    expect(queries.map((q) => answers(without.search(q)))).not.toEqual(expected);
  });

  it('adds documents segmented with the copy after a move, and every new generation keeps it', () => {
    const { dict, dir } = builtIndex();
    const moved = copiedElsewhere(dir);
    fs.rmSync(dict);
    const summary = updateIndex(moved, { add: [doc('e', '新闻', `又有二十个${WORD}完成整治。`)], remove: ['d'] });
    expect(summary).toMatchObject({ added: 1, removed: 1, documents: 4, segments: 2 });
    const { manifest, segments } = readSegments(moved);
    // The new segment holds the dictionary's word: its document was segmented with the copy.
    expect(segments[1].data.wordTerms).toContain(WORD);
    expect(new Analyzer().analyzeField(`又有二十个${WORD}完成整治。`).words).not.toContain(WORD);
    expect(manifest.userDictCopy).toBe('user.dict.txt');
    expect(fs.readFileSync(path.join(generationDir(moved), 'user.dict.txt'), 'utf8')).toBe(DICTIONARY);
    const engine = SearchEngine.open(moved);
    expect(engine.dictionaryWarning()).toBeUndefined();
    expect(engine.search(WORD).hits.map((hit) => hit.id).sort()).toEqual(['a', 'c', 'e']);

    // A merge writes a generation of its own: with the copy as well.
    expect(optimizeIndex(moved)).toMatchObject({ documents: 4, segmentsBefore: 2 });
    expect(readManifest(moved).manifest).toMatchObject({ userDictCopy: 'user.dict.txt', segments: [{ name: 'seg-2' }] });
    expect(SearchEngine.open(moved).search(WORD).hits.map((hit) => hit.id).sort()).toEqual(['a', 'c', 'e']);
  });

  it('is not changed by an edit of the original: the index keeps its copy, and a note says to rebuild', () => {
    const { dict, dir } = builtIndex();
    const expected = answers(SearchEngine.open(dir).search(WORD));
    fs.writeFileSync(dict, `${DICTIONARY}主管楼 10 n\n`);
    const engine = SearchEngine.open(dir);
    expect(engine.dictionaryWarning()).toBeUndefined();
    expect(engine.dictionaryNote()).toBe(
      `the user dictionary ${dict} changed since the index was built; the index keeps segmenting queries and added documents with its own copy of the dictionary it was built with. ` +
        'Rebuild it (npx jiansuo index) to use the new one.',
    );
    expect(answers(engine.search(WORD))).toEqual(expected);
    updateIndex(dir, { add: [doc('e', '新闻', `${WORD}完成整治。`)] });
    expect(fs.readFileSync(path.join(generationDir(dir), 'user.dict.txt'), 'utf8')).toBe(DICTIONARY);
  });

  it('still warns when a different dictionary is given to open, and segments queries with it', () => {
    const { dir } = builtIndex();
    const other = path.join(tempDir(), 'other.dict.txt');
    fs.writeFileSync(other, '主管楼 10 n\n');
    const engine = SearchEngine.open(dir, { userDict: other });
    expect(engine.dictionaryWarning()).toBe(
      `the user dictionary ${other} changed since the index was built: rebuild it (npx jiansuo index) so that documents are segmented like queries. Searching still works meanwhile.`,
    );
    expect(engine.dictionaryNote()).toBeUndefined();
    expect(engine.analyzer.queryWords(WORD)).not.toEqual([WORD]);
    // A fallback is for indexes without a copy only.
    expect(SearchEngine.open(dir, { userDictFallback: other }).dictionaryWarning()).toBeUndefined();
  });

  it('reports a damaged or missing copy as damage, naming it, on every path that reads it', async () => {
    const { dir } = builtIndex();
    const copy = path.join(generationDir(dir), 'user.dict.txt');
    fs.writeFileSync(copy, DICTIONARY.replace('2000', '2001'));
    const damaged = `The index at ${dir} is damaged: user.dict.txt does not match its checksum (the index's copy of the user dictionary it was built with). ${rebuildHint(dir)}`;
    expect(() => SearchEngine.open(dir)).toThrow(new IndexError(damaged));
    await expect(SearchEngine.openAsync(dir)).rejects.toThrow(new IndexError(damaged));
    expect(() => updateIndex(dir, { add: [doc('e', '新闻', WORD)] })).toThrow(new IndexError(damaged));
    expect(() => updateIndex(dir, { remove: ['d'] })).toThrow(new IndexError(damaged));
    fs.rmSync(copy);
    expect(() => SearchEngine.open(dir)).toThrow(
      new IndexError(`The index at ${dir} is damaged: user.dict.txt is missing (the index's copy of the user dictionary it was built with). ${rebuildHint(dir)}`),
    );
  });

  it('refuses a manifest whose copy is not the dictionary its analyzer settings record', () => {
    const { dir } = builtIndex();
    const manifestFile = path.join(generationDir(dir), 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.analyzer.userDictSha256 = '0'.repeat(64);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(() => SearchEngine.open(dir)).toThrow(
      `The index at ${dir} is damaged: its copy of the user dictionary (user.dict.txt) is listed with another SHA-256 than the dictionary its manifest records.`,
    );
  });
});

describe('an index written before indexes kept a copy', () => {
  /** An index as jiansuo wrote it before: the dictionary recorded by path and checksum only. */
  function oldIndex(): { dict: string; dir: string } {
    const tmp = tempDir();
    const dict = path.join(tmp, 'user.dict.txt');
    fs.writeFileSync(dict, DICTIONARY);
    const builder = new IndexBuilder(new Analyzer({ userDict: dict }));
    for (const document of DOCUMENTS) builder.add(document);
    const dir = path.join(tmp, 'index');
    saveIndexData(dir, builder.finish(), { analyzer: analyzerSettings(dict), sources: [] });
    expect(readManifest(dir).manifest.userDictCopy).toBeUndefined();
    return { dict, dir };
  }

  it('reads the dictionary from its recorded path, and warns and refuses to add when it is gone, as before', () => {
    const { dict, dir } = oldIndex();
    expect(SearchEngine.open(dir).analyzer.queryWords(WORD)).toEqual([WORD]);
    expect(SearchEngine.open(dir).dictionaryWarning()).toBeUndefined();
    fs.rmSync(dict);
    expect(SearchEngine.open(dir).dictionaryWarning()).toBe(
      `the user dictionary ${dict} is gone since the index was built: rebuild it (npx jiansuo index) so that documents are segmented like queries. Searching still works meanwhile.`,
    );
    expect(() => updateIndex(dir, { add: [doc('e', '新闻', WORD)] })).toThrow(
      new UpdateError(`the user dictionary ${dict} is gone since the index at ${dir} was built: new documents would be segmented unlike the others. Rebuild the index (npx jiansuo index) first.`, []),
    );
    // What it could not copy it does not: a removal writes a generation without a copy.
    updateIndex(dir, { remove: ['d'] });
    expect(readManifest(dir).manifest.userDictCopy).toBeUndefined();
  });

  it('uses the fallback dictionary, as a given one, when it has no copy', () => {
    const { dict, dir } = oldIndex();
    const other = path.join(tempDir(), 'other.dict.txt');
    fs.writeFileSync(other, '主管楼 10 n\n');
    expect(SearchEngine.open(dir, { userDictFallback: other }).dictionaryWarning()).toBe(
      `the user dictionary ${other} changed since the index was built: rebuild it (npx jiansuo index) so that documents are segmented like queries. Searching still works meanwhile.`,
    );
    fs.rmSync(dict);
    fs.writeFileSync(other, DICTIONARY);
    expect(SearchEngine.open(dir, { userDictFallback: other }).dictionaryWarning()).toBeUndefined();
  });

  it('gets a copy from the first update while the recorded file is still the dictionary it was built with', () => {
    const { dict, dir } = oldIndex();
    updateIndex(dir, { remove: ['d'] });
    expect(readManifest(dir).manifest.userDictCopy).toBe('user.dict.txt');
    fs.rmSync(dict);
    const engine = SearchEngine.open(dir);
    expect(engine.dictionaryWarning()).toBeUndefined();
    expect(engine.analyzer.queryWords(WORD)).toEqual([WORD]);
    expect(updateIndex(dir, { add: [doc('e', '新闻', `${WORD}完成整治。`)] }).documents).toBe(4);
  });
});

describe('the CLI with a moved index', () => {
  it('searches and adds with the index copy, whatever the dictionary of index-data/dict, and says when a given --dict differs', async () => {
    const tmp = tempDir();
    const dict = path.join(tmp, 'dict');
    fs.mkdirSync(dict);
    fs.writeFileSync(path.join(dict, 'user.dict.txt'), DICTIONARY);
    const source = path.join(tmp, 'docs.jsonl');
    fs.writeFileSync(source, DOCUMENTS.map((d) => JSON.stringify({ id: d.id, title: d.title, body: d.paragraphs.join('\n') })).join('\n') + '\n');
    const built = path.join(tmp, 'built');
    expect(await run(['index', '--source', source, '--out', built, '--dict', dict, '--threads', '1'])).toMatchObject({ code: 0, stderr: '' });
    // Its worker thread segmented the documents with the dictionary, which the index keeps.
    expect(readSegments(built).segments[0].data.wordTerms).toContain(WORD);
    expect(fs.readFileSync(path.join(generationDir(built), 'user.dict.txt'), 'utf8')).toBe(DICTIONARY);
    const search = async (index: string, ...extra: string[]): Promise<{ code: number; stderr: string; result: Omit<SearchResult, 'took_ms'> }> => {
      const { code, stdout, stderr } = await run(['search', '--index', index, '--json', ...extra, WORD]);
      return { code, stderr, result: answers(JSON.parse(stdout) as SearchResult) };
    };
    // The working directory is the repository's, whose index-data/dict/user.dict.txt is another dictionary: the default --dict is not used.
    expect(fs.readFileSync(path.join('index-data', 'dict', 'user.dict.txt'), 'utf8')).not.toBe(DICTIONARY);
    const before = await search(built);
    expect(before).toMatchObject({ code: 0, stderr: '' });
    expect(before.result.hits.map((hit) => hit.id)).toEqual(['a', 'c']);

    const moved = copiedElsewhere(built);
    fs.rmSync(built, { recursive: true });
    fs.rmSync(dict, { recursive: true });
    expect(await search(moved)).toEqual(before);

    const added = path.join(tmp, 'more.jsonl');
    fs.writeFileSync(added, JSON.stringify({ id: 'e', title: '新闻', body: `又有二十个${WORD}完成整治。` }) + '\n');
    expect(await run(['add', added, '--index', moved])).toMatchObject({ code: 0, stderr: '' });
    expect(readSegments(moved).segments[1].data.wordTerms).toContain(WORD);
    expect((await search(moved)).result.hits.map((hit) => hit.id).sort()).toEqual(['a', 'c', 'e']);

    // A --dict given on the command line is used for queries, and warned about when it is not the index's dictionary.
    const given = await search(moved, '--dict', path.join('index-data', 'dict'));
    expect(given.stderr).toBe(
      `warning: the user dictionary ${path.resolve('index-data', 'dict', 'user.dict.txt')} changed since the index was built: rebuild it (npx jiansuo index) so that documents are segmented like queries. Searching still works meanwhile.\n`,
    );
  });
});
