import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as nodejieba from 'nodejieba';
import { Analyzer } from '../../src/analysis/analyzer';
import { keepLargeBlocksMapped, returnFreedMemory } from '../../src/analysis/mallocTrim';

const analyzer = new Analyzer();

describe('segmentation', () => {
  test('search mode adds the dictionary words inside a longer word', () => {
    const { words } = analyzer.analyzeField('二七区党建引领提高基层治理水平');
    expect(words).toEqual(expect.arrayContaining(['二七', '七区', '二七区', '党建', '基层', '治理']));
  });

  test.each([
    ['B1线路', ['b1', '线路']],
    ['2020年', ['2020', '年']],
    ['iPhone13ProMax发布', ['iphone13promax', '发布']],
    ['Ｂ１线路', ['b1', '线路']],
  ])('Latin letters and digits stay whole: %s', (text, expected) => {
    expect(analyzer.analyzeField(text).words).toEqual(expected);
  });

  test.each([
    ['αβγ线路', ['α', 'β', 'γ', '线路']],
    ['ü线路', ['ü', '线路']],
    ['한국线路', ['한', '국', '线路']],
  ])('letters outside CJK ideographs and ASCII are words too: %s', (text, expected) => {
    expect(analyzer.analyzeField(text).words).toEqual(expected);
  });

  test('punctuation and spaces are not words', () => {
    expect(analyzer.analyzeField('“红色物业”， 联盟！').words).toEqual(['红色', '物业', '联盟']);
  });

  test('queries use the plain cut on normalized text', () => {
    expect(analyzer.queryWords(analyzer.normalize('鄭州方特'))).toEqual(['郑州', '方特']);
    expect(analyzer.queryWords('。，')).toEqual([]);
  });

  test('the analyzer states its settings for the manifest', () => {
    expect(analyzer.settings.normalization).toBe('nfkc-lower-t2s-fold/1');
    expect(analyzer.settings.segmenter).toMatch(/^nodejieba@3\.5\.8/);
  });
});

describe('the nodejieba jiansuo installs (patches/nodejieba+3.5.8.patch, applied by postinstall)', () => {
  test('loads no TextRank extractor, whose second copy of the dictionary would cost about 116 MB per thread', () => {
    analyzer.analyzeField('郑州');
    expect(() => nodejieba.textRankExtract('郑州方特欢乐世界暑期开园', 3)).toThrow("textRankExtract is not built in jiansuo's nodejieba (patches/nodejieba+3.5.8.patch)");
  });

  test('exports mallocTrim: glibc gives back the memory it keeps freed (returnFreedMemory), true where there is glibc', () => {
    expect(typeof nodejieba.mallocTrim).toBe('function');
    // A Node process always has freed pages in some thread's malloc arena: glibc releases them and says so.
    const { glibcVersionRuntime } = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header;
    expect(returnFreedMemory()).toBe(glibcVersionRuntime !== undefined);
  });

  test('exports setMallocThresholds: glibc takes the thresholds keepLargeBlocksMapped fixes (what serve does with them: test/server/mallocThresholds.test.ts)', () => {
    expect(typeof nodejieba.setMallocThresholds).toBe('function');
    const { glibcVersionRuntime } = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header;
    expect(keepLargeBlocksMapped()).toBe(glibcVersionRuntime !== undefined);
    expect(() => (nodejieba.setMallocThresholds as (...args: unknown[]) => boolean)('128 KiB', 0)).toThrow('setMallocThresholds(mmapBytes, trimBytes)');
  });
});

describe('analyzers with different user dictionaries take turns with the one jieba', () => {
  /** Words jieba does not know: with a dictionary holding them each is one word. */
  const FIRST = '无主管楼院';
  const SECOND = '红旗渠精神';
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-jieba-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A dictionary file holding `word`, written into the test's directory as `name`. */
  function dictionary(name: string, word: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${word} 2000 n\n`);
    return file;
  }

  test.each([
    ['its file was removed', (file: string) => fs.rmSync(file)],
    ['its file was edited', (file: string) => fs.writeFileSync(file, `${SECOND} 2000 n\n`)],
  ])('an analyzer segments with the dictionary it was made with after %s, when jieba must load it again', (_case, change) => {
    const firstFile = dictionary('first.txt', FIRST);
    const first = new Analyzer({ userDict: firstFile });
    expect(first.queryWords(FIRST)).toEqual([FIRST]);
    const second = new Analyzer({ userDict: dictionary('second.txt', SECOND) });
    expect(second.queryWords(FIRST)).not.toEqual([FIRST]);
    change(firstFile);
    // Temporary files go into a directory of the test's own, to see what is left there.
    const temporary = path.join(dir, 'tmp');
    fs.mkdirSync(temporary);
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
    try {
      expect(first.queryWords(FIRST)).toEqual([FIRST]);
      expect(first.queryWords(SECOND)).not.toEqual([SECOND]);
      expect(second.queryWords(SECOND)).toEqual([SECOND]);
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    // The bytes were loaded from a file of their own, removed once jieba had read it.
    expect(fs.readdirSync(temporary)).toEqual([]);
  });

  test('a dictionary file that is not there is an error naming it, not an abort', () => {
    expect(() => new Analyzer({ userDict: path.join(dir, 'missing.txt') })).toThrow(/missing\.txt/);
  });
});
