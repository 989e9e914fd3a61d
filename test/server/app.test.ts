import * as path from 'path';
import request from 'supertest';
import { SearchEngine } from '../../src/engine';
import { loadSources } from '../../src/ingest';
import { SearchResult } from '../../src/search/searcher';
import { createApp } from '../../src/server/app';
import { ROOT, doc } from '../helpers';

let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  const { documents } = await loadSources([path.join(ROOT, 'index-data', 'sources')]);
  app = createApp(SearchEngine.build(documents));
});

describe('GET /api/search', () => {
  it('finds the 方特 article, exactly, with the match marked', async () => {
    const response = await request(app).get('/api/search').query({ q: '方特' }).expect(200).expect('Content-Type', /json/);
    const result = response.body as SearchResult;
    expect(result.query).toBe('方特');
    expect(result.match).toBe('exact');
    expect(result.total).toBe(1);
    expect(result.hits[0].title).toBe('郑州方特开启暑期亲子游');
    expect(result.hits[0].snippet).toContain('<mark>方特</mark>');
    expect(Object.keys(result).sort()).toEqual(['hits', 'match', 'query', 'took_ms', 'total']);
  });

  it('pages with limit and offset', async () => {
    const all = (await request(app).get('/api/search').query({ q: '郑州', limit: 4 }).expect(200)).body as SearchResult;
    expect(all.total).toBe(4);
    const first = (await request(app).get('/api/search').query({ q: '郑州', limit: 2 }).expect(200)).body as SearchResult;
    const second = (await request(app).get('/api/search').query({ q: '郑州', limit: 2, offset: 2 }).expect(200)).body as SearchResult;
    expect(first.total).toBe(4);
    expect(second.total).toBe(4);
    expect(first.hits.map((hit) => hit.id)).toEqual(all.hits.slice(0, 2).map((hit) => hit.id));
    expect(second.hits.map((hit) => hit.id)).toEqual(all.hits.slice(2, 4).map((hit) => hit.id));
  });

  it('uses 10 results and offset 0 by default', async () => {
    const docs = Array.from({ length: 12 }, (_, i) => doc(`d-${i}`, `第${i}篇`, `方特${'乐'.repeat(i)}`));
    const twelve = createApp(SearchEngine.build(docs));
    const result = (await request(twelve).get('/api/search').query({ q: '方特' }).expect(200)).body as SearchResult;
    expect(result.total).toBe(12);
    expect(result.hits).toHaveLength(10);
    const offset = (await request(twelve).get('/api/search').query({ q: '方特', offset: 10 }).expect(200)).body as SearchResult;
    expect(offset.hits).toHaveLength(2);
  });

  it('says when results do not match exactly', async () => {
    const result = (await request(app).get('/api/search').query({ q: '方特乐园' }).expect(200)).body as SearchResult;
    expect(result.match).toBe('all-words');
    expect(result.hits[0].title).toBe('郑州方特开启暑期亲子游');
  });

  it.each([
    ['missing q', {}, /q is required/],
    ['empty q', { q: '' }, /q must not be empty/],
    ['blank q', { q: '   ' }, /q must not be empty/],
    ['limit=0', { q: '方特', limit: '0' }, /limit must be a whole number from 1 to 100/],
    ['limit=101', { q: '方特', limit: '101' }, /limit must be a whole number from 1 to 100/],
    ['limit=abc', { q: '方特', limit: 'abc' }, /limit must be a whole number from 1 to 100/],
    ['limit=1.5', { q: '方特', limit: '1.5' }, /limit must be a whole number/],
    ['offset=-1', { q: '方特', offset: '-1' }, /offset must be a whole number from 0 to 10000/],
    ['offset=10001', { q: '方特', offset: '10001' }, /offset must be a whole number from 0 to 10000/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const response = await request(app).get('/api/search').query(query).expect(400).expect('Content-Type', /json/);
    expect(response.body.error).toMatch(message);
  });

  it('answers 400 for q given twice', async () => {
    const response = await request(app).get('/api/search?q=a&q=b').expect(400);
    expect(response.body.error).toMatch(/only once/);
  });

  it('answers 400 with the QueryError message for a query that cannot be run', async () => {
    const response = await request(app).get('/api/search').query({ q: '"' }).expect(400);
    expect(response.body).toEqual({ error: 'The query has nothing to search for: type a word or phrase.' });
  });

  it('never returns document text unescaped in a snippet', async () => {
    const engine = SearchEngine.build([doc('x-1', '测试', '前言<script>alert("方特")</script>后记 & 更多')]);
    const result = (await request(createApp(engine)).get('/api/search').query({ q: '方特' }).expect(200)).body as SearchResult;
    expect(result.total).toBe(1);
    const { snippet } = result.hits[0];
    expect(snippet).not.toContain('<script');
    expect(snippet).toContain('&lt;script&gt;alert(&quot;<mark>方特</mark>&quot;)&lt;/script&gt;');
    expect(snippet).toContain('&amp; 更多');
  });
});

describe('errors', () => {
  it('answers 404 JSON for unknown API routes', async () => {
    const response = await request(app).get('/api/nope').expect(404).expect('Content-Type', /json/);
    expect(response.body.error).toMatch(/no such API endpoint: GET \/api\/nope/);
  });

  it('answers 500 without details when the engine fails', async () => {
    const failures: unknown[] = [];
    const broken = createApp(
      {
        search: () => {
          throw new Error('disk on fire');
        },
      },
      { onError: (error) => failures.push(error) },
    );
    const response = await request(broken).get('/api/search').query({ q: '方特' }).expect(500);
    expect(response.body).toEqual({ error: 'internal error' });
    expect(response.text).not.toContain('disk on fire');
    expect(failures).toHaveLength(1);
  });
});

describe('search page', () => {
  it('serves the HTML page with its script and style, under a strict CSP', async () => {
    const response = await request(app).get('/').expect(200).expect('Content-Type', /html/);
    expect(response.text).toContain('<form id="search"');
    expect(response.text).toContain('<script src="app.js" defer></script>');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
    await request(app).get('/app.js').expect(200).expect('Content-Type', /javascript/);
    await request(app).get('/style.css').expect(200).expect('Content-Type', /css/);
  });
});
