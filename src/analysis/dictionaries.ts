import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the CLI looks for dictionaries, relative to the working directory. */
export const DEFAULT_DICT_DIR = path.join('index-data', 'dict');

/** The dictionary files an engine uses. */
export interface Dictionaries {
  /** jieba user dictionary (`word [frequency] [tag]` per line): changes how documents are segmented. */
  userDict?: string;
  /** Synonym groups (one per line): applied to queries only. */
  synonyms?: string;
}

/** The dictionaries found in `dir` (`user.dict.txt`, `synonyms.txt`); a missing file is simply not used. */
export function dictionariesIn(dir: string): Dictionaries {
  const userDict = path.join(dir, 'user.dict.txt');
  const synonyms = path.join(dir, 'synonyms.txt');
  return {
    ...(fs.existsSync(userDict) ? { userDict } : {}),
    ...(fs.existsSync(synonyms) ? { synonyms } : {}),
  };
}

/**
 * The dictionaries `search` and `serve` open an index with, from `--dict dir`: its synonyms,
 * and its user dictionary as `userDict` when the directory was given (`chosen`: queries are
 * then segmented with it, and a dictionary other than the index's is warned about), else
 * only as `userDictFallback`, for an index without its own copy of the dictionary it was
 * built with (written before indexes kept one): an index is searched with its copy, whatever
 * became of the file in `index-data/dict`.
 */
export function openingDictionaries(dir: string, chosen: boolean): { userDict?: string; userDictFallback?: string; synonyms?: string } {
  const { userDict, synonyms } = dictionariesIn(dir);
  return {
    ...(userDict ? (chosen ? { userDict } : { userDictFallback: userDict }) : {}),
    ...(synonyms ? { synonyms } : {}),
  };
}
