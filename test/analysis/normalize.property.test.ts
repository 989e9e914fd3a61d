/**
 * Properties of the normalizer over hostile Unicode (fast-check): it never throws, its
 * two implementations agree, its offset map points at the original code points, and it
 * works code point by code point — the property the literal-match guarantee rests on.
 */
import fc from 'fast-check';
import { normalize, normalizeWithMap, originalRange } from '../../src/analysis/normalize';
import { hostileString, hostileText } from '../arbitraries';

const RUNS = { numRuns: 400, seed: 61 };

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

it('normalize and normalizeWithMap agree, and the map points at code point starts, in order', () => {
  fc.assert(
    fc.property(hostileString, (text) => {
      const plain = normalize(text);
      const mapped = normalizeWithMap(text);
      expect(mapped.text).toBe(plain);
      expect(mapped.origin.length).toBe(plain.length);
      const wrong: number[] = [];
      for (let i = 0; i < mapped.origin.length; i++) {
        const at = mapped.origin[i];
        const secondHalf = at > 0 && isLow(text.charCodeAt(at)) && isHigh(text.charCodeAt(at - 1));
        if (at >= text.length || (i > 0 && at < mapped.origin[i - 1]) || secondHalf) wrong.push(i);
      }
      expect(wrong).toEqual([]);
      // No lone surrogate survives: the normalized text is well-formed UTF-16.
      expect(plain).not.toMatch(/[\uD800-\uDFFF]/u);
    }),
    RUNS,
  );
});

it('works code point by code point: normalize(a + b) = normalize(a) + normalize(b) unless a pair is joined', () => {
  fc.assert(
    fc.property(hostileText(), hostileText(), (a, b) => {
      fc.pre(!(a.length > 0 && b.length > 0 && isHigh(a.charCodeAt(a.length - 1)) && isLow(b.charCodeAt(0))));
      expect(normalize(a + b)).toBe(normalize(a) + normalize(b));
    }),
    RUNS,
  );
});

it('originalRange covers whole original code points, inside the text', () => {
  fc.assert(
    fc.property(hostileText(), fc.nat(), fc.nat(), (text, x, y) => {
      const mapped = normalizeWithMap(text);
      fc.pre(mapped.text.length > 0);
      const from = x % mapped.text.length;
      const to = from + 1 + (y % (mapped.text.length - from));
      const [start, end] = originalRange(text, mapped, from, to);
      expect(0 <= start && start < end && end <= text.length).toBe(true);
      expect(isLow(text.charCodeAt(start)) && start > 0 && isHigh(text.charCodeAt(start - 1))).toBe(false);
      expect(end < text.length && isLow(text.charCodeAt(end)) && isHigh(text.charCodeAt(end - 1))).toBe(false);
      // The normalized range comes from inside it.
      expect(normalize(text.slice(start, end))).toContain(mapped.text.slice(from, to));
    }),
    RUNS,
  );
});
