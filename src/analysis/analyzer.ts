import { normalize } from './normalize';
import { indexWords, loadJieba, queryWords } from './segment';

/** What the manifest records about analysis; an index is only searched with the settings it was built with. */
export interface AnalyzerSettings {
  /** Version of the normalization rules (NFKC, lower case, 繁→简 by character, dash/quote folding). */
  normalization: string;
  /** Segmenter and mode. */
  segmenter: string;
  /** User dictionary file given to jieba, if any. */
  userDict?: string;
}

/** Bump when normalize() would map any character differently: old indexes must then be rebuilt. */
export const NORMALIZATION_VERSION = 'nfkc-lower-t2s-fold/1';
const SEGMENTER = 'nodejieba@3.5.8 cutForSearch+HMM (query: cut+HMM)';

/** The analyzed form of one document field. */
export interface AnalyzedField {
  /** Normalized text: what literal matching sees. */
  normalized: string;
  /** Jieba search-mode words of the normalized text (with repeats). */
  words: string[];
}

/**
 * The one analysis pipeline, used at index time and at query time alike:
 * normalize (character by character) → segment with jieba → keep words.
 * Literal matching works on the normalized text; ranking on the words.
 */
export class Analyzer {
  readonly settings: AnalyzerSettings;

  constructor(options: { userDict?: string } = {}) {
    loadJieba(options.userDict);
    this.settings = { normalization: NORMALIZATION_VERSION, segmenter: SEGMENTER, ...(options.userDict ? { userDict: options.userDict } : {}) };
  }

  /** Normalizes and segments a document field for indexing. */
  analyzeField(text: string): AnalyzedField {
    const normalized = normalize(text);
    return { normalized, words: indexWords(normalized) };
  }

  /** Normalizes a query term's text (the same mapping as documents). */
  normalize(text: string): string {
    return normalize(text);
  }

  /** The ranking words of an already normalized query term. */
  queryWords(normalized: string): string[] {
    return queryWords(normalized);
  }
}
