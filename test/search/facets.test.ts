import { SearchEngine } from '../../src/engine';
import { QueryError } from '../../src/errors';
import { FORMAT_VERSION } from '../../src/index/manifest';
import { demoEngine, doc } from '../helpers';

const engine = demoEngine();

describe('filters and facets', () => {
  test('facet counts describe all matching documents; a page names its one source file, which no facet offers', () => {
    const result = engine.search('郑州', { facets: 5, limit: 1 });
    expect(result.total).toBe(4);
    expect(result.facets).toEqual({
      kind: [{ value: 'article', count: 4 }],
      reporter: [
        { value: '刘玉娟', count: 1 },
        { value: '卢文军', count: 1 },
        { value: '梁月琳', count: 1 },
        { value: '王思俊', count: 1 },
      ],
    });
    const named = engine.search('郑州', { facets: 5, limit: 1, facetFields: ['source', 'kind'] });
    expect(named.facets).toEqual({ source: [{ value: '000_2cd9194f99e4ed8d.txt', count: 4 }], kind: [{ value: 'article', count: 4 }] });
  });

  test('a value a document lists twice counts once for it', () => {
    const e = SearchEngine.build([
      doc('a', '新闻一', '方特开园', { reporters: ['王思俊', '刘玉娟', '王思俊'] }),
      doc('b', '新闻二', '方特夜场', { reporters: ['刘玉娟', '刘玉娟'] }),
    ]);
    expect(e.search('方特', { facets: 5, facetFields: ['reporter'] }).facets).toEqual({
      reporter: [
        { value: '刘玉娟', count: 2 },
        { value: '王思俊', count: 1 },
      ],
    });
  });

  test('no facets unless asked for', () => {
    expect(engine.search('郑州')).not.toHaveProperty('facets');
  });

  test('a filter keeps only matching documents; one field ORs, different fields AND', () => {
    const byKind = engine.search('孙志刚', { filters: [{ field: 'kind', value: 'photo' }] });
    expect(byKind.hits.map((h) => h.title)).toEqual(['许昌学院“我与祖国共成长”暑期实践队']);
    const either = engine.search('的', { filters: [{ field: 'reporter', value: '孙志刚' }, { field: 'reporter', value: '卢文军' }], limit: 20 });
    expect(either.hits.map((h) => h.title).sort()).toEqual(['汝河小区启动雨污分流改造', '郑州方特开启暑期亲子游']);
    const both = engine.search('的', { filters: [{ field: 'reporter', value: '孙志刚' }, { field: 'kind', value: 'photo' }] });
    expect(both.total).toBe(0);
    const correspondent = engine.search('社区', { filters: [{ field: 'correspondent', value: '黄倩倩' }] });
    expect(correspondent.hits.map((h) => h.title)).toEqual(['汝河小区启动雨污分流改造']);
  });

  test('dates can be filtered and counted', () => {
    const e = SearchEngine.build([
      doc('a', '新闻一', '方特开园', { date: '2020-07-04' }),
      doc('b', '新闻二', '方特夜场', { date: '2020-07-05' }),
      doc('c', '新闻三', '方特暑期', { date: '2020-07-04' }),
    ]);
    const result = e.search('方特', { facets: 10, filters: [{ field: 'date', value: '2020-07-04' }] });
    expect(result.hits.map((h) => h.id)).toEqual(['a', 'c']);
    expect(result.facets).toEqual({ year: [{ value: '2020', count: 3 }], month: [{ value: '2020-07', count: 3 }] });
    expect(e.search('方特', { facets: 10, facetFields: ['date'], filters: [{ field: 'date', value: '2020-07-04' }] }).facets).toEqual({
      date: [
        { value: '2020-07-04', count: 2 },
        { value: '2020-07-05', count: 1 },
      ],
    });
  });

  test('hits carry an escaped, highlighted title', () => {
    const e = SearchEngine.build([doc('x', '<i>方特</i>开园', '正文')]);
    expect(e.search('方特').hits[0].title_html).toBe('&lt;i&gt;<mark>方特</mark>&lt;/i&gt;开园');
  });
});

describe('documents by id', () => {
  test('getDocument and documentView', () => {
    expect(engine.getDocument('000_2cd9194f99e4ed8d-10')?.title).toBe('郑州方特开启暑期亲子游');
    expect(engine.getDocument('nope')).toBeUndefined();
    expect(engine.documentView('nope', '方特')).toBeUndefined();
    const view = engine.documentView('000_2cd9194f99e4ed8d-10', '方特')!;
    expect(view.title_html).toBe('郑州<mark>方特</mark>开启暑期亲子游');
    expect(view.paragraphs_html).toHaveLength(view.document.paragraphs.length);
    const marks = view.paragraphs_html.join('').match(/<mark>方特<\/mark>/g) ?? [];
    const occurrences = view.document.paragraphs.join('').split('方特').length - 1;
    expect(marks).toHaveLength(occurrences);
    expect(engine.documentView('000_2cd9194f99e4ed8d-01', '楼院')!.subtitle_html).toBe('统筹推进无主管<mark>楼院</mark>改造工作');
    expect(engine.documentView('000_2cd9194f99e4ed8d-10')!.title_html).toBe('郑州方特开启暑期亲子游');
    expect(() => engine.documentView('000_2cd9194f99e4ed8d-10', '-方特')).toThrow(QueryError);
  });

  test('a relaxed query highlights its words in the article view', () => {
    const view = engine.documentView('000_2cd9194f99e4ed8d-10', '梦幻王国方特')!;
    expect(view.paragraphs_html.join('')).toContain('<mark>方特梦幻王国</mark>');
  });
});

describe('index facts for suggestions and health', () => {
  test('titles, frequent words, info', () => {
    expect(engine.titles()).toHaveLength(11);
    expect(engine.titles()[9]).toBe('郑州方特开启暑期亲子游');
    const words = engine.frequentWords(5);
    expect(words).toHaveLength(5);
    expect(words[0].df).toBeGreaterThanOrEqual(words[4].df);
    expect(words.every((w) => w.word.length >= 2)).toBe(true);
    expect(words.map((w) => w.word)).toEqual(['本报', '记者', '本报讯', '通讯', '通讯员']);
    expect(engine.frequentWords(40).map((w) => w.word)).toContain('社区');
    expect(engine.info()).toEqual({ documents: 11, formatVersion: FORMAT_VERSION });
  });
});
