/** Refusing searches while the event loop is behind: LoopDelay with a clock the test moves, and the app's 503. */
import request from 'supertest';
import { SearchResult } from '../../src/search/types';
import { LoopDelay } from '../../src/server/loopDelay';
import { demoEngine } from '../helpers';
import { quietApp } from './helpers';

it('is as late as the time since its timers last ran, less the 100 ms between two runs', () => {
  let now = 0;
  const delay = new LoopDelay(() => now);
  now = 100;
  expect(delay.lateMs()).toBe(0);
  now = 1100;
  expect(delay.lateMs()).toBe(1000);
  delay.tick();
  now = 1150;
  expect(delay.lateMs()).toBe(0);
});

it('refuses searches, suggestions and document views with 503, Retry-After and a reason while more than maxMs behind, and answers them once the loop caught up', async () => {
  let now = 0;
  const delay = new LoopDelay(() => now);
  const engine = demoEngine();
  const app = quietApp(engine, { rateLimit: false, loopDelay: { delay, maxMs: 1000 } });
  now = 1150;
  const refused = await request(app).get('/api/search').query({ q: '郑州' }).expect(503);
  expect(refused.headers['retry-after']).toBe('5');
  expect(refused.body).toEqual({ error: 'the server is overloaded: it is 1050 ms behind with the requests it received; try again in a few seconds', code: 'overloaded' });
  const chinese = await request(app).get('/api/suggest').query({ q: '郑' }).set('Accept-Language', 'zh-CN').expect(503);
  expect(chinese.body).toEqual({ error: '服务器负载过高，来不及处理请求：请稍后再试。', code: 'overloaded' });
  await request(app).get('/api/doc/any').expect(503);
  // Health is still reported, so that a monitor sees the server up.
  await request(app).get('/api/health').expect(200);
  // Exactly maxMs behind is not too late.
  now = 1100;
  const answered = (await request(app).get('/api/search').query({ q: '郑州' }).expect(200)).body as SearchResult;
  expect(answered.hits.map((hit) => hit.id)).toEqual(engine.search('郑州').hits.map((hit) => hit.id));
  delay.tick();
  now = 1200;
  await request(app).get('/api/suggest').query({ q: '郑' }).expect(200);
});
