/**
 * Direction controls (U+202E RLO, U+2066 LRI, …) in a document cannot spoof what the API
 * gives to be shown — title_html, snippets, the article view, typeahead — while the
 * stored document keeps them.
 */
import request from 'supertest';
import { SearchEngine } from '../../src/engine';
import { doc } from '../helpers';
import { quietApp } from './helpers';

const CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const title = '郑州\u202E公告\u202C新闻\u2066发布\u2069';
const body = '鼋鼍\u200F公园\u061C开放\u202A了\u202B。\u200E';
const app = quietApp(SearchEngine.build([doc('bidi-1', title, body)]), { rateLimit: false });

it('leaves direction controls out of title_html and snippets, and keeps the stored text', async () => {
  const { body: result } = await request(app).get('/api/search').query({ q: '鼋鼍' }).expect(200);
  expect(result.hits[0].title_html).toBe('郑州公告新闻发布');
  expect(result.hits[0].snippet).toBe('<mark>鼋鼍</mark>公园开放了。');
  expect(result.hits[0].title).toBe(title);
});

it('leaves them out of the article view, and keeps them in the stored document', async () => {
  const { body: view } = await request(app).get('/api/doc/bidi-1').query({ q: '公园' }).expect(200);
  expect(view.title_html).toBe('郑州公告新闻发布');
  expect(view.paragraphs_html).toEqual(['鼋鼍<mark>公园</mark>开放了。']);
  expect(view.document.title).toBe(title);
  expect(view.document.paragraphs).toEqual([body]);
});

it('leaves them out of typeahead suggestions', async () => {
  const { body: answer } = await request(app).get('/api/suggest').query({ q: '郑州' }).expect(200);
  expect(answer.suggestions.length).toBeGreaterThan(0);
  for (const suggestion of answer.suggestions) expect(suggestion.text).not.toMatch(CONTROLS);
  expect(answer.suggestions.map((s: { text: string }) => s.text)).toContain('郑州公告新闻发布');
});
