/**
 * The entries of a `words` or `chars` postings list, written by the builder and decoded
 * here. Each document's entry is its doc gap (minus one), then the "head": the body's
 * count times two plus one bit saying whether the title counts any, then the title's
 * count only when it does. The title holds the term in only 3–6% of entries on news-dev,
 * so this drops a byte from nearly every entry: 30% of both families. The decoder lives
 * here, beside the encoder, and calls nothing across modules per entry.
 */
import { PostingsFamily } from './data';
import { ByteReader } from './varint';

/** Documents (ascending numbers) with a count per field: the shape of every term's hits. */
export interface FieldCounts {
  docs: Uint32Array;
  title: Uint32Array;
  body: Uint32Array;
}

/** The head of an entry with these counts in the title and the body. */
export function countsHead(title: number, body: number): number {
  return body * 2 + (title > 0 ? 1 : 0);
}

/** Decodes the postings of term number `term`. */
export function decodeCounts(family: PostingsFamily, term: number): FieldCounts {
  const n = family.df[term];
  const docs = new Uint32Array(n);
  const title = new Uint32Array(n);
  const body = new Uint32Array(n);
  const reader = new ByteReader(family.postings, family.offsets[term], family.offsets[term + 1]);
  let doc = -1;
  for (let i = 0; i < n; i++) {
    doc += reader.readVarint() + 1;
    docs[i] = doc;
    const head = reader.readVarint();
    body[i] = head >>> 1;
    if ((head & 1) === 1) title[i] = reader.readVarint();
  }
  return { docs, title, body };
}

/** Moves `reader` past one entry's values (after its doc gap), without decoding them: merging segments copies entries whole. */
export function skipCountsEntry(reader: ByteReader): void {
  if ((reader.readVarint() & 1) === 1) reader.readVarint();
}
