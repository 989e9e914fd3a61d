/**
 * The stored documents, compressed in blocks: consecutive documents' JSON texts are
 * gathered into blocks of about BLOCK_BYTES and each block is deflated on its own, against
 * a preset dictionary sampled from the documents (JSON keys, frequent words and phrases),
 * so reading one document inflates one small block, yet compresses nearly as well as large
 * blocks would (ARCHITECTURE.md gives the sizes). The texts are stored as UTF-16 (little
 * endian; format version 6), not UTF-8: a Chinese character is then two bytes, not three,
 * whose repeats deflate finds more readily (news-dev: 19.60 → 18.16 MB); since version 8
 * each block's UTF-16 is coded by its units' frequency (unitCode.ts) before it is deflated.
 */
import { InflateRaw, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { IndexError } from '../errors';
import { FileBytes, bytesAt } from './indexFile';
import { MAX_UNITS, UnitCode } from './unitCode';

/**
 * Target size of a block's uncompressed JSON (UTF-16 bytes). On news-dev, with the dictionary,
 * 8 KB blocks of UTF-8 stored the JSON in 44% of its bytes (32 KB blocks without one: 46%)
 * and a document cost about 40 µs to inflate (32 KB: about 100 µs; a zlib call alone costs
 * some 25 µs); 8 KB of UTF-16 hold about 1.2 times as many documents.
 */
export const BLOCK_BYTES = 8 * 1024;
/** Size of the preset dictionary (deflate's window), and of the piece (UTF-16, before it is coded) taken from each sampled document's start. */
const DICTIONARY_BYTES = 32 * 1024;
const DICTIONARY_PIECE = 1024;
/** Documents whose code units make a store's table (unitCode.ts): 256 of news-dev's gave 15.85 MB, all of them 15.79, the dictionary's pieces alone 16.43. */
const TABLE_SAMPLE = 256;
/** What the writer leaves in place of a text once it is in a block. */
const RELEASED = new Uint8Array(0);

/** Compressed documents and the tables to find one: plain arrays, as saved to disk (`B`: how the blocks are held; a writer's are in memory). */
export interface StoredDocuments<B extends FileBytes = FileBytes> {
  /** The deflated (raw, no header) blocks, concatenated: in memory, or (an index a server opened) read from their file when wanted (indexFile.ts). */
  blocks: B;
  /** The table of code units every block is coded in and the preset dictionary it was deflated with (sampleDictionary; empty when there are no documents). */
  dictionary: Uint8Array;
  /** Byte offset of each block in `blocks`; length blocks + 1, the last is `blocks.length`. */
  blockOffsets: Uint32Array;
  /** Number of the first document of each block; length blocks + 1, the last is the document count. */
  blockFirstDoc: Uint32Array;
  /** Per document: byte offset of its JSON text (coded, unitCode.ts) inside its inflated block (it ends where the next one or the block does): a read decodes its own text only. */
  docOffsets: Uint32Array;
}

/**
 * The documents of several stores read as one, without inflating or deflating anything:
 * what an index opened from several segments holds (mergeSegments), since compressing
 * the documents again would cost most of the opening time. Merged document `n` is
 * document `local[n]` of store `parts[part[n]]`. Saved, it is compacted into one store.
 */
export interface JoinedDocuments {
  parts: StoredDocuments[];
  part: Uint16Array;
  local: Uint32Array;
}

/** Whether the documents are a join of several stores rather than one store. */
export function isJoined(documents: StoredDocuments | JoinedDocuments): documents is JoinedDocuments {
  return 'parts' in documents;
}

/** One store holding the documents of a join, in order: what a fresh build of them would store. */
export function compactDocuments(documents: StoredDocuments | JoinedDocuments): StoredDocuments {
  if (!isJoined(documents)) return documents;
  const reader = new DocStoreReader(documents);
  const writer = new DocStoreWriter();
  for (let n = 0; n < reader.documentCount; n++) writer.add(reader.get(n));
  return writer.finish();
}

/**
 * The dictionary of `count` documents (their UTF-16 texts, as `textAt` gives them), as
 * StoredDocuments.dictionary holds it: the table of their code units (unitCode.ts), counted
 * in TABLE_SAMPLE documents spread evenly over the collection, then, in that code, the first
 * DICTIONARY_PIECE bytes of documents spread evenly (their JSON keys and opening words), up
 * to DICTIONARY_BYTES coded: deflate's preset dictionary. No documents, or only empty ones,
 * give an empty dictionary (every unit is then escaped). Only the documents sampled are
 * asked for, so a merge streaming its documents reads a few hundred of them here.
 */
export function sampleDictionary(count: number, textAt: (doc: number) => Uint8Array): Uint8Array {
  const sampled: Uint8Array[] = [];
  for (let i = 0; i < count; i += Math.max(1, Math.floor(count / TABLE_SAMPLE))) sampled.push(textAt(i));
  const code = UnitCode.of(sampled);
  if (code.units.length === 0) return new Uint8Array(0);
  const pieces: Uint8Array[] = [];
  let size = 0;
  const step = Math.max(1, Math.floor(count / ((2 * DICTIONARY_BYTES) / DICTIONARY_PIECE)));
  for (let i = 0; i < count && size < DICTIONARY_BYTES; i += step) {
    const piece = code.encode(textAt(i).subarray(0, DICTIONARY_PIECE)).subarray(0, DICTIONARY_BYTES - size);
    pieces.push(piece);
    size += piece.length;
  }
  return Buffer.concat([u8(Uint16Array.of(code.units.length)), u8(code.units), ...pieces]);
}

/** The bytes of a u16 array (little endian, as the machines this runs on are). */
function u8(values: Uint16Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A store's dictionary taken apart: its units' code and deflate's options (zlib refuses an empty preset dictionary). */
interface DictionaryParts {
  code: UnitCode;
  options: { dictionary?: Uint8Array };
}

/** The parts of dictionaries already taken apart (a merge makes a reader a block). */
const dictionaryParts = new WeakMap<Uint8Array, DictionaryParts>();

/** The parts of a store's `dictionary` (see sampleDictionary); a table running past it is damage (IndexError). */
function partsOf(dictionary: Uint8Array): DictionaryParts {
  const known = dictionaryParts.get(dictionary);
  if (known) return known;
  const size = dictionary.length >= 2 ? dictionary[0] | (dictionary[1] << 8) : 0;
  const tableEnd = 2 + size * 2;
  if (dictionary.length > 0 && (tableEnd > dictionary.length || size > MAX_UNITS)) throw new IndexError('The stored documents are damaged: documents.dict is shorter than its table. Rebuild it with: npx jiansuo index');
  const units = new Uint16Array(size);
  for (let i = 0; i < size; i++) units[i] = dictionary[2 + i * 2] | (dictionary[3 + i * 2] << 8);
  const preset = dictionary.subarray(Math.min(tableEnd, dictionary.length));
  const parts = { code: new UnitCode(units), options: preset.length > 0 ? { dictionary: preset } : {} };
  dictionaryParts.set(dictionary, parts);
  return parts;
}

/** A document's JSON text (UTF-8) as the store keeps it: UTF-16. */
export function storedText(json: Uint8Array): Uint8Array {
  return Buffer.from(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'), 'utf16le');
}

/** The tables of a store whose blocks were handed out one by one (DocBlockPacker). */
export type StoredDocumentTables = Omit<StoredDocuments, 'blocks'>;

/**
 * Deflates one block of a store whose dictionary is `dictionary` (sampleDictionary): its
 * documents' coded texts, one after another, as DocBlockLayout hands them out. Raw deflate
 * at zlib's default level against the dictionary's preset: the same bytes on any thread.
 */
export function deflateBlock(dictionary: Uint8Array, coded: Uint8Array): Uint8Array {
  return deflateRawSync(coded, partsOf(dictionary).options);
}

/**
 * Lays documents' stored texts out in blocks as they come and codes them (unitCode.ts),
 * handing each block's coded bytes, not yet deflated (deflateBlock), to `onBlock` when it
 * is full. A document never straddles two blocks: one longer than a block gets a block of
 * its own, and the documents after it start a new one. Where the blocks start in the
 * deflated file depends on how they deflate: the caller counts them (DocBlockPacker, DocStoreWriter).
 */
class DocBlockLayout {
  private readonly code: UnitCode;
  private readonly blockFirstDoc = [0];
  private readonly docOffsets: Uint32Array;
  private pending: Uint8Array[] = [];
  /** The UTF-16 bytes of the texts pending (what a block's size counts) and the bytes of their code. */
  private pendingBytes = 0;
  private pendingCoded = 0;
  private next = 0;

  /** `count`: how many documents will be added; `blockBytes`: the target size of a block's texts. */
  constructor(
    dictionary: Uint8Array,
    count: number,
    private readonly onBlock: (coded: Buffer) => void,
    private readonly blockBytes: number,
  ) {
    this.code = partsOf(dictionary).code;
    this.docOffsets = new Uint32Array(count);
  }

  /** Adds the next document's stored text (storedText). */
  add(text: Uint8Array): void {
    const n = this.next++;
    if (this.pendingBytes > 0 && this.pendingBytes + text.length > this.blockBytes) this.flush(n);
    const coded = this.code.encode(text);
    this.docOffsets[n] = this.pendingCoded;
    this.pending.push(coded);
    this.pendingCoded += coded.length;
    this.pendingBytes += text.length;
    if (this.pendingBytes >= this.blockBytes) this.flush(n + 1);
  }

  /** Hands out the last block; returns where each block and document starts (in documents, and within its block's code). */
  finish(): Pick<StoredDocuments, 'blockFirstDoc' | 'docOffsets'> {
    this.flush(this.next);
    return { blockFirstDoc: Uint32Array.from(this.blockFirstDoc), docOffsets: this.docOffsets };
  }

  private flush(next: number): void {
    if (this.pending.length === 0) return;
    this.onBlock(Buffer.concat(this.pending));
    this.blockFirstDoc.push(next);
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingCoded = 0;
  }
}

/**
 * Packs documents' stored texts into deflated blocks as they come (DocBlockLayout,
 * deflateBlock), handing each block to `onBlock` when it is full: the store's blocks
 * without holding them (a merge writes them to disk as they come).
 */
export class DocBlockPacker {
  private readonly layout: DocBlockLayout;
  private readonly blockOffsets = [0];

  /** `count`: how many documents will be added; `blockBytes`: the target size of a block's texts. */
  constructor(
    private readonly dictionary: Uint8Array,
    count: number,
    onBlock: (block: Uint8Array) => void,
    blockBytes = BLOCK_BYTES,
  ) {
    this.layout = new DocBlockLayout(
      dictionary,
      count,
      (coded) => {
        const block = deflateBlock(dictionary, coded);
        onBlock(block);
        this.blockOffsets.push(this.blockOffsets[this.blockOffsets.length - 1] + block.length);
      },
      blockBytes,
    );
  }

  /** Adds the next document's stored text (storedText). */
  add(text: Uint8Array): void {
    this.layout.add(text);
  }

  /** The store's tables, once every document was added and the last block handed out. */
  finish(): StoredDocumentTables {
    const laidOut = this.layout.finish();
    return { dictionary: this.dictionary, blockOffsets: Uint32Array.from(this.blockOffsets), ...laidOut };
  }
}

/**
 * Deflates a store's blocks somewhere else than where they are laid out (another thread):
 * given each block's coded bytes in order (`add`), it gives back the deflated blocks in the
 * same order (`done`), each exactly as deflateBlock makes it with the store's dictionary.
 */
export interface BlockDeflater {
  add(coded: Uint8Array): void;
  done(): Promise<Uint8Array[]>;
}

/**
 * Collects documents' JSON bytes and compresses them when finished (the dictionary is
 * sampled from all of them), in blocks as DocBlockLayout lays them out.
 */
export class DocStoreWriter {
  private readonly docs: Uint8Array[] = [];

  /** `blockBytes`: the target size of a block's uncompressed JSON (tests and measurements try others). */
  constructor(private readonly blockBytes = BLOCK_BYTES) {}

  /** Adds the next document's JSON text (UTF-8; stored as UTF-16). */
  add(json: Uint8Array): void {
    this.docs.push(storedText(json));
  }

  /** Adds the next document's text as `add` stores it (storedText: UTF-16), made elsewhere (preparedStored.ts). */
  addStored(text: Uint8Array): void {
    this.docs.push(text);
  }

  /** The finished store. The writer must not be used afterwards. */
  finish(): StoredDocuments<Uint8Array> {
    const compressed: Uint8Array[] = [];
    const { dictionary, tables } = this.layOut((dictionary) => (coded) => compressed.push(deflateBlock(dictionary, coded)));
    return storeOf(compressed, dictionary, tables);
  }

  /**
   * The finished store, with its blocks deflated by the BlockDeflater that `deflater`
   * gives for the store's dictionary (on another thread, while this one goes on): the
   * same bytes as `finish`. The texts are laid out and coded before this returns; the
   * writer must not be used afterwards.
   */
  async finishWith(deflater: (dictionary: Uint8Array) => BlockDeflater): Promise<StoredDocuments<Uint8Array>> {
    let blocks: BlockDeflater | undefined;
    const { dictionary, tables } = this.layOut((dictionary) => {
      blocks = deflater(dictionary);
      return (coded) => blocks!.add(coded);
    });
    return storeOf(await blocks!.done(), dictionary, tables);
  }

  /** Lays the documents out in blocks (DocBlockLayout), handing each block's code to the function `onBlockOf` gives for the store's dictionary; the texts are let go of as they are coded. */
  private layOut(onBlockOf: (dictionary: Uint8Array) => (coded: Buffer) => void): { dictionary: Uint8Array; tables: Pick<StoredDocuments, 'blockFirstDoc' | 'docOffsets'> } {
    const { docs } = this;
    const dictionary = sampleDictionary(docs.length, (doc) => docs[doc]);
    const layout = new DocBlockLayout(dictionary, docs.length, onBlockOf(dictionary), this.blockBytes);
    for (let n = 0; n < docs.length; n++) {
      layout.add(docs[n]);
      docs[n] = RELEASED; // coded blocks replace the texts as they go: the build's peak stays near the texts' size
    }
    docs.length = 0;
    return { dictionary, tables: layout.finish() }; // hands out the last block
  }
}

/** A store of the deflated `blocks`, in order, with the tables of their layout. */
function storeOf(blocks: Uint8Array[], dictionary: Uint8Array, tables: Pick<StoredDocuments, 'blockFirstDoc' | 'docOffsets'>): StoredDocuments<Uint8Array> {
  const blockOffsets = new Uint32Array(blocks.length + 1);
  blocks.forEach((block, i) => (blockOffsets[i + 1] = blockOffsets[i] + block.length));
  return { blocks: Buffer.concat(blocks), dictionary, blockOffsets, ...tables };
}

/**
 * Checks that the tables of a store read from disk agree with each other and with the
 * document count, so a reader never indexes past them; returns a reason, or undefined.
 */
export function storedDocumentsProblem(stored: StoredDocumentTables & { blocks: { readonly length: number } }, documentCount: number): string | undefined {
  const { blocks, blockOffsets, blockFirstDoc, docOffsets } = stored;
  const blockCount = blockOffsets.length - 1;
  if (blockCount < 0 || blockFirstDoc.length !== blockCount + 1 || docOffsets.length !== documentCount) return 'document tables disagree in size';
  if (blockOffsets[0] !== 0 || blockOffsets[blockCount] !== blocks.length || blockFirstDoc[0] !== 0 || blockFirstDoc[blockCount] !== documentCount) {
    return 'document tables disagree with the documents';
  }
  for (let b = 0; b < blockCount; b++) {
    if (blockOffsets[b] > blockOffsets[b + 1] || blockFirstDoc[b] >= blockFirstDoc[b + 1]) return `document block ${b} is out of order`;
  }
  return undefined;
}

/** The block holding document `doc` of a store whose blocks begin at `blockFirstDoc`: the last whose first document is at most `doc`. */
export function blockOfDocument(blockFirstDoc: Uint32Array, doc: number): number {
  let lo = 0;
  let hi = blockFirstDoc.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (blockFirstDoc[mid] <= doc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** What Node's zlib stream holds inside (lib/zlib.js): its native handle and where a write leaves what it did not use. */
interface ZlibInside {
  _handle?: {
    reset(): void;
    writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  };
  _writeState?: Uint32Array;
}

/**
 * One raw inflate stream (zlib) used for block after block: reset (which sets its preset
 * dictionary again) and written to whole with Z_FINISH, into memory the caller gives. It
 * uses Node's stream internals (the handle's writeSync, as inflateRawSync does); where they
 * are missing, or after an error (which destroys the stream), it inflates with inflateRawSync.
 */
export class BlockInflater {
  private stream?: InflateRaw;

  constructor(private readonly options: { dictionary?: Uint8Array }) {}

  /** Inflates `deflated` into `out` and says how many bytes it wrote: all of `out` when it may not have held them all. Throws as inflateRawSync does. */
  inflate(deflated: Uint8Array, out: Uint8Array): number {
    this.stream ??= new InflateRaw(this.options).on('error', () => undefined); // reported by inflateApart
    const { _handle: handle, _writeState: state } = this.stream as unknown as ZlibInside;
    if (!handle || !state || this.stream.destroyed) return this.inflateApart(deflated, out);
    handle.reset();
    handle.writeSync(constants.Z_FINISH, deflated, 0, deflated.length, out, 0, out.length);
    if (this.stream.destroyed) return this.inflateApart(deflated, out); // an error: let inflateRawSync throw it
    return out.length - state[0];
  }

  /** inflateRawSync's way, a stream of its own, for when the reused one cannot serve. */
  private inflateApart(deflated: Uint8Array, out: Uint8Array): number {
    this.stream = undefined;
    const bytes = inflateRawSync(deflated, this.options);
    out.set(bytes.subarray(0, out.length));
    return Math.min(bytes.length, out.length);
  }
}

/** Memory an inflated block is first given: as much as Node's zlib gave each (its default chunk), twice BLOCK_BYTES. */
const ROOM_BYTES = 16 * 1024;
/** How many rooms a reader keeps for blocks to come, and the largest it keeps (larger ones held one large document). */
const SPARE_ROOMS = 4;
const MAX_SPARE_ROOM = 4 * ROOM_BYTES;

/**
 * Reads stored documents back, inflating one block per document and keeping the most
 * recently used inflated blocks (up to `cacheBytes`), since a page of results or a
 * document shown right after its hit usually reads blocks just inflated.
 */
export class DocStoreReader {
  private readonly cache = new Map<number, Buffer>();
  private cachedBytes = 0;
  /** Memory of blocks the cache let go (at most SPARE_ROOMS), for the next blocks to inflate into. */
  private readonly spare: ArrayBuffer[] = [];
  /** The zlib stream this reader's blocks inflate through, opened at the first one. */
  private inflater?: BlockInflater;
  private readonly stored: StoredDocuments;
  /** For joined documents: a reader per store, and the join's tables. */
  private readonly joined?: { readers: DocStoreReader[]; part: Uint16Array; local: Uint32Array };

  constructor(documents: StoredDocuments | JoinedDocuments, private readonly cacheBytes = 1 << 20) {
    if (isJoined(documents)) {
      const readers = documents.parts.map((part) => new DocStoreReader(part, Math.ceil(cacheBytes / documents.parts.length)));
      this.joined = { readers, part: documents.part, local: documents.local };
      this.stored = documents.parts[0] ?? new DocStoreWriter().finish();
    } else this.stored = documents;
  }

  /** Number of documents in the store. */
  get documentCount(): number {
    return this.joined ? this.joined.part.length : this.stored.docOffsets.length;
  }

  /** The JSON text (UTF-8) of document `doc`; throws IndexError when its block does not inflate. */
  get(doc: number): Uint8Array {
    return Buffer.from(this.text(doc), 'utf8');
  }

  /**
   * The JSON text of document `doc` as a string, read from its block (UTF-16) without the
   * UTF-8 round trip of `get`: what a hit's snippet parses. Throws as `get` does.
   */
  text(doc: number): string {
    if (!Number.isInteger(doc) || doc < 0 || doc >= this.documentCount) throw new RangeError(`no stored document ${doc}`);
    if (this.joined) return this.joined.readers[this.joined.part[doc]].text(this.joined.local[doc]);
    const block = this.blockOf(doc);
    const bytes = this.inflated(block);
    const { blockFirstDoc, docOffsets, dictionary } = this.stored;
    const end = doc + 1 < blockFirstDoc[block + 1] ? docOffsets[doc + 1] : bytes.length;
    return partsOf(dictionary).code.decode(bytes.subarray(docOffsets[doc], end));
  }

  /** The block holding `doc`. */
  private blockOf(doc: number): number {
    return blockOfDocument(this.stored.blockFirstDoc, doc);
  }

  private inflated(block: number): Buffer {
    const hit = this.cache.get(block);
    if (hit) {
      this.cache.delete(block);
      this.cache.set(block, hit);
      return hit;
    }
    const { blocks, blockOffsets, dictionary } = this.stored;
    const deflated = bytesAt(blocks, blockOffsets[block], blockOffsets[block + 1]); // a file that no longer reads throws its own IndexError
    let bytes: Buffer;
    try {
      bytes = this.inflate(deflated, dictionary);
    } catch (error) {
      throw new IndexError(`The stored documents are damaged: block ${block} of documents.blocks does not inflate (${(error as Error).message})`);
    }
    this.cache.set(block, bytes);
    this.cachedBytes += bytes.length;
    for (const [oldBlock, old] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes || oldBlock === block) break;
      this.cache.delete(oldBlock);
      this.cachedBytes -= old.length;
      if (this.spare.length < SPARE_ROOMS && old.buffer instanceof ArrayBuffer && old.buffer.byteLength <= MAX_SPARE_ROOM) this.spare.push(old.buffer);
    }
    return bytes;
  }

  /**
   * The bytes of the raw deflated block `deflated`, inflated into a room the cache let go or
   * a new one of ROOM_BYTES, by this reader's one zlib stream (BlockInflater): inflateRawSync
   * opened a zlib handle per block and its memory outside V8's heap set off mark-compacts
   * between searches. The size inflated is not recorded, so a block that fills its room may
   * have been cut short and is inflated again into one twice as large.
   */
  private inflate(deflated: Uint8Array, dictionary: Uint8Array): Buffer {
    this.inflater ??= new BlockInflater(partsOf(dictionary).options);
    for (let room = this.spare.pop() ?? new ArrayBuffer(ROOM_BYTES); ; room = new ArrayBuffer(room.byteLength * 2)) {
      const length = this.inflater.inflate(deflated, new Uint8Array(room));
      if (length < room.byteLength) return Buffer.from(room, 0, length);
    }
  }
}
