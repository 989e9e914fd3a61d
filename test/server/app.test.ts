import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { SearchEngine } from '../../src/engine';
import { FORMAT_VERSION } from '../../src/index/manifest';
import { DocumentView, SearchResult } from '../../src/search/types';
import { demoEngine, doc } from '../helpers';
import { brokenEngine, capturingLogger, quietApp } from './helpers';

const FANGTE = '000_2cd9194f99e4ed8d-10';
const SOURCE = '000_2cd9194f99e4ed8d.txt';
const app = quietApp(demoEngine());

async function search(query: Record<string, string | string[]>): Promise<SearchResult> {
  return (await request(app).get('/api/search').query(query).expect(200).expect('Content-Type', /json/)).body as SearchResult;
}

describe('GET /api/search', () => {
  it('finds the 方特 article exactly, title and snippet marked, with facet counts', async () => {
    const result = await search({ q: '方特' });
    expect(result.query).toBe('方特');
    expect(result.match).toBe('exact');
    expect(result.total).toBe(1);
    expect(result.hits[0].title).toBe('郑州方特开启暑期亲子游');
    expect(result.hits[0].title_html).toBe('郑州<mark>方特</mark>开启暑期亲子游');
    expect(result.hits[0].snippet).toContain('<mark>方特</mark>');
    expect(result.facets).toEqual({
      kind: [{ value: 'article', count: 1 }],
      reporter: [{ value: '卢文军', count: 1 }],
    });
    expect(Object.keys(result).sort()).toEqual(['exact_total', 'facets', 'folded', 'hits', 'match', 'query', 'took_ms', 'total']);
  });

  it('returns as many facet values as asked for, and none with facets=0', async () => {
    const top1 = await search({ q: '记者', facets: '1' });
    expect(top1.total).toBe(11);
    expect(top1.facets?.kind).toEqual([{ value: 'article', count: 9 }]);
    expect(top1.facets?.reporter).toHaveLength(1);
    expect(await search({ q: '记者', facets: '0' })).not.toHaveProperty('facets');
  });

  it("filters with filter=field:value: one field ORs, different fields AND, each facet counts the results of the other fields' filters", async () => {
    const both = await search({ q: '暑期' });
    expect(both.hits.map((hit) => hit.id).sort()).toEqual(['000_2cd9194f99e4ed8d-07', FANGTE]);

    const photo = await search({ q: '暑期', filter: 'kind:photo' });
    expect(photo.total).toBe(1);
    expect(photo.hits[0].title).toBe('许昌学院“我与祖国共成长”暑期实践队');
    expect(photo.facets?.kind).toEqual([
      { value: 'article', count: 1 },
      { value: 'photo', count: 1 },
    ]);
    expect(photo.facets?.reporter).toEqual([{ value: '孙志刚', count: 1 }]);

    const either = await search({ q: '暑期', filter: ['reporter:孙志刚', 'reporter:卢文军'] });
    expect(either.total).toBe(2);
    const none = await search({ q: '暑期', filter: ['reporter:孙志刚', 'kind:article'] });
    expect(none.total).toBe(0);
    expect(none.facets).toEqual({ kind: [{ value: 'photo', count: 1 }], reporter: [{ value: '卢文军', count: 1 }] });
    const correspondent = await search({ q: '社区', filter: 'correspondent:黄倩倩' });
    expect(correspondent.hits.map((hit) => hit.title)).toEqual(['汝河小区启动雨污分流改造']);
    const source = await search({ q: '方特', filter: `source:${SOURCE}` });
    expect(source.total).toBe(1);
  });

  it('pages with limit and offset', async () => {
    const all = await search({ q: '郑州', limit: '4' });
    expect(all.total).toBe(4);
    const first = await search({ q: '郑州', limit: '2' });
    const second = await search({ q: '郑州', limit: '2', offset: '2' });
    expect(first.hits.map((hit) => hit.id)).toEqual(all.hits.slice(0, 2).map((hit) => hit.id));
    expect(second.hits.map((hit) => hit.id)).toEqual(all.hits.slice(2, 4).map((hit) => hit.id));
  });

  it('uses 10 results and offset 0 by default', async () => {
    const docs = Array.from({ length: 12 }, (_, i) => doc(`d-${i}`, `第${i}篇`, `方特${'乐'.repeat(i)}`));
    const twelve = quietApp(SearchEngine.build(docs));
    const result = (await request(twelve).get('/api/search').query({ q: '方特' }).expect(200)).body as SearchResult;
    expect(result.total).toBe(12);
    expect(result.hits).toHaveLength(10);
    const offset = (await request(twelve).get('/api/search').query({ q: '方特', offset: 10 }).expect(200)).body as SearchResult;
    expect(offset.hits).toHaveLength(2);
  });

  it('says when results do not match exactly', async () => {
    const result = await search({ q: '方特乐园' });
    expect(result.match).toBe('all-words');
    expect(result.hits[0].title).toBe('郑州方特开启暑期亲子游');
  });

  it('passes pinyin expansions and "did you mean" through', async () => {
    const pinyin = await search({ q: 'fangte' });
    expect(pinyin.hits.map((hit) => hit.id)).toEqual([FANGTE]);
    expect(pinyin.expansions).toEqual([{ term: 'fangte', via: 'pinyin', words: ['方特'], readings: ['fang te'] }]);
    // As typed (correct=0): nothing, and the spelling that finds something.
    const typed = await search({ q: '放特', correct: '0' });
    expect([typed.total, typed.suggestion, typed.corrected_from]).toEqual([0, '方特', undefined]);
    // By default the answer is that spelling's results, saying which query ran instead of which.
    const corrected = await search({ q: '放特' });
    expect([corrected.query, corrected.corrected_from, corrected.suggestion]).toEqual(['方特', '放特', undefined]);
    expect(corrected.hits.map((hit) => hit.id)).toEqual([FANGTE]);
  });

  it('answers a query that finds nothing, with no spelling that finds something, as typed', async () => {
    const result = await search({ q: '量子计算机' });
    expect([result.query, result.total, result.corrected_from]).toEqual(['量子计算机', 0, undefined]);
  });

  it.each([
    ['missing q', {}, /^q is required/],
    ['empty q', { q: '' }, /^q must not be empty/],
    ['blank q', { q: '   ' }, /^q must not be empty/],
    ['limit=0', { q: '方特', limit: '0' }, /^limit must be a whole number from 1 to 100$/],
    ['limit=101', { q: '方特', limit: '101' }, /^limit must be a whole number from 1 to 100$/],
    ['limit=abc', { q: '方特', limit: 'abc' }, /^limit must be a whole number from 1 to 100$/],
    ['limit=1.5', { q: '方特', limit: '1.5' }, /^limit must be a whole number/],
    ['offset=-1', { q: '方特', offset: '-1' }, /^offset must be a whole number from 0 to 10000$/],
    ['offset=10001', { q: '方特', offset: '10001' }, /^offset must be a whole number from 0 to 10000$/],
    ['facets=51', { q: '方特', facets: '51' }, /^facets must be a whole number from 0 to 50$/],
    ['a filter without a colon', { q: '方特', filter: 'reporter' }, /^filter must be field:value .*; got "reporter"$/],
    ['an unknown filter field', { q: '方特', filter: 'author:卢文军' }, /^no document has a field "author" to filter by: the fields are kind, reporter, correspondent, source, date, file, year, month$/, 'unknown_field'],
    ['an empty filter value', { q: '方特', filter: 'reporter:' }, /; got "reporter:"$/],
    ['an unknown kind', { q: '方特', filter: 'kind:video' }, /kind: article or photo.*; got "kind:video"$/],
    ['21 filters', { q: '方特', filter: Array.from({ length: 21 }, (_, i) => `reporter:r${i}`) }, /^give at most 20 filters$/],
  ] as Array<[string, Record<string, unknown>, RegExp, string?]>)('answers 400 for %s', async (_name, query, message, code = 'bad_parameter') => {
    const response = await request(app).get('/api/search').query(query).expect(400).expect('Content-Type', /json/);
    expect(Object.keys(response.body)).toEqual(['error', 'code']);
    expect(response.body.code).toBe(code);
    expect(response.body.error).toMatch(message);
  });

  it('answers 400 for q or limit given twice', async () => {
    expect((await request(app).get('/api/search?q=a&q=b').expect(400)).body.error).toBe('give q only once');
    expect((await request(app).get('/api/search?q=a&limit=1&limit=2').expect(400)).body.error).toBe('give limit only once');
  });

  it('answers 400 with the QueryError message for a query that cannot be run', async () => {
    const response = await request(app).get('/api/search').query({ q: '"' }).expect(400);
    expect(response.body).toEqual({ error: 'The query has nothing to search for: type a word or phrase.', code: 'query_no_terms' });
  });

  it('never returns document text unescaped in a title or snippet', async () => {
    const engine = SearchEngine.build([doc('x-1', '<b>方特</b>', '前言<script>alert("方特")</script>后记 & 更多')]);
    const result = (await request(quietApp(engine)).get('/api/search').query({ q: '方特' }).expect(200)).body as SearchResult;
    const [hit] = result.hits;
    expect(hit.title_html).toBe('&lt;b&gt;<mark>方特</mark>&lt;/b&gt;');
    expect(hit.snippet).toContain('&lt;script&gt;alert(&quot;<mark>方特</mark>&quot;)&lt;/script&gt;');
    expect(hit.snippet).toContain('&amp; 更多');
  });
});

describe('GET /api/suggest', () => {
  const suggest = async (query: Record<string, string>) => (await request(app).get('/api/suggest').query(query).expect(200).expect('Content-Type', /json/)).body;

  it('suggests words and titles starting with, then containing, what was typed', async () => {
    expect(await suggest({ q: '二七' })).toEqual({
      query: '二七',
      suggestions: [
        { text: '二七', kind: 'word' },
        { text: '二七区', kind: 'word' },
        { text: '二七区党建引领提高基层治理水平', kind: 'title' },
        { text: '二七区新时代文明实践中心在西彩社区开展“健康文明社区行”志愿服务活动', kind: 'title' },
      ],
    });
    expect((await suggest({ q: '方特' })).suggestions).toEqual([
      { text: '方特', kind: 'word' },
      { text: '郑州方特开启暑期亲子游', kind: 'title' },
    ]);
  });

  it('accepts pinyin and initials', async () => {
    expect((await suggest({ q: 'fangte' })).suggestions[0]).toEqual({ text: '方特', kind: 'word', reading: 'fang te' });
    expect((await suggest({ q: 'ft' })).suggestions[0]).toEqual({ text: '方特', kind: 'word', reading: 'fang te' });
  });

  it('returns at most 10, or limit, and finds traditional characters through normalization', async () => {
    const many = await suggest({ q: '区' });
    expect(many.suggestions).toHaveLength(10);
    expect((await suggest({ q: '区', limit: '3' })).suggestions).toHaveLength(3);
    expect((await suggest({ q: '鄭州' })).suggestions.map((s: { text: string }) => s.text)).toEqual(['郑州', '郑州市', '郑州方特开启暑期亲子游']);
  });

  it('returns an empty list when nothing matches', async () => {
    expect(await suggest({ q: '量子' })).toEqual({ query: '量子', suggestions: [] });
  });

  it.each([
    ['missing q', {}, /^q is required: the text to search for, e.g. \/api\/suggest\?q=方$/],
    ['blank q', { q: ' ' }, /^q must not be empty/],
    ['q of 101 characters', { q: '字'.repeat(101) }, /^q must be at most 100 characters$/],
    ['limit=11', { q: '方', limit: '11' }, /^limit must be a whole number from 1 to 10$/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const response = await request(app).get('/api/suggest').query(query).expect(400);
    expect(response.body.error).toMatch(message);
  });
});

describe('GET /api/doc/:id', () => {
  it('returns the whole document with every match of q highlighted', async () => {
    const view = (await request(app).get(`/api/doc/${FANGTE}`).query({ q: '方特' }).expect(200)).body as DocumentView;
    const stored = demoEngine().getDocument(FANGTE)!;
    expect(view.document).toEqual(stored);
    expect(view.title_html).toBe('郑州<mark>方特</mark>开启暑期亲子游');
    expect(view.paragraphs_html).toHaveLength(stored.paragraphs.length);
    const occurrences = stored.paragraphs.join('\n').split('方特').length - 1;
    expect(occurrences).toBeGreaterThan(1);
    expect(view.paragraphs_html.join('\n').split('<mark>方特</mark>').length - 1).toBe(occurrences);
  });

  it('highlights nothing without q, or with a blank q', async () => {
    for (const url of [`/api/doc/${FANGTE}`, `/api/doc/${FANGTE}?q=%20`]) {
      const view = (await request(app).get(url).expect(200)).body as DocumentView;
      expect(view.title_html).toBe('郑州方特开启暑期亲子游');
      expect(view.paragraphs_html.join('')).not.toContain('<mark>');
    }
  });

  it('finds ids that need escaping in a URL, and escapes the text', async () => {
    const engine = SearchEngine.build([doc('报/2020 07#1', '<i>标题</i>', '正文 <b>粗</b> & 更多', { subtitle: '副<标题>' })]);
    const view = (await request(quietApp(engine)).get(`/api/doc/${encodeURIComponent('报/2020 07#1')}`).query({ q: '粗' }).expect(200)).body as DocumentView;
    expect(view.title_html).toBe('&lt;i&gt;标题&lt;/i&gt;');
    expect(view.subtitle_html).toBe('副&lt;标题&gt;');
    expect(view.paragraphs_html).toEqual(['正文 &lt;b&gt;<mark>粗</mark>&lt;/b&gt; &amp; 更多']);
  });

  it('marks the subtitle of a hit and of the article alike', async () => {
    const engine = SearchEngine.build([doc('s-1', '城市新闻', '正文没有这个词。', { subtitle: '二七塔夜景亮灯' })]);
    const subtitled = quietApp(engine);
    const hit = ((await request(subtitled).get('/api/search').query({ q: '二七塔' }).expect(200)).body as SearchResult).hits[0];
    const view = (await request(subtitled).get('/api/doc/s-1').query({ q: '二七塔' }).expect(200)).body as DocumentView;
    expect(hit.subtitle_html).toBe('<mark>二七塔</mark>夜景亮灯');
    expect(view.subtitle_html).toBe(hit.subtitle_html);
  });

  it('lists related articles with their dates, never the article itself or its copies', async () => {
    // Long enough for a fingerprint (duplicates.ts), so that the reprint is known as a copy.
    const body =
      '世锦赛前，新一期中国女排集训名单公布，朱婷领衔，袁心玥、张常宁、李盈莹入选。小组赛将在横滨进行，中国女排的目标是小组赛全胜晋级，' +
      '主教练郎平表示球队状态良好，队员们正在北仑基地进行最后阶段的封闭训练。女排世锦赛小组赛收官，中国女排全胜晋级复赛，朱婷得到全场最高分。';
    const engine = SearchEngine.build([
      doc('v-1', '中国女排全胜晋级', body, { date: '2018-10-05' }),
      doc('v-2', '中国女排全胜晋级（转载）', body, { date: '2018-10-06' }),
      doc('v-3', '女排复赛首战告捷', '世锦赛复赛首战，中国女排击败对手，朱婷再次得到全场最高分。', { date: '2018-10-12' }),
      doc('v-4', '郑州地铁新线开通', '地铁新线开通运营，市民乘车更方便。'),
    ]);
    const view = (await request(quietApp(engine)).get('/api/doc/v-1').expect(200)).body as DocumentView;
    expect(view.duplicates.map((copy) => copy.id)).toEqual(['v-2']);
    expect(view.related).toEqual([{ id: 'v-3', title: '女排复赛首战告捷', date: '2018-10-12' }]);
  });

  it('says why a request failed in the language Accept-Language prefers, with a code the same in both', async () => {
    const long = '方'.repeat(257);
    const english = await request(app).get('/api/search').query({ q: long }).expect(400);
    expect(english.body).toEqual({ error: 'The query is too long: at most 256 characters.', code: 'query_too_long' });
    const chinese = await request(app).get('/api/search').query({ q: long }).set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.8').expect(400);
    expect(chinese.body).toEqual({ error: '查询太长：最多 256 个字符。', code: 'query_too_long' });
    expect(chinese.headers.vary).toMatch(/Accept-Language/);
    const zh = { 'Accept-Language': 'zh' };
    expect((await request(app).get('/api/search').query({ q: '方特', limit: '0' }).set(zh).expect(400)).body).toEqual({ error: '参数“limit”的值无效：可用的取值见 GET /api/openapi.json。', code: 'bad_parameter' });
    expect((await request(app).get('/api/doc/nope').set(zh).expect(404)).body).toEqual({ error: '没有编号为“nope”的文章。', code: 'no_such_document' });
    expect((await request(app).get(`/api/doc/${'x'.repeat(513)}`).set(zh).expect(400)).body).toEqual({ error: '文章编号无效：编号不能为空白，最长 512 字节（UTF-8）。', code: 'bad_id' });
  });

  it('answers 404 for an unknown id, 400 for a query that cannot be run or given twice', async () => {
    expect((await request(app).get('/api/doc/nope').expect(404).expect('Content-Type', /json/)).body).toEqual({ error: 'no document has the id "nope"', code: 'no_such_document' });
    expect((await request(app).get(`/api/doc/${FANGTE}`).query({ q: '"' }).expect(400)).body).toEqual({ error: 'The query has nothing to search for: type a word or phrase.', code: 'query_no_terms' });
    expect((await request(app).get(`/api/doc/${FANGTE}?q=a&q=b`).expect(400)).body).toEqual({ error: 'give q only once', code: 'bad_parameter' });
  });
});

describe('GET /api/health', () => {
  it('reports the document count, format version and uptime', async () => {
    const health = (await request(app).get('/api/health').expect(200)).body;
    expect(Object.keys(health).sort()).toEqual(['documents', 'format_version', 'status', 'uptime_s']);
    expect(health).toMatchObject({ status: 'ok', documents: 11, format_version: FORMAT_VERSION });
  });

  it('counts uptime in seconds from when the app was created', async () => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-01T08:00:00Z'));
    try {
      const timed = quietApp(demoEngine());
      expect((await request(timed).get('/api/health').expect(200)).body.uptime_s).toBe(0);
      clock.mockReturnValue(Date.parse('2026-12-01T09:01:30.250Z'));
      expect((await request(timed).get('/api/health').expect(200)).body.uptime_s).toBe(3690.25);
    } finally {
      clock.mockRestore();
    }
  });

  it('says when an index opened from disk was built', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-health-'));
    try {
      const manifest = SearchEngine.build([doc('a', '标题', '正文')]).save(dir);
      const health = (await request(quietApp(SearchEngine.open(dir))).get('/api/health').expect(200)).body;
      expect(health).toMatchObject({ documents: 1, format_version: FORMAT_VERSION, index_created_at: manifest.createdAt });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors', () => {
  it('answers 404 JSON for unknown API routes and methods', async () => {
    expect((await request(app).get('/api/nope').expect(404).expect('Content-Type', /json/)).body.error).toBe('no such API endpoint: GET /api/nope; see GET /api/openapi.json');
    expect((await request(app).post('/api/search').expect(404)).body.error).toMatch(/^no such API endpoint: POST \/api\/search/);
  });

  it('answers 400 JSON for a URL that cannot be decoded', async () => {
    expect((await request(app).get('/api/doc/%E0%A4%A').expect(400).expect('Content-Type', /json/)).body).toEqual({ error: 'bad request: the URL or its parameters could not be read' });
  });

  it('answers 500 without details when the engine fails, and logs the stack', async () => {
    const { logger, lines } = capturingLogger();
    const broken = quietApp(brokenEngine(), { logger });
    for (const url of ['/api/search?q=方特', '/api/doc/x', '/api/health', '/doc/x']) {
      const response = await request(broken).get(encodeURI(url)).expect(500).expect('Content-Type', /json/);
      expect(response.body).toEqual({ error: 'internal error', code: 'internal' });
      expect(response.text).not.toContain('disk on fire');
      expect(response.text).not.toMatch(/\bat \S+ \(/);
    }
    const failures = lines.filter((line) => line.msg === 'internal error');
    expect(failures.map((line) => line.path)).toEqual(['/api/search', '/api/doc/x', '/api/health', '/doc/x']);
    expect((failures[0].err as { stack: string }).stack).toContain('disk on fire');
  });

  it('answers 500 when the typeahead fails', async () => {
    const broken = quietApp(demoEngine(), {
      suggester: {
        suggest: () => {
          throw new Error('index gone');
        },
      },
    });
    expect((await request(broken).get('/api/suggest?q=a').expect(500)).body).toEqual({ error: 'internal error', code: 'internal' });
  });
});

describe('request log', () => {
  it('writes one line per request: method, path without the query, status, milliseconds', async () => {
    const { logger, lines } = capturingLogger();
    const logged = quietApp(demoEngine(), { logger });
    await request(logged).get('/api/search').query({ q: '方特' }).expect(200);
    await request(logged).get('/api/doc/nope').expect(404);
    await request(logged).get('/style.css').expect(200);
    expect(lines.map(({ msg, method, path: p, status }) => ({ msg, method, path: p, status }))).toEqual([
      { msg: 'request', method: 'GET', path: '/api/search', status: 200 },
      { msg: 'request', method: 'GET', path: '/api/doc/nope', status: 404 },
      { msg: 'request', method: 'GET', path: '/style.css', status: 200 },
    ]);
    for (const line of lines) expect(typeof line.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('方特');
  });
});

describe('the page and its headers', () => {
  it('serves the page under a CSP that forbids inline script, with helmet headers', async () => {
    const response = await request(app).get('/').expect(200).expect('Content-Type', /html/);
    expect(response.text).toContain('<form id="search"');
    expect(response.text).toContain('<script type="module" src="/js/main.js"></script>');
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.text).not.toMatch(/\son[a-z]+=/);
    const csp = response.headers['content-security-policy'];
    expect(csp.split(';')).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]),
    );
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('serves every script module the page imports, and its style and icon', async () => {
    const seen = new Set<string>();
    const pending = ['/js/main.js'];
    while (pending.length > 0) {
      const url = pending.pop()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const script = (await request(app).get(url).expect(200).expect('Content-Type', /javascript/)).text;
      // Nothing is ever parsed as HTML on the page.
      expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      for (const [, imported] of script.matchAll(/^import .* from '\.\/([\w-]+\.js)';$/gm)) pending.push(`/js/${imported}`);
    }
    expect([...seen].sort()).toEqual(['/js/api.js', '/js/article.js', '/js/combobox.js', '/js/dom.js', '/js/facets.js', '/js/main.js', '/js/messages.js', '/js/results.js', '/js/timeline.js', '/js/url.js']);
    await request(app).get('/style.css').expect(200).expect('Content-Type', /css/);
    await request(app).get('/archive.css').expect(200).expect('Content-Type', /css/);
    await request(app).get('/favicon.svg').expect(200).expect('Content-Type', /svg/);
  });

  it('renders the page in Chinese by default, in the language Accept-Language prefers, and in the one lang= picks (remembered in a cookie)', async () => {
    const zh = (await request(app).get('/').expect(200)).text;
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('placeholder="输入文字，如：方特、fangte"');
    expect(zh).toContain('<a id="lang-switch" class="lang-switch" href="?lang=en" lang="en" hreflang="en">English</a>');
    expect(zh).not.toMatch(/\{\{|Search|Back to/);

    const en = await request(app).get('/').set('Accept-Language', 'en-GB,en;q=0.9,zh;q=0.5').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('<button type="submit">Search</button>');
    expect(en.text).toContain('<h1 id="doc-title" tabindex="-1" lang="zh-CN">');
    expect(en.text).not.toMatch(/返回|筛选|搜索建议/);
    expect(en.headers.vary).toMatch(/Accept-Language/);
    expect((await request(app).get('/').set('Accept-Language', 'fr').expect(200)).text).toContain('<html lang="zh-CN">');

    const picked = await request(app).get('/?lang=en&q=%E6%96%B9%E7%89%B9').set('Accept-Language', 'zh-CN').expect(200);
    expect(picked.text).toContain('<html lang="en">');
    const cookie = String(picked.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe('jiansuo_lang=en');
    // Remembered: the next page (an article, a missing page) is English too, whatever the browser prefers.
    expect((await request(app).get(`/doc/${FANGTE}`).set('Accept-Language', 'zh-CN').set('Cookie', cookie).expect(200)).text).toContain('<html lang="en">');
    expect((await request(app).get('/no/such/page').set('Cookie', cookie).expect(404)).text).toContain('<html lang="en">');
    expect((await request(app).get('/?lang=zh').set('Cookie', cookie).expect(200)).text).toContain('<html lang="zh-CN">');
  });

  it('serves the page at /doc/:id, with 404 for an unknown id or page', async () => {
    expect((await request(app).get(`/doc/${FANGTE}`).expect(200).expect('Content-Type', /html/)).text).toContain('<article id="doc-view"');
    expect((await request(app).get('/doc/nope').expect(404).expect('Content-Type', /html/)).text).toContain('<article id="doc-view"');
    await request(app).get('/no/such/page').expect(404).expect('Content-Type', /html/);
  });
});
