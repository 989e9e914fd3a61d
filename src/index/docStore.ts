/**
 * The stored documents, compressed in blocks: consecutive documents' JSON texts are
 * gathered into blocks of about BLOCK_BYTES and each block is deflated on its own, so
 * reading one document inflates one block (not the whole store), while blocks are large
 * enough for deflate to find the repetitions of news text (see ARCHITECTURE.md for the
 * measured ratio and costs).
 */
import { deflateRawSync, inflateRawSync } from 'zlib';
import { IndexError } from '../errors';
import { ByteWriter } from './varint';

/**
 * Target size of a block's uncompressed JSON. 32 KB stores news-dev's documents in 45% of
 * their bytes (16 KB: 48%, 64 KB: 44%) while one document costs about 0.1 ms to inflate.
 */
export const BLOCK_BYTES = 32 * 1024;

/** Compressed documents and the tables to find one: plain arrays, as saved to disk. */
export interface StoredDocuments {
  /** The deflated (raw, no header) blocks, concatenated. */
  blocks: Uint8Array;
  /** Byte offset of each block in `blocks`; length blocks + 1, the last is `blocks.length`. */
  blockOffsets: Uint32Array;
  /** Number of the first document of each block; length blocks + 1, the last is the document count. */
  blockFirstDoc: Uint32Array;
  /** Per document: byte offset of its JSON text inside its inflated block (it ends where the next one or the block does). */
  docOffsets: Uint32Array;
}

/**
 * Appends documents' JSON bytes and compresses each block as soon as it is full, so a
 * build holds the documents compressed. A document never straddles two blocks: one longer
 * than a block gets a block of its own (and the documents after it start a new one).
 */
export class DocStoreWriter {
  private readonly compressed = new ByteWriter(1 << 16);
  private readonly blockOffsets: number[] = [0];
  private readonly blockFirstDoc: number[] = [0];
  private readonly docOffsets: number[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private count = 0;

  /** Adds the next document's JSON text (UTF-8). */
  add(json: Uint8Array): void {
    if (this.pendingBytes > 0 && this.pendingBytes + json.length > BLOCK_BYTES) this.flush();
    this.docOffsets.push(this.pendingBytes);
    this.pending.push(json);
    this.pendingBytes += json.length;
    this.count++;
    if (this.pendingBytes >= BLOCK_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.compressed.writeBytes(deflateRawSync(Buffer.concat(this.pending)));
    this.blockOffsets.push(this.compressed.length);
    this.blockFirstDoc.push(this.count);
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The finished store. The writer must not be used afterwards. */
  finish(): StoredDocuments {
    this.flush();
    return {
      blocks: this.compressed.bytes().slice(),
      blockOffsets: Uint32Array.from(this.blockOffsets),
      blockFirstDoc: Uint32Array.from(this.blockFirstDoc),
      docOffsets: Uint32Array.from(this.docOffsets),
    };
  }
}

/**
 * Checks that the tables of a store read from disk agree with each other and with the
 * document count, so a reader never indexes past them; returns a reason, or undefined.
 */
export function storedDocumentsProblem(stored: StoredDocuments, documentCount: number): string | undefined {
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

/**
 * Reads stored documents back, inflating one block per document and keeping the most
 * recently used inflated blocks (up to `cacheBytes`), since a page of results or a
 * document shown right after its hit usually reads blocks just inflated.
 */
export class DocStoreReader {
  private readonly cache = new Map<number, Uint8Array>();
  private cachedBytes = 0;

  constructor(private readonly stored: StoredDocuments, private readonly cacheBytes = 1 << 20) {}

  /** Number of documents in the store. */
  get documentCount(): number {
    return this.stored.docOffsets.length;
  }

  /** The JSON text (UTF-8) of document `doc`; throws IndexError when its block does not inflate. */
  get(doc: number): Uint8Array {
    if (!Number.isInteger(doc) || doc < 0 || doc >= this.documentCount) throw new RangeError(`no stored document ${doc}`);
    const block = this.blockOf(doc);
    const bytes = this.inflated(block);
    const { blockFirstDoc, docOffsets } = this.stored;
    const end = doc + 1 < blockFirstDoc[block + 1] ? docOffsets[doc + 1] : bytes.length;
    return bytes.subarray(docOffsets[doc], end);
  }

  /** The block holding `doc`: the last whose first document is at most `doc`. */
  private blockOf(doc: number): number {
    const first = this.stored.blockFirstDoc;
    let lo = 0;
    let hi = first.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (first[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private inflated(block: number): Uint8Array {
    const hit = this.cache.get(block);
    if (hit) {
      this.cache.delete(block);
      this.cache.set(block, hit);
      return hit;
    }
    const { blocks, blockOffsets } = this.stored;
    let bytes: Uint8Array;
    try {
      bytes = inflateRawSync(blocks.subarray(blockOffsets[block], blockOffsets[block + 1]));
    } catch (error) {
      throw new IndexError(`The stored documents are damaged: block ${block} of documents.blocks does not inflate (${(error as Error).message})`);
    }
    this.cache.set(block, bytes);
    this.cachedBytes += bytes.length;
    for (const [oldBlock, old] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes || oldBlock === block) break;
      this.cache.delete(oldBlock);
      this.cachedBytes -= old.length;
    }
    return bytes;
  }
}
