import { brotliDecompressSync } from 'node:zlib';
import { IndexError } from '../errors';
import { IndexData, Lexicon, PostingsFamily } from './data';
import { IndexFile, wholeBytes } from './indexFile';
import { StoredDocumentTables, compactDocuments, storedDocumentsProblem } from './docStore';
import { lexiconOf, lexiconProblem } from './lexicon';
import { SegmentEntry, SegmentStats, rebuildHint, withoutHint } from './manifest';
import { mergeSegments } from './merge';
import { TermTable, decodeTermTable, encodeTermTable } from './termTable';
import { DRAFT_TABLE_QUALITY, compressTableFiles, storedDocumentTableFiles, u8 } from './tableFiles';

/**
 * The segment codec: which files one segment of a generation holds and how IndexData is
 * encoded in them and read back. The generation directory around segments (CURRENT,
 * manifest, fsync, rename) is generation.ts.
 */

/** The deleted ordinals of a segment without deletions. */
export const NO_DELETIONS = new Uint32Array(0);

/** Reads one file of a generation, checked against the manifest's size and SHA-256. */
export type FileLoader = (name: string) => Uint8Array;

/** The 32-bit integers of file `name`; a size that is not a multiple of 4 is damage. */
export function u32(bytes: Uint8Array, name: string): Uint32Array {
  if (bytes.byteLength % 4 !== 0) throw new IndexError(`index file ${name} has a size that is not a multiple of 4`);
  // Buffers from readFile may be unaligned views into a shared pool: copy when they are.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

/**
 * The bytes of file `name` of segment `segment` as its reader wants them: loaded (checked
 * against the manifest) and, for a file read whole (not one of STREAMED_FILES), decompressed.
 * A file that does not decompress is damage (IndexError naming it).
 */
export function segmentFile(dir: string, load: FileLoader, segment: string, name: string): Uint8Array {
  const bytes = load(`${segment}/${name}`);
  if (STREAMED_FILES.has(name)) return bytes;
  try {
    return brotliDecompressSync(bytes);
  } catch (error) {
    throw new IndexError(`The index at ${dir} is damaged: ${segment}/${name} does not decompress (${(error as Error).message}). ${rebuildHint(dir)}`);
  }
}

/**
 * The files of one segment (names relative to the segment directory) holding `view`: what
 * readSegmentData reads back. A view over several segments is written merged. `draft`: a
 * build's staged segment, written without its lexicon's files (LEXICON_FILES) and with its
 * table files at DRAFT_TABLE_QUALITY, which the staging finishes before it commits
 * (SegmentStaging.finishDrafts) unless a merge consumes the segment first.
 */
export function segmentFiles(view: IndexData, draft = false): Record<string, Uint8Array> {
  // A view over several segments is written merged: one segment, as a fresh build would write it.
  const data = view.segmentParts ? mergeSegments(view.segmentParts) : view;
  const documents = compactDocuments(data.documents);
  return {
    [DOCUMENT_BLOCKS]: wholeBytes(documents.blocks),
    ...segmentTableFiles({ ...data, documents }, draft),
    'words.postings': wholeBytes(data.words.postings),
    'bigrams.postings': wholeBytes(data.bigrams.postings),
    'chars.postings': wholeBytes(data.chars.postings),
  };
}

/** Where each term's postings lie in its family's postings file (the rest of a PostingsFamily). */
export type FamilyTable = Pick<PostingsFamily, 'offsets' | 'df'>;

/**
 * What a segment's files other than its postings and its stored documents' blocks are made
 * of: an IndexData without those (a merge streaming them to disk has only the tables).
 */
export type SegmentTables = Omit<IndexData, 'documents' | 'words' | 'bigrams' | 'chars' | 'segmentParts'> & {
  documents: StoredDocumentTables;
  words: FamilyTable;
  bigrams: FamilyTable;
  chars: FamilyTable;
};

/** The files of one segment but its postings and `documents.blocks` (STREAMED_FILES): those read whole, Brotli-compressed (compressTableFile); its lexicon's last; a `draft` (segmentFiles) without its lexicon. */
export function segmentTableFiles(data: SegmentTables, draft = false): Record<string, Uint8Array> {
  const plain = {
    ...storedDocumentTableFiles(data.documents),
    ...documentTableFiles(data),
    ...wordTableFiles(data.wordTerms, data.words),
    ...familyTableFile('bigrams', data.bigrams, data.bigramKeys),
    ...familyTableFile('chars', data.chars, data.charKeys),
    ...(draft ? {} : lexiconFiles(lexiconOf(data))),
  };
  return draft ? compressTableFiles(plain, undefined, DRAFT_TABLE_QUALITY) : compressTableFiles(plain);
}

/** The table files of a segment's documents (plain): their metadata lines and statistics. */
export function documentTableFiles(data: Pick<SegmentTables, 'metaBytes' | 'titleUnits' | 'titleWords' | 'bodyWords' | 'docUnits'>): Record<string, Uint8Array> {
  return {
    'docmeta.jsonl': data.metaBytes,
    'docstats.u32': u8(Uint32Array.from([...data.titleUnits, ...data.titleWords, ...data.bodyWords, ...data.docUnits])),
  };
}

/** The table files of a segment's words (plain): the words and their term table. */
export function wordTableFiles(wordTerms: readonly string[], words: FamilyTable): Record<string, Uint8Array> {
  return { 'words.terms': new TextEncoder().encode(wordTerms.join('\n')), ...familyTableFile('words', words) };
}

/** The term table file of a family (plain); `keys`: its terms' keys, for the families numbered by key. */
export function familyTableFile(family: 'words' | 'bigrams' | 'chars', table: FamilyTable, keys?: Uint32Array): Record<string, Uint8Array> {
  return { [`${family}.table`]: encodeTermTable({ keys, df: table.df, offsets: table.offsets }) };
}

/**
 * The files of a segment a merge reads in pieces rather than whole (the postings, the
 * stored documents' blocks): the bulk of a segment, streamed so that a merge's memory does
 * not grow with its segments (streamingMerge.ts).
 */
/** A segment's stored documents' deflated blocks: held in memory, or read from the file on demand by a server (indexFile.ts). */
export const DOCUMENT_BLOCKS = 'documents.blocks';

export const STREAMED_FILES: ReadonlySet<string> = new Set(['words.postings', 'bigrams.postings', 'chars.postings', DOCUMENT_BLOCKS]);

/** The names of a segment lexicon's files (lexiconFiles), in the order they are written. */
export const LEXICON_FILES: readonly string[] = ['pinyin.readings', 'pinyin.words', 'pinyin.initials', 'spelling.keys', 'spelling.words'];

/** Whether a segment's `files` (by name within the segment) hold every file of its lexicon (LEXICON_FILES). */
export function hasLexicon(files: Readonly<Record<string, unknown>>): boolean {
  return LEXICON_FILES.every((file) => file in files);
}

/** A segment lexicon's files (see index/lexicon.ts), by name within the segment directory (plain). */
export function lexiconFiles(lexicon: Lexicon): Record<string, Uint8Array> {
  return {
    'pinyin.readings': lexicon.readings,
    'pinyin.words': u8(lexicon.words),
    'pinyin.initials': u8(lexicon.initials),
    'spelling.keys': lexicon.deleteKeys,
    'spelling.words': u8(lexicon.deleteWords),
  };
}

/** Sizes of the term tables of a segment holding `data`, for its manifest entry. */
export function segmentStats(data: IndexData): SegmentStats {
  return {
    words: data.wordTerms.length,
    bigrams: data.bigramKeys.length,
    postingsBytes: data.words.postings.length + data.bigrams.postings.length + data.chars.postings.length,
  };
}

/** The deleted ordinals of a segment (ascending, each below its document count). */
export function readDeleted(dir: string, load: FileLoader, entry: SegmentEntry): Uint32Array {
  if (entry.deleted === 0) return NO_DELETIONS;
  const file = `${entry.name}.deleted`;
  const deleted = u32(load(file), file);
  const ascending = deleted.every((d, i) => d < entry.documents && (i === 0 || d > deleted[i - 1]));
  if (deleted.length !== entry.deleted || !ascending) {
    throw new IndexError(`The index at ${dir} is damaged: ${file} disagrees with the manifest. ${rebuildHint(dir)}`);
  }
  return deleted;
}

/**
 * Reads back the segment `entry` written by segmentFiles, checking that its tables agree with each other and with the
 * manifest (IndexError naming the file); `opened`, when given, holds those of its STREAMED_FILES (by name in the
 * segment) already checked and read from their files on demand (indexFile.ts), instead of loaded.
 */
export function readSegmentData(dir: string, load: FileLoader, entry: SegmentEntry, opened?: ReadonlyMap<string, IndexFile>): IndexData {
  const at = (name: string): Uint8Array => segmentFile(dir, load, entry.name, name);
  const streamed = new Map<string, Uint8Array | IndexFile>([...STREAMED_FILES].map((name) => [name, opened?.get(name) ?? at(name)]));
  const tables = readSegmentTables(dir, load, entry, (name) => streamed.get(name)!.length);
  const postings = (name: string, f: FamilyTable): PostingsFamily => ({ offsets: f.offsets, df: f.df, postings: streamed.get(`${name}.postings`)! });
  return {
    ...tables,
    documents: { ...tables.documents, blocks: streamed.get(DOCUMENT_BLOCKS)! },
    words: postings('words', tables.words),
    bigrams: { ...postings('bigrams', tables.bigrams), docUnits: tables.docUnits },
    chars: postings('chars', tables.chars),
  };
}

/**
 * Reads back the segment `entry` but its STREAMED_FILES, whose sizes `sizeOf` gives (a
 * merge reads them in pieces), with the same checks as readSegmentData. `withoutLexicon`: a
 * build's staged segment written without its lexicon (segmentFiles), read with none.
 */
export function readSegmentTables(dir: string, load: FileLoader, entry: SegmentEntry, sizeOf: (name: string) => number, withoutLexicon = false): SegmentTables {
  const at = (name: string): Uint8Array => segmentFile(dir, load, entry.name, name);
  /** A family's term table (with its keys, for bigrams and chars); `terms`: how many words.terms names, for words. */
  const family = (name: string, terms?: number): TermTable => {
    const file = `${entry.name}/${name}.table`;
    let table: TermTable;
    try {
      table = decodeTermTable(at(`${name}.table`), terms === undefined, file);
    } catch (error) {
      if (!(error instanceof IndexError)) throw error;
      throw new IndexError(`The index at ${dir} is damaged: ${withoutHint(error.message)}. ${rebuildHint(dir)}`);
    }
    if ((terms !== undefined && table.df.length !== terms) || table.offsets[table.df.length] !== sizeOf(`${name}.postings`)) {
      throw new IndexError(`The index at ${dir} is damaged: ${entry.name}/${name} tables disagree in size. ${rebuildHint(dir)}`);
    }
    return table;
  };
  const n = entry.documents;
  const stats = u32(at('docstats.u32'), 'docstats.u32');
  if (stats.length !== 4 * n) throw new IndexError(`The index at ${dir} is damaged: ${entry.name} document tables disagree with the manifest. ${rebuildHint(dir)}`);
  const table = u32(at('documents.table'), 'documents.table');
  const documents: StoredDocumentTables = {
    dictionary: at('documents.dict'),
    blockOffsets: table.subarray(0, table.length >>> 1),
    blockFirstDoc: table.subarray(table.length >>> 1),
    docOffsets: u32(at('documents.offsets'), 'documents.offsets'),
  };
  const problem = storedDocumentsProblem({ ...documents, blocks: { length: sizeOf(DOCUMENT_BLOCKS) } }, n);
  if (problem) throw new IndexError(`The index at ${dir} is damaged: ${entry.name}: ${problem}. ${rebuildHint(dir)}`);
  const termsText = new TextDecoder().decode(at('words.terms'));
  const wordTerms = termsText.length === 0 ? [] : termsText.split('\n');
  const bigrams = family('bigrams');
  const chars = family('chars');
  const lexicon = withoutLexicon ? undefined : readLexicon(dir, at, entry, wordTerms.length);
  return {
    documentCount: n,
    titleUnits: stats.subarray(0, n),
    titleWords: stats.subarray(n, 2 * n),
    bodyWords: stats.subarray(2 * n, 3 * n),
    docUnits: stats.subarray(3 * n, 4 * n),
    documents,
    metaBytes: at('docmeta.jsonl'),
    wordTerms,
    words: family('words', wordTerms.length),
    bigramKeys: bigrams.keys!,
    bigrams,
    charKeys: chars.keys!,
    chars,
    ...(lexicon ? { lexicon } : {}),
  };
}

/** The lexicon of segment `entry` (of `words` words), its files read through `at`, checked (lexiconProblem). */
function readLexicon(dir: string, at: (name: string) => Uint8Array, entry: SegmentEntry, words: number): Lexicon {
  const lexicon: Lexicon = {
    readings: at('pinyin.readings'),
    words: u32(at('pinyin.words'), 'pinyin.words'),
    initials: u32(at('pinyin.initials'), 'pinyin.initials'),
    deleteKeys: at('spelling.keys'),
    deleteWords: u32(at('spelling.words'), 'spelling.words'),
  };
  const lexiconTrouble = lexiconProblem(lexicon, words);
  if (lexiconTrouble) throw new IndexError(`The index at ${dir} is damaged: ${entry.name}: ${lexiconTrouble}. ${rebuildHint(dir)}`);
  return lexicon;
}
