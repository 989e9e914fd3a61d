import { Analyzer, AnalyzedField } from '../analysis/analyzer';
import { RejectedDocument, SearchDocument, bodyText, titleText } from '../document';
import { DocumentTooLongError } from '../errors';
import { IndexData, PostingsFamily } from './data';
import { docMetaLine, docMetaRow } from './docMeta';
import { DocStoreWriter } from './docStore';
import { fingerprintHex } from './fingerprint';
import { HEADER, POSITION_LIMIT, PreparedBatchWriter, PreparedDocument, unpackBatch } from './prepared';
import { ByteWriter } from './varint';
import { SlicePool } from './slicePool';
import { Uint32Map } from './uint32Map';

/**
 * Runs `add` for `doc`, or lists the document in `rejected` when it is too long to index
 * (DocumentTooLongError; nothing was added): how every build and update treats such a document.
 * Returns whether it was added.
 */
export function addOrReject(doc: SearchDocument, rejected: RejectedDocument[], add: () => void): boolean {
  try {
    add();
    return true;
  } catch (error) {
    if (!(error instanceof DocumentTooLongError)) throw error;
    rejected.push({ id: doc.id, message: error.message });
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

class GrowableU32 {
  data = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/** Per-term bookkeeping while a family's postings are being written. */
class FamilyWriter {
  readonly pool = new SlicePool();
  private lastDoc = new Int32Array(1024).fill(-1);
  private docFreq = new Uint32Array(1024);

  /** Creates a term's stream; returns its number. */
  newTerm(): number {
    const id = this.pool.newStream();
    if (id >= this.lastDoc.length) {
      const last = new Int32Array(this.lastDoc.length * 2).fill(-1);
      last.set(this.lastDoc);
      this.lastDoc = last;
      const df = new Uint32Array(this.docFreq.length * 2);
      df.set(this.docFreq);
      this.docFreq = df;
    }
    return id;
  }

  /** Starts a document's entry in a term's postings (documents must come in ascending order). */
  private startDoc(term: number, doc: number): void {
    this.pool.writeVarint(term, doc - this.lastDoc[term] - 1);
    this.lastDoc[term] = doc;
    this.docFreq[term]++;
  }

  /** Appends a document's entry to a term's postings: the doc gap, then the prepared payload `bytes[from, to)`. */
  append(term: number, doc: number, bytes: Uint8Array, from: number, to: number): void {
    this.startDoc(term, doc);
    this.pool.writeBytes(term, bytes, from, to);
  }

  /** Lays out the postings of `order` (stream numbers in final term order) contiguously. */
  finish(order: ArrayLike<number>): PostingsFamily {
    const offsets = new Uint32Array(order.length + 1);
    const df = new Uint32Array(order.length);
    let total = 0;
    for (let i = 0; i < order.length; i++) {
      offsets[i] = total;
      if (order[i] >= 0) {
        total += this.pool.lengthOf(order[i]);
        df[i] = this.docFreq[order[i]];
      }
    }
    offsets[order.length] = total;
    const postings = new Uint8Array(total);
    for (let i = 0; i < order.length; i++) if (order[i] >= 0) this.pool.copyTo(order[i], postings, offsets[i]);
    return { offsets, df, postings };
  }
}

/**
 * Builds an index from documents, one at a time, in memory. Documents get numbers in
 * the order they are added; `finish()` returns the compact IndexData that is saved to
 * disk and searched.
 */
export class IndexBuilder {
  private readonly wordIds = new Map<string, number>();
  private readonly words = new FamilyWriter();
  private readonly bigramIds = new Uint32Map();
  private readonly bigrams = new FamilyWriter();
  private readonly chars = new FamilyWriter();
  private readonly titleUnits = new GrowableU32();
  private readonly titleWords = new GrowableU32();
  private readonly bodyWords = new GrowableU32();
  private readonly docs = new DocStoreWriter();
  private readonly meta = new ByteWriter(1 << 14);
  private readonly encoder = new TextEncoder();
  private readonly preparer = new PreparedBatchWriter();
  private readonly localNumbers = new Map<number, LocalNumbers>();
  private count = 0;

  /** `analyzer` is needed by `add` only: a builder fed by `addAnalyzed` or `addPrepared` (a parallel build) needs none. */
  constructor(private readonly analyzer?: Analyzer) {
    for (let unit = 0; unit < 65536; unit++) this.chars.newTerm();
  }

  /** Number of documents added so far. */
  get documentCount(): number {
    return this.count;
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
    this.addPrepared(doc, unpackBatch(this.preparer.finish())[0], OWN_WRITER);
  }

  /**
   * Adds a document whose postings were prepared elsewhere (by a PreparedBatchWriter,
   * e.g. on a worker thread): the index is the same as from `addAnalyzed`. `writer`
   * (0, 1, …) says which writer prepared it: each writer's documents must be added in
   * the order it prepared them, since each lists the words and bigrams first seen by its
   * writer. Throws DocumentTooLongError, and adds nothing, for a document too long to index.
   */
  addPrepared(doc: SearchDocument, prepared: PreparedDocument, writer: number): void {
    const { ints, payloads, words } = prepared;
    const units = ints[0] + 1 + ints[1];
    if (units >= POSITION_LIMIT) {
      throw new DocumentTooLongError(
        `document ${doc.id} is too long to index (${units} characters after normalization; the limit is ${POSITION_LIMIT - 1}): split it into smaller documents`,
      );
    }
    const n = this.count++;
    this.docs.add(this.encoder.encode(JSON.stringify(doc)));
    this.meta.writeBytes(this.encoder.encode(docMetaLine(docMetaRow(doc, fingerprintHex(ints, 9)))));
    this.titleUnits.push(ints[0]);
    this.titleWords.push(ints[2]);
    this.bodyWords.push(ints[3]);
    const [nWords, nChars, nBigrams, nNewWords, nNewBigrams] = [ints[4], ints[5], ints[6], ints[7], ints[8]];
    const local = this.localNumbersOf(writer);
    let term = HEADER;
    let wordAt = 0;
    for (let i = 0; i < nNewWords; i++) local.words.push(this.wordId(words.substring(wordAt, (wordAt += ints[term++]))));
    for (let i = 0; i < nNewBigrams; i++) local.bigrams.push(this.bigramId(ints[term++]));
    let length = term + nWords + nChars + nBigrams;
    let at = 0;
    const wordIds = local.words.data;
    for (let i = 0; i < nWords; i++) this.words.append(wordIds[ints[term++]], n, payloads, at, (at += ints[length++]));
    for (let i = 0; i < nChars; i++) this.chars.append(ints[term++], n, payloads, at, (at += ints[length++]));
    const bigramIds = local.bigrams.data;
    for (let i = 0; i < nBigrams; i++) this.bigrams.append(bigramIds[ints[term++]], n, payloads, at, (at += ints[length++]));
  }

  private localNumbersOf(writer: number): LocalNumbers {
    let local = this.localNumbers.get(writer);
    if (!local) {
      local = { words: new GrowableU32(), bigrams: new GrowableU32() };
      this.localNumbers.set(writer, local);
    }
    return local;
  }

  private wordId(word: string): number {
    let id = this.wordIds.get(word);
    if (id === undefined) {
      id = this.words.newTerm();
      this.wordIds.set(word, id);
    }
    return id;
  }

  private bigramId(key: number): number {
    let id = this.bigramIds.get(key);
    if (id < 0) {
      id = this.bigrams.newTerm();
      this.bigramIds.set(key, id);
    }
    return id;
  }

  /** The finished index. The builder must not be used afterwards. */
  finish(): IndexData {
    const wordTerms = [...this.wordIds.keys()].sort();
    const wordOrder = wordTerms.map((w) => this.wordIds.get(w)!);
    const bigramKeys = new Uint32Array(this.bigramIds.size);
    let k = 0;
    this.bigramIds.forEach((key) => (bigramKeys[k++] = key));
    bigramKeys.sort();
    const bigramOrder = Array.from(bigramKeys, (key) => this.bigramIds.get(key));
    const charKeys = Uint32Array.from({ length: 65536 }, (_, unit) => unit).filter((unit) => this.chars.pool.lengthOf(unit) > 0);
    return {
      documentCount: this.count,
      titleUnits: this.titleUnits.toArray(),
      titleWords: this.titleWords.toArray(),
      bodyWords: this.bodyWords.toArray(),
      documents: this.docs.finish(),
      metaBytes: this.meta.bytes().slice(),
      wordTerms,
      words: this.words.finish(wordOrder),
      bigramKeys,
      bigrams: this.bigrams.finish(bigramOrder),
      charKeys,
      chars: this.chars.finish(charKeys),
    };
  }
}
