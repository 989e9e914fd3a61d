/**
 * nodejieba as the test files of one Jest worker see it (jest.config.js maps `nodejieba` here).
 *
 * nodejieba's native addon is loaded once per process, so its jieba, with the dictionaries it
 * last loaded, outlives each test file; but Jest gives each test file fresh JavaScript modules,
 * so src/analysis/jieba.ts, not knowing what is loaded, loads the dictionaries again in every
 * test file: about 1 s of CPU and 235 MB of fresh allocations each time. Here a load is skipped
 * when the addon last loaded files of exactly the same content (jieba's state depends on nothing
 * else: nodejieba's `insertWord`, which would change it, forgets what was loaded); anything else
 * loads as nodejieba does. Everything else is nodejieba's own: its constants, and its functions
 * called on the addon as its index.js calls them (loading the default dictionaries first when
 * this test file has loaded none, as it does).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Nodejieba from 'nodejieba';

type Call = (...args: unknown[]) => unknown;

/** The addon's exports: one object per process, which the test files share. */
interface Addon {
  load(dict: string, hmmDict: string, userDict: string, idfDict: string, stopWordDict: string): boolean;
  /** The content of the files it last loaded (see `contentKey`), when known. */
  jiansuoTestsLoaded?: string;
  /** How many times the test files of this worker had it load dictionaries. */
  jiansuoTestsLoads?: number;
}

const PACKAGE = path.dirname(require.resolve('nodejieba/package.json'));
const real = require(path.join(PACKAGE, 'index.js')) as typeof Nodejieba & Record<'DEFAULT_DICT' | 'DEFAULT_HMM_DICT' | 'DEFAULT_USER_DICT' | 'DEFAULT_IDF_DICT' | 'DEFAULT_STOP_WORD_DICT', string>;
const addon = require(path.join(PACKAGE, 'build', 'Release', 'nodejieba.node')) as Addon;
const calls = addon as unknown as Record<string, Call>;

/** The SHA-256 of each file, in the order the addon takes them; undefined when one cannot be read (then nodejieba itself says what is wrong). */
function contentKey(files: readonly string[]): string | undefined {
  try {
    return files.map((file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).join(' ');
  } catch {
    return undefined;
  }
}

let loadedHere = false;

function load(options: Nodejieba.LoadOptions = {}): boolean {
  const files = [
    options.dict || real.DEFAULT_DICT,
    options.hmmDict || real.DEFAULT_HMM_DICT,
    options.userDict || real.DEFAULT_USER_DICT,
    options.idfDict || real.DEFAULT_IDF_DICT,
    options.stopWordDict || real.DEFAULT_STOP_WORD_DICT,
  ] as const;
  const key = contentKey(files);
  loadedHere = true;
  if (key !== undefined && addon.jiansuoTestsLoaded === key) return true;
  addon.jiansuoTestsLoaded = undefined;
  addon.jiansuoTestsLoads = (addon.jiansuoTestsLoads ?? 0) + 1;
  const result = addon.load(...files);
  addon.jiansuoTestsLoaded = key;
  return result;
}

/** A segmenting function of the addon, loading the default dictionaries first when this test file has loaded none. */
function segmenting(name: string): Call {
  return (...args: unknown[]) => {
    if (!loadedHere) load();
    if (name === 'insertWord') addon.jiansuoTestsLoaded = undefined;
    return calls[name](...args);
  };
}

/** nodejieba's exports, with `load` skipped when the addon already holds the same dictionaries. */
const shared = {
  DEFAULT_DICT: real.DEFAULT_DICT,
  DEFAULT_HMM_DICT: real.DEFAULT_HMM_DICT,
  DEFAULT_USER_DICT: real.DEFAULT_USER_DICT,
  DEFAULT_IDF_DICT: real.DEFAULT_IDF_DICT,
  DEFAULT_STOP_WORD_DICT: real.DEFAULT_STOP_WORD_DICT,
  load,
  cut: segmenting('cut'),
  cutAll: segmenting('cutAll'),
  cutHMM: segmenting('cutHMM'),
  cutForSearch: segmenting('cutForSearch'),
  cutSmall: segmenting('cutSmall'),
  tag: segmenting('tag'),
  extract: segmenting('extract'),
  textRankExtract: segmenting('textRankExtract'),
  insertWord: segmenting('insertWord'),
  mallocTrim: (): unknown => calls.mallocTrim(),
  setMallocThresholds: (...args: unknown[]): unknown => calls.setMallocThresholds(...args),
  mallocMaps: (...args: unknown[]): unknown => calls.mallocMaps(...args),
  /** How many times jieba loaded dictionaries in this worker, in all its test files (test/sharedJieba.test.ts). */
  addonLoads: (): number => addon.jiansuoTestsLoads ?? 0,
};

export = shared;
