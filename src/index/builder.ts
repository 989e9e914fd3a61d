import { Analyzer, AnalyzedField } from '../analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../document';
import { IngestError } from '../errors';
import { DocMetaRow, IndexData, PostingsFamily, bigramKey } from './data';
import { ByteWriter } from './varint';
import { SlicePool } from './slicePool';

/** Positions are packed with their bigram key into one float64 (key · 2^21 + position) for sorting. */
const POSITION_LIMIT = 1 << 21;
const SPACE = 0x20;

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
  startDoc(term: number, doc: number): void {
    this.pool.writeVarint(term, doc - this.lastDoc[term] - 1);
    this.lastDoc[term] = doc;
    this.docFreq[term]++;
  }

  write(term: number, value: number): void {
    this.pool.writeVarint(term, value);
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
  private readonly bigramIds = new Map<number, number>();
  private readonly bigrams = new FamilyWriter();
  private readonly chars = new FamilyWriter();
  private readonly titleUnits = new GrowableU32();
  private readonly titleWords = new GrowableU32();
  private readonly bodyWords = new GrowableU32();
  private readonly docs = new ByteWriter(1 << 16);
  private readonly docOffsets = new GrowableU32();
  private readonly meta = new ByteWriter(1 << 14);
  private readonly encoder = new TextEncoder();
  private readonly charTitle = new Uint32Array(65536);
  private readonly charBody = new Uint32Array(65536);
  private count = 0;

  constructor(private readonly analyzer: Analyzer) {
    for (let unit = 0; unit < 65536; unit++) this.chars.newTerm();
    this.docOffsets.push(0);
  }

  /** Number of documents added so far. */
  get documentCount(): number {
    return this.count;
  }

  /** Analyzes and adds one document. */
  add(doc: SearchDocument): void {
    this.addAnalyzed(doc, this.analyzer.analyzeField(titleText(doc)), this.analyzer.analyzeField(bodyText(doc)));
  }

  /**
   * Adds a document whose title field and body were analyzed elsewhere (e.g. in a worker
   * thread). Throws IngestError, and adds nothing, for a document too long to index.
   */
  addAnalyzed(doc: SearchDocument, title: AnalyzedField, body: AnalyzedField): void {
    const units = title.normalized.length + 1 + body.normalized.length;
    if (units >= POSITION_LIMIT) {
      throw new IngestError(
        `document ${doc.id} is too long to index (${units} characters after normalization; the limit is ${POSITION_LIMIT - 1}): split it into smaller documents`,
      );
    }
    const n = this.count++;
    this.docs.writeBytes(this.encoder.encode(JSON.stringify(doc) + '\n'));
    this.docOffsets.push(this.docs.length);
    const meta: DocMetaRow = [doc.id, doc.title, doc.kind, doc.reporters, doc.correspondents, doc.source, doc.date ?? null];
    this.meta.writeBytes(this.encoder.encode(JSON.stringify(meta) + '\n'));
    this.titleUnits.push(title.normalized.length);
    this.titleWords.push(title.words.length);
    this.bodyWords.push(body.words.length);
    this.addWords(n, title.words, body.words);
    this.addChars(n, title.normalized, body.normalized);
    this.addBigrams(n, title.normalized, body.normalized);
  }

  private addWords(doc: number, title: string[], body: string[]): void {
    const counts = new Map<string, number>();
    // Title counts in the high half, body counts in the low half of one number.
    for (const w of title) counts.set(w, (counts.get(w) ?? 0) + 0x100000);
    for (const w of body) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [word, packed] of counts) {
      let id = this.wordIds.get(word);
      if (id === undefined) {
        id = this.words.newTerm();
        this.wordIds.set(word, id);
      }
      this.words.startDoc(id, doc);
      this.words.write(id, Math.floor(packed / 0x100000));
      this.words.write(id, packed % 0x100000);
    }
  }

  private addChars(doc: number, title: string, body: string): void {
    const touched: number[] = [];
    const count = (text: string, into: Uint32Array): void => {
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (unit === SPACE) continue;
        if (this.charTitle[unit] === 0 && this.charBody[unit] === 0) touched.push(unit);
        into[unit]++;
      }
    };
    count(title, this.charTitle);
    count(body, this.charBody);
    touched.sort((a, b) => a - b);
    for (const unit of touched) {
      this.chars.startDoc(unit, doc);
      this.chars.write(unit, this.charTitle[unit]);
      this.chars.write(unit, this.charBody[unit]);
      this.charTitle[unit] = 0;
      this.charBody[unit] = 0;
    }
  }

  private addBigrams(doc: number, title: string, body: string): void {
    const bodyStart = title.length + 1;
    const total = Math.max(0, title.length - 1) + Math.max(0, body.length - 1);
    const keys = new Float64Array(total);
    let k = 0;
    for (const [text, base] of [[title, 0], [body, bodyStart]] as const) {
      for (let i = 0; i + 1 < text.length; i++) {
        keys[k++] = bigramKey(text.charCodeAt(i), text.charCodeAt(i + 1)) * POSITION_LIMIT + base + i;
      }
    }
    const sorted = keys.subarray(0, k).sort();
    let i = 0;
    while (i < sorted.length) {
      const key = Math.floor(sorted[i] / POSITION_LIMIT);
      let j = i;
      while (j < sorted.length && Math.floor(sorted[j] / POSITION_LIMIT) === key) j++;
      let id = this.bigramIds.get(key);
      if (id === undefined) {
        id = this.bigrams.newTerm();
        this.bigramIds.set(key, id);
      }
      this.bigrams.startDoc(id, doc);
      this.bigrams.write(id, j - i);
      let previous = 0;
      for (let p = i; p < j; p++) {
        const position = sorted[p] % POSITION_LIMIT;
        this.bigrams.write(id, position - previous);
        previous = position;
      }
      i = j;
    }
  }

  /** The finished index. The builder must not be used afterwards. */
  finish(): IndexData {
    const wordTerms = [...this.wordIds.keys()].sort();
    const wordOrder = wordTerms.map((w) => this.wordIds.get(w)!);
    const bigramKeys = Uint32Array.from(this.bigramIds.keys()).sort();
    const bigramOrder = Array.from(bigramKeys, (key) => this.bigramIds.get(key)!);
    const charKeys = Uint32Array.from({ length: 65536 }, (_, unit) => unit).filter((unit) => this.chars.pool.lengthOf(unit) > 0);
    return {
      documentCount: this.count,
      titleUnits: this.titleUnits.toArray(),
      titleWords: this.titleWords.toArray(),
      bodyWords: this.bodyWords.toArray(),
      docBytes: this.docs.bytes().slice(),
      docOffsets: this.docOffsets.toArray(),
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
