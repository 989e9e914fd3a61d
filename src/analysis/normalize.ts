import { foldChar } from './charTable';

/**
 * Text after normalization, with a map back to the original.
 *
 * `text[i]` came from the original code point that starts at `origin[i]` (a UTF-16
 * offset into the original string). Snippets and highlights use the map so that they
 * show the original characters, never the normalized ones.
 */
export interface NormalizedText {
  text: string;
  /** For each UTF-16 unit of `text`, the offset of the original code point it came from. */
  origin: Uint32Array;
}

const cache = new Map<number, string>();

/**
 * The normal form of one code point: NFKC (Ｂ１ → b1, ㈠ → (一)), lower case,
 * traditional → simplified, and one form for dashes, quotes, dots and spaces.
 *
 * Normalizing code point by code point, never across neighbours, is what makes the
 * literal-match guarantee hold: a substring of a document normalizes to exactly the
 * characters it becomes inside the normalized document.
 */
export function normalizeCodePoint(cp: number): string {
  const cached = cache.get(cp);
  if (cached !== undefined) return cached;
  let out = '';
  for (const ch of String.fromCodePoint(cp).normalize('NFKC')) {
    for (const lower of ch.toLowerCase()) out += foldChar(lower);
  }
  cache.set(cp, out);
  return out;
}

const ASCII_TABLE: string[] = Array.from({ length: 128 }, (_, cp) => normalizeCodePoint(cp));

/** Normalizes text for matching, without the offset map (queries, oracles). */
export function normalize(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 128) {
      out += ASCII_TABLE[unit];
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    out += normalizeCodePoint(cp);
  }
  return out;
}

/** Normalizes text and keeps, for every output unit, the offset of the original code point. */
export function normalizeWithMap(text: string): NormalizedText {
  const parts: string[] = [];
  let origin = new Uint32Array(Math.max(16, text.length));
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const start = i;
    const unit = text.charCodeAt(i);
    let piece: string;
    if (unit < 128) {
      piece = ASCII_TABLE[unit];
    } else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      piece = normalizeCodePoint(cp);
    }
    if (length + piece.length > origin.length) {
      const grown = new Uint32Array(Math.max(origin.length * 2, length + piece.length));
      grown.set(origin);
      origin = grown;
    }
    for (let k = 0; k < piece.length; k++) origin[length++] = start;
    parts.push(piece);
  }
  return { text: parts.join(''), origin: origin.subarray(0, length) };
}

/**
 * The original range [start, end) covered by the normalized range [from, to):
 * from the first contributing code point to the end of the last one.
 */
export function originalRange(original: string, normalized: NormalizedText, from: number, to: number): [number, number] {
  if (to <= from) return [normalized.origin[from] ?? original.length, normalized.origin[from] ?? original.length];
  const start = normalized.origin[from];
  const last = normalized.origin[to - 1];
  const cp = original.codePointAt(last) ?? 0;
  const end = last + (cp > 0xffff ? 2 : 1);
  return [start, end];
}
