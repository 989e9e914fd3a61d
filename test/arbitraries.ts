/**
 * fast-check generators of hostile text: what users paste and machines send. Lone
 * surrogates, control characters, combining marks, emoji sequences, direction marks,
 * zero-width and format characters, characters whose normal form is longer or empty,
 * HTML, quotes and query operators, regex metacharacters, and very long strings, mixed
 * with real Chinese so that matching and segmentation have something to do.
 */
import fc from 'fast-check';
import { SearchDocument } from '../src/document';

/** Pieces chosen to break things, by kind. */
const PIECES = {
  surrogates: ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00', '\uD83D\uD83D', '\uDE00\uD83D'],
  controls: ['\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001B', '\u007F', '\u0085', '\u009F'],
  combining: ['\u0301', '\u0308', '\u20DD', '\u3099', '\uFE0F', 'e\u0301', 'a\u0308\u0308\u0308'],
  emoji: ['😀', '👍🏽', '👨‍👩‍👧', '🇨🇳', '🏳️‍🌈', '\u{1F9D1}\u200D\u{1F4BB}', '𠀀', '𪚥'],
  direction: ['\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069', 'مرحبا', 'שלום'],
  invisible: ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u00AD', '\u2060', '\u{E0001}', '\u3000', '\u00A0'],
  reshaped: ['㈠', 'ﬁ', '㎏', 'ﷺ', 'İ', 'ß', 'ǅ', 'Ｂ１', '①', '\u{1D400}', '鄭州', 'Ⅻ', '\uFFFD', '\uFFFF', '\u{10FFFF}'],
  html: ['<', '>', '&', '"', "'", '<script>alert(1)</script>', '&lt;', '&amp;', '&#0;', '<mark>', '</mark>', '<img src=x onerror=alert(1)>'],
  operators: ['"', '＂', '-', '－', 'OR', ' OR ', 'title:', '标题：', ' ', '  ', '""', '-"', 'OR OR', '(', ')'],
  regex: ['.', '*', '+', '?', '^', '$', '{', '}', '[', ']', '|', '\\', '/', '.*', '(?:', '\\d+', '$&', '$1'],
  chinese: ['方特', '郑州', '的', '一', '二七区', '梦幻王国', '记者', '社区', '，', '。', '“', '”', '…', '—'],
  latin: ['fangte', 'ft', 'zhengzhou', 'ABC', 'abc', '2020', 'B1', 'iPhone13', 'x'],
};

/** One piece of any kind, or a few random UTF-16 units (which may be lone surrogates) or code points. */
export const hostilePiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...Object.values(PIECES).flat()) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

/** Text of up to `maxPieces` hostile pieces. */
export function hostileText(maxPieces = 16): fc.Arbitrary<string> {
  return fc.array(hostilePiece, { maxLength: maxPieces }).map((pieces) => pieces.join(''));
}

/** Hostile text, now and then repeated to 10,000 characters or more. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: hostileText() },
  {
    weight: 1,
    arbitrary: fc.tuple(hostileText(4), fc.integer({ min: 1, max: 3 })).map(([text, factor]) => (text.length === 0 ? '' : text.repeat(Math.ceil((factor * 5000) / text.length)))),
  },
);

/** A document whose title and paragraphs are hostile text. */
export const hostileDocument: fc.Arbitrary<Omit<SearchDocument, 'id'>> = fc.record({
  title: hostileText(8),
  paragraphs: fc.array(hostileText(24), { minLength: 1, maxLength: 3 }),
  kind: fc.constant('article' as const),
  reporters: fc.constant([]),
  correspondents: fc.constant([]),
  source: fc.constant('generated'),
});

/** Between 1 and `max` hostile documents with ids d0, d1, …. */
export function hostileDocuments(max = 6): fc.Arbitrary<SearchDocument[]> {
  return fc.array(hostileDocument, { minLength: 1, maxLength: max }).map((docs) => docs.map((d, i) => ({ ...d, id: `d${i}` })));
}

/** HTML as the snippet builder writes it, back to text: `<mark>` removed, the five entities decoded. */
export function unescapeHtml(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (_entity, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}

/** True when every `<` in the HTML opens a `<mark>` or `</mark>`, marks are balanced and never nested, and every `&` starts one of the five entities. */
export function onlyMarksAdded(html: string): boolean {
  let depth = 0;
  for (const tag of html.match(/<[^>]*>?/g) ?? []) {
    if (tag === '<mark>' && depth === 0) depth = 1;
    else if (tag === '</mark>' && depth === 1) depth = 0;
    else return false;
  }
  return depth === 0 && !/&(?!(?:amp|lt|gt|quot|#39);)/.test(html) && !html.replace(/<\/?mark>/g, '').includes('>');
}
