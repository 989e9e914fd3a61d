import { SearchEngine } from '../../src/engine';
import { QueryError } from '../../src/errors';
import { docMetaRow } from '../../src/index/docMeta';
import { FORMAT_VERSION } from '../../src/index/manifest';
import { someFieldValue } from '../../src/search/fields';
import { record } from '../archive';
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

  test('a record field listing a value twice, or as a number and as text, counts it once; blanks and objects count nowhere', () => {
    const e = SearchEngine.build([
      record('a', '方特开园', { tag: ['乐园', '乐园', 7, '7', ' ', { x: 1 }], year: 1999 }, '2020-07-04'),
      record('b', '方特夜场', { tag: [true, 'true', '夜场'] }, '2021-01-02'),
      record('c', '方特暑期', { tag: '乐园' }),
    ]);
    expect(e.search('方特', { facets: 10, facetFields: ['tag', 'year'], timeline: true })).toMatchObject({
      facets: {
        tag: [
          { value: '乐园', count: 2 },
          { value: '7', count: 1 },
          { value: 'true', count: 1 },
          { value: '夜场', count: 1 },
        ],
        // A record field named like a built-in one is read through the built-in: year is the date's.
        year: [
          { value: '2021', count: 1 },
          { value: '2020', count: 1 },
        ],
      },
      timeline: [
        { period: '2020-07', count: 1 },
        { period: '2020-08', count: 0 },
        { period: '2020-09', count: 0 },
        { period: '2020-10', count: 0 },
        { period: '2020-11', count: 0 },
        { period: '2020-12', count: 0 },
        { period: '2021-01', count: 1 },
      ],
    });
    expect(e.search('方特', { filters: [{ field: 'tag', value: '7' }] }).hits.map((h) => h.id)).toEqual(['a']);
  });

  test('someFieldValue visits each value of a field once, in order, and stops at the first the visitor answers true for', () => {
    const row = docMetaRow(record('a', '正文', { tag: ['x', 'y', 'x', 3, null, ''], source: 'sina' }, '2018-03-02'), '');
    row[3] = ['王', '李', '王'];
    const visited = (field: string, stopAt?: string) => {
      const seen: string[] = [];
      const stopped = someFieldValue(row, field, (value) => {
        seen.push(value);
        return value === stopAt;
      });
      return { seen, stopped };
    };
    expect(visited('tag')).toEqual({ seen: ['x', 'y', '3'], stopped: false });
    expect(visited('tag', 'y')).toEqual({ seen: ['x', 'y'], stopped: true });
    expect(visited('reporter')).toEqual({ seen: ['王', '李'], stopped: false });
    expect(visited('source').seen).toEqual(['sina']);
    expect(visited('file').seen).toEqual(['news.jsonl.gz']);
    expect(visited('kind').seen).toEqual(['article']);
    expect([visited('date').seen, visited('year').seen, visited('month').seen]).toEqual([['2018-03-02'], ['2018'], ['2018-03']]);
    expect(visited('colour')).toEqual({ seen: [], stopped: false });
    row[6] = null;
    expect(visited('month')).toEqual({ seen: [], stopped: false });
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

  test('each search counts dates afresh: the day counts of one search do not carry into the next', () => {
    const e = SearchEngine.build([
      doc('a', '新闻一', '方特开园', { date: '2020-07-04' }),
      doc('b', '新闻二', '方特夜场', { date: '2020-07-05' }),
      doc('c', '新闻三', '乐园暑期', { date: '2021-03-04' }),
    ]);
    const dates = (query: string) => e.search(query, { facets: 10, facetFields: ['date', 'year'], timeline: true });
    const first = { facets: { date: [{ value: '2020-07-04', count: 1 }, { value: '2020-07-05', count: 1 }], year: [{ value: '2020', count: 2 }] }, timeline: [{ period: '2020-07', count: 2 }] };
    expect(dates('方特')).toMatchObject(first);
    expect(dates('乐园')).toMatchObject({ facets: { date: [{ value: '2021-03-04', count: 1 }], year: [{ value: '2021', count: 1 }] }, timeline: [{ period: '2021-03', count: 1 }] });
    expect(dates('方特')).toMatchObject(first);
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
