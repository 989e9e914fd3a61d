import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IndexError } from '../errors';
import { PostingsFamily } from './data';
import { fsyncDir, segmentDirLoader, writeFailure, writeListedFile } from './generation';
import { mergeLexicons } from './lexicon';
import { SegmentOnDisk, StagedSegment, rebuildHint } from './manifest';
import { CopyTerm, FamilyInput, KeySink, Target, copyCounts, copyPositional, liveDocumentTables, mergeFamilyInto } from './merge';
import { GrowableU32 } from './growableU32';
import { MergeThread } from './mergeThread';
import { DOCUMENT_BLOCKS, FamilyTable, STREAMED_FILES, SegmentTables, documentTableFiles, familyTableFile, lexiconFiles, readSegmentTables, wordTableFiles } from './segmentFiles';
import { FileSink, OpenFile, StoreSource, mergeStoredDocuments, readAt } from './storeMerge';
import { compressTableFiles, storedDocumentTableFiles } from './tableFiles';
import { ByteWriter } from './varint';

/**
 * Merging segments on disk in bounded memory: the bulk of each segment (its postings and
 * its stored documents' blocks, STREAMED_FILES) is read in pieces as the merge reaches
 * them, term by term and block by block, and the merged segment's postings and blocks are
 * written as they are produced; only the tables (term tables, words, document tables,
 * metadata, lexicons) are held. The files written are those of `segmentFiles(mergeSegments
 * (…))`, byte for byte: the same functions merge each term (mergeFamilyInto) and lay out
 * the blocks (DocBlockPacker), and the codecs are only called through their decode and
 * encode functions.
 */

/** Bytes read at once from each streamed file, and gathered before each write: 1 MiB (a single term's postings or stored block may need more). */
export const MERGE_READ_BYTES = 1 << 20;

/** The most bytes a postings file may hold: its term table's offsets are 32-bit. */
const MAX_POSTINGS_BYTES = 0xffffffff;

const NONE_U8 = new Uint8Array(0);
const NONE_U32 = new Uint32Array(0);
const NO_TERMS: FamilyTable = { offsets: Uint32Array.of(0), df: NONE_U32 };

/**
 * Stored documents' blocks (bytes of documents.blocks over the merge's inputs) from which a
 * merge hands its stored documents and table files' compression to a MergeThread: below
 * it (small updates, tests) starting a thread would cost more than it saves.
 */
export const MERGE_THREAD_MIN_BYTES = 4 << 20;

/** How a merge reads and writes. */
export interface StreamingMergeOptions {
  /** Bytes read at once from each streamed file and written at once (default MERGE_READ_BYTES; tests use tiny ones). */
  readBytes?: number;
  /** Whether the stored documents and the table files' compression go to a MergeThread (default: when the inputs' documents.blocks total MERGE_THREAD_MIN_BYTES). */
  thread?: boolean;
}

/**
 * Merges the live documents of `inputs` (in order) into one new segment named `name`,
 * written into the directory `outDir` (created; fsynced), as a build of those documents
 * alone would write it, and returns it staged for a generation (writeGeneration moves it
 * in). Every file read is checked against its size and SHA-256 (the streamed ones in a
 * pass before the merge), so damage is an IndexError naming the file, raised before
 * anything is committed. On failure `outDir` is removed. `indexDir` names the index in errors.
 */
export function mergeSegmentsOnDisk(indexDir: string, inputs: SegmentOnDisk[], outDir: string, name: string, options: StreamingMergeOptions = {}): StagedSegment {
  const readBytes = Math.max(1, options.readBytes ?? MERGE_READ_BYTES);
  const open: OpenFile[] = [];
  const sinks: FileSink[] = [];
  let thread: MergeThread | undefined;
  try {
    fs.mkdirSync(outDir, { recursive: true });
    const segments = inputs.map((input) => openSegment(indexDir, input, readBytes, open));
    const files: StagedSegment['files'] = {};
    const { data: documentTables, bases, renumber, part, local } = liveDocumentTables(segments.map(({ tables, input }) => ({ data: tables, deleted: input.deleted })));
    const targets: Target[] = renumber.map(({ map }, p) => ({ map, base: bases[p] }));
    const stores: StoreSource[] = segments.map((segment) => ({ file: segment.files.get(DOCUMENT_BLOCKS)!, tables: segment.tables.documents }));

    // With a thread, the stored documents are merged there from the start, and each table file is compressed there as soon as it is made.
    if (options.thread ?? stores.reduce((sum, store) => sum + store.file.size, 0) >= MERGE_THREAD_MIN_BYTES) thread = new MergeThread();
    thread?.mergeStores(stores, part, local, path.join(outDir, DOCUMENT_BLOCKS));
    const tableFiles: Array<Record<string, Uint8Array>> = [];
    const made = (plain: Record<string, Uint8Array>): void => {
      if (thread) thread.compress(plain);
      else tableFiles.push(plain);
    };

    const writeSink = (file: string): FileSink => {
      const sink = new FileSink(path.join(outDir, file));
      sinks.push(sink);
      return sink;
    };
    const postingsBytes: number[] = [];
    const merge = <K extends string | number>(family: 'words' | 'bigrams' | 'chars', keyLists: Array<ArrayLike<K>>, copy: CopyTerm, keys: KeySink<K>): FamilyTable => {
      const sink = writeSink(`${family}.postings`);
      const out = new ByteWriter(Math.min(readBytes, 1 << 16));
      const drain = (): void => {
        sink.write(out.bytes());
        out.reset();
      };
      const windows = segments.map((segment) => new PostingsWindow(segment.files.get(`${family}.postings`)!, segment.tables[family], readBytes, segment.tables.docUnits));
      const table = mergeFamilyInto(keyLists, windows, targets, copy, {
        out,
        offset: () => sink.bytes + out.length,
        termDone: () => {
          if (sink.bytes + out.length > MAX_POSTINGS_BYTES) throw tooLarge(indexDir, family);
          if (out.length >= readBytes) drain();
        },
      }, keys);
      drain();
      files[`${family}.postings`] = sink.close();
      postingsBytes.push(files[`${family}.postings`].bytes);
      return table;
    };
    // Each segment's tables are let go as soon as the merge is done with them (the words and lexicons before the bigrams).
    // Each segment's documents' bounds stay until its bigrams are merged (their first positions are coded in them).
    for (const { tables: t } of segments) Object.assign(t, { metaBytes: NONE_U8, titleUnits: NONE_U32, titleWords: NONE_U32, bodyWords: NONE_U32 });
    // The table files are made in this order and listed in it (segmentTableFiles' order): the stores', the documents', the words', the bigrams', the chars', the lexicon's.
    made(documentTableFiles(documentTables));
    const wordTerms: string[] = [];
    const words = merge('words', segments.map((s) => s.tables.wordTerms), copyCounts(), wordTerms);
    made(wordTableFiles(wordTerms, words));
    // A build's staged segments without their lexicon merge into one without it (made, if it is kept, before the build commits).
    const withoutLexicon = inputs.some((input) => input.withoutLexicon);
    const lexicon = withoutLexicon
      ? undefined
      : mergeLexicons(
          segments.map(({ tables: t }) => ({ wordTerms: t.wordTerms, lexicon: t.lexicon! })),
          wordTerms,
        );
    for (const { tables: t } of segments) Object.assign(t, { wordTerms: [], words: NO_TERMS, lexicon: undefined });
    const bigramKeys = new GrowableU32();
    const bigrams = merge('bigrams', segments.map((s) => s.tables.bigramKeys), copyPositional(documentTables.docUnits), bigramKeys);
    for (const { tables: t } of segments) Object.assign(t, { bigramKeys: NONE_U32, bigrams: NO_TERMS, docUnits: NONE_U32 });
    made(familyTableFile('bigrams', bigrams, bigramKeys.toArray()));
    const charKeys = new GrowableU32();
    const chars = merge('chars', segments.map((s) => s.tables.charKeys), copyCounts(), charKeys);
    made(familyTableFile('chars', chars, charKeys.toArray()));
    if (lexicon) made(lexiconFiles(lexicon));

    let compressed: Record<string, Uint8Array>;
    if (thread) {
      const { stores: merged, compressed: fromThread } = thread.finish();
      thread = undefined;
      files[DOCUMENT_BLOCKS] = merged!.file;
      compressed = Object.assign({}, merged!.files, ...fromThread);
    } else {
      const blocks = writeSink(DOCUMENT_BLOCKS);
      const documents = mergeStoredDocuments(stores, part, local, (block) => blocks.write(block));
      files[DOCUMENT_BLOCKS] = blocks.close();
      compressed = compressTableFiles(Object.assign(storedDocumentTableFiles(documents), ...tableFiles));
    }
    for (const [file, bytes] of Object.entries(compressed)) {
      files[file] = writeListedFile(path.join(outDir, file), bytes);
    }
    fsyncDir(outDir);
    const stats = { words: wordTerms.length, bigrams: bigramKeys.length, postingsBytes: postingsBytes.reduce((a, b) => a + b, 0) };
    return { dir: outDir, entry: { name, documents: documentTables.documentCount, deleted: 0, stats }, files, ...(withoutLexicon ? { withoutLexicon } : {}) };
  } catch (error) {
    thread?.stop();
    for (const sink of sinks) sink.abandon();
    fs.rmSync(outDir, { recursive: true, force: true });
    throw writeFailure(indexDir, error, inputs.reduce((sum, input) => sum + Object.values(input.files).reduce((s, f) => s + f.bytes, 0), 0));
  } finally {
    for (const file of open) fs.closeSync(file.fd);
  }
}

/** The IndexError of a merged family whose postings would pass what 32-bit offsets address. */
function tooLarge(dir: string, family: string): IndexError {
  return new IndexError(`Cannot merge these segments of the index at ${dir}: their ${family} postings would pass 4 GiB, more than one segment can address. Keep more segments (the merge policy's maxMergeBytes).`);
}

/** A segment being merged: its tables and its streamed files, checked and opened. */
interface OpenSegment {
  input: SegmentOnDisk;
  tables: SegmentTables;
  files: Map<string, OpenFile>;
}

/** Checks and opens a segment: its streamed files (read through once for their SHA-256) and its tables (loaded, checked). */
function openSegment(indexDir: string, input: SegmentOnDisk, readBytes: number, open: OpenFile[]): OpenSegment {
  const { name } = input.entry;
  const files = new Map<string, OpenFile>();
  const scratch = Buffer.allocUnsafe(Math.max(readBytes, 1 << 16));
  for (const file of STREAMED_FILES) {
    const expected = input.files[file];
    const damaged = (problem: string): IndexError => new IndexError(`The index at ${indexDir} is damaged: ${name}/${file} ${problem}. ${rebuildHint(indexDir)}`);
    if (!expected) throw damaged('is not listed in its manifest');
    let fd: number;
    try {
      fd = fs.openSync(path.join(input.dir, file), 'r');
    } catch {
      throw damaged('is missing');
    }
    const opened = { fd, size: expected.bytes };
    open.push(opened);
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const read = fs.readSync(fd, scratch, 0, scratch.length, size);
      if (read === 0) break;
      hash.update(scratch.subarray(0, read));
      size += read;
    }
    if (size !== expected.bytes || hash.digest('hex') !== expected.sha256) throw damaged('does not match its checksum');
    files.set(file, opened);
  }
  const load = segmentDirLoader(indexDir, input.dir, name, input.files);
  const tables = readSegmentTables(indexDir, load, input.entry, (file) => input.files[file].bytes, input.withoutLexicon);
  return { input, tables, files };
}

/**
 * One segment's postings of a family, read as the merge reaches each term (terms come in
 * order, so the file is read once, front to back): a window of at least `readBytes` of the
 * file, or one term's postings when they are longer. `family` holds the term `term` made
 * readable, as number 0: the codec decodes it as it would in a family loaded whole.
 */
class PostingsWindow implements FamilyInput {
  readonly family: PostingsFamily = { offsets: new Uint32Array(2), df: new Uint32Array(1), postings: new Uint8Array(0) };
  private buffer: Uint8Array;
  /** The file's bytes [start, end) are in `family.postings`. */
  private start = 0;
  private end = 0;

  /** `docUnits`: the segment's documents' bounds, which its bigram postings are decoded with (unused by counts families). */
  constructor(
    private readonly file: OpenFile,
    private readonly table: FamilyTable,
    private readonly readBytes: number,
    docUnits: Uint32Array,
  ) {
    this.buffer = new Uint8Array(0);
    this.family.docUnits = docUnits;
  }

  readonly term = (t: number): number => {
    const from = this.table.offsets[t];
    const to = this.table.offsets[t + 1];
    if (from < this.start || to > this.end) this.fill(from, to);
    this.family.offsets[0] = from - this.start;
    this.family.offsets[1] = to - this.start;
    this.family.df[0] = this.table.df[t];
    return 0;
  };

  private fill(from: number, to: number): void {
    const wanted = Math.max(this.readBytes, to - from);
    // A term longer than the window gets a buffer of its own; the window goes back to its size after it.
    if (this.buffer.length < wanted || (this.buffer.length > this.readBytes && to - from <= this.readBytes)) this.buffer = new Uint8Array(wanted);
    const size = Math.min(wanted, this.file.size - from);
    readAt(this.file, this.buffer, size, from);
    this.family.postings = this.buffer.subarray(0, size);
    this.start = from;
    this.end = from + size;
  }
}

