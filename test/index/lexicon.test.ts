/** The lexicon each segment stores (pinyin readings, initials, the speller's deletes): written, read back, checked, and answering as the in-memory build. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { SearchEngine } from '../../src/engine';
import { IndexError } from '../../src/errors';
import { readManifest, readSegments } from '../../src/index/generation';
import fc from 'fast-check';
import { fullKey, initialsKey, isLexiconWord } from '../../src/analysis/pinyin';
import { Lexicon } from '../../src/index/data';
import { ReadingsOf, buildLexicon, lineStarts, mergeLexicons, readingWord, spacedReadings } from '../../src/index/lexicon';
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

/**
 * The lexicon of `wordTerms` made the plain way, with strings: every delete key made as a
 * string with its word's number after a NUL and the strings sorted, the readings grouped by
 * key in maps of arrays (what buildLexicon did before it sorted numbers instead).
 */
function lexiconWithStrings(wordTerms: readonly string[], readingsOf: ReadingsOf): Lexicon {
  const entries: Array<{ reading: string; value: number; line: number }> = [];
  const group = (map: Map<string, number[]>, key: string, value: number): void => void (map.get(key) ?? map.set(key, []).get(key)!).push(value);
  const byFullKey = new Map<string, number[]>();
  const deletes: string[] = [];
  wordTerms.forEach((text, word) => {
    if (!isLexiconWord(text)) return;
    readingsOf(text).forEach((reading, order) => {
      group(byFullKey, fullKey(reading), entries.length);
      entries.push({ reading, value: word * 4 + order, line: 0 });
    });
    const chars = [...text];
    if (chars.length < 2 || chars.length > 6) return;
    const keys = chars.map((_, i) => [...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
    keys.forEach((key, i) => i > 0 && key === keys[i - 1] || deletes.push(key + String.fromCharCode(0, word >>> 16, word & 0xffff)));
  });
  const lines: number[] = [];
  for (const key of [...byFullKey.keys()].sort()) for (const entry of byFullKey.get(key)!) entries[entry].line = lines.push(entry) - 1;
  const byInitials = new Map<string, number[]>();
  for (const entry of entries) if (wordTerms[entry.value >>> 2].length <= 4) group(byInitials, initialsKey(entry.reading), entry.line);
  deletes.sort();
  const keys = [...new Set(deletes.map((entry) => entry.slice(0, -3)))];
  const starts = [0];
  deletes.forEach((entry, i) => i > 0 && entry.slice(0, -3) !== deletes[i - 1].slice(0, -3) && starts.push(i));
  if (deletes.length > 0) starts.push(deletes.length);
  const encoder = new TextEncoder();
  return {
    readings: encoder.encode(lines.map((entry) => entries[entry].reading).join('\n')),
    words: Uint32Array.from(lines, (entry) => entries[entry].value),
    initials: Uint32Array.from([...byInitials.keys()].sort().flatMap((key) => byInitials.get(key)!)),
    deleteKeys: encoder.encode(keys.join('\n')),
    deleteWords: Uint32Array.from([...starts, ...deletes.map((entry) => entry.charCodeAt(entry.length - 2) * 0x10000 + entry.charCodeAt(entry.length - 1))]),
  };
}

describe('buildLexicon', () => {
  // Sorted as strings (UTF-16 units): 𠀀 (U+20000) and 𪚥 are surrogate pairs, after every character of the BMP's Han.
  const WORDS = ['中国', '中国人', '哈哈', '国人', '𠀀人', '𪚥二三四五六七'];
  const READINGS: Record<string, string[]> = {
    中国: ['zhong guo', 'zhong gu'],
    中国人: ['zhong guo ren'],
    哈哈: ['ha ha'],
    国人: ['guo ren'],
    𠀀人: ['a ren', 'b ren'],
    𪚥二三四五六七: ['zhe er san si wu liu qi'],
  };

  it("writes readings by full key, initials by initials key (each then by word and reading order), and the speller's delete keys sorted with their words", () => {
    const lexicon = buildLexicon(WORDS, (word) => READINGS[word]);
    const text = (bytes: Uint8Array): string[] => new TextDecoder().decode(bytes).split('\n');
    // 𪚥二三四五六七 has 7 characters: not a lexicon word (isLexiconWord), so neither read nor misspelled.
    expect(text(lexicon.readings)).toEqual(['a ren', 'b ren', 'guo ren', 'ha ha', 'zhong gu', 'zhong guo', 'zhong guo ren']);
    expect([...lexicon.words]).toEqual([4 * 4, 4 * 4 + 1, 3 * 4, 2 * 4, 1, 0, 4]);
    // Initials ar, br, gr, hh, zg (中国's two readings: its first reading's line 5 before its second's, line 4), zgr.
    expect([...lexicon.initials]).toEqual([0, 1, 2, 3, 5, 4, 6]);
    // 哈哈 less either 哈 gives 哈 once; 人 and 国 are keys of two words each; a key before the longer keys it begins (中, 中人, 中国).
    expect(text(lexicon.deleteKeys)).toEqual(['中', '中人', '中国', '人', '哈', '国', '国人', '𠀀']);
    expect([...lexicon.deleteWords]).toEqual([0, 1, 2, 3, 5, 6, 8, 9, 10, ...[0], ...[1], ...[1], ...[3, 4], ...[2], ...[0, 3], ...[1], ...[4]]);
    expect(lexicon).toEqual(lexiconWithStrings(WORDS, (word) => READINGS[word]));
  });

  it('makes what sorting the delete keys as strings makes, whatever the words (surrogate pairs, repeated characters, keys that begin others)', () => {
    const char = fc.constantFrom('中', '国', '人', '哈', '𠀀', '𪚥', '丨', '龥', '㐀', '\uD840\uDC01', '豈');
    const words = fc.uniqueArray(fc.array(char, { minLength: 1, maxLength: 8 }).map((chars) => chars.join('')), { maxLength: 60 }).map((list) => list.sort());
    // Readings made up from the words' characters: two for some, and full keys shared by several words.
    const readingsOf = (word: string): string[] => {
      const syllables = [...word].map((c) => `s${c.codePointAt(0)! % 3}`);
      return word.length % 2 === 0 ? [syllables.join(' ')] : [syllables.join(' '), syllables.reverse().join(' ')];
    };
    fc.assert(fc.property(words, (list) => expect(buildLexicon(list, readingsOf)).toEqual(lexiconWithStrings(list, readingsOf))));
  });

  it('of no word, or of words none of which is a lexicon word, has empty tables', () => {
    const empty = { readings: new Uint8Array(0), words: new Uint32Array(0), initials: new Uint32Array(0), deleteKeys: new Uint8Array(0), deleteWords: Uint32Array.of(0) };
    expect(buildLexicon([])).toEqual(empty);
    expect(buildLexicon(['2020', 'abc', '中'])).toEqual(empty);
  });
});

describe('spacedReadings', () => {
  it("gives pinyin-pro's readings with their syllables separated by spaces, as a lexicon stores them", () => {
    expect(spacedReadings('方特')).toEqual(['fang te']);
  });
});

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
