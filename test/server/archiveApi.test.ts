import request from 'supertest';
import { SearchEngine } from '../../src/engine';
import { UnsupportedQueryError } from '../../src/errors';
import { SearchResult } from '../../src/search/types';
import { ARCHIVE } from '../archive';
import { quietApp } from './helpers';

const engine = SearchEngine.build(ARCHIVE);
const app = quietApp(engine, { rateLimit: false });

async function search(query: Record<string, string | string[]>, status = 200): Promise<SearchResult & { error?: string }> {
  return (await request(app).get('/api/search').query(query).expect(status).expect('Content-Type', /json/)).body as SearchResult & { error?: string };
}

describe('GET /api/search on a JSON Lines archive', () => {
  it('counts the records’ own fields, the date by year and month, and each field without its own filters', async () => {
    const result = await search({ q: '新闻', filter: ['category:体育', 'category:科技'] });
    expect(result.total).toBe(4);
    expect(Object.keys(result.facets!)).toEqual(['source', 'category', 'year', 'month']);
    expect(result.facets!.category).toEqual([
      { value: '体育', count: 2 },
      { value: '科技', count: 2 },
      { value: '教育', count: 1 },
    ]);
    expect(result.facets!.year).toEqual([{ value: '2018', count: 3 }]);
    expect(result).not.toHaveProperty('timeline');
  });

  it('filters by a date range, sorts by date and returns the timeline without the date filter', async () => {
    const result = await search({ q: '新闻', filter: 'date:2018-01..2018-03-10', sort: 'newest', timeline: '1' });
    expect(result.hits.map((h) => [h.id, h.date])).toEqual([
      ['r2', '2018-03-02'],
      ['r6', '2018-03-02'],
      ['r1', '2018-01-15'],
    ]);
    expect(result.timeline).toEqual([
      { period: '2017-12', count: 1 },
      { period: '2018-01', count: 1 },
      { period: '2018-02', count: 0 },
      { period: '2018-03', count: 3 },
    ]);
    expect((await search({ q: '新闻 date:..2017', sort: 'oldest' })).hits.map((h) => h.id)).toEqual(['r5']);
  });

  it('answers 400 saying what is wrong: a date that is none, a range backwards, an unknown sort or field', async () => {
    expect((await search({ q: '新闻', filter: 'date:2018-13' }, 400)).error).toBe(
      '"2018-13" is not a real year (YYYY), month (YYYY-MM) or day (YYYY-MM-DD) in the date filter "2018-13": give a year, month or day, or a range of them, e.g. 2018, 2018-05, 2018-05-18, 2018-01..2018-06, 2018-03.., ..2018-06',
    );
    expect((await search({ q: '新闻', filter: 'date:2018-06..2018-01' }, 400)).error).toBe('the date range "2018-06..2018-01" ends before it starts: put the earlier date first, e.g. 2018-01..2018-06');
    expect((await search({ q: '新闻 date:2018-02-30' }, 400)).error).toMatch(/^"2018-02-30" is not a real year/);
    expect((await search({ q: '新闻', sort: 'random' }, 400)).error).toBe('sort must be one of relevance, newest, oldest');
    expect((await search({ q: '新闻', sort: ['newest', 'oldest'] }, 400)).error).toBe('give sort only once');
    expect((await search({ q: '新闻', timeline: '2' }, 400)).error).toBe('timeline must be a whole number from 0 to 1');
    expect((await search({ q: '新闻', filter: 'colour:red' }, 400)).error).toMatch(/^no document has a field "colour" to filter by: the fields are kind, reporter, correspondent, source, date, file, year, month, category$/);
    expect((await search({ q: '新闻', filter: 'bad field:x' }, 400)).error).toMatch(/^filter must be field:value/);
  });

  it('counts the facets `serve --facet` names, in its order', async () => {
    const named = quietApp(engine, { rateLimit: false, facetFields: ['month', 'category'] });
    const result = (await request(named).get('/api/search').query({ q: '新闻 source:sina' }).expect(200)).body as SearchResult;
    expect(result.facets).toEqual({
      month: [
        { value: '2018-03', count: 2 },
        { value: '2018-01', count: 1 },
        { value: '2017-12', count: 1 },
      ],
      category: [
        { value: '体育', count: 2 },
        { value: '科技', count: 2 },
        { value: '教育', count: 1 },
      ],
    });
  });

  it('names the option a backend cannot honour, so that the page can ask again without it', async () => {
    const refusing = quietApp(
      {
        search: () => {
          throw new UnsupportedQueryError('A Sphinx/Manticore cluster cannot count a timeline yet: search an index directory (--index) for that.', 'timeline');
        },
        titlesContaining: () => [],
        frequentWords: () => [],
        pinyinCompletions: () => [],
        documentView: () => undefined,
        getDocument: () => undefined,
        info: () => engine.info(),
      },
      { rateLimit: false },
    );
    const answer = await request(refusing).get('/api/search').query({ q: '新闻', timeline: '1' }).expect(400);
    expect(answer.body).toEqual({ error: 'A Sphinx/Manticore cluster cannot count a timeline yet: search an index directory (--index) for that.', code: 'unsupported', unsupported: 'timeline' });
    const chinese = await request(refusing).get('/api/search').set('Accept-Language', 'zh-CN').query({ q: '新闻', timeline: '1' }).expect(400);
    expect(chinese.body).toEqual({ error: '这个搜索后端（Sphinx/Manticore 集群）还不支持这个选项。', code: 'unsupported', unsupported: 'timeline' });
  });
});
