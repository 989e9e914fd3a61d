/**
 * The head's re-rank (src/backend/sphinx/rerank.ts) against real clusters of one and two
 * shards, started on free loopback ports in temporary directories and always stopped:
 * the re-ranked hits come in the embedded engine's order with its scores, and those do not
 * depend on how many shards the documents were spread over; paging past the re-ranked
 * window continues in the cluster's order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SphinxBackend } from '../../src/backend/sphinx/backend';
import { clusterUrl, startCluster, stopCluster, writeCluster } from '../../src/backend/sphinx/cluster';
import { DEFAULT_CLUSTER_RANKING } from '../../src/backend/sphinx/query';
import { SearchDocument } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { SearchHit } from '../../src/search/types';
import { corpusDocuments, doc } from '../helpers';

const FILLER = '游客很多，天气晴朗。';

/** Three bodies with the query's words: at the start, at the end, at the start of a long body and once more at its end. */
const CRAFTED: SearchDocument[] = [
  doc('late', '', FILLER.repeat(20) + '方特乐园今天开园。'),
  doc('long', '', '方特乐园今天开园。' + FILLER.repeat(300) + '方特乐园'),
  doc('lead', '', '方特乐园今天开园。' + FILLER.repeat(20)),
];

const dirs: string[] = [];
const backends: SphinxBackend[] = [];
let one: { url: string };
let two: { url: string };
let docs: SearchDocument[];
let engine: SearchEngine;

async function cluster(shards: number): Promise<{ url: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiansuo-rerank-${shards}-`));
  dirs.push(dir);
  const layout = await writeCluster(dir, { shards, agentTimeoutMs: 10_000 });
  await startCluster(dir);
  const url = clusterUrl(layout);
  const writer = await open(url);
  await writer.write(docs, { rebuild: true });
  return { url };
}

async function open(url: string, rerankWindow = DEFAULT_CLUSTER_RANKING.rerankWindow): Promise<SphinxBackend> {
  const backend = await SphinxBackend.open(url, { timeoutMs: 60_000, ranking: { ...DEFAULT_CLUSTER_RANKING, rerankWindow } });
  backends.push(backend);
  return backend;
}

const idsAndScores = (hits: SearchHit[]): Array<[string, number]> => hits.map((hit) => [hit.id, hit.score]);

beforeAll(async () => {
  docs = [...CRAFTED, ...(await corpusDocuments('news-dev.jsonl.gz', 250))];
  engine = SearchEngine.build(docs);
  one = await cluster(1);
  two = await cluster(2);
});

afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
  for (const dir of dirs) {
    if (fs.existsSync(path.join(dir, 'cluster.json'))) await stopCluster(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('the head re-rank', () => {
  test('orders a crafted case as the embedded engine does, with its scores', async () => {
    const query = '方特乐园今天开园';
    const embedded = engine.search(query, { collapse: false, snippetLength: 0 });
    expect(embedded.hits.map((hit) => hit.id)).toEqual(['lead', 'late', 'long']);
    const reranked = await (await open(two.url)).search(query, { snippetLength: 0 });
    expect(idsAndScores(reranked.hits)).toEqual(idsAndScores(embedded.hits));
    // The cluster's own ranker normalizes by length (the long body, with the words twice, comes last) but knows no lead: the other two tie (on one shard: one IDF).
    const plain = await (await open(one.url, 0)).search(query, { snippetLength: 0 });
    expect(plain.hits.map((hit) => hit.id).sort()).toEqual(['late', 'lead', 'long']);
    expect(plain.hits[2].id).toBe('long');
    expect(plain.hits[0].score).toBe(plain.hits[1].score);
    expect(plain.hits[1].score).toBeGreaterThan(plain.hits[2].score);
  });

  test('scores and orders the same hits alike on one and on two shards', async () => {
    // A window larger than any level here: both clusters re-rank the same candidates.
    const [single, double] = [await open(one.url, 300), await open(two.url, 300)];
    let compared = 0;
    for (const d of docs.slice(3, 13)) {
      const [a, b] = [await single.search(d.title, { limit: 20, snippetLength: 0 }), await double.search(d.title, { limit: 20, snippetLength: 0 })];
      expect(idsAndScores(b.hits)).toEqual(idsAndScores(a.hits));
      compared += a.hits.length;
    }
    expect(compared).toBeGreaterThan(150);
  });

  test('a long pasted passage, whose statistics take more statements than one multi-query holds, is re-ranked as the embedded engine does', async () => {
    const passage = docs[7].paragraphs.join('').slice(0, 200);
    const embedded = engine.search(passage, { collapse: false, snippetLength: 0, limit: 5 });
    const reranked = await (await open(two.url)).search(passage, { snippetLength: 0, limit: 5 });
    expect(reranked.hits[0].id).toBe(docs[7].id);
    // The same score for every hit both give; the candidates differ where the embedded engine asks a tenth of the words' IDF (README "Scale-out").
    const embeddedScore = new Map(idsAndScores(embedded.hits));
    const both = idsAndScores(reranked.hits).filter(([id]) => embeddedScore.has(id));
    expect(both.length).toBeGreaterThanOrEqual(4);
    expect(both).toEqual(both.map(([id]) => [id, embeddedScore.get(id)]));
  });

  test('past the window, pages continue in the cluster order', async () => {
    const [windowed, plain] = [await open(two.url, 5), await open(two.url, 0)];
    const query = docs[5].title;
    const whole = await windowed.search(query, { limit: 12, snippetLength: 0 });
    const pages = [await windowed.search(query, { limit: 4, snippetLength: 0 }), await windowed.search(query, { limit: 4, offset: 4, snippetLength: 0 }), await windowed.search(query, { limit: 4, offset: 8, snippetLength: 0 })];
    expect(pages.flatMap((page) => page.hits.map((hit) => hit.id))).toEqual(whole.hits.map((hit) => hit.id));
    const cluster = await plain.search(query, { limit: 12, snippetLength: 0 });
    // The headline's literal matches (its own article: fewer than the window) are all re-ranked, then the related level's first 5.
    const reranked = whole.exact_total + 5;
    expect(whole.exact_total).toBeGreaterThanOrEqual(1);
    expect(reranked).toBeLessThan(12);
    expect(whole.hits.slice(reranked).map((hit) => hit.id)).toEqual(cluster.hits.slice(reranked).map((hit) => hit.id));
    expect(new Set(whole.hits.slice(0, reranked).map((hit) => hit.id))).toEqual(new Set(cluster.hits.slice(0, reranked).map((hit) => hit.id)));
  });
});
