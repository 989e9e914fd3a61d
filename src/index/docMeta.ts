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

/**
 * The rows of a docmeta.jsonl file's text, in document order. Values many rows repeat
 * (a source, an empty list of reporters, a record's fields such as {"source":"cctv"}) are
 * held once, frozen, and shared by the rows having them: rows are read, never changed
 * (a hit copies what it returns), and sharing takes about 15 MB off news-large's 37 MB of
 * rows in each thread that holds them.
 */
export function decodeDocMeta(text: string): DocMetaRow[] {
  if (text.length === 0) return [];
  const shared = new Map<string, unknown>();
  /** The value held for `key`, made by `make` the first time (and frozen). */
  const once = <T>(key: string, make: () => T): T => {
    let value = shared.get(key) as T | undefined;
    if (value === undefined) {
      value = make();
      shared.set(key, Object.freeze(value));
    }
    return value;
  };
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const row = JSON.parse(line) as DocMetaRow;
      if (row[3].length === 0) row[3] = once('[]', () => [] as string[]);
      if (row[4].length === 0) row[4] = once('[]', () => [] as string[]);
      row[5] = once(`s${row[5]}`, () => row[5]);
      const fields = row[8];
      if (fields !== null) row[8] = once(`f${JSON.stringify(fields)}`, () => fields);
      return row;
    });
}
