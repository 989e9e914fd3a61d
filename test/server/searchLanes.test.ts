/** Which lane answers a query: the event loop, or the heavy lane (a stand-in here, whose answers the test releases). */
import request from 'supertest';
import { ServerBusyError } from '../../src/errors';
import { DocumentView, SearchOptions, SearchResult } from '../../src/search/types';
import { HeavyRunner, LONG_QUERY_UNITS } from '../../src/server/searchLanes';
import { heavyQueries } from '../../scripts/load/queries';
import { demoDocuments, demoEngine } from '../helpers';
import { quietApp, slowEngine } from './helpers';

/** A heavy lane whose searches wait until `release`; it records what it was asked. */
function heldLane(): HeavyRunner & { asked: string[]; options: SearchOptions[]; release: () => void } {
  const engine = demoEngine();
  const asked: string[] = [];
  const given: SearchOptions[] = [];
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    asked,
    options: given,
    ready: true,
    release: () => release(),
    async search(_generation: string | undefined, query: string, options: SearchOptions): Promise<SearchResult> {
      asked.push(query);
      given.push(options);
      await released;
      return engine.search(query, options);
    },
    async documentView(_generation: string | undefined, id: string, query?: string): Promise<DocumentView | undefined> {
      asked.push(`view ${id} ${query ?? ''}`);
      await released;
      return engine.documentView(id, query);
    },
  };
}

/** A heavy lane that is full: it refuses every call as the real one does when too many wait. */
const fullLane: HeavyRunner = {
  ready: true,
  search: () => Promise.reject(new ServerBusyError('the server is busy with 17 slow searches: try again in a few seconds, or with a shorter query')),
  documentView: () => Promise.reject(new ServerBusyError('busy')),
};


/** The heaviest shape the issue found: the 128 most common characters, separated by spaces (as the load script sends it). */
const heavy = heavyQueries(demoDocuments())[0];

it('a long query goes to the heavy lane, and simple ones are answered on the event loop while it waits', async () => {
  expect(heavy.length).toBeGreaterThan(LONG_QUERY_UNITS);
  const lane = heldLane();
  const app = quietApp(demoEngine(), { heavyLane: lane, rateLimit: false });
  let heavyDone = false;
  const heavyAnswer = request(app)
    .get('/api/search')
    .query({ q: heavy })
    .then((response) => {
      heavyDone = true;
      return response;
    });
  // Start it: supertest sends the request when awaited or then'd.
  while (lane.asked.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  for (const q of ['郑州', '方特', '暑期 亲子游']) {
    const simple = await request(app).get('/api/search').query({ q }).expect(200);
    expect((simple.body as SearchResult).total).toBeGreaterThan(0);
    expect(heavyDone).toBe(false);
  }
  expect(lane.asked).toEqual([heavy]);
  lane.release();
  const answer = (await heavyAnswer).body as SearchResult;
  const { took_ms: _took, hits: expectedHits, ...expected } = demoEngine().search(heavy, lane.options[0]);
  const { took_ms: tookMs, hits, ...body } = answer;
  expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
  expect(hits.map((h) => [h.id, h.score, h.snippet])).toEqual(expectedHits.map((h) => [h.id, h.score, h.snippet]));
  expect(tookMs).toBeGreaterThan(0);
});

it('a long query runs on the event loop while the heavy lane is not ready (its thread still starting)', async () => {
  const lane = { ...heldLane(), ready: false };
  const app = quietApp(demoEngine(), { heavyLane: lane, rateLimit: false });
  const answer = (await request(app).get('/api/search').query({ q: heavy }).expect(200)).body as SearchResult;
  expect(lane.asked).toEqual([]);
  expect(answer.total).toBe(demoEngine().search(heavy).total);
});

it('a short query still working at its deadline on the event loop is run again on the heavy lane', async () => {
  const engine = demoEngine();
  const slow = slowEngine();
  const lane = heldLane();
  lane.release();
  const app = quietApp(slow, { heavyLane: lane, rateLimit: false });
  const answer = (await request(app).get('/api/search').query({ q: '郑州' }).expect(200)).body as SearchResult;
  expect(lane.asked).toEqual(['郑州']);
  expect(answer.hits.map((h) => h.id)).toEqual(engine.search('郑州').hits.map((h) => h.id));
});

it('a document view with a long query is built on the heavy lane', async () => {
  const lane = heldLane();
  lane.release();
  const app = quietApp(demoEngine(), { heavyLane: lane, rateLimit: false });
  const id = demoDocuments()[0].id;
  const view = (await request(app).get(`/api/doc/${encodeURIComponent(id)}`).query({ q: heavy }).expect(200)).body as DocumentView;
  expect(lane.asked).toEqual([`view ${id} ${heavy}`]);
  expect(view.document.id).toBe(id);
});

it('a heavy lane that is full answers 503 with Retry-After and a message saying what to do', async () => {
  const app = quietApp(demoEngine(), { heavyLane: fullLane, rateLimit: false });
  const response = await request(app).get('/api/search').query({ q: heavy }).expect(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.body).toEqual({ error: 'the server is busy with 17 slow searches: try again in a few seconds, or with a shorter query', code: 'busy' });
  // A query that cannot be run is told so, not that the server is busy.
  const tooLong = await request(app).get('/api/search').query({ q: '字'.repeat(300) }).expect(400);
  expect((tooLong.body as { code: string }).code).toBe('query_too_long');
  // Simple queries are still answered.
  await request(app).get('/api/search').query({ q: '郑州' }).expect(200);
});
