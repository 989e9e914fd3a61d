/**
 * A postings family's term table as stored on disk (`{words,bigrams,chars}.table`): per term,
 * in term order, varints of the key's gap to the previous key (bigrams and chars only: words
 * are named in words.terms), the document frequency, and the byte length of the term's
 * postings. Three plain u32 arrays (keys, df, offsets) cost 12 bytes a term, 10.3 MB of
 * news-dev's 857,531 bigrams; as gaps and lengths they take 3.2 bytes a bigram (2.8 MB). Opening
 * decodes the table back into the arrays IndexData holds (`findKey` and the offsets stay
 * binary searches and direct look-ups).
 */
import { IndexError } from '../errors';
import { sharedUint32Array } from './sharedMemory';
import { ByteReader, ByteWriter } from './varint';

/** A family's term table in memory: the arrays IndexData holds. */
export interface TermTable {
  /** Sorted keys (bigrams, chars), or undefined for a family whose terms are named elsewhere (words). */
  keys?: Uint32Array;
  df: Uint32Array;
  /** Byte offset of each term's postings; terms + 1, the last is the postings' size. */
  offsets: Uint32Array;
}

/** The bytes of a term table (keys, when given, must be sorted and as many as df). */
export function encodeTermTable(table: TermTable): Uint8Array {
  const { keys, df, offsets } = table;
  const out = new ByteWriter(df.length * 5 + 16);
  out.writeVarint(df.length);
  let previous = 0;
  for (let t = 0; t < df.length; t++) {
    if (keys) {
      out.writeVarint(keys[t] - previous);
      previous = keys[t];
    }
    out.writeVarint(df[t]);
    out.writeVarint(offsets[t + 1] - offsets[t]);
  }
  return out.bytes().slice();
}

/**
 * Decodes a term table written by encodeTermTable, into arrays in shared memory; `withKeys` says whether it holds keys.
 * Throws IndexError when the bytes do not make a table (keys out of order, bytes left over).
 */
export function decodeTermTable(bytes: Uint8Array, withKeys: boolean, name: string): TermTable {
  const reader = new ByteReader(bytes);
  const terms = reader.readVarint();
  // In shared memory from the start: a server shares them with its long-query thread (sharedMemory.ts).
  const df = sharedUint32Array(terms);
  const offsets = sharedUint32Array(terms + 1);
  const keys = withKeys ? sharedUint32Array(terms) : undefined;
  let key = 0;
  let offset = 0;
  for (let t = 0; t < terms; t++) {
    if (keys) {
      const gap = reader.readVarint();
      if (t > 0 && gap === 0) throw new IndexError(`index file ${name} holds a key twice`);
      key += gap;
      keys[t] = key;
    }
    df[t] = reader.readVarint();
    offset += reader.readVarint();
    offsets[t + 1] = offset;
  }
  if (!reader.done || key > 0xffffffff || offset > 0xffffffff) throw new IndexError(`index file ${name} is not a term table of ${terms} terms`);
  return { keys, df, offsets };
}
