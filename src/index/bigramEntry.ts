/**
 * The entries of a bigram's postings, written by the builder and decoded here. Each
 * document's entry is its doc gap (minus one), then the "head": the document's first
 * position times four plus a code in the two low bits for the frequency (0–2: it occurs
 * 1–3 times; 3: more, and the frequency minus 4 follows as its own varint), then the gaps
 * to the other positions. Four in five entries on news-dev occur once, so folding the
 * frequency into the head drops a byte from most of them: 17% of the bigram postings.
 * The decoder lives here, beside the encoder, and calls nothing across modules per entry.
 */
import { PostingsFamily } from './data';
import { ByteReader } from './varint';

/** A bigram's documents, and for each the positions of the bigram (positions[start[i]..start[i+1])). */
export interface PositionalPostings {
  docs: Uint32Array;
  start: Uint32Array;
  positions: Uint32Array;
}

/** Frequencies up to this are coded in the head; larger ones follow it. */
export const INLINE_FREQ = 3;
const FREQ_MASK = 3;

/** The head of an entry whose first position is `first` and whose bigram occurs `freq` (≥ 1) times. */
export function entryHead(first: number, freq: number): number {
  return first * (FREQ_MASK + 1) + (freq <= INLINE_FREQ ? freq - 1 : FREQ_MASK);
}

/** Decodes the postings of bigram number `term`. */
export function decodePositional(family: PostingsFamily, term: number): PositionalPostings {
  const n = family.df[term];
  const docs = new Uint32Array(n);
  const start = new Uint32Array(n + 1);
  const reader = new ByteReader(family.postings, family.offsets[term], family.offsets[term + 1]);
  let positions = new Uint32Array(Math.max(n * 2, 8));
  let count = 0;
  let doc = -1;
  for (let i = 0; i < n; i++) {
    doc += reader.readVarint() + 1;
    docs[i] = doc;
    start[i] = count;
    const head = reader.readVarint();
    const code = head & FREQ_MASK;
    const freq = code === FREQ_MASK ? reader.readVarint() + INLINE_FREQ + 1 : code + 1;
    if (count + freq > positions.length) {
      const grown = new Uint32Array(Math.max(positions.length * 2, count + freq));
      grown.set(positions.subarray(0, count));
      positions = grown;
    }
    let position = head >>> 2;
    positions[count++] = position;
    for (let k = 1; k < freq; k++) {
      position += reader.readVarint();
      positions[count++] = position;
    }
  }
  start[n] = count;
  return { docs, start, positions: positions.subarray(0, count) };
}

/** Moves `reader` past one entry's values (after its doc gap), without decoding them: merging segments copies entries whole. */
export function skipPositionalEntry(reader: ByteReader): void {
  const code = reader.readVarint() & FREQ_MASK;
  const freq = code === FREQ_MASK ? reader.readVarint() + INLINE_FREQ + 1 : code + 1;
  for (let k = 1; k < freq; k++) reader.readVarint();
}
