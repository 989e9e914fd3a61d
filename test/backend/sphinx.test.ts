/**
 * The Sphinx cluster backend against a real 2-shard cluster of searchd processes, started
 * on free loopback ports in a temporary directory and always stopped (afterAll): literal
 * matches equal a brute-force scan (the oracle), the API answers as with the embedded
 * engine, writes route and sweep, and a shard that is down or stalled gives a partial
 * answer within the agent timeout, full answers again once it is back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import request from 'supertest';
import { normalize } from '../../src/analysis/normalize';
import { SphinxBackend } from '../../src/backend/sphinx/backend';
import { ClusterLayout, clusterUrl, runningPid, startNode, stopCluster, stopNode, startCluster, writeCluster } from '../../src/backend/sphinx/cluster';
import { shardOf } from '../../src/backend/sphinx/tokens';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { BackendError, UpdateError } from '../../src/errors';
import { SearchResult } from '../../src/search/types';
import { EngineHolder } from '../../src/server/holder';
import { openApiDocument } from '../../src/server/openapi';
import { BackendSuggester } from '../../src/server/backendSuggest';
import { run } from '../cliRun';
import { DEMO_PAGE, corpusDocuments, doc } from '../helpers';
import { literalQuery, sampleQueries } from '../search/oracleQueries';
import { capturingLogger, quietApp } from '../server/helpers';

/** A validator of GET /api/search answers, from the OpenAPI document. */
function searchResultSchema(): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addVocabulary(['openapi', 'info', 'paths', 'components']);
  ajv.addSchema(openApiDocument as object, 'openapi.json');
  return ajv.compile({ $ref: 'openapi.json#/components/schemas/SearchResult' });
}

/** Most time the head waits for a shard: the bound of a partial answer's delay. */
const AGENT_TIMEOUT_MS = 2000;

let dir: string;
let layout: ClusterLayout;
let backend: SphinxBackend;
let docs: SearchDocument[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-sphinx-'));
  layout = await writeCluster(dir, { shards: 2, agentTimeoutMs: AGENT_TIMEOUT_MS });
  await startCluster(dir);
  backend = await SphinxBackend.open(clusterUrl(layout));
  // Sina news (long bodies, Latin and digits) and CCTV transcripts (short, dates, names), as the embedded oracle.
  const sina = await corpusDocuments('news-dev.jsonl.gz', 350);
  const cctv = (await corpusDocuments('news-large.jsonl.gz', 600)).filter((d) => d.fields?.source === 'cctv-xinwenlianbo').slice(0, 200);
  docs = [...sina, ...cctv];
  await backend.write(docs, { rebuild: true });
});

afterAll(async () => {
  await backend?.close();
  if (layout) await stopCluster(dir);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('literal matches through the cluster', () => {
  test('for 300 sampled queries the literal ids equal a brute-force scan', async () => {
    const haystacks = docs.map((d) => `${normalize(titleText(d))}\u0000${normalize(bodyText(d))}`);
    const failures: string[] = [];
    let expectedTotal = 0;
    for (const q of sampleQueries(docs, 300)) {
      const needle = normalize(q);
      const expected = docs.filter((_, i) => haystacks[i].includes(needle)).map((d) => d.id).sort();
      const result = await backend.search(literalQuery(q), { limit: docs.length, snippetLength: 0 });
      const literal = result.hits.filter((h) => h.literal).map((h) => h.id).sort();
      expect(result.exact_total).toBe(literal.length);
      expectedTotal += expected.length;
      if (JSON.stringify(literal) !== JSON.stringify(expected)) failures.push(`${q}: expected ${expected.length}, got ${literal.length}`);
    }
    expect(failures).toEqual([]);
    expect(expectedTotal).toBeGreaterThan(300);
    // 300 searches, each asking for every match and re-ranking the first 50: minutes on a loaded machine.
  }, 600_000);

  test('documents land on both shards, by the hash of their id', () => {
    const onFirst = docs.filter((d) => shardOf(d.id, 2) === 0).length;
    expect(onFirst).toBeGreaterThan(docs.length * 0.4);
    expect(onFirst).toBeLessThan(docs.length * 0.6);
  });
});

describe('the same JSON as the embedded engine', () => {
  let embedded: SearchEngine;
  beforeAll(() => {
    embedded = SearchEngine.build(docs);
  });

  test.each(['中国', '习近平 OR 特朗普', 'title:中国', '中国 -美国', '"经济 发展"', '吃饭了吗'])('%s: mode and counts as embedded, hits of the same shape', async (query) => {
    const cluster = await backend.search(query, { limit: 5, collapse: false });
    const local = embedded.search(query, { limit: docs.length, collapse: false, noSuggestion: true });
    expect([cluster.match, cluster.total, cluster.exact_total]).toEqual([local.match, local.total, local.exact_total]);
    expect(cluster.hits.length).toBe(Math.min(5, local.total));
    // Each hit as the embedded engine shows the same document (ranks may differ: see README "Scale-out").
    const shown = new Map(local.hits.map((h) => [h.id, h]));
    for (const hit of cluster.hits) {
      const same = shown.get(hit.id)!;
      expect({ ...hit, score: 0 }).toEqual({ ...same, score: 0 });
    }
  });

  test.each(['中国', '新闻 OR 经济', '吃饭了吗'])('facets of %s as the embedded engine counts them', async (query) => {
    const cluster = await backend.search(query, { limit: 1, facets: 5 });
    // The cluster's facets are the built-in fields, its `source` the source file (the embedded engine's `file`).
    const local = embedded.search(query, { limit: 1, facets: 5, collapse: false, noSuggestion: true, facetFields: ['kind', 'reporter', 'file', 'date'] });
    const { file, ...others } = local.facets!;
    expect(cluster.facets).toEqual({ ...others, source: file });
    expect(local.facets!.kind.length).toBeGreaterThan(0);
  });

  test('paging: two pages of 5 are the first 10 hits', async () => {
    const ten = await backend.search('中国', { limit: 10 });
    const second = await backend.search('中国', { limit: 5, offset: 5 });
    expect(second.hits.map((h) => h.id)).toEqual(ten.hits.slice(5).map((h) => h.id));
  });

  test('filters: dates ORed, a kind ANDed', async () => {
    const dates = [...new Set(docs.map((d) => d.date).filter((d): d is string => d !== undefined))].slice(0, 2);
    expect(dates).toHaveLength(2);
    const filters = [...dates.map((value) => ({ field: 'date' as const, value })), { field: 'kind' as const, value: 'article' }];
    const cluster = await backend.search('的', { limit: 500, snippetLength: 0, filters });
    const local = embedded.search('的', { limit: 500, snippetLength: 0, collapse: false, filters });
    expect(cluster.hits.map((h) => h.id).sort()).toEqual(local.hits.map((h) => h.id).sort());
    expect(cluster.hits.length).toBeGreaterThan(0);
  });

  test('/api/search, /api/doc/:id, /api/suggest and /api/health over the cluster', async () => {
    const app = quietApp(new EngineHolder(backend, new BackendSuggester(backend)));
    const search = await request(app).get('/api/search').query({ q: '中国', limit: 2 });
    expect(search.status).toBe(200);
    expect(search.body.match).toBe('exact');
    expect(searchResultSchema()(search.body)).toBe(true);
    expect(search.body.hits[0].snippet).toContain('<mark>中国</mark>');
    const id = search.body.hits[0].id as string;
    const view = await request(app).get(`/api/doc/${encodeURIComponent(id)}`).query({ q: '中国' });
    expect(view.status).toBe(200);
    expect(view.body.document.id).toBe(id);
    expect(view.body.paragraphs_html.join('')).toContain('<mark>中国</mark>');
    expect((await request(app).get('/api/doc/no-such-id')).status).toBe(404);
    const suggest = await request(app).get('/api/suggest').query({ q: docs[0].title.slice(0, 4) });
    expect(suggest.body.suggestions.map((s: { text: string }) => s.text)).toContain(docs[0].title);
    const health = await request(app).get('/api/health');
    expect(health.body.documents).toBe(docs.length);
    expect((await request(app).get('/api/search').query({ q: '   ' })).status).toBe(400);
    const filtersAlone = await request(app).get('/api/search').query({ q: 'kind:article' });
    expect([filtersAlone.status, filtersAlone.body.code]).toEqual([400, 'unsupported']);
  });
});

describe('writes', () => {
  const odd = doc('odd-1', '表情😀与控制符', '含有\u0001控制符、emoji😀🎉和罕见字𠀀的正文 \'引号" \\反斜杠');

  test('add, find any character literally, replace, remove', async () => {
    await backend.write([odd]);
    for (const q of ['😀', '"🎉和"', '𠀀', '\'引号', '\\反斜杠']) {
      const result = await backend.search(q, { limit: 5 });
      expect([q, result.hits.map((h) => h.id)]).toEqual([q, ['odd-1']]);
    }
    await backend.write([{ ...odd, paragraphs: ['换了正文'] }]);
    expect((await backend.search('𠀀', { limit: 5 })).hits.map((h) => h.id)).toEqual([]);
    expect((await backend.getDocument('odd-1'))?.paragraphs).toEqual(['换了正文']);
    await expect(backend.remove(['odd-1', 'never-there'])).rejects.toThrow(UpdateError);
    expect(await backend.getDocument('odd-1')).toBeDefined();
    await backend.remove(['odd-1']);
    expect(await backend.getDocument('odd-1')).toBeUndefined();
  });

  test('the CLI: search --json, add and remove, and a --shards that does not match', async () => {
    const url = clusterUrl(layout);
    const searched = await run(['search', '--backend', url, '中国', '--json', '--limit', '3']);
    expect(searched.code).toBe(0);
    const result = JSON.parse(searched.stdout) as SearchResult;
    expect([result.total, result.hits.length]).toEqual([(await backend.search('中国')).total, 3]);
    const added = await run(['add', '--backend', url, DEMO_PAGE]);
    expect(added.stdout).toMatch(/^Wrote 11 documents to the 2 shards of sphinx:/);
    const demo = (await backend.search('方特', { limit: 1 })).hits[0].id;
    expect((await run(['remove', '--backend', url, demo])).stdout).toBe(`Removed 1 documents from ${url}\n`);
    expect(await backend.getDocument(demo)).toBeUndefined();
    const wrongShards = await run(['index', '--backend', url, '--shards', '3', '--source', DEMO_PAGE]);
    expect(wrongShards.code).toBe(1);
    expect(wrongShards.stderr).toMatch(/--shards 3 but the cluster has 2 shards/);
  });

  test('a rebuild removes what the new sources lack, at its end', async () => {
    const extra = doc('gone-later', '将被清除', '这篇文章只在旧的来源里');
    await backend.write([...docs, extra], { rebuild: true });
    expect(await backend.getDocument('gone-later')).toBeDefined();
    const summary = await backend.write(docs, { rebuild: true });
    expect(summary.removed).toBe(1);
    expect(await backend.getDocument('gone-later')).toBeUndefined();
    expect((await backend.info()).documents).toBe(docs.length);
  });
});

describe('start-up errors', () => {
  test.each([
    ['http://127.0.0.1:9306/jiansuo', /not a sphinx:\/\/ URL/],
    ['sphinx://127.0.0.1:9306/', /must name the distributed index/],
    ['sphinx://127.0.0.1:1/jiansuo', /Cannot reach the Sphinx searchd at 127\.0\.0\.1:1 \(nothing listens there\)/],
  ])('%s', async (url, message) => {
    await expect(SphinxBackend.open(url)).rejects.toThrow(message);
  });

  test('a wrong index name and a wrong shard count', async () => {
    await expect(SphinxBackend.open(clusterUrl(layout).replace('/jiansuo?', '/nosuch?'))).rejects.toThrow(/has no index "nosuch"/);
    const oneShard = `sphinx://${layout.host}:${layout.head.sqlPort}/jiansuo?shards=${layout.host}:${layout.shards[0].sqlPort}`;
    await expect(SphinxBackend.open(oneShard)).rejects.toThrow(BackendError);
  });
});

describe('faults (run last: they stop and stall a shard)', () => {
  const shardFolder = (k: number): string => path.join(dir, layout.shards[k].name);

  test('a shard down: partial answers with a warning; back: full answers, without reopening', async () => {
    const full = await backend.search('中国', { limit: 1000, snippetLength: 0 });
    expect(full.partial).toBeUndefined();
    await stopNode(shardFolder(1));
    const partial = await backend.search('中国', { limit: 1000, snippetLength: 0 });
    expect(partial.partial).toBe(true);
    expect(partial.warnings!.join(' ')).toMatch(/agent .*:\d+/);
    expect(partial.hits.every((h) => shardOf(h.id, 2) === 0)).toBe(true);
    expect(partial.total).toBe(full.hits.filter((h) => shardOf(h.id, 2) === 0).length);
    const { logger, lines } = capturingLogger();
    const api = await request(quietApp(new EngineHolder(backend, new BackendSuggester(backend)), { logger })).get('/api/search').query({ q: '中国' });
    expect([api.status, api.body.partial, api.body.total]).toEqual([200, true, partial.total]);
    expect(searchResultSchema()(api.body)).toBe(true);
    expect(lines.some((line) => line.msg === 'partial result: some shards did not answer')).toBe(true);
    await startNode(shardFolder(1));
    const again = await backend.search('中国', { limit: 1000, snippetLength: 0 });
    expect(again.partial).toBeUndefined();
    expect(again.total).toBe(full.total);
  });

  test('a stalled shard: a partial answer once the agent timeout has passed, never a hang', async () => {
    const pid = runningPid(shardFolder(0))!;
    process.kill(pid, 'SIGSTOP');
    try {
      const result = await backend.search('中国', { limit: 1000, snippetLength: 0 });
      expect(result.partial).toBe(true);
      expect(result.hits.every((h) => shardOf(h.id, 2) === 1)).toBe(true);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await backend.search('中国', { limit: 1 })).partial).toBeUndefined();
  });

  test('every shard down: a BackendError (503 from the server), not a crash', async () => {
    await stopNode(shardFolder(0));
    await stopNode(shardFolder(1));
    try {
      await expect(backend.search('中国')).rejects.toThrow(/^No shard answered: index jiansuo: agent /);
    } finally {
      await startNode(shardFolder(0));
      await startNode(shardFolder(1));
    }
    expect((await backend.search('中国', { limit: 1 })).partial).toBeUndefined();
  });

  test('with requireAllShards a missing shard is an error, not a partial answer', async () => {
    const strict = await SphinxBackend.open(clusterUrl(layout), { requireAllShards: true });
    try {
      await stopNode(shardFolder(1));
      await expect(strict.search('中国')).rejects.toThrow(/Not every shard answered/);
      const api = await request(quietApp(new EngineHolder(strict, new BackendSuggester(strict)))).get('/api/search').query({ q: '中国' });
      expect(api.status).toBe(503);
      expect(api.body.error).toMatch(/Not every shard answered/);
    } finally {
      await startNode(shardFolder(1));
      await strict.close();
    }
  });
});
