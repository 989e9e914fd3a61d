import { Analyzer, AnalyzedField } from '../analysis/analyzer';
import { RejectedDocument, SearchDocument, bodyText, titleText } from '../document';
import { DocumentTooLongError } from '../errors';
import { packPositionalEntries } from './bigramEntry';
import { packCountEntries } from './countsEntry';
import { IndexData, Lexicon, PostingsFamily } from './data';
import { BlockDeflater, DocStoreWriter } from './docStore';
import { PackEntries } from './postingsBlocks';
import { StoredParts, storedParts } from './preparedStored';
import { HEADER, POSITION_LIMIT, PreparedBatchWriter, PreparedDocument, unpackBatch } from './prepared';
import { ByteWriter } from './varint';
import { SlicePool } from './slicePool';
import { Uint32Map } from './uint32Map';
import { GrowableU32 } from './growableU32';
import { WordNumbers } from './wordNumbers';

/**
 * Runs `add` for the document `id`, or lists it in `rejected` when it is too long to index
 * (DocumentTooLongError; nothing was added): how every build and update treats such a document.
 * Returns whether it was added.
 */
export function addOrReject(id: string, rejected: RejectedDocument[], add: () => void): boolean {
  try {
    add();
    return true;
  } catch (error) {
    if (!(error instanceof DocumentTooLongError)) throw error;
    rejected.push({ id, message: error.message });
    return false;
  }
}

/** The `writer` of addPrepared for the builder's own PreparedBatchWriter (addAnalyzed). */
const OWN_WRITER = -1;

/** A writer's local word and bigram numbers (see PreparedDocument) mapped to the builder's term numbers. */
interface LocalNumbers {
  words: GrowableU32;
  bigrams: GrowableU32;
}

/** Owner fields of a postings stream in the slice pool (SlicePool.ownerField): the last document written plus one (0: none yet), and the document frequency. */
const AFTER_LAST_DOC = 0;
const DOC_FREQ = 1;

/**
 * One family's postings for the segment being built: a stream of the slice pool per term
 * that occurs in the segment, opened on the term's first posting (terms are numbered by
 * the builder for the whole build, streams for one segment).
 */
class FamilyWriter {
  readonly pool = new SlicePool();
  /** For each term number, its stream in this segment, or -1. */
  private streamOf = new Int32Array(1024).fill(-1);
  /** Per stream: its term. */
  private readonly termOf = new GrowableU32();
  /** Per writer (as addPrepared numbers them): its local term numbers' streams in this segment, or -1 when not looked up yet. */
  private readonly streamsByWriter = new Map<number, Int32Array>();
  /** Scratch of appendDocument: the stream of each term of the document. */
  private docStreams = new Int32Array(1024);
  /** What SlicePool.warm last returned, kept so that its reads are not optimized away. */
  warmed = 0;

  /** The terms with postings in this segment, in order of first posting. */
  terms(): Uint32Array {
    return this.termOf.data.subarray(0, this.termOf.length);
  }

  /** Bytes this writer holds (its pool and tables): what the segment's postings cost in memory. */
  get bytes(): number {
    let bytes = this.pool.bytes + this.streamOf.byteLength + this.termOf.data.byteLength;
    for (const streams of this.streamsByWriter.values()) bytes += streams.byteLength;
    return bytes;
  }

  private streamFor(term: number): number {
    if (term >= this.streamOf.length) {
      const grown = new Int32Array(Math.max(term + 1, this.streamOf.length * 2)).fill(-1);
      grown.set(this.streamOf);
      this.streamOf = grown;
    }
    let stream = this.streamOf[term];
    if (stream < 0) {
      stream = this.pool.newStream();
      this.streamOf[term] = stream;
      this.termOf.push(term);
    }
    return stream;
  }

  /**
   * `writer`'s table of local numbers (see addPrepared) to this segment's streams, -1 where
   * not looked up yet, with room for its first `count` local numbers: what appendDocument takes.
   */
  localStreams(writer: number, count: number): Int32Array {
    let streams = this.streamsByWriter.get(writer);
    if (streams === undefined || count > streams.length) {
      const grown = new Int32Array(Math.max(1024, count, 2 * (streams?.length ?? 0))).fill(-1);
      if (streams) grown.set(streams);
      streams = grown;
      this.streamsByWriter.set(writer, streams);
    }
    return streams;
  }

  /**
   * Appends one document's entries for `count` of its terms, in the order `ints` lists
   * them from `termAt`: each term given by a writer's local number (looked up in `streams`,
   * the writer's localStreams, and numbered by `terms`), or, when `streams` is undefined,
   * by its own number; its payload is the next `ints[lengthAt + i]` bytes of `payloads`
   * from `payloadAt`. Returns where the payloads read end. The streams are found first,
   * then their state and next byte read, then written: three short loops whose memory
   * reads do not wait on each other, where one loop per term waited on each in turn.
   */
  appendDocument(
    streams: Int32Array | undefined,
    terms: Uint32Array | undefined,
    ints: Uint32Array,
    termAt: number,
    count: number,
    lengthAt: number,
    doc: number,
    payloads: Uint8Array,
    payloadAt: number,
  ): number {
    if (this.docStreams.length < count) this.docStreams = new Int32Array(Math.max(count, 2 * this.docStreams.length));
    const found = this.docStreams;
    if (streams === undefined) {
      for (let i = 0; i < count; i++) found[i] = this.streamFor(ints[termAt + i]);
    } else {
      for (let i = 0; i < count; i++) found[i] = streams[ints[termAt + i]];
      for (let i = 0; i < count; i++) {
        if (found[i] >= 0) continue;
        const local = ints[termAt + i];
        found[i] = streams[local] = this.streamFor(terms![local]);
      }
    }
    this.warmed = this.pool.warm(found, count);
    let at = payloadAt;
    for (let i = 0; i < count; i++) this.appendTo(found[i], doc, payloads, at, (at += ints[lengthAt + i]));
    return at;
  }

  /** Forgets `writer`'s local numbers (it renumbered: see IndexBuilder.renumbered). */
  forgetLocal(writer: number): void {
    this.streamsByWriter.delete(writer);
  }

  private appendTo(stream: number, doc: number, bytes: Uint8Array, from: number, to: number): void {
    const { pool } = this;
    pool.writeVarintAndBytes(stream, doc - pool.ownerField(stream, AFTER_LAST_DOC), bytes, from, to);
    pool.setOwnerField(stream, AFTER_LAST_DOC, doc + 1);
    pool.setOwnerField(stream, DOC_FREQ, pool.ownerField(stream, DOC_FREQ) + 1);
  }

  /**
   * Lays out the postings of `order` (term numbers in final term order, each with postings in
   * this segment) contiguously in their stored format (`pack`: the family's, see
   * postingsBlocks.ts); the pool's memory is let go of before the result is copied out.
   */
  finish(order: ArrayLike<number>, pack: PackEntries): PostingsFamily {
    const offsets = new Uint32Array(order.length + 1);
    const df = new Uint32Array(order.length);
    let total = 0;
    let longest = 0;
    for (let i = 0; i < order.length; i++) {
      const length = this.pool.lengthOf(this.streamOf[order[i]]);
      total += length;
      longest = Math.max(longest, length);
    }
    const out = new ByteWriter(Math.max(total, 1024));
    const entries = new Uint8Array(longest);
    for (let i = 0; i < order.length; i++) {
      const stream = this.streamOf[order[i]];
      df[i] = this.pool.ownerField(stream, DOC_FREQ);
      this.pool.copyTo(stream, entries, 0);
      offsets[i] = out.length;
      pack(out, entries, 0, this.pool.lengthOf(stream), df[i]);
    }
    offsets[order.length] = out.length;
    this.pool.release();
    return { offsets, df, postings: out.bytes().slice() };
  }
}

/** What the builder holds for the segment being built: postings, document tables, stored documents. */
class SegmentBuffer {
  readonly words = new FamilyWriter();
  readonly bigrams = new FamilyWriter();
  readonly chars = new FamilyWriter();
  readonly titleUnits = new GrowableU32();
  readonly docUnits = new GrowableU32();
  readonly titleWords = new GrowableU32();
  readonly bodyWords = new GrowableU32();
  readonly docs = new DocStoreWriter();
  readonly meta = new ByteWriter(1 << 14);
  /** Bytes of the stored documents' JSON texts held until the segment is finished. */
  jsonBytes = 0;
  count = 0;

  /** What the segment holds in memory, about (see IndexBuilder.bufferBytes). */
  get bytes(): number {
    return this.words.bytes + this.bigrams.bytes + this.chars.bytes + this.jsonBytes + this.meta.length + 4 * this.titleUnits.data.byteLength;
  }
}

/**
 * Builds an index from documents, one at a time, in memory. Documents get numbers in
 * the order they are added; `finish()` returns the compact IndexData that is saved to
 * disk and searched. A large build calls `finish()` whenever `bufferBytes` passes its
 * budget, each time getting one segment of the index (numbered from 0 again), and
 * keeps adding: the words and bigrams seen so far stay known, so that worker threads
 * need not send them again.
 */
export class IndexBuilder {
  private readonly wordIds = new WordNumbers();
  private readonly bigramIds = new Uint32Map();
  /** Bigram key of each bigram number. */
  private readonly bigramKeyOf = new GrowableU32();
  private segment = new SegmentBuffer();
  private readonly preparer = new PreparedBatchWriter();
  private readonly localNumbers = new Map<number, LocalNumbers>();

  /** `analyzer` is needed by `add` only: a builder fed by `addAnalyzed` or `addPrepared` (a parallel build) needs none. */
  constructor(private readonly analyzer?: Analyzer) {}

  /** Number of documents added to the segment being built. */
  get documentCount(): number {
    return this.segment.count;
  }

  /**
   * Bytes the segment being built holds in memory, about: its postings pools, stored
   * documents' texts and tables (not the term dictionaries, kept for the whole build).
   * What a build compares with its budget to decide when to finish a segment.
   */
  get bufferBytes(): number {
    return this.segment.bytes;
  }

  /** Distinct words and bigrams of every document added since the builder was made (over all its segments). */
  get distinctTerms(): { words: number; bigrams: number } {
    return { words: this.wordIds.size, bigrams: this.bigramKeyOf.length };
  }

  /** Analyzes and adds one document (see addAnalyzed). Needs the builder to have an analyzer. */
  add(doc: SearchDocument): void {
    const { analyzer } = this;
    if (!analyzer) throw new Error('IndexBuilder.add needs the analyzer the builder was made without: use addAnalyzed or addPrepared');
    this.addAnalyzed(doc, analyzer.analyzeField(titleText(doc)), analyzer.analyzeField(bodyText(doc)));
  }

  /**
   * Adds a document whose title field and body were analyzed elsewhere. Throws
   * DocumentTooLongError, and adds nothing, for a document too long to index.
   */
  addAnalyzed(doc: SearchDocument, title: AnalyzedField, body: AnalyzedField): void {
    this.preparer.add(title, body);
    const prepared = unpackBatch(this.preparer.finish())[0];
    this.addPrepared(doc.id, prepared, OWN_WRITER, storedParts(doc, prepared));
  }

  /**
   * Adds a document whose postings were prepared elsewhere (by a PreparedBatchWriter,
   * e.g. on a worker thread): the index is the same as from `addAnalyzed`. `writer`
   * (0, 1, …) says which writer prepared it: each writer's documents must be added in
   * the order it prepared them, since each lists the words and bigrams first seen by its
   * writer. `id`: the document's, `stored`: its stored parts (storedParts). Throws
   * DocumentTooLongError, and adds nothing, for a document too long to index.
   */
  addPrepared(id: string, prepared: PreparedDocument, writer: number, stored: StoredParts): void {
    const { ints, payloads, words } = prepared;
    const units = ints[0] + 1 + ints[1];
    if (units >= POSITION_LIMIT) {
      throw new DocumentTooLongError(
        `document ${id} is too long to index (${units} characters after normalization; the limit is ${POSITION_LIMIT - 1}): split it into smaller documents`,
      );
    }
    const segment = this.segment;
    const n = segment.count++;
    const { text, meta, jsonBytes } = stored;
    segment.docs.addStored(text);
    segment.jsonBytes += jsonBytes;
    segment.meta.writeBytes(meta);
    segment.titleUnits.push(ints[0]);
    segment.docUnits.push(units);
    segment.titleWords.push(ints[2]);
    segment.bodyWords.push(ints[3]);
    const [nWords, nChars, nBigrams, nNewWords, nNewBigrams] = [ints[4], ints[5], ints[6], ints[7], ints[8]];
    const local = this.localNumbersOf(writer);
    let term = HEADER;
    let wordAt = 0;
    for (let i = 0; i < nNewWords; i++) local.words.push(this.wordIds.intern(words.substring(wordAt, (wordAt += ints[term++]))));
    for (let i = 0; i < nNewBigrams; i++) local.bigrams.push(this.bigramId(ints[term++]));
    const length = term + nWords + nChars + nBigrams;
    const wordStreams = segment.words.localStreams(writer, local.words.length);
    let at = segment.words.appendDocument(wordStreams, local.words.data, ints, term, nWords, length, n, payloads, 0);
    at = segment.chars.appendDocument(undefined, undefined, ints, term + nWords, nChars, length + nWords, n, payloads, at);
    const bigramStreams = segment.bigrams.localStreams(writer, local.bigrams.length);
    segment.bigrams.appendDocument(bigramStreams, local.bigrams.data, ints, term + nWords + nChars, nBigrams, length + nWords + nChars, n, payloads, at);
  }

  /**
   * Forgets `writer`'s local numbers: it renumbered (PreparedBatchWriter.renumber), and its
   * next document lists its terms from 0 again. The builder's own numbers stay.
   */
  renumbered(writer: number): void {
    this.localNumbers.delete(writer);
    this.segment.words.forgetLocal(writer);
    this.segment.bigrams.forgetLocal(writer);
  }

  private localNumbersOf(writer: number): LocalNumbers {
    let local = this.localNumbers.get(writer);
    if (!local) {
      local = { words: new GrowableU32(), bigrams: new GrowableU32() };
      this.localNumbers.set(writer, local);
    }
    return local;
  }

  private bigramId(key: number): number {
    const id = this.bigramIds.intern(key);
    if (id === this.bigramKeyOf.length) this.bigramKeyOf.push(key);
    return id;
  }

  /**
   * The segment built so far, compact: the whole index when nothing was finished before.
   * The builder then starts a new segment, whose documents are numbered from 0 again.
   * Each family's pool is let go of as soon as its postings are laid out, so that the
   * peak stays near the buffer's size plus its largest family.
   */
  finish(): IndexData {
    const segment = this.nextSegment();
    const wordTerms = this.wordTermsOf(segment);
    const documents = segment.docs.finish();
    return { ...this.laidOut(segment, wordTerms), documents };
  }

  /**
   * `finish`, with the segment's lexicon (unless `withLexicon` is false) and the deflating of
   * its stored documents' blocks handed to `help` (a FinishThread) while this thread lays the
   * postings out: the same IndexData, with its lexicon made (IndexData.lexicon) when asked. The
   * stored texts are laid out and coded, and the builder has started its next segment, before
   * this first awaits.
   */
  async finishWith(help: FinishHelp, withLexicon = true): Promise<IndexData> {
    const segment = this.nextSegment();
    const wordTerms = this.wordTermsOf(segment);
    const lexicon = withLexicon ? help.lexicon(wordTerms) : Promise.resolve(undefined);
    const documents = segment.docs.finishWith((dictionary) => help.deflater(dictionary));
    // Awaited below, after the postings are laid out; until then, a failure must not count as unhandled.
    lexicon.catch(() => undefined);
    documents.catch(() => undefined);
    const data = this.laidOut(segment, wordTerms);
    const [stored, made] = await Promise.all([documents, lexicon]);
    return { ...data, documents: stored, ...(made ? { lexicon: made } : {}) };
  }

  /** The segment being built, which the builder lets go of for a new one. */
  private nextSegment(): SegmentBuffer {
    const segment = this.segment;
    this.segment = new SegmentBuffer();
    return segment;
  }

  /** The words with postings in `segment`, sorted: the segment's wordTerms. */
  private wordTermsOf(segment: SegmentBuffer): string[] {
    return Array.from(segment.words.terms(), (id) => this.wordIds.wordOf(id)).sort();
  }

  /** `segment`'s postings laid out (FamilyWriter.finish) and its tables, all but its stored documents. */
  private laidOut(segment: SegmentBuffer, wordTerms: string[]): Omit<IndexData, 'documents'> {
    const { keys: bigramKeys, terms: bigramOrder } = byKey(segment.bigrams.terms(), this.bigramKeyOf.data);
    const docUnits = segment.docUnits.toArray();
    const bigrams = { ...segment.bigrams.finish(bigramOrder, packPositionalEntries(docUnits)), docUnits };
    const words = segment.words.finish(wordTerms.map((w) => this.wordIds.get(w)), packCountEntries);
    const charKeys = segment.chars.terms().slice().sort();
    const chars = segment.chars.finish(charKeys, packCountEntries);
    return {
      documentCount: segment.count,
      titleUnits: segment.titleUnits.toArray(),
      docUnits,
      titleWords: segment.titleWords.toArray(),
      bodyWords: segment.bodyWords.toArray(),
      metaBytes: segment.meta.bytes().slice(),
      wordTerms,
      words,
      bigramKeys,
      bigrams,
      charKeys,
      chars,
    };
  }
}

/** Whether this machine stores a 64-bit integer's low 32 bits first (what byKey's packing assumes). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * The bigram numbers `terms` ordered by their keys (`keyOf[term]`, distinct), and those keys:
 * each key and its term packed in one 64-bit integer (key high, term low) and the integers
 * sorted natively, where sorting the keys and then looking each one's number up in the
 * bigram table again cost a hash probe (a cache miss) per bigram of the segment.
 */
function byKey(terms: Uint32Array, keyOf: Uint32Array): { keys: Uint32Array; terms: Uint32Array } {
  if (!LITTLE_ENDIAN) {
    const order = Uint32Array.from(terms).sort((a, b) => keyOf[a] - keyOf[b]);
    return { keys: order.map((term) => keyOf[term]), terms: order };
  }
  const packed = new BigUint64Array(terms.length);
  const halves = new Uint32Array(packed.buffer);
  for (let i = 0; i < terms.length; i++) {
    halves[2 * i] = terms[i];
    halves[2 * i + 1] = keyOf[terms[i]];
  }
  packed.sort();
  const keys = new Uint32Array(terms.length);
  const sorted = new Uint32Array(terms.length);
  for (let i = 0; i < terms.length; i++) {
    sorted[i] = halves[2 * i];
    keys[i] = halves[2 * i + 1];
  }
  return { keys, terms: sorted };
}

/**
 * What IndexBuilder.finishWith hands to another thread (FinishThread): the lexicon of the
 * segment's words, and the deflating of its stored documents' blocks.
 */
export interface FinishHelp {
  lexicon(wordTerms: readonly string[]): Promise<Lexicon>;
  deflater(dictionary: Uint8Array): BlockDeflater;
}
