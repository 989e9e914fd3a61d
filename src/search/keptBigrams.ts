import { EMPTY_COUNTS, PostingsReader } from '../index/postings';
import { MAX_FEATURES, queryBigrams } from './features';
import { ParsedQuery } from './parser';
import { Bm25f } from './ranking';

/**
 * The query bigrams (queryBigrams) whose bigram or lead feature queryFeatures will keep past
 * MAX_FEATURES (unless a deadline stops it), as far as the index tells before any literal
 * is matched: those that fewer than MAX_FEATURES others may outweigh or tie (Bm25f.bound),
 * counting every literal feature (a term, an alternative, a pair of words, the pieces of a
 * word the index lacks: their document frequencies need the match) as one that may. A long
 * query's literal matching reads these whole (QueryMatches' `wholeBigrams`) rather than first
 * in part: their features read them whole right after. Were it wrong, it would cost time
 * only: read whole or in part, a literal's matches are the same.
 */
export function keptBigrams(parsed: ParsedQuery, reader: PostingsReader, bm25f: Bm25f): Set<number> {
  const { searchWordWeight, bigramWeight, leadWeight } = bm25f.options;
  const known: number[] = [];
  let unknown = 0;
  const seen = new Set<string>();
  // `lookedUp`: the word's document frequency when the caller has looked it up already.
  const addWord = (word: string, weight: number, lookedUp?: number): void => {
    if (seen.has(word) || weight === 0) return;
    seen.add(word);
    const df = lookedUp ?? reader.wordDocFreq(word);
    if (df > 0) known.push(bm25f.bound(EMPTY_COUNTS, weight, df));
    else unknown++;
  };
  const sequence: string[] = [];
  for (const term of parsed.groups.flat()) {
    unknown += 1 + term.alternatives.length;
    for (const word of term.words) {
      sequence.push(word);
      // A word the index lacks is itself (where it occurs literally) or its pieces (wordOrPieces): counted as both, unknown.
      const df = reader.wordDocFreq(word);
      if (word.length < 2 || df > 0) addWord(word, 1, df);
      else unknown += 1 + (word.length === 2 ? 2 : word.length - 1);
    }
    for (const word of term.searchWords) addWord(word, searchWordWeight);
    for (const alt of term.alternatives) for (const word of alt.words) addWord(word, alt.weight);
  }
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < sequence.length; i++) pairs.add(sequence[i] + sequence[i + 1]);
  unknown += pairs.size;
  const bigrams = new Map<number, number>();
  for (const key of queryBigrams(parsed)) {
    const df = reader.bigramDocFreq(key >>> 16, key & 0xffff);
    if (df === 0) continue;
    // The list is read whole when either of its features is kept: the one of the larger weight is kept first.
    bigrams.set(key, bm25f.bound(EMPTY_COUNTS, Math.max(bigramWeight, leadWeight), df));
    if (bigramWeight > 0) known.push(bm25f.bound(EMPTY_COUNTS, bigramWeight, df));
    if (leadWeight > 0) known.push(bm25f.bound(EMPTY_COUNTS, leadWeight, df));
  }
  const kept = new Set<number>();
  for (const [key, bound] of bigrams) {
    // Features of the same bound may come first: counted too, less the feature itself.
    let before = unknown - 1;
    for (const other of known) if (other >= bound) before++;
    if (before < MAX_FEATURES) kept.add(key);
  }
  return kept;
}
