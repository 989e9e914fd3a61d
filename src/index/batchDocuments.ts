import type { SearchDocument } from '../document';
import { type SourceDocument, documentOfLine, isDocumentLine } from '../ingest';

/**
 * A batch of a build's documents as a worker thread is sent them: the documents given as
 * such (structured-cloned), and the JSON Lines documents still as their lines (DocumentLine),
 * packed into one buffer that is moved, not copied, and parsed on the worker.
 */
export interface BatchDocuments {
  /** Each document of the batch in order, or null where the next of the lines stands. */
  documents: Array<SearchDocument | null>;
  /** The lines' bytes, back to back. */
  bytes: Uint8Array;
  /** Where each line ends in `bytes`. */
  ends: Uint32Array;
  /** Each line's number in its file. */
  lines: Uint32Array;
  /** Each line's file. */
  files: string[];
}

/** `batch` packed for a worker (BatchDocuments): what the main thread of a build does with a line. */
export function packDocuments(batch: readonly SourceDocument[]): BatchDocuments {
  let bytes = 0;
  let count = 0;
  for (const document of batch) {
    if (!isDocumentLine(document)) continue;
    bytes += document.bytes.length;
    count++;
  }
  const packed: BatchDocuments = { documents: [], bytes: new Uint8Array(bytes), ends: new Uint32Array(count), lines: new Uint32Array(count), files: [] };
  let at = 0;
  for (const document of batch) {
    if (!isDocumentLine(document)) {
      packed.documents.push(document);
      continue;
    }
    packed.bytes.set(document.bytes, at);
    at += document.bytes.length;
    packed.ends[packed.files.length] = at;
    packed.lines[packed.files.length] = document.line;
    packed.files.push(document.file);
    packed.documents.push(null);
  }
  return packed;
}

/** The buffers of a packed batch, to transfer rather than copy. */
export function documentsTransferList(batch: BatchDocuments): ArrayBuffer[] {
  return [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer, batch.lines.buffer as ArrayBuffer];
}

/** The documents of a packed batch, in order, its lines parsed (documentOfLine: throws if one holds no document). */
export function unpackDocuments(batch: BatchDocuments): SearchDocument[] {
  let line = 0;
  return batch.documents.map((document) => {
    if (document) return document;
    const from = line === 0 ? 0 : batch.ends[line - 1];
    const parsed = documentOfLine(batch.bytes.subarray(from, batch.ends[line]), batch.files[line], batch.lines[line]);
    line++;
    return parsed;
  });
}
