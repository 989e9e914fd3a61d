import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { UnservedUpdateError } from '../../src/errors';
import { adminRoutes } from '../../src/server/admin';
import { demoDocuments, demoEngine } from '../helpers';
import { ADMIN_TOKEN, adminApp, quietApp } from './helpers';

const record = { id: 'api-1', title: '郑州新开一座鼋鼍主题公园', body: '第一段：公园位于郑东新区。\n第二段：门票五十元。', date: '2020-08-01', category: '本地' };
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('admin endpoints', () => {
  let served: ReturnType<typeof adminApp>;
  beforeEach(() => {
    served = adminApp(demoDocuments());
  });
  afterEach(() => served.cleanup());

  it('do not exist without an admin token', async () => {
    const app = quietApp(demoEngine(), { rateLimit: false });
    const response = await request(app).post('/api/documents').set(auth).send(record).expect(404);
    expect(response.body.error).toBe('no such API endpoint: POST /api/documents; see GET /api/openapi.json');
    await request(app).delete('/api/documents/000_2cd9194f99e4ed8d-01').set(auth).expect(404);
  });

  it('refuse a missing or wrong token with 401, changing nothing', async () => {
    const missing = await request(served.app).post('/api/documents').send(record).expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="jiansuo admin"');
    expect(missing.body.error).toMatch(/needs the admin token/);
    await request(served.app).post('/api/documents').set('Authorization', `Bearer ${ADMIN_TOKEN}x`).send(record).expect(401);
    await request(served.app).delete('/api/documents/000_2cd9194f99e4ed8d-01').set('Authorization', ADMIN_TOKEN).expect(401);
    expect(served.holder.current.engine.info().documents).toBe(11);
  });

  it('add a document that the next search finds, then replace and delete it', async () => {
    const added = await request(served.app).post('/api/documents').set(auth).send(record).expect(200);
    expect(added.body).toMatchObject({ added: 1, replaced: 0, removed: 0, rejected: [], documents: 12, segments: 2, merged: false, warnings: [] });
    const found = await request(served.app).get('/api/search').query({ q: '鼋鼍主题' }).expect(200);
    expect(found.body.hits.map((hit: { id: string }) => hit.id)).toEqual(['api-1']);
    expect(found.body.hits[0]).toMatchObject({ date: '2020-08-01', source: 'api', fields: { category: '本地' } });

    const replaced = await request(served.app)
      .post('/api/documents')
      .set(auth)
      .send([{ ...record, body: '改写后的正文，不再提门票。', date: '2020-13-01' }])
      .expect(200);
    expect(replaced.body).toMatchObject({ added: 0, replaced: 1, documents: 12, warnings: ['record 1: "date" "2020-13-01" is not a real YYYY-MM-DD date; the record is kept without a date'] });
    expect((await request(served.app).get('/api/search').query({ q: '"门票五十元"' })).body.total).toBe(0);
    expect((await request(served.app).get('/api/doc/api-1')).body.document.paragraphs).toEqual(['改写后的正文，不再提门票。']);

    const removed = await request(served.app).delete('/api/documents/api-1').set(auth).expect(200);
    expect(removed.body).toMatchObject({ removed: 1, documents: 11 });
    await request(served.app).get('/api/doc/api-1').expect(404);
    expect((await request(served.app).delete('/api/documents/api-1').set(auth).expect(404)).body.error).toBe('no document has the id "api-1"; nothing was changed');
  });

  it('refuse a bad upload whole, saying what is wrong, and change nothing', async () => {
    const bad = await request(served.app)
      .post('/api/documents')
      .set(auth)
      .send([record, { id: 'api-2', title: '没有正文' }, { title: '没有编号', body: '正文' }, 7])
      .expect(400);
    expect(bad.body.error).toBe(
      'record 2: "body" is missing: every record needs a string "body"; record 3: "id" is missing: documents sent over HTTP need their own id; ' +
        'record 4: expected a JSON object like {"id": …, "title": …, "body": …}. Nothing was changed.',
    );
    expect((await request(served.app).post('/api/documents').set(auth).send([]).expect(400)).body.error).toMatch(/empty array/);
    const notJson = await request(served.app).post('/api/documents').set(auth).set('Content-Type', 'text/plain').send('id,title,body').expect(415);
    expect(notJson.body.error).toBe('send the documents as JSON (Content-Type: application/json)');
    const broken = await request(served.app).post('/api/documents').set(auth).set('Content-Type', 'application/json').send('{"id": "x",').expect(400);
    expect(broken.body.error).toMatch(/^the body is not valid JSON/);
    expect(served.holder.current.engine.info().documents).toBe(11);
    expect(fs.readdirSync(served.dir).filter((entry) => entry.startsWith('gen-'))).toHaveLength(1);
  });

  it('refuse ids that are not strings, blank or over 512 bytes, at every entrance, changing nothing', async () => {
    const long = '字'.repeat(171);
    const bad = await request(served.app)
      .post('/api/documents')
      .set(auth)
      .send([{ ...record, id: 1 }, { ...record, id: '   ' }, { ...record, id: long }, { ...record, id: '' }])
      .expect(400);
    expect(bad.body.error).toBe(
      'record 1: "id" must be a string, got the number 1: write it in quotes, e.g. "id": "1"; ' +
        'record 2: "id" "   " is empty or only whitespace: give each document an id with a visible character; ' +
        'record 3: "id" is 513 bytes long: ids are at most 512 bytes (UTF-8); ' +
        'record 4: "id" "" is empty or only whitespace: give each document an id with a visible character. Nothing was changed.',
    );
    const big = await request(served.app).post('/api/documents').set(auth).set('Content-Type', 'application/json').send('{"id": 123456789012345678901234567890, "title": "t", "body": "b"}').expect(400);
    expect(big.body.error).toMatch(/^record 1: "id" must be a string, got the number 1.2345678901234568e\+29/);
    const lookedUp = await request(served.app).get(`/api/doc/${encodeURIComponent(long)}`).expect(400);
    expect(lookedUp.body.error).toBe('"id" is 513 bytes long: ids are at most 512 bytes (UTF-8)');
    const deleted = await request(served.app).delete(`/api/documents/${encodeURIComponent(long)}`).set(auth).expect(400);
    expect(deleted.body.error).toBe('"id" is 513 bytes long: ids are at most 512 bytes (UTF-8)');
    expect((await request(served.app).delete('/api/documents/%20').set(auth).expect(400)).body.error).toMatch(/empty or only whitespace/);
    expect(served.holder.current.engine.info().documents).toBe(11);
  });

  it('keep the last of records with the same id, with a warning', async () => {
    const response = await request(served.app)
      .post('/api/documents')
      .set(auth)
      .send([record, { ...record, body: '第二次上传的正文。' }])
      .expect(200);
    expect(response.body).toMatchObject({ added: 1, documents: 12, warnings: ['record 2: duplicate id "api-1" (also record 1): this later record is kept'] });
    expect((await request(served.app).get('/api/doc/api-1')).body.document.paragraphs).toEqual(['第二次上传的正文。']);
  });

  it('refuse a body that is not UTF-8, as a source file line is refused, changing nothing', async () => {
    const body = Buffer.concat([Buffer.from('[{"id": "gbk", "title": "'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('", "body": "x"}]')]);
    const response = await request(served.app).post('/api/documents').set(auth).set('Content-Type', 'application/json').serialize((bytes: Buffer) => bytes as unknown as string).send(body).expect(400);
    expect(response.body.error).toBe('the body is not valid UTF-8 (line 1): send the documents as UTF-8 JSON; nothing was changed');
    await request(served.app).get('/api/doc/gbk').expect(404);
  });

  it('count in took_ms all the time the upload waited for, not only the writing', async () => {
    const slow = adminApp(demoDocuments().slice(0, 2), {
      update: async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { added: 1, replaced: 0, removed: 0, rejected: [], documents: 3, segments: 2, merged: false, ms: 1 };
      },
    });
    try {
      const response = await request(slow.app).post('/api/documents').set(auth).send(record).expect(200);
      expect(response.body.took_ms).toBeGreaterThanOrEqual(190);
    } finally {
      slow.cleanup();
    }
  });

  it('refuse an upload over the size limit with 413', async () => {
    const small = adminApp(demoDocuments().slice(0, 2), { maxBodyBytes: 1000 });
    try {
      const response = await request(small.app).post('/api/documents').set(auth).send({ ...record, body: '长'.repeat(2000) }).expect(413);
      expect(response.body.error).toBe('the upload is too large: at most 1000 bytes; send the documents in several requests');
    } finally {
      small.cleanup();
    }
  });

  it('answer 409 while another process writes the index', async () => {
    fs.writeFileSync(path.join(served.dir, 'LOCK'), `${process.ppid}\n`);
    const response = await request(served.app).post('/api/documents').set(auth).send(record).expect(409);
    expect(response.body.error).toBe(`The index at ${served.dir} is being written by another jiansuo process (pid ${process.ppid}); try again when it has finished.`);
  });

  it('answer 503 saying so when the change was written but cannot be served yet', async () => {
    const message = 'the update of /x was written, but the server is stopping: it will be served from the next start';
    const stopping = adminApp(demoDocuments().slice(0, 2), {
      update: () => {
        throw new UnservedUpdateError(message);
      },
    });
    try {
      const response = await request(stopping.app).delete('/api/documents/000_2cd9194f99e4ed8d-01').set(auth).expect(503);
      expect(response.body).toEqual({ error: message });
    } finally {
      stopping.cleanup();
    }
  });

  it('take no token shorter than 16 characters', () => {
    expect(() => adminRoutes({ token: 'short', update: () => ({}) as never })).toThrow('the admin token must have at least 16 characters');
  });
});
