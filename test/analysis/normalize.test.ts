import { normalize, normalizeWithMap, originalRange } from '../../src/analysis/normalize';

describe('normalize', () => {
  test.each([
    ['full-width letters and digits', 'Ｂ１线路', 'b1线路'],
    ['upper case', 'NBA iPhone', 'nba iphone'],
    ['traditional → simplified', '鄭州發展', '郑州发展'],
    ['Taiwan variant through the standard form', '啟動', '启动'],
    ['em dash, en dash, minus', '2020—2021–2022−1', '2020-2021-2022-1'],
    ['curly double quotes', '“红色物业”', '"红色物业"'],
    ['curly single quotes', '‘内外’', "'内外'"],
    ['ideographic space and tab', '郑州\u3000方特\t乐园', '郑州 方特 乐园'],
    ['zero-width and format characters vanish', '方\u200b特\ufeff', '方特'],
    ['compatibility forms (NFKC)', '㈠ ﬁ ㎡', '(一) fi m2'],
    ['full-width punctuation', '（试行）：', '(试行):'],
    ['lone surrogate becomes U+FFFD', 'a\ud800b', 'a\ufffdb'],
    ['astral characters kept', '𠀀中', '𠀀中'],
  ])('%s', (_name, input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  test('a substring normalizes to exactly what it becomes inside the text', () => {
    const text = '本报讯（记者 刘伟平）鄭州Ｂ１線路“红色物业”2020—2021年，㈠ 𠀀ﬁ\u200b終';
    const whole = normalizeWithMap(text);
    const cps = [...text];
    let offset = 0;
    const starts = cps.map((c) => {
      const at = offset;
      offset += c.length;
      return at;
    });
    for (let i = 0; i < cps.length; i++) {
      for (let j = i + 1; j <= cps.length; j++) {
        const piece = normalize(cps.slice(i, j).join(''));
        // Where the substring begins in the normalized text: the first unit whose origin is ≥ its start.
        let at = 0;
        while (at < whole.origin.length && whole.origin[at] < starts[i]) at++;
        expect(whole.text.slice(at, at + piece.length)).toBe(piece);
      }
    }
  });

  test('the map points every normalized unit back at its original character', () => {
    const text = 'Ｂ１鄭𠀀“a”';
    const n = normalizeWithMap(text);
    expect(n.text).toBe('b1郑𠀀"a"');
    expect(Array.from(n.origin)).toEqual([0, 1, 2, 3, 3, 5, 6, 7]);
    expect(originalRange(text, n, 0, 2)).toEqual([0, 2]);
    expect(text.slice(...originalRange(text, n, 3, 5))).toBe('𠀀');
    expect(text.slice(...originalRange(text, n, 5, 8))).toBe('“a”');
  });

  test('one character expanding to several maps each part to it', () => {
    const n = normalizeWithMap('x㎡y');
    expect(n.text).toBe('xm2y');
    expect(Array.from(n.origin)).toEqual([0, 1, 1, 2]);
  });

  it('maps text that is its own normal form, wholly or around changed characters and a lone surrogate', () => {
    const same = normalizeWithMap('郑州经济发展');
    expect(same.text).toBe('郑州经济发展');
    expect(Array.from(same.origin)).toEqual([0, 1, 2, 3, 4, 5]);
    const mixed = normalizeWithMap('Ａ郑州\ud800經濟㎡');
    expect(mixed.text).toBe('a郑州\ufffd经济m2');
    expect(Array.from(mixed.origin)).toEqual([0, 1, 2, 3, 4, 5, 6, 6]);
  });

  it('writes the map into the array given when it has room, growing past it when characters expand, else into one of its own', () => {
    const into = new Uint32Array(4).fill(9);
    const fits = normalizeWithMap('Ａ郑州', into);
    expect(fits.origin.buffer).toBe(into.buffer);
    expect(Array.from(fits.origin)).toEqual([0, 1, 2]);
    const expands = normalizeWithMap('x㎡㎡y', into);
    expect(expands.text).toBe('xm2m2y');
    expect(Array.from(expands.origin)).toEqual([0, 1, 1, 2, 2, 3]);
    const tooLong = normalizeWithMap('郑州经济发展', into);
    expect(tooLong.origin.buffer).not.toBe(into.buffer);
    expect(Array.from(tooLong.origin)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
