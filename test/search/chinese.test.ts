/** Issue 4's Chinese-specific features on the demo page: pinyin, did you mean, user dictionary, synonyms. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analyzer } from '../../src/analysis/analyzer';
import { dictionariesIn } from '../../src/analysis/dictionaries';
import { SearchEngine } from '../../src/engine';
import { readings } from '../../src/analysis/pinyin';
import { pinyinKey } from '../../src/search/pinyinIndex';
import { parseSynonyms } from '../../src/search/synonyms';
import { ROOT, demoDocuments, doc } from '../helpers';

/** Temporary directories the tests make, removed after them. */
const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const DICT_DIR = path.join(ROOT, 'index-data', 'dict');
// "Did you mean" stops at its wall-clock budget (suggestionBudgetMs), which a loaded machine can spend before a suggestion is found: raised here, where suggestions are checked.
const engine = SearchEngine.build(demoDocuments(), { ...dictionariesIn(DICT_DIR), suggestionBudgetMs: 600_000 });
const FANGTE = '郑州方特开启暑期亲子游';

describe('pinyin', () => {
  test.each([
    ['fangte', 'fangte'],
    ['fang te', 'fangte'],
    ['Fāng Tè', 'fangte'],
    ["fang'te", 'fangte'],
    ['fang1te4', 'fangte'],
    ['nǚ', 'nv'],
    ['lü', 'lv'],
    ['方特', undefined],
    ['b1', undefined],
    ['ni3hao3', 'nihao'],
  ])('pinyinKey(%j) = %j', (text, key) => {
    expect(pinyinKey(text)).toBe(key);
  });

  test('polyphonic words are indexed under their common readings, the contextual one first', () => {
    expect(readings('银行')[0]).toEqual(['yin', 'hang']);
    expect(readings('银行').map((r) => r.join(''))).toContain('yinxing');
    expect(readings('重庆')[0]).toEqual(['chong', 'qing']);
  });

  test.each([['fangte'], ['fang te'], ['fāng tè'], ['FANGTE']])('%s finds 方特 and says which reading matched', (query) => {
    const result = engine.search(query);
    expect(result.hits.map((h) => h.title)).toEqual([FANGTE]);
    expect(result.expansions).toEqual([{ term: query, via: 'pinyin', words: ['方特'], readings: ['fang te'] }]);
    expect(result.hits[0].snippet).toContain('<mark>方特</mark>');
  });

  test('zhengzhou finds 郑州; ft finds 方特 by initials', () => {
    expect(engine.search('zhengzhou').total).toBe(engine.search('郑州').total);
    const initials = engine.search('ft');
    expect(initials.hits.map((h) => h.title)).toEqual([FANGTE]);
    expect(initials.expansions).toEqual([{ term: 'ft', via: 'initials', words: ['方特'], readings: ['fang te'] }]);
  });

  test('pinyin matches rank below matches of the characters themselves', () => {
    const e = SearchEngine.build([doc('pinyin-only', '', '我们去方特玩'), doc('literal', '', '这里写着 fangte 的拼音')]);
    expect(e.search('fangte').hits.map((h) => h.id)).toEqual(['literal', 'pinyin-only']);
  });

  test('the engine lists words for typed pinyin (for suggestions)', () => {
    expect(engine.pinyinWords('zhengzhou').map((w) => w.word)).toEqual(['郑州']);
    expect(engine.pinyinWords('ft')[0]).toMatchObject({ word: '方特', reading: 'fang te' });
    expect(engine.pinyinWords('方特')).toEqual([]);
  });
});

describe('did you mean', () => {
  test.each([
    ['芳特', '方特'],
    ['郑洲', '郑州'],
    ['芳特 暑期', '方特 暑期'],
  ])('%s → %s (same pinyin, other characters)', (query, suggestion) => {
    const result = engine.search(query);
    expect(result.suggestion).toBe(suggestion);
    expect(result.match).not.toBe('exact');
    expect(engine.search(suggestion).match).toBe('exact');
  });

  test('a missing or an extra character', () => {
    expect(engine.search('无主管楼园').suggestion).toBe('无主管楼院');
    expect(engine.search('汝河小区区').suggestion).toBe('汝河小区');
  });

  test('no suggestion when the query finds enough', () => {
    expect(engine.search('方特')).not.toHaveProperty('suggestion');
    expect(engine.search('社区')).not.toHaveProperty('suggestion');
  });
});

describe('user dictionary', () => {
  test('local names are words for ranking once the dictionary is loaded', () => {
    const plain = new Analyzer();
    expect(plain.analyzeField('无主管楼院').words).not.toContain('无主管楼院');
    const withDict = new Analyzer({ userDict: path.join(DICT_DIR, 'user.dict.txt') });
    expect(withDict.analyzeField('无主管楼院').words).toContain('无主管楼院');
    expect(withDict.queryWords('郑州方特梦幻王国')).toEqual(['郑州', '方特梦幻王国']);
    // Switching back reloads jieba without the dictionary.
    expect(plain.queryWords('郑州方特梦幻王国')).toEqual(['郑州', '方特', '梦幻', '王国']);
  });

  test('the manifest fingerprints the dictionary the index keeps a copy of: an edit is noted, a different one given is warned about, searching goes on', () => {
    const dir = tempDir('jiansuo-dict-');
    const dict = path.join(dir, 'user.dict.txt');
    fs.copyFileSync(path.join(DICT_DIR, 'user.dict.txt'), dict);
    const built = SearchEngine.build(demoDocuments(), { userDict: dict });
    const manifest = built.save(path.join(dir, 'index'));
    expect(manifest.analyzer.userDict).toBe(dict);
    expect(manifest.analyzer.userDictSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(SearchEngine.open(path.join(dir, 'index')).dictionaryWarning()).toBeUndefined();
    fs.appendFileSync(dict, '新词语 100 n\n');
    const reopened = SearchEngine.open(path.join(dir, 'index'));
    expect(reopened.dictionaryWarning()).toBeUndefined();
    expect(reopened.dictionaryNote()).toBe(
      `the user dictionary ${dict} changed since the index was built; the index keeps segmenting queries and added documents with its own copy of the dictionary it was built with. Rebuild it (npx jiansuo index) to use the new one.`,
    );
    expect(reopened.search('无主管楼院').total).toBe(2);
    const given = SearchEngine.open(path.join(dir, 'index'), { userDict: dict });
    expect(given.dictionaryWarning()).toBe(
      `the user dictionary ${dict} changed since the index was built: rebuild it (npx jiansuo index) so that documents are segmented like queries. Searching still works meanwhile.`,
    );
    expect(given.search('无主管楼院').total).toBe(2);
  });
});

describe('synonyms', () => {
  test('parsing: groups, comments, normalization', () => {
    const map = parseSynonyms('# comment\n郑州 鄭州市\n方特, 方特梦幻王国\n\n');
    expect(map.get('郑州')).toEqual(['郑州市']);
    expect(map.get('郑州市')).toEqual(['郑州']);
    expect(map.get('方特梦幻王国')).toEqual(['方特']);
    expect(map.has('# comment')).toBe(false);
  });

  test('a query word finds its synonyms, lists the expansion, and exact matches rank first', () => {
    const dir = tempDir('jiansuo-syn-');
    const file = path.join(dir, 'synonyms.txt');
    fs.writeFileSync(file, '暑假 暑期\n');
    const e = SearchEngine.build([doc('synonym', '', '暑期活动开始了'), doc('exact', '', '暑假活动开始了'), doc('none', '', '冬季活动')], { synonyms: file });
    const result = e.search('暑假');
    expect(result.hits.map((h) => h.id)).toEqual(['exact', 'synonym']);
    expect(result.expansions).toEqual([{ term: '暑假', via: 'synonym', words: ['暑期'] }]);
    expect(result.hits[1].snippet).toBe('<mark>暑期</mark>活动开始了');
  });

  test('a quoted phrase is not widened', () => {
    expect(engine.search('"暑假"').expansions).toBeUndefined();
  });
});

describe('stopwords never stop a literal match', () => {
  test.each([['的'], ['了'], ['是'], ['在']])('%s finds every document containing it', (stopword) => {
    const expected = demoDocuments().filter((d) => `${d.title}\n${d.subtitle ?? ''}\n${d.paragraphs.join('\n')}`.includes(stopword)).length;
    expect(expected).toBeGreaterThan(0);
    expect(engine.search(stopword, { limit: 20 }).total).toBe(expected);
  });
});
