import type { SearchDocument } from '../document';
import type { DocMetaRow } from './data';

/**
 * docmeta.jsonl, one JSON array (DocMetaRow) per document and line: written by the builder,
 * read by the searcher's document table and by updates looking up ids. Encoder and decoder
 * live here together so the two cannot drift.
 */

/** The docmeta row of `doc`, with the fingerprint of its text (fingerprint.ts, hex). */
export function docMetaRow(doc: SearchDocument, fingerprint: string): DocMetaRow {
  return [
    doc.id,
    doc.title,
    doc.kind,
    doc.reporters,
    doc.correspondents,
    doc.source,
    doc.date ?? null,
    doc.subtitle ?? null,
    doc.fields ?? null,
    fingerprint,
  ];
}

/** One line of docmeta.jsonl holding `row`, newline included. */
export function docMetaLine(row: DocMetaRow): string {
  return JSON.stringify(row) + '\n';
}

/** The rows of a docmeta.jsonl file's text, in document order. */
export function decodeDocMeta(text: string): DocMetaRow[] {
  return text.length === 0 ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as DocMetaRow);
}
