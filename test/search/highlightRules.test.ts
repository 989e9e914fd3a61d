import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { highlightTitles } from '../../src/search/snippet';
import { ROOT, demoDocuments, doc } from '../helpers';

/** The texts a highlighted HTML string marks, in order. */
function marks(html: string | undefined): string[] {
  return [...(html ?? '').matchAll(/<mark>(.*?)<\/mark>/g)].map((match) => match[1]);
}

const DICT = path.join(ROOT, 'index-data', 'dict');

describe('one set of highlight rules for the result list and the article view', () => {
  // The demo page with its dictionaries (方特 has the synonym 方特梦幻王国), and an article whose subtitle holds the match.
  const engine = SearchEngine.build(
    [...demoDocuments(), doc('sub-1', '城市夜景', '夜晚的城市灯火通明。', { subtitle: '二七纪念塔亮灯迎国庆' })],
    { synonyms: path.join(DICT, 'synonyms.txt') },
  );

  it.each([
    // query, a hit's id, what its snippet or titles must mark
    ['a synonym', '方特', '000_2cd9194f99e4ed8d-10', ['方特', '方特梦幻王国']],
    ['pinyin', 'fangte', '000_2cd9194f99e4ed8d-10', ['方特']],
    ['a subtitle', '纪念塔', 'sub-1', ['纪念塔']],
    ['words, when the query occurs nowhere literally', '方特乐园', '000_2cd9194f99e4ed8d-10', ['方特']],
    ['a phrase', '"暑期亲子"', '000_2cd9194f99e4ed8d-10', ['暑期亲子']],
  ])('%s (%s): the hit and the article mark the same title, subtitle and body text', (_name, query, id, expected) => {
    const hit = engine.search(query, { limit: 10 }).hits.find((h) => h.id === id);
    expect(hit).toBeDefined();
    const view = engine.documentView(id, query)!;
    expect(view.title_html).toBe(hit!.title_html);
    expect(view.subtitle_html).toBe(hit!.subtitle_html);
    const listed = [...marks(hit!.title_html), ...marks(hit!.subtitle_html), ...marks(hit!.snippet)];
    const shown = new Set([...marks(view.title_html), ...marks(view.subtitle_html), ...view.paragraphs_html.flatMap(marks)]);
    for (const text of expected) expect(listed).toContain(text);
    // The snippet is a piece of the body: everything it marks, the article marks too.
    expect(listed.filter((text) => !shown.has(text))).toEqual([]);
  });

  it.each([
    ['no subtitle', '郑州方特', undefined, ['方特'], { title_html: '郑州<mark>方特</mark>' }],
    ['a subtitle', '城市', '二七塔亮灯', ['二七塔'], { title_html: '城市', subtitle_html: '<mark>二七塔</mark>亮灯' }],
    ['an empty subtitle', '城市', '', ['城市'], { title_html: '<mark>城市</mark>' }],
    ['text to escape', 'a<b>', '"q"', ['b'], { title_html: 'a&lt;<mark>b</mark>&gt;', subtitle_html: '&quot;q&quot;' }],
  ])('highlightTitles with %s', (_name, title, subtitle, needles, expected) => {
    expect(highlightTitles(title, subtitle, needles)).toEqual(expected);
  });
});
