import type { JoinedDocuments, StoredDocuments } from './docStore';
import type { FileBytes } from './indexFile';

/**
 * The index as it lives in memory and on disk: typed arrays and byte blobs only, the
 * same whether it was just built or read back (see ARCHITECTURE.md for the format).
 *
 * Three postings families:
 * - words:   jieba words → (doc gap, body tf + title flag, [title tf])*   ranking (BM25F; countsEntry.ts)
 * - bigrams: two UTF-16 units → (doc gap, first position + freq, position gaps…)*  literal matching (bigramEntry.ts)
 * - chars:   one UTF-16 unit → (doc gap, body tf + title flag, [title tf])*  one-character queries
 *
 * Positions count UTF-16 units of the normalized field text: the title occupies
 * [0, titleUnits), the body starts at titleUnits + 1, so no bigram spans the two.
 */

export interface PostingsFamily {
  /** Set when the family is a view over several segments' families (an index opened from segments, see segmentView.ts): `offsets` and `postings` are then empty. */
  segments?: SegmentedFamily;
  /** Byte offset of each term's postings in `postings`; length terms + 1. */
  offsets: Uint32Array;
  /** Number of documents per term. */
  df: Uint32Array;
  /** The terms' lists, one after another: in memory, or (an index a server opened) read from the file a list at a time when wanted (indexFile.ts, listBytes). */
  postings: FileBytes;
  /**
   * A positional family's (bigrams') IndexData.docUnits, indexed by the family's own document
   * numbers: its packed blocks code each first position in the bits of its document's bound
   * (bigramEntry.ts), so decoding them needs it. Absent in counts families and views.
   */
  docUnits?: Uint32Array;
}

export interface IndexData {
  documentCount: number;
  /** Per document: normalized title length in UTF-16 units (where the body's positions begin, minus one). */
  titleUnits: Uint32Array;
  /**
   * Per document: title units + 1 + body units, a bound on every position in it (a bigram's
   * positions are below it). The bigram postings code first positions within it.
   */
  docUnits: Uint32Array;
  /** Per document: number of jieba words in the title field and in the body. */
  titleWords: Uint32Array;
  bodyWords: Uint32Array;
  /** The stored documents, one JSON text each, compressed in blocks (read with DocStoreReader). */
  documents: StoredDocuments | JoinedDocuments;
  /** One JSON array (a DocMetaRow) per line and document: what filters, facets and id look-ups need, without the text. */
  metaBytes: Uint8Array;
  /** Sorted word terms (JavaScript string order) and their postings. */
  wordTerms: string[];
  words: PostingsFamily;
  /** Sorted bigram keys (first unit << 16 | second unit) and their postings. */
  bigramKeys: Uint32Array;
  bigrams: PostingsFamily;
  /** Sorted UTF-16 units that occur, and their postings. */
  charKeys: Uint32Array;
  chars: PostingsFamily;
  /**
   * What pinyin, typeahead by pinyin and "did you mean" need about the words (index/lexicon.ts):
   * read from the segment's files, merged with the segments (mergeSegments), or computed on
   * first use for an index built in memory (lexiconOf). A view has none of its own: each of
   * its segmentParts has one.
   */
  lexicon?: Lexicon;
  /** The segments a view over several segments was made from (viewSegments): what saving it merges. */
  segmentParts?: SegmentPart[];
}

/**
 * A segment's lexicon (see index/lexicon.ts for the layout): its words' pinyin readings
 * ordered by full key, the same readings ordered by initials, and the speller's map from
 * each word minus one character to the words.
 */
export interface Lexicon {
  /** One reading per line (UTF-8, `\n`-separated), syllables separated by spaces, ordered by full key, word, reading order. */
  readings: Uint8Array;
  /** Per reading: the word's number in the segment's wordTerms times 4, plus the reading's place among the word's readings (0–3). */
  words: Uint32Array;
  /** Line numbers of the readings of words of at most 4 units, ordered by initials key, word, reading order. */
  initials: Uint32Array;
  /** Sorted distinct words minus one character (UTF-8, `\n`-separated). */
  deleteKeys: Uint8Array;
  /** Where each delete key's words start (keys + 1 numbers), then the word numbers, ascending per key. */
  deleteWords: Uint32Array;
  /**
   * Where each line of `readings` and of `deleteKeys` starts, when worked out as the index
   * opened (shareLineStarts, in shared memory): a server's long-query thread then reads the
   * event loop's instead of working out its own (about 4.5 MiB on news-large). Absent, a
   * reader works them out on first use.
   */
  readingStarts?: Uint32Array;
  deleteKeyStarts?: Uint32Array;
}

/** One segment of an index and the documents deleted from it since it was written. */
export interface SegmentPart {
  data: IndexData;
  /** Ordinals within the segment (ascending) of its deleted documents. */
  deleted: Uint32Array;
}

/**
 * A postings family seen through several segments: a term's postings are the segments'
 * postings of that term, decoded on demand, renumbered and without deleted documents.
 * The family's own `offsets` and `postings` are then empty; its `df` is exact.
 */
export interface SegmentedFamily {
  families: PostingsFamily[];
  /**
   * The view's sorted terms, and per segment its own sorted terms (its keys, or its words):
   * a view's term is found in each segment by binary search when its postings are gathered,
   * rather than kept in a table of a number per term and segment (which cost 40 bytes a term
   * on a 10-segment index, 75 MB on news-large).
   */
  keys: ArrayLike<string | number>;
  segmentKeys: Array<ArrayLike<string | number>>;
  /** Per segment: each of its documents' number in the view, or -1 when deleted. */
  docs: Int32Array[];
}

/**
 * A document's fields other than its body, in the order stored in docmeta.jsonl: id, title,
 * kind, reporters, correspondents, source, date, subtitle, JSON Lines fields, fingerprint. Filters,
 * facets, id look-ups and hits without a snippet need nothing else, so they never inflate
 * a stored document.
 */
export type DocMetaRow = [
  string,
  string,
  'article' | 'photo',
  string[],
  string[],
  string,
  string | null,
  string | null,
  Record<string, unknown> | null,
  /** The text's fingerprint (fingerprint.ts, 48 hex digits); absent in indexes built before it existed. */
  fingerprint?: string,
];

/** Bigram key of two UTF-16 units. */
export function bigramKey(first: number, second: number): number {
  return ((first << 16) | second) >>> 0;
}

/** Index of `key` in a sorted Uint32Array, or -1. */
export function findKey(keys: Uint32Array, key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = keys[mid];
    if (v < key) lo = mid + 1;
    else if (v > key) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** Index of `term` in a sorted string array, or -1. */
export function findTerm(terms: string[], term: string): number {
  let lo = 0;
  let hi = terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = terms[mid];
    if (v < term) lo = mid + 1;
    else if (v > term) hi = mid - 1;
    else return mid;
  }
  return -1;
}
