import { SearchDocument } from '../document';
import { hanText } from './hanText';
import { NgramStatistics, neighbourEntropy } from './ngramStats';
import { normalize } from '../analysis/normalize';

/** Candidates are 2 to 6 Han characters long. */
export const MIN_WORD_LENGTH = 2;
export const MAX_WORD_LENGTH = 6;

/** A string that behaves like a word in the corpus, with the evidence. */
export interface WordCandidate {
  word: string;
  /** Occurrences in the corpus. */
  count: number;
  /** Cohesion: the smallest pointwise mutual information ln(p(w) / (p(a) p(b))) over the splits w = ab. */
  pmi: number;
  /** Entropy (natural log) of the characters on its left; run edges count as distinct neighbours. */
  leftEntropy: number;
  /** Entropy of the characters on its right. */
  rightEntropy: number;
  /** How word-like, for ranking: √count × PMI × min(left, right entropy). */
  score: number;
}

export interface DiscoveryOptions {
  /** Fewest occurrences. Default: {@link defaultMinCount} of the corpus size. */
  minCount?: number;
  /** Least cohesion (PMI, natural log). Default {@link DEFAULT_MIN_PMI}. */
  minPmi?: number;
  /** Least freedom: min(left entropy, right entropy), natural log. Default {@link DEFAULT_MIN_ENTROPY}. */
  minEntropy?: number;
}

/** What {@link discoverWords} found, best first, and the thresholds it used. */
export interface Discovery {
  candidates: WordCandidate[];
  /** Han characters read (N in p(w) = count(w) / N). */
  characters: number;
  minCount: number;
  minPmi: number;
  minEntropy: number;
}

/**
 * Default least cohesion: e^3 ≈ 20 times more often together than chance. Two frequent
 * characters side by side by chance score about 0–2 (的人, 是一), word parts about 3–9.
 */
export const DEFAULT_MIN_PMI = 3;

/**
 * Default least freedom: ln 3 ≈ 1.1 minus a little, so that about three equally likely
 * neighbours (or run edges) are needed on each side, and a fragment of a longer word
 * (主管楼院, always after 无) has no chance: its one-sided entropy is near 0.
 */
export const DEFAULT_MIN_ENTROPY = 1;

/**
 * The default least count for a corpus of `characters` Han characters: 3, or 5 per million
 * characters in a big corpus (62 in news-dev's 12.3 M). Fewer than 3 occurrences cannot show
 * varied neighbours; a fixed count would let a big corpus drown the list in rare names and
 * typing slips, so the threshold grows with the corpus, keeping the same relative frequency.
 */
export function defaultMinCount(characters: number): number {
  return Math.max(3, Math.ceil(characters / 200_000));
}

/**
 * The ranking score: count^(1/2) × PMI × min(left, right entropy). Each factor is
 * necessary (a frequent string that is not cohesive, or that always has the same
 * neighbour, is not a word); the square root keeps frequency from deciding alone.
 */
function wordScore(count: number, pmi: number, leftEntropy: number, rightEntropy: number): number {
  return Math.sqrt(count) * pmi * Math.min(leftEntropy, rightEntropy);
}

/**
 * Finds strings of 2 to 6 Han characters that behave like words in `texts` (taken as
 * they are: normalize them first), best first: frequent enough, cohesive (every split
 * into two parts occurs together far more often than the parts' frequencies predict)
 * and free (varied characters on both sides). Strings never span non-Han characters.
 * This is the classic unsupervised method (frequency, mutual information, boundary
 * entropy); it finds words a dictionary lacks — local names (楼院, 方特梦幻王国), terms of art —
 * and also phrases that are merely frequent, hence a list for review.
 */
export function discoverWords(texts: Iterable<string>, options: DiscoveryOptions = {}): Discovery {
  const corpus = hanText(texts);
  const minCount = options.minCount ?? defaultMinCount(corpus.characters);
  const minPmi = options.minPmi ?? DEFAULT_MIN_PMI;
  const minEntropy = options.minEntropy ?? DEFAULT_MIN_ENTROPY;
  const stats = new NgramStatistics(corpus, MAX_WORD_LENGTH, minCount);
  const cohesive = new Map<string, number>();
  for (const [gram, count] of stats.counts) {
    if (gram.length < MIN_WORD_LENGTH) continue;
    const pmi = cohesion(gram, count, corpus.characters, stats);
    if (pmi >= minPmi) cohesive.set(gram, pmi);
  }
  const candidates: WordCandidate[] = [];
  for (const [word, around] of stats.neighbours(new Set(cohesive.keys()))) {
    const leftEntropy = neighbourEntropy(around.left, around.leftEdges);
    const rightEntropy = neighbourEntropy(around.right, around.rightEdges);
    if (Math.min(leftEntropy, rightEntropy) < minEntropy) continue;
    const count = stats.count(word);
    const pmi = cohesive.get(word)!;
    candidates.push({ word, count, pmi, leftEntropy, rightEntropy, score: wordScore(count, pmi, leftEntropy, rightEntropy) });
  }
  candidates.sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return { candidates, characters: corpus.characters, minCount, minPmi, minEntropy };
}

/**
 * {@link discoverWords} over documents as the index sees them: titles, subtitles and
 * paragraphs, normalized (so the words found are in the form jieba meets at index time).
 */
export function discoverWordsInDocuments(documents: Iterable<SearchDocument>, options: DiscoveryOptions = {}): Discovery {
  return discoverWords(documentTexts(documents), options);
}

function* documentTexts(documents: Iterable<SearchDocument>): Generator<string> {
  for (const document of documents) {
    yield normalize(document.title);
    if (document.subtitle) yield normalize(document.subtitle);
    for (const paragraph of document.paragraphs) yield normalize(paragraph);
  }
}

/**
 * min over the splits w = ab of ln(count(w) · N / (count(a) · count(b))), i.e. of
 * ln(p(w) / (p(a) p(b))) with p(x) = count(x) / N. Every part of a frequent n-gram is
 * frequent itself, so its count is known.
 */
function cohesion(word: string, count: number, characters: number, stats: NgramStatistics): number {
  let least = Infinity;
  for (let k = 1; k < word.length; k++) {
    const pmi = Math.log((count * characters) / (stats.count(word.slice(0, k)) * stats.count(word.slice(k))));
    if (pmi < least) least = pmi;
  }
  return least;
}
