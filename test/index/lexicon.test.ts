/** The lexicon each segment stores (pinyin readings, initials, the speller's deletes): written, read back, checked, and answering as the in-memory build. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { SearchEngine } from '../../src/engine';
import { IndexError } from '../../src/errors';
import { readManifest, readSegments } from '../../src/index/generation';
import { buildLexicon, lineStarts, mergeLexicons, readingWord } from '../../src/index/lexicon';
import { Manifest } from '../../src/index/manifest';
import { SearchDocument } from '../../src/document';
import { corpusDocuments, demoDocuments } from '../helpers';
import { optimizeIndex, updateIndex } from '../../src/update';

const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-lexicon-'));
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Pinyin (full, typed with spaces or tones, initials, being typed) and misspellings that "did you mean" corrects. */
const QUERIES = ['fangte', 'fang te', 'ft', 'zhengzhou', 'zz', 'beijing', 'louyuan', '芳特', '郑洲', '无主管楼园', '汝河小区区', '方特'];
const TYPED = ['f', 'fangt', 'zhengz', 'zz', 'ft', 'lou', 'bj'];

/** Whole answers are compared, "did you mean" included: its wall-clock budget must not run out in one engine only. */
const PATIENT = { suggestionBudgetMs: 600_000 };

function answer(engine: SearchEngine, query: string): unknown {
  return { ...engine.search(query, { limit: 10 }), took_ms: 0 };
}

/** Expects `opened` to answer pinyin, initials, typeahead and "did you mean" exactly as `expected`. */
function expectSameWords(opened: SearchEngine, expected: SearchEngine): void {
  for (const query of QUERIES) expect({ query, result: answer(opened, query) }).toEqual({ query, result: answer(expected, query) });
  for (const text of TYPED) {
    expect({ text, words: opened.pinyinWords(text, 30), completions: opened.pinyinCompletions(text, 30) }).toEqual({
      text,
      words: expected.pinyinWords(text, 30),
      completions: expected.pinyinCompletions(text, 30),
    });
  }
}

/** Rewrites a file of the current generation and, with `fixChecksum`, its manifest entry, as a bug (not a flipped bit) would. */
function rewrite(dir: string, file: string, bytes: Uint8Array, fixChecksum: boolean): void {
  const { generationDir } = readManifest(dir);
  fs.writeFileSync(path.join(generationDir, file), bytes);
  if (!fixChecksum) return;
  const manifestFile = path.join(generationDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  manifest.files[file] = { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
}

describe('the stored lexicon', () => {
  const documents = demoDocuments();
  const inMemory = SearchEngine.build(documents);
  const dir = tempDir();
  inMemory.save(dir);

  it('is written with every segment and read back as built', () => {
    const { manifest, segments } = readSegments(dir);
    for (const file of ['pinyin.readings', 'pinyin.words', 'pinyin.initials', 'spelling.keys', 'spelling.words']) expect(manifest.files[`seg-0/${file}`]).toBeDefined();
    const stored = segments[0].data.lexicon!;
    expect(stored).toEqual(buildLexicon(segments[0].data.wordTerms));
    // Compact: one short line per reading, a number per reading; 方特 is there under its reading.
    const lines = new TextDecoder().decode(stored.readings).split('\n');
    const fangte = lines.findIndex((line, i) => line === 'fang te' && segments[0].data.wordTerms[readingWord(stored.words[i]).word] === '方特');
    expect(fangte).toBeGreaterThanOrEqual(0);
    expect([...lines].sort((a, b) => (a.replaceAll(' ', '') < b.replaceAll(' ', '') ? -1 : 1)).map((l) => l.replaceAll(' ', ''))).toEqual(lines.map((l) => l.replaceAll(' ', '')));
  });

  it('answers pinyin, initials, typeahead and "did you mean" as the in-memory build', () => {
    const opened = SearchEngine.open(dir);
    expectSameWords(opened, inMemory);
    expect(opened.search('fangte').expansions).toEqual([{ term: 'fangte', via: 'pinyin', words: ['方特'], readings: ['fang te'] }]);
    expect(opened.search('ft').expansions).toEqual([{ term: 'ft', via: 'initials', words: ['方特'], readings: ['fang te'] }]);
    expect(opened.search('郑洲').suggestion).toBe('郑州');
  });

  it('opened as a server does, works out the line starts once in shared memory, and a thread given the data reads those and answers the same', async () => {
    expect([...lineStarts(new TextEncoder().encode('ai\nbai ta\n\nzou'))]).toEqual([0, 3, 10, 11]);
    expect(lineStarts(new Uint8Array(0))).toHaveLength(0);
    const served = await SearchEngine.openAsync(dir);
    const { lexicon } = served.sharedIndex()!.data;
    expect([...lexicon!.readingStarts!]).toEqual([...lineStarts(lexicon!.readings)]);
    expect([...lexicon!.deleteKeyStarts!]).toEqual([...lineStarts(lexicon!.deleteKeys)]);
    expect(lexicon!.readingStarts!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(lexicon!.deleteKeyStarts!.buffer).toBeInstanceOf(SharedArrayBuffer);
    const thread = SearchEngine.openShared(served.sharedIndex()!);
    expectSameWords(thread, inMemory);
    expectSameWords(served, inMemory);
    thread.close();
  });

  it('merges from segments into what the merged words would store (readings copied, not computed again)', () => {
    const first = SearchEngine.build(documents.slice(0, 5));
    const second = SearchEngine.build(documents.slice(5));
    const parts = [first, second].map((engine) => {
      const scratch = tempDir();
      engine.save(scratch);
      return readSegments(scratch).segments[0].data;
    });
    const words = [...new Set(parts.flatMap((part) => part.wordTerms))].sort();
    const lexicons = parts.map((part) => ({ wordTerms: part.wordTerms, lexicon: part.lexicon! }));
    expect(mergeLexicons(lexicons, words)).toEqual(buildLexicon(words));
    // Words whose documents were all deleted are not among the merged words: their readings, initials and deletes go.
    const kept = words.filter((_, i) => i % 3 !== 1);
    expect(kept.length).toBeLessThan(words.length);
    expect(mergeLexicons(lexicons, kept)).toEqual(buildLexicon(kept));
    expect(mergeLexicons(lexicons, [])).toEqual(buildLexicon([]));
  });

  it('merges many segments sharing words, readings and delete keys as the merged words would store them', () => {
    const words = readSegments(dir).segments[0].data.wordTerms;
    // Seven overlapping parts: each word in about three of them, so that equal entries meet in several tables at once.
    const parts = Array.from({ length: 7 }, (_, p) => words.filter((_, i) => (i * 7 + p * 3) % 11 < 5));
    const lexicons = parts.map((terms) => ({ wordTerms: terms, lexicon: buildLexicon(terms) }));
    const union = [...new Set(parts.flat())].sort();
    expect(union.length).toBeGreaterThan(100);
    expect(mergeLexicons(lexicons, union)).toEqual(buildLexicon(union));
    const kept = union.filter((_, i) => i % 4 !== 2);
    expect(mergeLexicons(lexicons, kept)).toEqual(buildLexicon(kept));
  });

  it('reports a damaged lexicon file by its checksum, and tables that disagree by name', () => {
    const damaged = tempDir();
    inMemory.save(damaged);
    const file = path.join(readManifest(damaged).generationDir, 'seg-0', 'pinyin.readings');
    const bytes = fs.readFileSync(file);
    bytes[10] ^= 0x01;
    fs.writeFileSync(file, bytes);
    expect(() => SearchEngine.open(damaged)).toThrow(IndexError);
    expect(() => SearchEngine.open(damaged)).toThrow(/is damaged: seg-0\/pinyin.readings does not match its checksum\. Rebuild it with: npx jiansuo index/);

    const inconsistent = tempDir();
    inMemory.save(inconsistent);
    rewrite(inconsistent, 'seg-0/pinyin.words', brotliCompressSync(new Uint8Array(new Uint32Array([0xffffffff]).buffer)), true);
    expect(() => SearchEngine.open(inconsistent)).toThrow(/is damaged: seg-0: pinyin.words does not have one word per line of pinyin.readings/);

    // The file is stored compressed (Brotli): bytes that do not decompress are damage too, named.
    const raw = tempDir();
    inMemory.save(raw);
    rewrite(raw, 'seg-0/pinyin.words', new Uint8Array(new Uint32Array([0xffffffff]).buffer), true);
    expect(() => SearchEngine.open(raw)).toThrow(/is damaged: seg-0\/pinyin.words does not decompress .*Rebuild it with: npx jiansuo index/);
  });
});

describe('after updates', () => {
  let news: SearchDocument[];
  beforeAll(async () => {
    news = await corpusDocuments('news-dev.jsonl.gz', 400);
  });

  it('answers pinyin, initials and "did you mean" as a fresh build of the live documents, before and after optimize', () => {
    const dir = tempDir();
    SearchEngine.build(news.slice(0, 250)).save(dir);
    const edited = { ...news[3], title: '改写后的标题：郑州方特暑期亲子游', paragraphs: ['方特乐园今年暑假推出新的亲子项目。'] };
    updateIndex(dir, { add: [...news.slice(250, 400), edited] });
    updateIndex(dir, { remove: [news[0].id, news[10].id, news[260].id] });
    const live = [...news.slice(0, 400).filter((d) => ![news[0].id, news[10].id, news[260].id, news[3].id].includes(d.id)), edited];
    // A fresh build holds the live documents in the updated index's order: segment by segment.
    const order = (d: SearchDocument): number => (d === edited ? 1e6 : news.indexOf(d));
    const fresh = SearchEngine.build([...live].sort((a, b) => order(a) - order(b)), PATIENT);
    const updated = SearchEngine.open(dir, PATIENT);
    expect(readManifest(dir).manifest.segments.length).toBe(2);
    expectSameWords(updated, fresh);
    expect(updated.pinyinWords('fangte').map((w) => w.word)).toContain('方特');
    updateIndex(dir, { remove: [edited.id] });
    const withoutEdited = SearchEngine.build([...live].filter((d) => d !== edited).sort((a, b) => order(a) - order(b)), PATIENT);
    expectSameWords(SearchEngine.open(dir, PATIENT), withoutEdited);
    optimizeIndex(dir);
    expect(readManifest(dir).manifest.segments.length).toBe(1);
    expectSameWords(SearchEngine.open(dir, PATIENT), withoutEdited);
  });
});
