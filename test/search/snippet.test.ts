import { escapeHtml, highlight, makeSnippet } from '../../src/search/snippet';
import { SearchEngine } from '../../src/engine';
import { doc } from '../helpers';

describe('snippets', () => {
  test('HTML in a document never comes back unescaped', () => {
    const e = SearchEngine.build([doc('x', '<b>标题</b>', '前文<script>alert("方特")</script>后文 & "引号" \'单引号\'')]);
    const { snippet } = e.search('方特').hits[0];
    expect(snippet).toBe('前文&lt;script&gt;alert(&quot;<mark>方特</mark>&quot;)&lt;/script&gt;后文 &amp; &quot;引号&quot; &#39;单引号&#39;');
    expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });

  test('highlights land on the original characters of a normalized match', () => {
    expect(makeSnippet('郑州快速公交Ｂ１线路', ['b1'])).toBe('郑州快速公交<mark>Ｂ１</mark>线路');
    expect(makeSnippet('鄭州方特', ['郑州'])).toBe('<mark>鄭州</mark>方特');
    expect(makeSnippet('计划(2020—2021年)', ['2020-2021年'])).toBe('计划(<mark>2020—2021年</mark>)');
    expect(makeSnippet('𠀀方特𠀀', ['方特'])).toBe('𠀀<mark>方特</mark>𠀀');
  });

  test('a long text is cut around the densest cluster, at clause boundaries, with ellipses', () => {
    const filler = '这是一段没有关键词的普通文字，'.repeat(20);
    const text = `${filler}方特开园了。游客说方特很好玩，方特的项目很多。${filler}`;
    const snippet = makeSnippet(text, ['方特'], 60);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.match(/<mark>方特<\/mark>/g)).toHaveLength(3);
    const plain = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '');
    expect(plain.length).toBeLessThanOrEqual(60);
    expect(plain.length).toBeGreaterThan(40);
    // Starts just after a clause boundary, so no clause is cut at the front.
    expect(text[text.indexOf(plain) - 1]).toMatch(/[，。]/);
  });

  test('the window prefers a cluster with more distinct query terms', () => {
    const text = `郑州${'无关内容'.repeat(40)}。郑州方特${'无关内容'.repeat(40)}`;
    expect(makeSnippet(text, ['郑州', '方特'], 30)).toContain('<mark>郑州方特</mark>');
  });

  test('a short text is whole, without ellipses; line breaks become spaces', () => {
    expect(makeSnippet('第一段\n第二段方特', ['方特'])).toBe('第一段 第二段<mark>方特</mark>');
    expect(makeSnippet('', ['方特'])).toBe('');
    expect(makeSnippet('没有匹配', ['方特'])).toBe('没有匹配');
  });

  test('escapeHtml and highlight', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(highlight('<方特>', ['方特'])).toBe('&lt;<mark>方特</mark>&gt;');
  });
});

describe('short snippets', () => {
  test.each([20, 30, 60])('a %i-character snippet still holds its match', (length) => {
    // A clause boundary 22 characters before the match, none nearer.
    const text = `${'前面的文字，'.repeat(30)}${'长'.repeat(22)}方特${'后'.repeat(100)}`;
    expect(makeSnippet(text, ['方特'], length)).toContain('<mark>方特</mark>');
  });
});
