/**
 * Hostile documents — script tags, HTML entities, zero-width and direction characters,
 * NUL bytes, lone surrogates, a 1 MB single-line paragraph, a document over the size
 * limit, bytes that are not UTF-8 — are each indexed or rejected with a message, come
 * back through the API as text (only <mark> added), survive saving and reopening, and
 * leave their neighbours' results exactly as they would be without them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { BuildSummary, buildIndex } from '../src/build';
import { SearchEngine } from '../src/engine';
import { loadSources } from '../src/ingest';
import { DocumentView, SearchResult } from '../src/search/types';
import { onlyMarksAdded } from './arbitraries';
import { demoDocuments } from './helpers';
import { HOSTILE, HUGE_PARAGRAPH, writeHostileSources } from './hostileSources';
import { quietApp } from './server/helpers';

let work: string;
let sources: string;
let badLine: number;
let summary: BuildSummary;
let engine: SearchEngine;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-hostile-'));
  sources = path.join(work, 'sources');
  badLine = writeHostileSources(sources);
  summary = await buildIndex({ sources: [sources], out: path.join(work, 'index') });
  engine = SearchEngine.open(path.join(work, 'index'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const indexedHostile = HOSTILE.filter((record) => record.id !== 'too-long');

it('indexes every hostile document it can, and says why it left the others out', () => {
  expect(summary.problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.message}`)).toEqual([
    'gbk.txt:1: not valid UTF-8: convert the page to UTF-8 (e.g. iconv -f GBK -t UTF-8)',
    `hostile.jsonl:${badLine}: not valid UTF-8: save the file as UTF-8`,
  ]);
  expect(summary.rejected).toEqual([{ id: 'too-long', message: expect.stringMatching(/too long/) }]);
  expect(summary.documents).toBe(11 + indexedHostile.length);
  for (const record of indexedHostile) {
    const stored = engine.getDocument(record.id)!;
    expect(stored.title).toBe(record.title);
    expect(stored.paragraphs).toEqual([record.body]);
  }
  expect(engine.getDocument('huge')!.paragraphs[0].length).toBeGreaterThanOrEqual(HUGE_PARAGRAPH);
});

it('finds each of them, and answers through the API with text only <mark> was added to', async () => {
  const app = quietApp(engine);
  const result = (await request(app).get('/api/search').query({ q: '方特', limit: '100' }).expect(200)).body as SearchResult;
  expect(result.match).toBe('exact');
  const ids = result.hits.map((hit) => hit.id);
  for (const record of indexedHostile) expect(ids).toContain(record.id);
  for (const hit of result.hits) {
    expect(onlyMarksAdded(hit.title_html)).toBe(true);
    expect(onlyMarksAdded(hit.snippet)).toBe(true);
    expect(hit.snippet.length).toBeLessThan(400);
  }
  expect(result.hits.find((hit) => hit.id === 'script')!.title_html).toBe('&lt;script&gt;window.__pwned=1&lt;/script&gt;<mark>方特</mark>标题');
  for (const record of indexedHostile) {
    const view = (await request(app).get(`/api/doc/${record.id}`).query({ q: '方特' }).expect(200)).body as DocumentView;
    expect(view.document.paragraphs).toEqual([record.body]);
    for (const html of [view.title_html, ...view.paragraphs_html]) expect(onlyMarksAdded(html)).toBe(true);
    expect(view.paragraphs_html[0]).toContain('<mark>');
  }
  await request(app).get('/api/suggest').query({ q: '方' }).expect(200);
});

it('gives the same answers after saving and reopening as in memory', async () => {
  const { documents } = await loadSources([sources]);
  const inMemory = SearchEngine.build(documents);
  for (const q of ['方特', '空\u0000字符', '\uD800', '😀', 'abc123', '&lt;', '<script>', '倒过来', '零\u200B宽', '\u202E倒']) {
    const strip = (r: SearchResult) => ({ ...r, took_ms: 0 });
    expect(strip(engine.search(q, { limit: 50 }))).toEqual(strip(inMemory.search(q, { limit: 50 })));
  }
});

it('leaves the neighbouring documents exactly as they are without the hostile ones', () => {
  const alone = SearchEngine.build(demoDocuments());
  const demoIds = new Set(demoDocuments().map((d) => d.id.replace(/^000_2cd9194f99e4ed8d/, 'page')));
  for (const q of ['方特', '郑州', '楼院 -惠济区', '记者', '"红色物业"', '二七区', '社区']) {
    const shown = (result: SearchResult) =>
      result.hits
        .map((hit) => ({ id: hit.id.replace(/^000_2cd9194f99e4ed8d/, 'page'), title_html: hit.title_html, snippet: hit.snippet }))
        .filter((hit) => demoIds.has(hit.id))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    const before = alone.search(q, { limit: 100 });
    const after = engine.search(q, { limit: 100 });
    expect(after.match).toBe(before.match);
    expect(shown(after)).toEqual(shown(before));
  }
});
