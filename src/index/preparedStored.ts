import type { SearchDocument } from '../document';
import { docMetaLine, docMetaRow } from './docMeta';
import { fingerprintHex } from './fingerprint';
import type { PreparedDocument } from './prepared';

/**
 * What the index stores of a document besides its postings, made where the document is
 * prepared (on a worker thread in a parallel build), so that the main thread only appends it.
 */
export interface StoredParts {
  /** The document's JSON text as the stored documents keep it: UTF-16 (docStore.storedText of its UTF-8). */
  text: Uint8Array;
  /** Its docmeta line (docMetaLine, newline included), UTF-8. */
  meta: Uint8Array;
  /** The byte length of its JSON text in UTF-8: what the builder counts the stored text as in memory. */
  jsonBytes: number;
}

/** The stored parts of a batch's documents packed for a `postMessage`: texts back to back, docmeta lines back to back, and per document its text's, line's and JSON's byte lengths. */
export interface StoredBatch {
  texts: Uint8Array;
  metas: Uint8Array;
  lengths: Uint32Array;
}

/**
 * The stored parts of `doc`, prepared as `prepared` (whose fingerprint its docmeta row
 * holds). JSON.stringify escapes lone surrogates, so its text is well-formed and its UTF-16
 * bytes are exactly those of its UTF-8 decoded again (what storedText does).
 */
export function storedParts(doc: SearchDocument, prepared: PreparedDocument): StoredParts {
  const json = JSON.stringify(doc);
  return { text: Buffer.from(json, 'utf16le'), meta: Buffer.from(metaLine(doc, prepared), 'utf8'), jsonBytes: Buffer.byteLength(json, 'utf8') };
}

/** The stored parts of a batch's documents (as storedParts makes them), packed into three buffers to transfer. */
export function packStored(documents: SearchDocument[], prepared: PreparedDocument[]): StoredBatch {
  const jsons = documents.map((doc) => JSON.stringify(doc));
  const lines = documents.map((doc, i) => metaLine(doc, prepared[i]));
  const lengths = new Uint32Array(3 * documents.length);
  let textBytes = 0;
  let metaBytes = 0;
  for (let i = 0; i < documents.length; i++) {
    lengths[3 * i] = 2 * jsons[i].length;
    lengths[3 * i + 1] = Buffer.byteLength(lines[i], 'utf8');
    lengths[3 * i + 2] = Buffer.byteLength(jsons[i], 'utf8');
    textBytes += lengths[3 * i];
    metaBytes += lengths[3 * i + 1];
  }
  const texts = Buffer.alloc(textBytes);
  const metas = Buffer.alloc(metaBytes);
  let textAt = 0;
  let metaAt = 0;
  for (let i = 0; i < documents.length; i++) {
    textAt += texts.write(jsons[i], textAt, 'utf16le');
    metaAt += metas.write(lines[i], metaAt, 'utf8');
  }
  return { texts, metas, lengths };
}

/** The stored parts of a packed batch's documents, in order, as views into it. */
export function unpackStored(batch: StoredBatch): StoredParts[] {
  const parts: StoredParts[] = [];
  let textAt = 0;
  let metaAt = 0;
  for (let i = 0; i < batch.lengths.length; i += 3) {
    const text = batch.texts.subarray(textAt, (textAt += batch.lengths[i]));
    const meta = batch.metas.subarray(metaAt, (metaAt += batch.lengths[i + 1]));
    parts.push({ text, meta, jsonBytes: batch.lengths[i + 2] });
  }
  return parts;
}

/** The buffers of a packed batch, to transfer rather than copy. */
export function storedTransferList(batch: StoredBatch): ArrayBuffer[] {
  return [batch.texts.buffer as ArrayBuffer, batch.metas.buffer as ArrayBuffer, batch.lengths.buffer as ArrayBuffer];
}

/** The docmeta line of `doc` with the fingerprint that preparing it found (at HEADER's fingerprint fields, from index 9). */
function metaLine(doc: SearchDocument, prepared: PreparedDocument): string {
  return docMetaLine(docMetaRow(doc, fingerprintHex(prepared.ints, 9)));
}
