/**
 * The snippet builder and the highlighter over hostile text (fast-check): never a `<`
 * that is not a <mark> of ours, never a character lost or invented, and highlights only
 * on characters that match a needle — checked against an oracle that maps each code
 * point to its own normal form independently of normalizeWithMap.
 */
import fc from 'fast-check';
import { normalize } from '../../src/analysis/normalize';
import { highlight, makeSnippet } from '../../src/search/snippet';
import { hostileText, onlyMarksAdded, unescapeHtml } from '../arbitraries';

/**
 * For each UTF-16 unit of `text`: whether it lies inside an occurrence of a needle, an
 * occurrence being the code points whose normal forms hold the needle's characters
 * (overlapping occurrences included; code points normalizing to nothing count only
 * inside an occurrence, never at its edges).
 */
function matchable(text: string, needles: string[]): boolean[] {
  const starts: number[] = []; // for each normalized unit, the start of its code point
  const ends: number[] = []; // and its end
  let normalized = '';
  for (let i = 0; i < text.length; ) {
    const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
    const piece = normalize(text.slice(i, i + width));
    for (let k = 0; k < piece.length; k++) {
      starts.push(i);
      ends.push(i + width);
    }
    normalized += piece;
    i += width;
  }
  const inside = new Array<boolean>(text.length).fill(false);
  for (const needle of needles) {
    if (needle.length === 0) continue;
    for (let at = normalized.indexOf(needle); at >= 0; at = normalized.indexOf(needle, at + 1)) {
      for (let u = starts[at]; u < ends[at + needle.length - 1]; u++) inside[u] = true;
    }
  }
  return inside;
}

/** The marked ranges of highlighter output, as offsets into its unescaped text. */
function markedRanges(html: string): { plain: string; marks: Array<[number, number]> } {
  let plain = '';
  const marks: Array<[number, number]> = [];
  for (const [, marked, text] of html.matchAll(/<mark>(.*?)<\/mark>|([^<]+)/gs)) {
    const piece = unescapeHtml(marked ?? text);
    if (marked !== undefined) marks.push([plain.length, plain.length + piece.length]);
    plain += piece;
  }
  return { plain, marks };
}

/** Needles as the searcher passes them: normalized query texts, often cut from the text itself. */
function needlesFor(text: string): fc.Arbitrary<string[]> {
  const normalized = normalize(text);
  const cut = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6 })).map(([at, length]) => normalized.slice(at % Math.max(1, normalized.length), (at % Math.max(1, normalized.length)) + length));
  return fc.array(fc.oneof(cut, hostileText(3).map(normalize)), { maxLength: 4 });
}

const textAndNeedles = hostileText(40).chain((text) => fc.tuple(fc.constant(text), needlesFor(text)));

it('highlight: only <mark> added, every character kept, marks only on matching characters', () => {
  fc.assert(
    fc.property(textAndNeedles, ([text, needles]) => {
      const html = highlight(text, needles);
      expect(onlyMarksAdded(html)).toBe(true);
      const { plain, marks } = markedRanges(html);
      expect(plain).toBe(text.replace(/\n/g, ' '));
      const inside = matchable(text, needles);
      for (const [start, end] of marks) for (let u = start; u < end; u++) expect(inside[u]).toBe(true);
    }),
    { numRuns: 500, seed: 11 },
  );
});

it('makeSnippet: only <mark> added, a contiguous piece of the text, marks only on matching characters', () => {
  const input = fc.tuple(
    // Without "…" in the text, the snippet's own ellipses can be told apart.
    textAndNeedles.map(([text, needles]) => [text.replace(/…/g, '.'), needles] as const),
    fc.oneof(fc.constant(120), fc.integer({ min: 1, max: 300 })),
  );
  fc.assert(
    fc.property(input, ([[text, needles], length]) => {
      const html = makeSnippet(text, needles, length);
      expect(onlyMarksAdded(html)).toBe(true);
      const cutBefore = html.startsWith('…');
      const cutAfter = html.endsWith('…') && html.length > 1;
      const { plain, marks } = markedRanges(html.slice(cutBefore ? 1 : 0, cutAfter ? -1 : undefined));
      const spaced = text.replace(/\n/g, ' ');
      expect(plain.length).toBeLessThanOrEqual(length + 2);
      // Where the piece was cut from: it starts the text exactly when there is no leading ellipsis.
      const starts: number[] = [];
      for (let at = 0; at + plain.length <= spaced.length; at++) if (spaced.startsWith(plain, at) && (at > 0) === cutBefore) starts.push(at);
      expect(starts.length).toBeGreaterThan(0);
      const inside = matchable(text, needles);
      const sound = starts.some((at) => marks.every(([s, e]) => inside.slice(at + s, at + e).every(Boolean)));
      expect(sound).toBe(true);
    }),
    { numRuns: 500, seed: 12 },
  );
});

it('makeSnippet shows a match when the text has one short enough to fit', () => {
  fc.assert(
    fc.property(textAndNeedles, ([text, needles]) => {
      const normalized = normalize(text);
      fc.pre(needles.some((needle) => needle.length > 0 && needle.length <= 20 && normalized.includes(needle)));
      expect(makeSnippet(text, needles)).toContain('<mark>');
    }),
    { numRuns: 300, seed: 13 },
  );
});
