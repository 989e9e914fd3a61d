/**
 * An admin upload of 10,000 records must not stop the server answering searches: the
 * upload is indexed on a worker thread and the new index opened beside the served one,
 * so searches sent meanwhile are answered — while the update holds the index's write
 * lock, and before the upload's own answer — from the old index, and the next search
 * after the answer sees the new documents.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { EngineHolder } from '../../src/server/holder';
import { IndexReloader } from '../../src/server/reload';
import { servedUpdates } from '../../src/server/servedUpdates';
import { RunningServer, startServer, stopServer } from '../../src/server/serve';
import { corpusDocuments, demoDocuments } from '../helpers';
import { ADMIN_TOKEN, quietApp } from './helpers';

const RECORDS = 10_000;
jest.setTimeout(300_000);

let dir: string;
let running: RunningServer;
let reloader: IndexReloader;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-upload-'));
  SearchEngine.build(demoDocuments()).save(dir);
  const holder = new EngineHolder(await SearchEngine.openAsync(dir));
  reloader = new IndexReloader({ dir, holder, open: (previous) => SearchEngine.openAsync(dir, {}, previous as SearchEngine | undefined), log: () => undefined });
  const app = quietApp(holder, { rateLimit: false, admin: { token: ADMIN_TOKEN, update: servedUpdates(dir, reloader) } });
  running = await startServer(app, 0, '127.0.0.1');
});
afterAll(async () => {
  reloader.close();
  await stopServer(running.server);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('keeps answering searches while it indexes a 10,000-record upload, and serves the upload when it answers', async () => {
  const news = await corpusDocuments('news-dev.jsonl.gz', 2000);
  const records = Array.from({ length: RECORDS }, (_, i) => {
    const doc = news[i % news.length];
    return { id: `upload-${i + 1}`, title: doc.title, body: doc.paragraphs.join('\n').slice(0, 120) };
  });
  const url = running.address.url;
  const search = async (q: string): Promise<{ total: number; hits: Array<{ id: string }> }> => {
    const response = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as { total: number; hits: Array<{ id: string }> };
  };
  const before = (await search('郑州')).total;

  let answered = false;
  const upload = fetch(`${url}/api/documents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(records),
  }).then(async (response) => {
    answered = true;
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  });
  let beforeAnswer = 0;
  let whileWriting = 0;
  while (!answered) {
    const result = await search('郑州');
    if (answered) break;
    beforeAnswer++;
    // The update holds the index's write lock from reading the index to switching generations.
    if (fs.existsSync(path.join(dir, 'LOCK'))) whileWriting++;
    if (result.total !== before) expect(result.hits.some((hit) => hit.id.startsWith('upload-'))).toBe(true);
  }
  const { status, body } = await upload;
  expect(status).toBe(200);
  expect(body).toMatchObject({ added: RECORDS, replaced: 0, documents: 11 + RECORDS, rejected: [] });
  expect(whileWriting).toBeGreaterThan(3);
  expect(beforeAnswer).toBeGreaterThanOrEqual(whileWriting);
  expect((await search(records[0].title)).hits.map((hit) => hit.id)).toContain('upload-1');
  expect((await search('郑州')).total).toBeGreaterThan(before);
});
