/**
 * How a segment's table files (those read whole: every file but STREAMED_FILES) are
 * compressed, and the files of a stored documents' tables: apart from segmentFiles.ts so
 * that the merge's thread (mergeWorker.ts) loads only this and the stored documents' code.
 */
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import type { StoredDocumentTables } from './docStore';

/** The bytes of `array`, as written to a file (little-endian, as the machine is: see writeGeneration). */
export function u8(array: Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Brotli's settings for the files an index reads whole (every file but STREAMED_FILES): quality
 * 5, a 16 MB window. On news-dev (one segment) they are 16.4 MB plain; format version 6 stored
 * them in 9.1 MB (the docmeta, document statistics, word list and lexicon raw-deflated at
 * zlib's default level, the term tables and stored documents' tables plain), these settings
 * in 6.8 MB, compressed in about 1.1 s of CPU (quality 9: about 6.6 MB in 3.6 s; 11: 33 s for
 * the lexicon alone). Decompressing them all when the index opens takes about 0.1 s.
 */
const BROTLI_OPTIONS = (size: number, quality: number) => ({
  params: {
    [zlibConstants.BROTLI_PARAM_QUALITY]: quality,
    [zlibConstants.BROTLI_PARAM_LGWIN]: 24,
    [zlibConstants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

/** Brotli's quality for the table files of an index (BROTLI_OPTIONS). */
const TABLE_QUALITY = 5;

/**
 * Brotli's quality for the table files of a build's draft segment (StagedSegment.draftTables):
 * read back only by the merge that consumes it, or compressed again at TABLE_QUALITY before
 * the build commits it. The table files but the lexicon of a late news-large segment (2.48 MB
 * plain): 22 ms of CPU and 1.37 MB at quality 1, 207–322 ms and 1.22 MB at 5 (2026-12-05, loaded machine).
 */
export const DRAFT_TABLE_QUALITY = 1;

/** A table file's bytes as stored (BROTLI_OPTIONS): the same bytes on any thread; `quality` DRAFT_TABLE_QUALITY for a draft segment's. */
export function compressTableFile(bytes: Uint8Array, quality = TABLE_QUALITY): Uint8Array {
  return brotliCompressSync(bytes, BROTLI_OPTIONS(bytes.length, quality));
}

/** Each of `files` compressed (compressTableFile, at `quality`), under the same names, in the same order; `beforeEach` runs before each file (the merge's thread stops there when asked to). */
export function compressTableFiles(files: Record<string, Uint8Array>, beforeEach?: () => void, quality = TABLE_QUALITY): Record<string, Uint8Array> {
  const compressed: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(files)) {
    beforeEach?.();
    compressed[name] = compressTableFile(bytes, quality);
  }
  return compressed;
}

/** The table files of a segment's stored documents (plain): where each block and document starts, and the store's dictionary. */
export function storedDocumentTableFiles(documents: StoredDocumentTables): Record<string, Uint8Array> {
  return {
    'documents.dict': documents.dictionary,
    'documents.table': u8(Uint32Array.from([...documents.blockOffsets, ...documents.blockFirstDoc])),
    'documents.offsets': u8(documents.docOffsets),
  };
}
