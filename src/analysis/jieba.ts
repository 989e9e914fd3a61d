import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as nodejieba from 'nodejieba';

// jieba's keyword extractor needs an IDF and a stop-word file; we never use it, so give it
// one-line files instead of the 6 MB defaults (saves load time and memory).
const MINIMAL_DICT_DIR = path.join(__dirname, '..', '..', 'src', 'analysis', 'dict');

let loadedWith: string | undefined;

/**
 * Makes jieba segment with this user dictionary (or none), whose content `sha256`
 * identifies when known: the same dictionary under another path (an index's copy of it, in
 * each generation) is not loaded again. Loading takes about 1 s; later calls with the same
 * dictionary are free. jieba is one per process, so analyzers with different dictionaries
 * in one process reload it each time they take turns. When the dictionary's content `bytes`
 * are given and the file no longer holds them (a generation removed after a rebuild while a
 * search on it still runs, or a dictionary edited since), jieba loads those bytes, from a
 * file of their own that is removed once loaded: an analyzer segments with the dictionary
 * it was made with, or not at all. Without `bytes`, throws an Error when the file is not
 * there (jieba would abort the process).
 */
export function loadJieba(userDict?: string, sha256?: string, bytes?: Uint8Array): void {
  const key = userDict === undefined ? '' : sha256 !== undefined ? `sha256:${sha256}` : `path:${userDict}`;
  if (loadedWith === key) return;
  if (userDict !== undefined && bytes !== undefined && !holds(userDict, bytes)) {
    loadFromBytes(bytes);
  } else {
    if (userDict !== undefined && !fs.existsSync(userDict)) throw new Error(`cannot load the user dictionary ${userDict}: the file is not there`);
    loadDictionaries({ userDict: userDict ?? nodejieba.DEFAULT_USER_DICT });
  }
  loadedWith = key;
}

/** Whether the file `file` holds exactly `bytes` (false when it cannot be read). */
function holds(file: string, bytes: Uint8Array): boolean {
  try {
    return Buffer.from(bytes).equals(fs.readFileSync(file));
  } catch {
    return false;
  }
}

/** Loads jieba with a user dictionary of content `bytes`, written into a temporary directory of its own and removed after (jieba reads the file while it loads, never later). */
function loadFromBytes(bytes: Uint8Array): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-dict-'));
  try {
    const file = path.join(dir, 'user.dict.txt');
    fs.writeFileSync(file, bytes);
    loadDictionaries({ userDict: file });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Frees the memory of jieba's dictionaries (about 235 MB) by loading a one-word dictionary
 * in their place: nodejieba has no unload, and a worker thread's jieba is not freed when
 * the thread ends, so each build's workers would otherwise leak theirs. The next
 * `loadJieba` loads the real dictionaries again.
 */
export function unloadJieba(): void {
  // Never loaded (or unloaded already): nothing to free, and nothing to load in its place.
  if (loadedWith === undefined) return;
  const minimal = path.join(MINIMAL_DICT_DIR, 'minimal-jieba.utf8');
  loadDictionaries({ dict: minimal, userDict: minimal });
  loadedWith = undefined;
}

/** Loads jieba with these dictionaries (default: jieba's own main dictionary) and our one-line keyword files. */
function loadDictionaries(files: { dict?: string; userDict: string }): void {
  nodejieba.load({
    ...files,
    idfDict: path.join(MINIMAL_DICT_DIR, 'minimal-idf.utf8'),
    stopWordDict: path.join(MINIMAL_DICT_DIR, 'minimal-stop-words.utf8'),
  });
}

declare module 'nodejieba' {
  export const DEFAULT_USER_DICT: string;
}

const WORDLIKE = /[\p{L}\p{N}]/u;

/** Whether a token is a word (holds a letter or a digit): decided by its first unit alone when that is a CJK ideograph, an ASCII letter or a digit (nearly every token), else by WORDLIKE. */
function isWord(token: string): boolean {
  const unit = token.charCodeAt(0);
  if ((unit >= 0x4e00 && unit <= 0x9fff) || (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a)) return true;
  return WORDLIKE.test(token);
}

function keepWords(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) if (isWord(token)) out.push(token);
  return out;
}

/**
 * The words of a normalized document field, as jieba's search mode gives them: each
 * word of the HMM-aided cut plus the dictionary words inside it (二七区 → 二七, 七区,
 * 二七区), so that a query for a shorter word still meets the longer one. Runs of
 * Latin letters and digits stay whole (b1, 2020, iphone13). Punctuation and spaces
 * are not words.
 */
export function indexWords(normalized: string): string[] {
  return keepWords(nodejieba.cutForSearch(normalized, true));
}

/** The words of a normalized query term: jieba's plain cut with HMM, punctuation dropped. */
export function queryWords(normalized: string): string[] {
  return keepWords(nodejieba.cut(normalized, true));
}
