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
