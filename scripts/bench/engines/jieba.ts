import * as nodejieba from 'nodejieba';
import { loadJieba } from '../../../src/analysis/jieba';

const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * The jieba tokenizer the peers use: lower case, then nodejieba's default cut with HMM
 * (the dictionary jiansuo loads, see `loadJieba`), punctuation and spaces dropped.
 * The same function tokenizes documents and queries.
 */
export function jiebaTerms(text: string): string[] {
  loadJieba();
  const terms: string[] = [];
  for (const token of nodejieba.cut(text.toLowerCase(), true)) if (WORDLIKE.test(token)) terms.push(token);
  return terms;
}
