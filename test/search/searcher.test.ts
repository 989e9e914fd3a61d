import { SearchEngine } from '../../src/engine';
import { QueryError } from '../../src/errors';
import { demoDocuments, demoEngine, doc } from '../helpers';

const engine = demoEngine();
const titles = (query: string, limit = 20): string[] => engine.search(query, { limit }).hits.map((h) => h.title);

describe('search on the demo page', () => {
  test('a word jieba cuts into pieces is found literally', () => {
    const result = engine.search('方特');
    expect(result).toMatchObject({ query: '方特', total: 1, match: 'exact' });
    expect(result.hits[0]).toMatchObject({
      id: '000_2cd9194f99e4ed8d-10',
      title: '郑州方特开启暑期亲子游',
      kind: 'article',
      reporters: ['卢文军'],
      correspondents: ['孟晶晶', '徐二伟'],
      source: '000_2cd9194f99e4ed8d.txt',
    });
    expect(result.hits[0].snippet).toContain('<mark>方特</mark>');
  });

  test('a query across a joined column break finds the article', () => {
    expect(titles('改造提升成果')).toEqual(['二七区党建引领提高基层治理水平']);
    expect(titles('隆庆祥制衣')).toEqual(['管城区为高校毕业生送岗位']);
    expect(titles('美猴王的风采')).toEqual(['郑州方特开启暑期亲子游']);
  });

  test('the dropped duplicate fragment does not create a false match', () => {
    expect(engine.search('"惠及人民。民"').total).toBe(0);
    expect(engine.search('惠及人民。民').match).not.toBe('exact');
  });

  test('titles rank above bodies', () => {
    // 治理水平 is in two titles and in bodies; the two titled articles come first.
    const ranked = titles('治理水平');
    expect(ranked.slice(0, 2).sort()).toEqual(['举办专题培训提高治理水平', '二七区党建引领提高基层治理水平']);
  });

  test('a photo caption is found by its photographer', () => {
    const result = engine.search('孙志刚');
    expect(result.hits.map((h) => [h.kind, h.title])).toEqual([
      ['photo', '许昌学院“我与祖国共成长”暑期实践队'],
      ['article', '汝河小区启动雨污分流改造'],
    ]);
  });

  test('AND, OR, exclusion, phrase and title:', () => {
    expect(titles('楼院 惠济区')).toEqual(['举办专题培训提高治理水平']);
    expect(titles('方特 OR 雨污').sort()).toEqual(['汝河小区启动雨污分流改造', '郑州方特开启暑期亲子游']);
    expect(titles('楼院 -惠济区')).toEqual(['二七区党建引领提高基层治理水平']);
    expect(titles('"红色物业联盟"')).toEqual(['二七区党建引领提高基层治理水平']);
    expect(titles('title:楼院')).toEqual(['二七区党建引领提高基层治理水平']);
    expect(titles('title:方特 title:暑期')).toEqual(['郑州方特开启暑期亲子游']);
  });

  test('normalized queries: traditional, full-width, dashes', () => {
    expect(titles('鄭州方特')).toEqual(['郑州方特开启暑期亲子游']);
    expect(titles('Ｂ１线路')).toEqual(['人人争当绿色天使']);
    expect(titles('2020-2021年')).toEqual(['举办专题培训提高治理水平']);
  });

  test('a single character works, stopword or not', () => {
    const withDe = demoDocuments().filter((d) => (d.title + d.paragraphs.join('')).includes('的')).length;
    expect(withDe).toBe(8);
    expect(engine.search('的').total).toBe(withDe);
    expect(engine.search('瓜').hits.map((h) => h.title)).toEqual(['郑州方特开启暑期亲子游']);
  });

  test('a short query: literal matches, else all words, else enough words — and the response says which', () => {
    expect(engine.search('方特梦幻王国')).toMatchObject({ match: 'exact', total: 1, exact_total: 1 });
    const allWords = engine.search('王国 梦幻方特');
    expect(allWords).toMatchObject({ match: 'all-words', exact_total: 0 });
    expect(allWords.hits.map((h) => [h.title, h.literal])).toEqual([['郑州方特开启暑期亲子游', false]]);
    const some = engine.search('方特 火星');
    expect(some).toMatchObject({ match: 'some-words', exact_total: 0 });
    expect(some.hits[0].title).toBe('郑州方特开启暑期亲子游');
  });

  test('a long query: one list, literal matches first, then documents relevant by words', () => {
    // A pasted headline that is not in the text finds its article through its words.
    const pasted = engine.search('郑州方特暑期推出亲子主题活动和熊熊水花派对以及火星探险');
    expect(pasted).toMatchObject({ match: 'ranked', exact_total: 0 });
    expect(pasted.hits[0]).toMatchObject({ title: '郑州方特开启暑期亲子游', literal: false });
    // A sentence that occurs literally: its article first and marked, the article with its words after it.
    const small = SearchEngine.build([
      doc('related', '天气预报', '北京明天的天气预报：北京今天有雨，明天转晴，天气适合出游。'),
      doc('literal', '游记', '北京今天的天气很好，我们去了公园。'),
      doc('other', '体育', '足球比赛今晚开始。'),
    ]);
    const sentence = small.search('北京今天的天气很好，我们去了公园');
    expect(sentence).toMatchObject({ match: 'ranked', total: 2, exact_total: 1 });
    expect(sentence.hits.map((h) => [h.id, h.literal])).toEqual([
      ['literal', true],
      ['related', false],
    ]);
    // The related hit is highlighted by words, the literal one by the whole sentence.
    expect(sentence.hits[0].snippet).toContain('<mark>北京今天的天气很好，我们去了公园</mark>');
    expect(sentence.hits[1].snippet).toContain('<mark>天气</mark>');
  });

  test('an exclusion never triggers relaxation', () => {
    const result = engine.search('方特 -暑期');
    expect(result).toMatchObject({ match: 'exact', total: 0, hits: [] });
  });

  test('paging with limit and offset', () => {
    const all = engine.search('的', { limit: 10 }).hits.map((h) => h.id);
    expect(engine.search('的', { limit: 3, offset: 2 }).hits.map((h) => h.id)).toEqual(all.slice(2, 5));
    expect(engine.search('的', { limit: 3, offset: 20 }).hits).toEqual([]);
  });

  test('bad queries are QueryErrors, never crashes', () => {
    expect(() => engine.search('')).toThrow(QueryError);
    expect(() => engine.search('  ')).toThrow(QueryError);
    expect(() => engine.search('方特', { limit: -1 })).toThrow(QueryError);
  });
});

describe('ranking details', () => {
  test('equal scores fall back to indexing order, so results are deterministic', () => {
    const e = SearchEngine.build([doc('x', '', '同样的文字'), doc('y', '', '同样的文字'), doc('z', '', '同样的文字')]);
    expect(e.search('文字', { collapse: false }).hits.map((h) => h.id)).toEqual(['x', 'y', 'z']);
    // Folded, the copies are listed with the first in the same order.
    expect(e.search('文字').hits.map((h) => [h.id, h.duplicates?.map((d) => d.id)])).toEqual([['x', ['y', 'z']]]);
  });

  test('query words standing side by side outrank scattered ones', () => {
    const e = SearchEngine.build([
      doc('scattered', '', '郑州的新闻很多。方特的游客也多。'),
      doc('adjacent', '', '郑州方特的游客很多。新闻也多。'),
    ]);
    expect(e.search('郑州 方特').hits.map((h) => h.id)).toEqual(['adjacent', 'scattered']);
  });

  test('a title match outranks the same words in a body', () => {
    const e = SearchEngine.build([doc('body', '城市新闻', '今天方特开园，游客很多。'), doc('title', '方特开园', '今天游客很多。')]);
    expect(e.search('方特').hits.map((h) => h.id)).toEqual(['title', 'body']);
  });

  test('documents keep their JSON Lines fields', () => {
    const e = SearchEngine.build([doc('j1', '标题', '正文内容', { fields: { category: '体育' }, date: '2018-05-18' })]);
    expect(e.search('正文').hits[0]).toMatchObject({ id: 'j1', date: '2018-05-18', fields: { category: '体育' } });
  });
});
