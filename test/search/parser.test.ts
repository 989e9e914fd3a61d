import { Analyzer } from '../../src/analysis/analyzer';
import { QueryError } from '../../src/errors';
import { parseQuery } from '../../src/search/parser';

const analyzer = new Analyzer();
/** A compact picture of a parse: groups joined by " & ", OR-ed terms by " | ", markers for phrase and title. */
function shape(query: string): string {
  const { groups, excluded } = parseQuery(query, analyzer);
  const term = (t: { text: string; phrase: boolean; field: string }): string =>
    `${t.field === 'title' ? 'title:' : ''}${t.phrase ? `"${t.text}"` : t.text}`;
  const positive = groups.map((g) => g.map(term).join(' | ')).join(' & ');
  return excluded.length ? `${positive} - ${excluded.map(term).join(' - ')}` : positive;
}

describe('query parser', () => {
  test.each([
    ['方特', '方特'],
    ['郑州  方特', '郑州 & 方特'],
    ['郑州\u3000方特', '郑州 & 方特'],
    ['方特 OR 楼院 治理', '方特 | 楼院 & 治理'],
    ['a OR b OR c', 'a | b | c'],
    ['方特 -暑期', '方特 - 暑期'],
    ['方特 －暑期', '方特 - 暑期'],
    ['"红色 物业" 联盟', '"红色 物业" & 联盟'],
    ['＂红色物业＂', '"红色物业"'],
    ['title:楼院', 'title:楼院'],
    ['标题：楼院', 'title:楼院'],
    ['-title:楼院 治理', '治理 - title:楼院'],
    ['"未闭合的引号', '"未闭合的引号"'],
    ['鄭州 Ｂ１', '郑州 & b1'],
    ['2020—2021年', '2020-2021年'],
    ['“红色物业”', '"红色物业"'],
    ['OR 方特 OR', '方特'],
    ['-', '-'],
    ['a-b', 'a-b'],
    ['or', 'or'],
    ['的', '的'],
  ])('%s → %s', (query, expected) => {
    expect(shape(query)).toBe(expected);
  });

  test.each([[''], ['   '], ['\u3000\t'], ['OR'], ['OR OR'], ['""'], ['-方特'], ['\u200b']])('%j is a QueryError', (query) => {
    expect(() => parseQuery(query, analyzer)).toThrow(QueryError);
  });

  test('the error for an empty query tells the user what to do', () => {
    expect(() => parseQuery(' ', analyzer)).toThrow('The query is empty: type a word or phrase to search for.');
    expect(() => parseQuery('-方特', analyzer)).toThrow(/add at least one term/);
  });

  test('a query longer than the limit is refused', () => {
    expect(() => parseQuery('字'.repeat(257), analyzer)).toThrow(/too long: at most 256/);
    expect(() => parseQuery('字'.repeat(20), analyzer, { maxLength: 10 })).toThrow(QueryError);
    expect(parseQuery('字'.repeat(256), analyzer).groups).toHaveLength(1);
  });

  test('terms carry their jieba words', () => {
    const { groups } = parseQuery('郑州方特', analyzer);
    expect(groups[0][0].words).toEqual(['郑州', '方特']);
  });
});
