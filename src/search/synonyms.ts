import * as fs from 'node:fs';
import { normalize } from '../analysis/normalize';

/** Normalized word → the other normalized words of its synonym group(s). */
export type SynonymMap = Map<string, string[]>;

/**
 * Parses a synonyms file: one group per line, words separated by spaces (or commas),
 * `#` starts a comment. Words are normalized like queries, so 鄭州 in the file works
 * for 郑州. A word in several groups gets all their members.
 */
export function parseSynonyms(text: string): SynonymMap {
  const map: SynonymMap = new Map();
  for (const line of text.split(/\r?\n/)) {
    const content = line.replace(/#.*/, '').trim();
    if (!content) continue;
    const group = [...new Set(content.split(/[\s,，、]+/).map((w) => normalize(w).trim()).filter(Boolean))];
    for (const word of group) {
      const others = map.get(word) ?? [];
      for (const other of group) if (other !== word && !others.includes(other)) others.push(other);
      map.set(word, others);
    }
  }
  return map;
}

/** Reads and parses a synonyms file (see parseSynonyms). */
export function loadSynonyms(file: string): SynonymMap {
  return parseSynonyms(fs.readFileSync(file, 'utf8'));
}
