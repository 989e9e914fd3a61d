import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalize } from './normalize';
import { indexWords, loadJieba, queryWords } from './jieba';

/** What the manifest records about analysis; an index is only searched with the settings it was built with. */
export interface AnalyzerSettings {
  /** Version of the normalization rules (NFKC, lower case, 繁→简 by character, dash/quote folding). */
  normalization: string;
  /** Segmenter and mode. */
  segmenter: string;
  /** User dictionary file given to jieba, if any. */
  userDict?: string;
  /** SHA-256 of the user dictionary's content: a changed dictionary means the index must be rebuilt. */
  userDictSha256?: string;
}

/** SHA-256 of a file's bytes, as hex. */
export function fileSha256(file: string): string {
  return bytesSha256(fs.readFileSync(file));
}

/** SHA-256 of bytes, as hex. */
export function bytesSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bump when normalize() would map any character differently: old indexes must then be rebuilt. */
export const NORMALIZATION_VERSION = 'nfkc-lower-t2s-fold/1';
const SEGMENTER = 'nodejieba@3.5.8 cutForSearch+HMM (query: cut+HMM)';

/**
 * The settings an analyzer with this user dictionary records in the manifest, without
 * loading jieba (which costs about 1 s and 235 MB): what a parallel build's main thread
 * and the staleness check need. Throws a plain Error from fs when the dictionary cannot be read.
 */
export function analyzerSettings(userDict?: string): AnalyzerSettings {
  return analyzerSettingsOf(userDict, userDict === undefined ? undefined : fs.readFileSync(userDict));
}

/** analyzerSettings for the user dictionary `userDict` whose content is `bytes` (read once by the caller: what is hashed is what it keeps). */
export function analyzerSettingsOf(userDict: string | undefined, bytes: Uint8Array | undefined): AnalyzerSettings {
  return {
    normalization: NORMALIZATION_VERSION,
    segmenter: SEGMENTER,
    // The absolute path: where the dictionary was (an index keeps a copy of it, see Manifest.userDictCopy; older ones read it from there).
    ...(userDict && bytes ? { userDict: path.resolve(userDict), userDictSha256: bytesSha256(bytes) } : {}),
  };
}

/** The settings compared, in the order a change is reported. */
const SETTINGS_ORDER = ['normalization', 'segmenter', 'userDict', 'userDictSha256'] as const;

/**
 * Which analyzer settings differ between those an index was built with (`built`; undefined
 * in a manifest too damaged to say) and `now`, in the order normalization, segmenter,
 * userDict (the path), userDictSha256 (the content); empty when none does. The one place
 * settings are compared: a changed path alone segments nothing differently, a changed
 * content does.
 */
export function analyzerChanges(built: AnalyzerSettings | undefined, now: AnalyzerSettings): Array<(typeof SETTINGS_ORDER)[number]> {
  return SETTINGS_ORDER.filter((key) => built?.[key] !== now[key]);
}

/** The analyzed form of one document field. */
export interface AnalyzedField {
  /** Normalized text: what literal matching sees. */
  normalized: string;
  /** Jieba search-mode words of the normalized text (with repeats). */
  words: string[];
}

/**
 * Where an analyzer gets the words of a normalized text: its own jieba (the default), or
 * another thread's, asked for them (a server's long-query thread, which then never loads
 * jieba's 120 MB of dictionaries; see server/borrowedWords.ts). Either gives the same words.
 */
export interface WordSource {
  /** jieba's plain cut with HMM, punctuation dropped (see jieba.ts queryWords). */
  queryWords(normalized: string): string[];
  /** jieba's search mode, punctuation dropped (see jieba.ts indexWords). */
  searchWords(normalized: string): string[];
}

/** The words of this process's own jieba, loaded with `userDict` (whose content is `bytes`, which `sha256` identifies) whenever another dictionary was loaded since. */
function jiebaWords(userDict: string | undefined, sha256: string | undefined, bytes: Uint8Array | undefined): WordSource {
  return {
    queryWords: (normalized) => {
      loadJieba(userDict, sha256, bytes);
      return queryWords(normalized);
    },
    searchWords: (normalized) => {
      loadJieba(userDict, sha256, bytes);
      return indexWords(normalized);
    },
  };
}

/**
 * The one analysis pipeline, used at index time and at query time alike:
 * normalize (character by character) → segment with jieba → keep words.
 * Literal matching works on the normalized text; ranking on the words.
 */
export class Analyzer {
  readonly settings: AnalyzerSettings;

  private readonly userDict?: string;

  /** The user dictionary's content, as read when this analyzer was made (what `settings` hash, and what an index saved from it keeps a copy of). */
  readonly userDictBytes?: Uint8Array;

  /** Where the words come from: jieba, loaded at once, unless `words` is given (then jieba is never loaded by this analyzer). */
  readonly words: WordSource;

  /**
   * Throws a plain Error from fs when the user dictionary cannot be read (the CLI checks it
   * first). `userDictBytes`, when given, are its content (not read again); `settings`, when
   * given, those that content gives (analyzerSettingsOf), possibly under another path: an
   * index's copy of its dictionary is loaded from the index, and its settings are those it
   * was built with.
   */
  constructor(options: { userDict?: string; words?: WordSource; userDictBytes?: Uint8Array } = {}, settings?: AnalyzerSettings) {
    this.userDict = options.userDict;
    if (options.userDict !== undefined) this.userDictBytes = options.userDictBytes ?? fs.readFileSync(options.userDict);
    this.settings = settings ?? analyzerSettingsOf(options.userDict, this.userDictBytes);
    if (!options.words) loadJieba(options.userDict, this.settings.userDictSha256, this.userDictBytes);
    this.words = options.words ?? jiebaWords(options.userDict, this.settings.userDictSha256, this.userDictBytes);
  }

  /**
   * An analyzer segmenting with an index's copy of its user dictionary (the file `copyPath`,
   * whose content is `bytes`), with the settings of the dictionary it was copied from
   * (`recorded`, the path the index records): those a generation written from it records again.
   */
  static ofCopy(copyPath: string, bytes: Uint8Array, recorded: string | undefined, words?: WordSource): Analyzer {
    return new Analyzer({ userDict: copyPath, userDictBytes: bytes, words }, analyzerSettingsOf(recorded ?? copyPath, bytes));
  }

  /** The same analysis with the words taken from `words` (e.g. recorded as they are given). */
  withWords(words: WordSource): Analyzer {
    return new Analyzer({ userDict: this.userDict, words, userDictBytes: this.userDictBytes }, this.settings);
  }

  /** Normalizes and segments a document field for indexing. */
  analyzeField(text: string): AnalyzedField {
    const normalized = normalize(text);
    return { normalized, words: this.words.searchWords(normalized) };
  }

  /** Normalizes a query term's text (the same mapping as documents). */
  normalize(text: string): string {
    return normalize(text);
  }

  /** The ranking words of an already normalized query term. */
  queryWords(normalized: string): string[] {
    return this.words.queryWords(normalized);
  }

  /** The words of an already normalized query term as a document's would be indexed (jieba's search mode). */
  searchWords(normalized: string): string[] {
    return this.words.searchWords(normalized);
  }
}
