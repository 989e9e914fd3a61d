import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import request from 'supertest';
import { openApiDocument } from '../../src/server/openapi';
import { SearchEngine } from '../../src/engine';
import { BackendError, ServerBusyError, UnservedUpdateError, UnsupportedQueryError } from '../../src/errors';
import { ARCHIVE } from '../archive';
import { demoDocuments, demoEngine, doc } from '../helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoopDelay } from '../../src/server/loopDelay';
import { ADMIN_TOKEN, adminApp, brokenEngine, quietApp } from './helpers';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
type Method = 'get' | 'post' | 'delete';
interface Description {
  paths: Record<string, Partial<Record<Method, Operation>>>;
}

const description = openApiDocument as unknown as Description;
const app = quietApp(demoEngine());
const withFields = quietApp(
  SearchEngine.build([doc('j-1', '标题', '正文 方特', { subtitle: '副标题', date: '2020-07-04', fields: { category: '新闻', views: 3 }, correspondents: ['通讯员甲'] })]),
);
const archive = quietApp(SearchEngine.build(ARCHIVE));
const clusterRefusing = quietApp({
  ...brokenEngine(),
  search: () => {
    throw new UnsupportedQueryError('A Sphinx/Manticore cluster cannot sort by date (sort=newest) yet: search an index directory (--index) for that.', 'sort');
  },
});
const clusterDown = quietApp({
  ...brokenEngine(),
  search: () => {
    throw new BackendError('Not every shard answered: index jiansuo: agent 127.0.0.1:9312: connect() failed');
  },
});
const broken = quietApp(brokenEngine(), {
  suggester: {
    suggest: () => {
      throw new Error('index gone');
    },
  },
});
// An event loop 1,050 ms behind: its timers last ran at 0, the clock now reads 1,150.
let loopClock = 0;
const lateLoop = new LoopDelay(() => loopClock);
loopClock = 1150;
const overloaded = quietApp(demoEngine(), { loopDelay: { delay: lateLoop, maxMs: 1000 } });
const busy = quietApp(demoEngine(), {
  heavyLane: {
    ready: true,
    search: () => Promise.reject(new ServerBusyError('the server is busy with 17 slow searches: try again in a few seconds, or with a shorter query')),
    documentView: () => Promise.reject(new ServerBusyError('busy')),
  },
});

// The document's schemas compiled with Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses); strict, so a typo in a schema fails too.
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addVocabulary(['openapi', 'info', 'paths', 'components']);
ajv.addSchema(openApiDocument as object, 'openapi.json');

function pointer(...parts: string[]): string {
  return parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function responseValidator(template: string, status: number, method: Method = 'get'): ValidateFunction {
  const response = description.paths[template]?.[method]?.responses[String(status)];
  if (!response?.content?.['application/json']) throw new Error(`${method.toUpperCase()} ${template} does not document a JSON ${status} response`);
  return ajv.compile({ $ref: `openapi.json#/${pointer('paths', template, method, 'responses', String(status), 'content', 'application/json', 'schema')}` });
}

type App = typeof app;
const cases: Array<[string, App, string, string, number]> = [
  ['a search with facets', app, '/api/search', '/api/search?q=郑州&limit=2', 200],
  ['a search with a filter', app, '/api/search', '/api/search?q=暑期&filter=kind:photo', 200],
  ['a search with no results and no facets', app, '/api/search', '/api/search?q=量子计算&facets=0', 200],
  ['a relaxed search', app, '/api/search', '/api/search?q=方特乐园', 200],
  ['a pinyin search, with its expansion', app, '/api/search', '/api/search?q=fangte', 200],
  ['a misspelt search, with "did you mean"', app, '/api/search', '/api/search?q=放特', 200],
  ['a hit with subtitle, date, fields, correspondents', withFields, '/api/search', '/api/search?q=方特', 200],
  ['an archive by date, filtered, with record facets and the timeline', archive, '/api/search', '/api/search?q=新闻&sort=newest&timeline=1&filter=category:体育&filter=date:2018', 200],
  ['a sort a cluster cannot do', clusterRefusing, '/api/search', '/api/search?q=a&sort=newest', 400],
  ['a search without q', app, '/api/search', '/api/search', 400],
  ['a query that cannot be run', app, '/api/search', '/api/search?q="', 400],
  ['a bad filter', app, '/api/search', '/api/search?q=a&filter=x', 400],
  ['a failing search', broken, '/api/search', '/api/search?q=a', 500],
  ['a long search while the slow-query lane is full', busy, '/api/search', `/api/search?q=${'郑州 '.repeat(30)}`, 503],
  ['a cluster that did not answer', clusterDown, '/api/search', '/api/search?q=a', 503],
  ['suggestions', app, '/api/suggest', '/api/suggest?q=区', 200],
  ['no suggestions', app, '/api/suggest', '/api/suggest?q=量子', 200],
  ['pinyin suggestions', app, '/api/suggest', '/api/suggest?q=fangte', 200],
  ['suggest without q', app, '/api/suggest', '/api/suggest', 400],
  ['a failing suggest', broken, '/api/suggest', '/api/suggest?q=a', 500],
  ['a suggestion while the event loop is behind', overloaded, '/api/suggest', '/api/suggest?q=区', 503],
  ['a document while the event loop is behind', overloaded, '/api/doc/{id}', '/api/doc/j-1', 503],
  ['a document', app, '/api/doc/{id}', '/api/doc/000_2cd9194f99e4ed8d-01?q=楼院', 200],
  ['a document with subtitle, date and fields', withFields, '/api/doc/{id}', '/api/doc/j-1', 200],
  ['a document with a bad query', app, '/api/doc/{id}', '/api/doc/000_2cd9194f99e4ed8d-01?q="', 400],
  ['an unknown document', app, '/api/doc/{id}', '/api/doc/nope', 404],
  ['a failing document', broken, '/api/doc/{id}', '/api/doc/x', 500],
  ['health', app, '/api/health', '/api/health', 200],
  ['a failing health check', broken, '/api/health', '/api/health', 500],
  ['the description itself', app, '/api/openapi.json', '/api/openapi.json', 200],
];

const exercised = new Set<string>();

describe('responses conform to /api/openapi.json', () => {
  it('serves the description', async () => {
    const served = await request(app).get('/api/openapi.json').expect(200).expect('Content-Type', /json/);
    expect(served.body).toEqual(openApiDocument);
    expect(Object.keys(description.paths).sort()).toEqual(['/api/doc/{id}', '/api/documents', '/api/documents/{id}', '/api/health', '/api/openapi.json', '/api/search', '/api/suggest']);
  });

  it.each(cases)('%s', async (_name, server, template, url, status) => {
    const response = await request(server).get(encodeURI(url)).expect(status).expect('Content-Type', /application\/json/);
    const validate = responseValidator(template, status);
    const valid = validate(response.body);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    exercised.add(`get ${template} ${status}`);
  });

  describe('admin endpoints', () => {
    const served = adminApp(demoDocuments());
    const failing = adminApp(demoDocuments().slice(0, 1), {
      update: () => {
        throw new Error('disk on fire');
      },
    });
    const unserved = adminApp(demoDocuments().slice(0, 1), {
      update: () => {
        throw new UnservedUpdateError('the update of /x was written, but the server is stopping: it will be served from the next start');
      },
    });
    afterAll(() => [served, failing, unserved].forEach((s) => s.cleanup()));
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const record = { id: 'api-1', title: '标题', body: '正文', date: '2020-02-30' };
    type Send = (app: App) => request.Test;
    const adminCases: Array<[string, Method, string, Send, number]> = [
      ['an upload', 'post', '/api/documents', (app) => request(app).post('/api/documents').set(auth).send(record), 200],
      ['a bad record', 'post', '/api/documents', (app) => request(app).post('/api/documents').set(auth).send({ id: 'x' }), 400],
      ['no token', 'post', '/api/documents', (app) => request(app).post('/api/documents').send(record), 401],
      ['an upload while locked', 'post', '/api/documents', (app) => request(app).post('/api/documents').set(auth).send(record), 409],
      ['a body not JSON', 'post', '/api/documents', (app) => request(app).post('/api/documents').set(auth).set('Content-Type', 'text/csv').send('a,b'), 415],
      ['a deletion', 'delete', '/api/documents/{id}', (app) => request(app).delete('/api/documents/api-1').set(auth), 200],
      ['an unknown id', 'delete', '/api/documents/{id}', (app) => request(app).delete('/api/documents/nope').set(auth), 404],
      ['a blank id', 'delete', '/api/documents/{id}', (app) => request(app).delete('/api/documents/%20%20').set(auth), 400],
      ['a deletion without token', 'delete', '/api/documents/{id}', (app) => request(app).delete('/api/documents/nope'), 401],
      ['a deletion while locked', 'delete', '/api/documents/{id}', (app) => request(app).delete('/api/documents/000_2cd9194f99e4ed8d-01').set(auth), 409],
    ];
    it.each(adminCases)('%s', async (name, method, template, send, status) => {
      const lock = path.join(served.dir, 'LOCK');
      if (name.endsWith('while locked')) fs.writeFileSync(lock, `${process.ppid}\n`);
      try {
        const response = await send(served.app).expect(status).expect('Content-Type', /application\/json/);
        const validate = responseValidator(template, status, method);
        expect(validate(response.body)).toBe(true);
        exercised.add(`${method} ${template} ${status}`);
      } finally {
        fs.rmSync(lock, { force: true });
      }
    });
    const upload: Send = (app) => request(app).post('/api/documents').set(auth).send(record);
    const deletion: Send = (app) => request(app).delete('/api/documents/x').set(auth);
    it.each([
      ['post', '/api/documents', upload, 'failing', 500],
      ['delete', '/api/documents/{id}', deletion, 'failing', 500],
      ['post', '/api/documents', upload, 'written but not served', 503],
      ['delete', '/api/documents/{id}', deletion, 'written but not served', 503],
    ] as Array<[Method, string, Send, string, number]>)('%s %s, %s: %d', async (method, template, send, what, status) => {
      const response = await send(what === 'failing' ? failing.app : unserved.app).expect(status);
      expect(responseValidator(template, status, method)(response.body)).toBe(true);
      exercised.add(`${method} ${template} ${status}`);
    });
    it('an upload too large', async () => {
      const small = adminApp(demoDocuments().slice(0, 1), { maxBodyBytes: 100 });
      try {
        const response = await request(small.app).post('/api/documents').set(auth).send({ ...record, body: '长'.repeat(100) }).expect(413);
        expect(responseValidator('/api/documents', 413, 'post')(response.body)).toBe(true);
        exercised.add('post /api/documents 413');
      } finally {
        small.cleanup();
      }
    });
  });

  it('rejects responses that break the schemas (the validator is not vacuous)', () => {
    const result = responseValidator('/api/search', 200);
    expect(result({ query: 'a', total: 0, took_ms: 1, match: 'exact', hits: [], extra: 1 })).toBe(false);
    expect(result({ query: 'a', total: 0, took_ms: 1, match: 'fuzzy', hits: [] })).toBe(false);
    expect(result({ query: 'a', total: 1, took_ms: 1, match: 'exact', hits: [{ id: 'x' }] })).toBe(false);
    expect(result({ query: 'a', total: 0, exact_total: 0, folded: 0, took_ms: 1, match: 'exact', hits: [], timeline: [{ period: '2018-5', count: 1 }] })).toBe(false);
    expect(result({ query: 'a', total: 0, exact_total: 0, folded: 0, took_ms: 1, match: 'exact', hits: [], facets: { category: [{ value: '体育' }] } })).toBe(false);
    expect(responseValidator('/api/doc/{id}', 404)({ error: '' })).toBe(false);
    expect(responseValidator('/api/suggest', 200)({ query: 'a', suggestions: [{ text: 'a', kind: 'phrase' }] })).toBe(false);
  });

  it('every documented response was produced above', () => {
    const documented = Object.entries(description.paths).flatMap(([template, item]) =>
      Object.entries(item).flatMap(([method, operation]) => Object.keys(operation.responses).map((status) => `${method} ${template} ${status}`)),
    );
    expect([...exercised].sort()).toEqual(documented.sort());
  });
});
