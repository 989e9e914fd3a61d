/** test/sharedJieba.ts: jieba's dictionaries loaded once per test worker, and again whenever other ones are asked for. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as nodejieba from 'nodejieba';
import { ROOT } from './helpers';

/** The shim's own export, which nodejieba's types do not list. */
const addonLoads = (nodejieba as unknown as { addonLoads: () => number }).addonLoads;
/** A word no dictionary but the user dictionaries written here holds. */
const WORD = '鼋鼍蛟龙';
const MINIMAL = path.join(ROOT, 'src', 'analysis', 'dict');

let tmp: string;
let userDict: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-shared-jieba-'));
  userDict = path.join(tmp, 'user.dict.txt');
  fs.writeFileSync(userDict, `${WORD} 2000 n\n`);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** jieba's one-word main dictionary (quick to load) with this user dictionary. */
function small(user: string): nodejieba.LoadOptions {
  return { dict: path.join(MINIMAL, 'minimal-jieba.utf8'), idfDict: path.join(MINIMAL, 'minimal-idf.utf8'), stopWordDict: path.join(MINIMAL, 'minimal-stop-words.utf8'), userDict: user };
}

it('loads again only when the files differ in content: a copy of the loaded dictionary elsewhere is not loaded again', () => {
  nodejieba.load(small(userDict));
  expect(nodejieba.cut(WORD, true)).toEqual([WORD]);
  const loads = addonLoads();
  nodejieba.load(small(userDict));
  const copy = path.join(tmp, 'copy.dict.txt');
  fs.copyFileSync(userDict, copy);
  nodejieba.load(small(copy));
  expect(addonLoads()).toBe(loads);
  expect(nodejieba.cut(WORD, true)).toEqual([WORD]);

  // Other content at the same path: loaded, and segmenting with it.
  fs.writeFileSync(copy, '鼋鼍 2000 n\n');
  nodejieba.load(small(copy));
  expect(addonLoads()).toBe(loads + 1);
  expect(nodejieba.cut(WORD, true)).not.toContain(WORD);
  expect(nodejieba.cut(WORD, true)).toContain('鼋鼍');
  nodejieba.load(small(userDict));
  expect(addonLoads()).toBe(loads + 2);
  expect(nodejieba.cut(WORD, true)).toEqual([WORD]);
});

it('lets a later test file (its modules fresh) find the dictionaries an earlier one loaded, without loading them again', () => {
  nodejieba.load(small(userDict));
  const loads = addonLoads();
  jest.isolateModules(() => {
    // What src/analysis/jieba.ts of a new test file does: it loads, knowing nothing of what is loaded.
    const fresh = require('nodejieba') as typeof nodejieba;
    expect(fresh).not.toBe(nodejieba);
    fresh.load(small(userDict));
    expect(fresh.cut(WORD, true)).toEqual([WORD]);
  });
  expect(addonLoads()).toBe(loads);
});

it('loads nodejieba’s default dictionaries before segmenting when the test file loaded none, as nodejieba does', () => {
  nodejieba.load(small(userDict));
  const loads = addonLoads();
  jest.isolateModules(() => {
    const fresh = require('nodejieba') as typeof nodejieba;
    expect(fresh.cut('郑州方特', true)).toEqual(['郑州', '方特']);
  });
  expect(addonLoads()).toBe(loads + 1);
  expect(nodejieba.cut(WORD, true)).not.toEqual([WORD]);
});
