import { formatSearchResult, terminalSnippet } from '../../src/terminal/format';
import { SearchResult } from '../../src/search/searcher';

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
    took_ms: 0.5,
    match: 'some-words',
    hits: [],
  };

  it('prints only the header when nothing matched', () => {
    expect(formatSearchResult(result, 0, false)).toBe('0 results (match: some-words, 0.5 ms)\n');
  });

  it('strips control characters from titles', () => {
    const hit = { id: 'x', title: '标\x1b]0;pwned\x07题', title_html: '', score: 1, snippet: '', kind: 'article' as const, reporters: [], correspondents: [], source: 's' };
    const text = formatSearchResult({ ...result, match: 'exact', total: 1, hits: [hit] }, 0, false);
    expect(text).toBe('1 result (match: exact, 0.5 ms)\n\n1. 标]0;pwned题  [1]\n');
  });
});
