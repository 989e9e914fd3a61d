import type { SearchDocument } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { QueryError } from '../../src/errors';
import { docMetaRow } from '../../src/index/docMeta';
import { inDateRange, parseDateRange } from '../../src/search/dateRange';
import { chooseFacets } from '../../src/search/fields';
import { parseQuery } from '../../src/search/parser';
import { timelineOf } from '../../src/search/timeline';
import { ARCHIVE, record } from '../archive';
import { demoEngine } from '../helpers';

const archive = ARCHIVE;
const engine = SearchEngine.build(archive);
const rows = (docs: SearchDocument[]) => docs.map((d) => docMetaRow(d, ''));

describe('facets chosen from the documents', () => {
  test('record fields with few values, the source when it varies, year and month when dated', () => {
    expect(chooseFacets(rows(archive))).toEqual(['source', 'category', 'year', 'month']);
    expect(engine.search('新闻', { facets: 10 }).facets).toEqual({
      source: [
        { value: 'sina', count: 5 },
        { value: 'cctv', count: 1 },
      ],
      category: [
        { value: '体育', count: 2 },
        { value: '科技', count: 2 },
        { value: '教育', count: 1 },
      ],
      year: [
        { value: '2018', count: 4 },
        { value: '2017', count: 1 },
      ],
      month: [
        { value: '2018-03', count: 3 },
        { value: '2018-01', count: 1 },
        { value: '2017-12', count: 1 },
      ],
    });
  });

  test('not a field of one value, of many values, of long values, or present in under 5% of the documents', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      record(`m${i}`, `正文${i}`, { category: i % 2 ? '体育' : '科技', author: `作者${i}`, lang: 'zh', note: i % 3 ? '短' : '长'.repeat(41), rare: i === 0 ? 'x' : undefined, tag: i < 2 ? `t${i}` : undefined }),
    );
    expect(chooseFacets(rows(many))).toEqual(['category']);
    // 3 of 60 documents (5%) is enough.
    expect(chooseFacets(rows(many.map((d, i) => ({ ...d, fields: { ...d.fields, tag: i < 3 ? `t${i % 2}` : undefined } }))))).toEqual(['category', 'tag']);
  });

  test('newspaper pages: kind when both kinds occur, reporters, no single source file', () => {
    expect(chooseFacets([])).toEqual([]);
    const page = demoEngine().search('的', { facets: 3 });
    expect(Object.keys(page.facets!)).toEqual(['kind', 'reporter']);
  });

  test('a facet or filter naming a field no document has is refused, saying which fields there are', () => {
    expect(() => engine.search('新闻', { facets: 5, facetFields: ['colour'] })).toThrow('no document has a field "colour" to facet by: the fields are kind, reporter, correspondent, source, date, file, year, month, category');
    expect(() => engine.search('新闻', { filters: [{ field: 'colour', value: 'red' }] })).toThrow(QueryError);
  });
});

describe('date ranges', () => {
  test('a year, a month, a day, or a range with open ends', () => {
    expect(parseDateRange('2018')).toEqual({ from: '2018', to: '2018' });
    expect(parseDateRange('2018-05-18')).toEqual({ from: '2018-05-18', to: '2018-05-18' });
    expect(parseDateRange('2018-01..2018-06')).toEqual({ from: '2018-01', to: '2018-06' });
    expect(parseDateRange('..2018-06')).toEqual({ to: '2018-06' });
    expect(parseDateRange('2018-03-05..')).toEqual({ from: '2018-03-05' });
    expect(parseDateRange('2017..2018-02-28')).toEqual({ from: '2017', to: '2018-02-28' });
  });

  test('what is not a date, or ends before it starts, is a QueryError saying what to give', () => {
    expect(() => parseDateRange('2018-13')).toThrow('"2018-13" is not a real year (YYYY), month (YYYY-MM) or day (YYYY-MM-DD) in the date filter "2018-13"');
    expect(() => parseDateRange('2018-02-30')).toThrow(QueryError);
    expect(() => parseDateRange('18')).toThrow(QueryError);
    expect(() => parseDateRange('..')).toThrow('no date in the date filter ".."');
    expect(() => parseDateRange('2018-06..2018-01')).toThrow('the date range "2018-06..2018-01" ends before it starts');
    expect(() => parseDateRange('2018-06..2018')).not.toThrow();
  });

  test('a day is in a range when its prefix is within both ends', () => {
    expect(inDateRange('2018-06-30', parseDateRange('..2018-06'))).toBe(true);
    expect(inDateRange('2018-07-01', parseDateRange('..2018-06'))).toBe(false);
    expect(inDateRange('2017-12-31', parseDateRange('2018'))).toBe(false);
    expect(inDateRange('2018-12-31', parseDateRange('2018'))).toBe(true);
    expect(inDateRange('2018-03-05', parseDateRange('2018-03-05..'))).toBe(true);
    expect(inDateRange('2018-03-04', parseDateRange('2018-03-05..'))).toBe(false);
  });

  test('filters the results: in the options or in the query language', () => {
    const ids = (q: string, filters: Array<{ field: string; value: string }> = []) => engine.search(q, { filters, limit: 10 }).hits.map((h) => h.id).sort();
    expect(ids('新闻', [{ field: 'date', value: '2018-01..2018-03-10' }])).toEqual(['r1', 'r2', 'r6']);
    expect(ids('新闻 date:2018-03')).toEqual(['r2', 'r3', 'r6']);
    expect(ids('新闻 日期:..2017')).toEqual(['r5']);
    expect(ids('新闻 date:2018-03 category:体育')).toEqual(['r2']);
    expect(ids('新闻 category:体育 category:教育')).toEqual(['r1', 'r2', 'r5']);
    expect(ids('新闻 source:cctv')).toEqual(['r6']);
    expect(() => engine.search('新闻 date:2018-02-30')).toThrow(QueryError);
  });
});

describe('field filters in the query language', () => {
  const analyzer = demoEngine().analyzer;
  const fields = new Set(['category', 'date', 'source']);

  test('field:value for known fields only; other colons are text', () => {
    const parsed = parseQuery('方特 category:体育 日期：2018-01..2018-06 比分3:1', analyzer, { fields });
    expect(parsed.filters).toEqual([
      { field: 'category', value: '体育' },
      { field: 'date', value: '2018-01..2018-06' },
    ]);
    expect(parsed.groups.map((group) => group[0].text)).toEqual(['方特', '比分3:1']);
    expect(parseQuery('colour:red', analyzer, { fields }).filters).toEqual([]);
  });

  test('a filter alone parses to no term; excluding a filter, or excluding terms only, is refused with what to do', () => {
    expect(parseQuery('category:体育', analyzer, { fields })).toEqual({ groups: [], excluded: [], filters: [{ field: 'category', value: '体育' }] });
    expect(parseQuery('category:体育 -足球', analyzer, { fields }).excluded.map((term) => term.text)).toEqual(['足球']);
    expect(() => parseQuery('-足球', analyzer, { fields })).toThrow('The query only excludes terms (-…): add at least one term to look for, or a filter (field:value).');
    expect(() => parseQuery('方特 -category:体育', analyzer, { fields })).toThrow('"-category:体育": a filter cannot exclude');
    expect(() => parseQuery('方特 date:2018-1', analyzer, { fields })).toThrow(QueryError);
  });
});

describe('disjunctive facets', () => {
  test("a field's counts leave out its own filters, so another value can be added; other fields' counts apply them", () => {
    const one = engine.search('新闻', { facets: 10, filters: [{ field: 'category', value: '体育' }] });
    expect(one.total).toBe(2);
    expect(one.facets).toEqual({
      source: [{ value: 'sina', count: 2 }],
      category: [
        { value: '体育', count: 2 },
        { value: '科技', count: 2 },
        { value: '教育', count: 1 },
      ],
      year: [{ value: '2018', count: 2 }],
      month: [
        { value: '2018-03', count: 1 },
        { value: '2018-01', count: 1 },
      ],
    });
    const two = engine.search('新闻', { facets: 10, filters: [{ field: 'category', value: '体育' }, { field: 'category', value: '科技' }] });
    expect(two.total).toBe(4);
    expect(two.facets!.category).toEqual(one.facets!.category);
  });

  test('with two fields filtered, each is counted under the other only; year and month are both the date', () => {
    const result = engine.search('新闻', { facets: 10, filters: [{ field: 'category', value: '体育' }, { field: 'date', value: '2018-03' }] });
    expect(result.hits.map((h) => h.id)).toEqual(['r2']);
    expect(result.facets!.category).toEqual([
      { value: '体育', count: 1 },
      { value: '科技', count: 1 },
    ]);
    expect(result.facets!.year).toEqual([{ value: '2018', count: 2 }]);
    expect(result.facets!.source).toEqual([{ value: 'sina', count: 1 }]);
  });
});

describe('sorting by date', () => {
  test('newest and oldest first, undated last in both; the same day in index order; scores still given', () => {
    const order = (sort: 'newest' | 'oldest' | 'relevance', offset = 0) => engine.search('新闻', { sort, offset, limit: 10 }).hits.map((h) => h.id);
    expect(order('newest')).toEqual(['r3', 'r2', 'r6', 'r1', 'r5', 'r4']);
    expect(order('oldest')).toEqual(['r5', 'r1', 'r2', 'r6', 'r3', 'r4']);
    expect(order('oldest', 4)).toEqual(['r3', 'r4']);
    expect(engine.search('新闻', { sort: 'newest' }).hits.every((h) => h.score > 0)).toBe(true);
    expect(() => engine.search('新闻', { sort: 'sideways' as 'newest' })).toThrow('sort must be one of relevance, newest, oldest');
  });

  test('copies of one article fold into the first in date order', () => {
    const copies = SearchEngine.build([
      { ...record('old', '同一篇报道的全文内容在这里，讲述了城市新闻。', {}, '2018-01-01'), title: '同一篇' },
      { ...record('new', '同一篇报道的全文内容在这里，讲述了城市新闻。', {}, '2018-02-01'), title: '同一篇' },
      record('other', '另一篇不同的新闻。', {}, '2018-01-15'),
    ]);
    const newest = copies.search('新闻', { sort: 'newest' });
    expect(newest.hits.map((h) => [h.id, (h.duplicates ?? []).map((d) => d.id)])).toEqual([
      ['new', ['old']],
      ['other', []],
    ]);
    expect(copies.search('新闻', { sort: 'oldest' }).hits.map((h) => h.id)).toEqual(['old', 'other']);
  });
});

describe('browsing by filters alone', () => {
  test('a field or date filter without a word lists every document it selects, newest first unless asked otherwise, with counts and facets', () => {
    const sports = engine.search('category:体育', { facets: 5 });
    expect(sports.hits.map((h) => h.id)).toEqual(['r2', 'r1']);
    expect([sports.total, sports.exact_total, sports.match]).toEqual([2, 2, 'exact']);
    expect(sports.hits.map((h) => [h.literal, h.snippet])).toEqual([
      [true, '第二条新闻说足球联赛。'],
      [true, '第一条新闻讲女排比赛。'],
    ]);
    expect(sports.facets!.category).toEqual([
      { value: '体育', count: 2 },
      { value: '科技', count: 2 },
      { value: '教育', count: 1 },
    ]);
    expect(sports.suggestion).toBeUndefined();
    expect(engine.search('date:2018-03').hits.map((h) => h.id)).toEqual(['r3', 'r2', 'r6']);
    expect(engine.search('date:2018-03', { sort: 'oldest' }).hits.map((h) => h.id)).toEqual(['r2', 'r6', 'r3']);
    expect(engine.search('source:sina', { filters: [{ field: 'category', value: '科技' }] }).hits.map((h) => h.id)).toEqual(['r3', 'r4']);
  });

  test('excluded terms still exclude; a filter that selects nothing finds nothing', () => {
    expect(engine.search('category:体育 -足球').hits.map((h) => h.id)).toEqual(['r1']);
    expect(engine.search('date:2019').total).toBe(0);
  });
});

describe('the timeline', () => {
  test('months from the first dated match to the last, empty ones at 0', () => {
    expect(engine.search('新闻', { timeline: true }).timeline).toEqual([
      { period: '2017-12', count: 1 },
      { period: '2018-01', count: 1 },
      { period: '2018-02', count: 0 },
      { period: '2018-03', count: 3 },
    ]);
  });

  test('counted without the date filter, with the others', () => {
    const result = engine.search('新闻 date:2018-03', { timeline: true, filters: [{ field: 'category', value: '体育' }] });
    expect(result.total).toBe(1);
    expect(result.timeline).toEqual([
      { period: '2018-01', count: 1 },
      { period: '2018-02', count: 0 },
      { period: '2018-03', count: 1 },
    ]);
    expect(engine.search('新闻 source:cctv', { timeline: true }).timeline).toEqual([{ period: '2018-03', count: 1 }]);
    expect(demoEngine().search('郑州', { timeline: true }).timeline).toEqual([]);
  });

  test('years past 36 months', () => {
    const within = new Map([
      ['2016-01', 2],
      ['2018-12', 3],
    ]);
    expect(timelineOf(within)).toHaveLength(36);
    expect(timelineOf(within)[35]).toEqual({ period: '2018-12', count: 3 });
    expect(
      timelineOf(
        new Map([
          ['2015-06', 2],
          ['2015-09', 1],
          ['2018-07', 4],
        ]),
      ),
    ).toEqual([
      { period: '2015', count: 3 },
      { period: '2016', count: 0 },
      { period: '2017', count: 0 },
      { period: '2018', count: 4 },
    ]);
    expect(timelineOf(new Map())).toEqual([]);
  });
});
