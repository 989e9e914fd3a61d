import { formatSearchResult, terminalSnippet } from '../../src/terminal/format';
import { SearchResult } from '../../src/search/types';

describe('terminalSnippet', () => {
  it('bolds marks for a terminal and drops them otherwise', () => {
    expect(terminalSnippet('郑州<mark>方特</mark>乐园', true)).toBe('郑州\x1b[1m方特\x1b[0m乐园');
    expect(terminalSnippet('郑州<mark>方特</mark>乐园', false)).toBe('郑州方特乐园');
  });

  it('unescapes entities once, so escaped tags stay text', () => {
    expect(terminalSnippet('&lt;mark&gt; &amp;lt; &quot;a&quot; &#39;b&#39;', true)).toBe(`<mark> &lt; "a" 'b'`);
  });

  it('removes control characters a document could use to drive the terminal, and flattens lines', () => {
    expect(terminalSnippet('红\x1b[31m色\x07\n  第二段', false)).toBe('红[31m色 第二段');
  });
});

describe('formatSearchResult', () => {
  const result: SearchResult = {
    query: '方特乐园',
    total: 0,
    exact_total: 0,
    folded: 0,
    took_ms: 0.5,
    match: 'some-words',
    hits: [],
  };

  it('prints only the header when nothing matched', () => {
    expect(formatSearchResult(result, 0, false)).toBe('0 results (match: some-words, 0.5 ms)\n');
  });

  it('says when the search was cut short by its time limit', () => {
    expect(formatSearchResult({ ...result, timed_out: true }, 0, false)).toBe('0 results (match: some-words, 0.5 ms, timed out: ranking may be incomplete)\n');
  });

  it('strips control characters from titles', () => {
    const hit = { id: 'x', title: '标\x1b]0;pwned\x07题', title_html: '', score: 1, literal: true, snippet: '', kind: 'article' as const, reporters: [], correspondents: [], source: 's' };
    const text = formatSearchResult({ ...result, match: 'exact', total: 1, hits: [hit] }, 0, false);
    expect(text).toBe('1 result (match: exact, 0.5 ms)\n\n1. 标]0;pwned题  [1]\n');
  });
});

describe('formatSearchResult in ranked mode', () => {
  const hit = (id: string, literal: boolean) => ({ id, title: id, title_html: id, score: 2, literal, snippet: '', kind: 'article' as const, reporters: [], correspondents: [], source: 's' });
  const ranked: SearchResult = {
    query: '北京今天的天气很好',
    total: 3,
    exact_total: 1,
    folded: 2,
    took_ms: 1.5,
    match: 'ranked',
    hits: [{ ...hit('a', true), duplicates: [{ id: 'a2', title: 'a' }, { id: 'a3', title: 'a' }] }, hit('b', false)],
  };

  it('says how many results match literally and how many by words, and marks the related hits and copies', () => {
    expect(formatSearchResult(ranked, 0, false)).toBe(
      [
        '3 results, showing 1-2 (match: ranked, 1.5 ms)',
        '1 条完全匹配 · 2 条相关 · 1 exact, 2 related',
        '',
        '1. a  [2]',
        '   另有 2 篇相同报道 · 2 more copies: a2, a3',
        '',
        '2. b  [2]  · 相关 related',
        '',
      ].join('\n'),
    );
  });

  it('notes when nothing matches literally', () => {
    const text = formatSearchResult({ ...ranked, exact_total: 0, hits: [hit('b', false)] }, 0, false);
    expect(text.split('\n').slice(0, 2)).toEqual(['没有完全匹配“北京今天的天气很好”的结果，显示相关结果。', 'No exact match for "北京今天的天气很好"; showing related results.']);
  });
});
