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

/** Normal forms of BMP code points (filled as met) and of the others. */
const bmp: Array<string | undefined> = new Array(65536);
const astral = new Map<number, string>();

/**
 * The normal form of one code point: NFKC (Ｂ１ → b1, ㈠ → (一)), lower case,
 * traditional → simplified, and one form for dashes, quotes, dots and spaces.
 *
 * Normalizing code point by code point, never across neighbours, is what makes the
 * literal-match guarantee hold: a substring of a document normalizes to exactly the
 * characters it becomes inside the normalized document.
 */
export function normalizeCodePoint(cp: number): string {
  const cached = cp < 65536 ? bmp[cp] : astral.get(cp);
  if (cached !== undefined) return cached;
  let out = '';
  for (const ch of String.fromCodePoint(cp).normalize('NFKC')) {
    for (const lower of ch.toLowerCase()) out += foldChar(lower);
  }
  if (cp < 65536) bmp[cp] = out;
  else astral.set(cp, out);
  return out;
}

/** Normalizes text for matching, without the offset map (queries, oracles). */
export function normalize(text: string): string {
  // Most characters are their own normal form: copy runs of them as slices.
  let out = '';
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const piece = normalizeCodePoint(cp);
      if (piece !== text.slice(i, i + width)) {
        out += text.slice(run, i) + piece;
        run = i + width;
      }
      i += width - 1;
      continue;
    }
    const piece = bmp[unit] ?? normalizeCodePoint(unit);
    if (piece.length !== 1 || piece.charCodeAt(0) !== unit) {
      out += text.slice(run, i) + piece;
      run = i + 1;
    }
  }
  return run === 0 ? text : out + text.slice(run);
}

/**
 * Normalizes text and keeps, for every output unit, the offset of the original code point.
 * The map is written into `into` when it has room (a caller normalizing text after text,
 * as snippets do for every hit's body, reuses one array: the map is then a view of it, the
 * caller's to keep or overwrite), else into an array of its own.
 */
export function normalizeWithMap(text: string, into?: Uint32Array): NormalizedText {
  // As normalize: runs of characters that are their own normal form are copied as slices (a
  // snippet normalizes each hit's whole body: most of its cost was one string per character).
  let out = '';
  let run = 0;
  let origin = into && into.length >= text.length ? into : new Uint32Array(Math.max(16, text.length));
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const surrogate = unit >= 0xd800 && unit <= 0xdfff;
    const cp = surrogate ? text.codePointAt(i)! : unit;
    const piece = surrogate ? normalizeCodePoint(cp) : (bmp[unit] ?? normalizeCodePoint(unit));
    if (length + piece.length > origin.length) {
      const grown = new Uint32Array(Math.max(origin.length * 2, length + piece.length));
      grown.set(origin.subarray(0, length));
      origin = grown;
    }
    if (!surrogate && piece.length === 1 && piece.charCodeAt(0) === unit) {
      origin[length++] = i;
      continue;
    }
    for (let k = 0; k < piece.length; k++) origin[length++] = i;
    out += text.slice(run, i) + piece;
    if (cp > 0xffff) i++;
    run = i + 1;
  }
  return { text: run === 0 ? text : out + text.slice(run), origin: origin.subarray(0, length) };
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
