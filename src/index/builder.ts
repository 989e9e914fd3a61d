import { Analyzer, AnalyzedField } from '../analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../document';
import { IngestError } from '../errors';
import { DocMetaRow, IndexData, PostingsFamily, bigramKey } from './data';
import { ByteWriter } from './varint';
import { SlicePool } from './slicePool';
import { Uint32Map } from './uint32Map';

/** Longest document (title + body, in normalized UTF-16 units) the index takes. */
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
 * Per-document counts by term number, in arrays indexed by term and reset after each
 * document through the list of terms touched: no Map and no object per posting.
 */
class TermScratch {
  private first = new Uint32Array(1 << 16);
  private second = new Uint32Array(1 << 16);
  private slot = new Uint32Array(1 << 16);
  private touched: number[] = [];

  private ensure(id: number): void {
    if (id < this.first.length) return;
    let size = this.first.length * 2;
    while (size <= id) size *= 2;
    for (const name of ['first', 'second', 'slot'] as const) {
      const grown = new Uint32Array(size);
      grown.set(this[name]);
      this[name] = grown;
    }
  }

  /** Counts one occurrence of term `id` in field 0 (title) or 1 (body). */
  count(id: number, field: 0 | 1): void {
    this.ensure(id);
    if (this.first[id] === 0 && this.second[id] === 0) this.touched.push(id);
    if (field === 0) this.first[id]++;
    else this.second[id]++;
  }

  /** Calls back with each touched term (ascending) and its two counts, then resets. */
  drain(each: (id: number, first: number, second: number) => void): void {
    this.touched.sort((a, b) => a - b);
    for (const id of this.touched) {
      each(id, this.first[id], this.second[id]);
      this.first[id] = 0;
      this.second[id] = 0;
    }
    this.touched.length = 0;
  }

  /** Gives each touched term a range of slots as long as its count (field 0); `next(id)` hands them out in order. */
  assignSlots(): { next: (id: number) => number } {
    let at = 0;
    for (const id of this.touched) {
      this.slot[id] = at;
      at += this.first[id];
    }
    return { next: (id: number) => this.slot[id]++ };
  }

  /** After assignSlots and filling: calls back with each term's slot range [from, to), then resets. */
  drainSlots(each: (id: number, from: number, to: number) => void): void {
    for (const id of this.touched) {
      const to = this.slot[id];
      each(id, to - this.first[id], to);
      this.first[id] = 0;
    }
    this.touched.length = 0;
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
  private readonly docs = new ByteWriter(1 << 16);
  private readonly docOffsets = new GrowableU32();
  private readonly meta = new ByteWriter(1 << 14);
  private readonly encoder = new TextEncoder();
  private readonly termScratch = new TermScratch();
  private ids = new Int32Array(1 << 16);
  private positions = new Uint32Array(1 << 16);
  private sorted = new Uint32Array(1 << 16);
  private count = 0;

  /** `analyzer` is needed by `add` only: a builder fed by `addAnalyzed` (a parallel build) needs none. */
  constructor(private readonly analyzer?: Analyzer) {
    for (let unit = 0; unit < 65536; unit++) this.chars.newTerm();
    this.docOffsets.push(0);
  }

  /** Number of documents added so far. */
  get documentCount(): number {
    return this.count;
  }

  /** Analyzes and adds one document (see addAnalyzed). Needs the builder to have an analyzer. */
  add(doc: SearchDocument): void {
    const { analyzer } = this;
    if (!analyzer) throw new Error('IndexBuilder.add needs the analyzer the builder was made without: use addAnalyzed');
    this.addAnalyzed(doc, analyzer.analyzeField(titleText(doc)), analyzer.analyzeField(bodyText(doc)));
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

  private addWords(doc: number, title: string[], body: string[]): void {
    const scratch = this.termScratch;
    for (const [words, field] of [[title, 0], [body, 1]] as const) {
      for (const word of words) {
        const id = this.wordId(word);
        scratch.count(id, field);
      }
    }
    scratch.drain((id, inTitle, inBody) => {
      this.words.startDoc(id, doc);
      this.words.write(id, inTitle);
      this.words.write(id, inBody);
    });
  }

  private addChars(doc: number, title: string, body: string): void {
    const scratch = this.termScratch;
    for (const [text, field] of [[title, 0], [body, 1]] as const) {
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (unit !== SPACE) scratch.count(unit, field);
      }
    }
    scratch.drain((unit, inTitle, inBody) => {
      this.chars.startDoc(unit, doc);
      this.chars.write(unit, inTitle);
      this.chars.write(unit, inBody);
    });
  }

  /**
   * Bigram positions of one document, grouped by term without sorting: a counting pass
   * gives each term of the document a slot range, a second pass fills in the positions
   * (already ascending), then each term's entry is written.
   */
  private addBigrams(doc: number, title: string, body: string): void {
    const bodyStart = title.length + 1;
    const total = Math.max(0, title.length - 1) + Math.max(0, body.length - 1);
    if (this.ids.length < total) {
      this.ids = new Int32Array(total * 2);
      this.positions = new Uint32Array(total * 2);
      this.sorted = new Uint32Array(total * 2);
    }
    const { ids, positions, sorted } = this;
    const scratch = this.termScratch;
    let k = 0;
    for (const [text, base] of [[title, 0], [body, bodyStart]] as const) {
      for (let i = 0; i + 1 < text.length; i++) {
        const id = this.bigramId(bigramKey(text.charCodeAt(i), text.charCodeAt(i + 1)));
        ids[k] = id;
        positions[k++] = base + i;
        scratch.count(id, 0);
      }
    }
    const slots = scratch.assignSlots();
    for (let j = 0; j < k; j++) sorted[slots.next(ids[j])] = positions[j];
    scratch.drainSlots((id, from, to) => {
      this.bigrams.startDoc(id, doc);
      this.bigrams.write(id, to - from);
      let previous = 0;
      for (let p = from; p < to; p++) {
        this.bigrams.write(id, sorted[p] - previous);
        previous = sorted[p];
      }
    });
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
