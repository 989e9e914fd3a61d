/**
 * `jiansuo serve` as a real process: it binds to loopback and says so, picks up a new
 * build without a restart while answering every request, reloads on SIGHUP and refuses
 * a broken index, takes its limits from the command line, and on SIGTERM stops
 * accepting, finishes what is under way and exits 0.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { buildIndex } from '../../src/build';
import { updateIndex } from '../../src/update';
import { readSegments } from '../../src/index/generation';
import { heavyQueries } from '../../scripts/load/queries';
import { LONG_QUERY_UNITS } from '../../src/server/searchLanes';
import { corpusDocuments, demoDocuments, doc } from '../helpers';
import { ServeProcess, kill, parseRaw, rawExchange, startServe } from '../process';

let work: string;
let index: string;
let serve: ServeProcess | undefined;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-serve-'));
  index = path.join(work, 'index');
  SearchEngine.build(demoDocuments()).save(index);
});

afterEach(() => {
  kill(serve);
  serve = undefined;
  fs.rmSync(work, { recursive: true, force: true });
});

/** Resolves once `condition` holds, looking every 20 ms (the test's own timeout bounds the wait). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function health(url: string): Promise<{ documents: number }> {
  return (await (await fetch(`${url}/api/health`)).json()) as { documents: number };
}

// One server for both: each start loads jieba (seconds of CPU on a loaded machine).
it('binds to 127.0.0.1 unless told otherwise, and says so; picks up a new build without a restart, answering every request meanwhile', async () => {
  serve = await startServe(['--index', index], work);
  expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(serve.output()).toMatch(/^jiansuo serving 11 documents on http:\/\/127\.0\.0\.1:\d+ \(loopback only: use --host 0\.0\.0\.0 to accept connections from other machines\)$/m);
  const { url } = serve;
  const newer = SearchEngine.build([...demoDocuments(), doc('extra', '方特新闻', '方特又开新园')]);
  let stop = false;
  let reloaded = false;
  const answers: Array<{ total: number; sentAfterReload: boolean }> = [];
  const statuses = new Set<number>();
  // Four clients asking all along: before, during and after the switch.
  const clients = Array.from({ length: 4 }, async () => {
    while (!stop) {
      const sentAfterReload = reloaded;
      const response = await fetch(`${url}/api/search?q=${encodeURIComponent('方特')}`);
      statuses.add(response.status);
      answers.push({ total: ((await response.json()) as { total: number }).total, sentAfterReload });
    }
  });
  // Answers from the old index first, then from the new one: waited for, however slow the machine.
  await until(() => answers.length >= 8);
  newer.save(index);
  await serve.waitFor(/^Reloaded the index \(CURRENT changed\): 12 documents/m);
  reloaded = true;
  await until(() => answers.filter((answer) => answer.sentAfterReload).length >= 8);
  stop = true;
  await Promise.all(clients);
  expect([...statuses]).toEqual([200]);
  // Each answer comes whole from one index: 1 hit in the old, 2 in the new, nothing else; once reloaded, only the new.
  expect(new Set(answers.map((answer) => answer.total))).toEqual(new Set([1, 2]));
  expect(answers.filter((answer) => answer.sentAfterReload).map((answer) => answer.total)).not.toContain(1);
  expect(answers.filter((answer) => answer.sentAfterReload).length).toBeGreaterThan(0);
  expect((await health(url)).documents).toBe(12);
});

it('reloads on SIGHUP (new synonyms), and refuses a damaged index while the old one keeps serving', async () => {
  const dict = path.join(work, 'dict');
  fs.mkdirSync(dict);
  fs.writeFileSync(path.join(dict, 'synonyms.txt'), '方特 欢乐谷\n');
  serve = await startServe(['--index', index, '--dict', dict], work);
  const { url } = serve;
  const expansions = async (): Promise<unknown> => ((await (await fetch(`${url}/api/search?q=${encodeURIComponent('方特')}`)).json()) as { expansions?: unknown }).expansions;
  expect(await expansions()).toEqual([{ term: '方特', via: 'synonym', words: ['欢乐谷'] }]);
  fs.writeFileSync(path.join(dict, 'synonyms.txt'), '方特 梦幻王国\n');
  serve.child.kill('SIGHUP');
  await serve.waitFor(/^Reloaded the index \(SIGHUP\): 11 documents/m);
  expect(await expansions()).toEqual([{ term: '方特', via: 'synonym', words: ['梦幻王国'] }]);

  // The same generation damaged on disk: a reload refuses it and the copy in memory serves on.
  const generation = fs.readFileSync(path.join(index, 'CURRENT'), 'utf8').trim();
  fs.truncateSync(path.join(index, generation, 'seg-0', 'documents.blocks'), 100);
  serve.child.kill('SIGHUP');
  await serve.waitFor(/^Not reloading the index \(SIGHUP\): The index at .* is damaged: seg-0\/documents\.blocks does not match its checksum\. .*Still serving the previous index \(11 documents\)\.$/m);
  const answer = await fetch(`${url}/api/search?q=${encodeURIComponent('方特')}`);
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { hits: Array<{ title: string }> }).hits[0].title).toBe('郑州方特开启暑期亲子游');
});

it('takes --max-query-length, --request-timeout and --rate-limit', async () => {
  serve = await startServe(['--index', index, '--max-query-length', '5', '--request-timeout', '1', '--rate-limit', '60', '--rate-limit-loopback'], work);
  const firstRequest = Date.now();
  expect((await fetch(`${serve.url}/api/search?q=${encodeURIComponent('一二三四五')}`)).status).toBe(200);
  const long = await fetch(`${serve.url}/api/search?q=${encodeURIComponent('一二三四五六')}`);
  expect(long.status).toBe(400);
  expect(await long.json()).toEqual({ error: 'The query is too long: at most 5 characters.', code: 'query_too_long' });
  const started = Date.now();
  // Cut off by --request-timeout 1, sooner than the default (headers: 10 s), however loaded the machine.
  const slow = await rawExchange(serve.port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n', 9000);
  expect(slow.timedOut).toBe(false);
  expect(parseRaw(slow.response).status).toBe(408);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  // 60 a minute: 10 at once (2 were used above), then 1 more a second, then 429 (the default, 600, allows 100 at once).
  let accepted = 0;
  let status = 200;
  while (status === 200 && accepted < 100) {
    status = (await fetch(`${serve.url}/api/health`)).status;
    if (status === 200) accepted++;
  }
  expect(status).toBe(429);
  expect(accepted).toBeGreaterThanOrEqual(8);
  expect(accepted).toBeLessThanOrEqual(8 + Math.ceil((Date.now() - firstRequest) / 1000));
});

it('answers simple queries while the heaviest shapes run on its long-query thread, with the answers the event loop would give', async () => {
  // 1,000 news articles: enough for the heavy shapes to take a while (on the 11 of the demo page they take a millisecond).
  const documents = await corpusDocuments('news-dev.jsonl.gz', 1000);
  const big = path.join(work, 'big');
  SearchEngine.build(documents).save(big);
  // The thread's queue is kept 32 deep on purpose: the refusals of a full queue (--max-queue-wait) and of a late event loop (--max-loop-delay) are turned off.
  serve = await startServe(['--index', big, '--long-query-thread', 'on', '--max-queue-wait', '600000', '--max-loop-delay', '0'], work);
  await serve.waitFor(/^Long-query thread ready \(\d+ ms after start\)\.$/m, 120_000);
  const { url } = serve;
  const heavy = heavyQueries(documents);
  expect(Math.min(...heavy.map((q) => q.length))).toBeGreaterThan(LONG_QUERY_UNITS);
  const search = async (q: string): Promise<{ status: number; body: { total: number; hits: Array<{ id: string }> } }> => {
    const response = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}`);
    return { status: response.status, body: (await response.json()) as { total: number; hits: Array<{ id: string }> } };
  };
  // A first simple query pays for what the engine reads on first use (docmeta, groups of copies): not what is measured here.
  expect((await search('新闻')).status).toBe(200);
  // Heavy shapes keep the one long-query thread's queue 32 deep (a new one is sent as each is
  // answered) until the simple queries are done. Each simple query must be answered while some
  // heavy one sent before it still waits: had it queued behind them, all would have been answered
  // first. Counts, not clocks, so that a loaded machine cannot make this pass or fail by luck.
  const asked: string[] = [];
  const heavyAnswers: Array<Promise<{ status: number; body: { total: number; hits: Array<{ id: string }> } }>> = [];
  let answered = 0;
  let simpleRunning = true;
  const sendHeavy = (): void => {
    const q = heavy[asked.length % heavy.length];
    asked.push(q);
    heavyAnswers.push(
      search(q).then((answer) => {
        answered++;
        if (simpleRunning) sendHeavy();
        return answer;
      }),
    );
  };
  for (let i = 0; i < 32; i++) sendHeavy();
  for (const q of ['郑州', '北京', '记者', '中国 经济', '2018']) {
    const sentBefore = asked.length;
    const answer = await search(q);
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBeGreaterThan(0);
    expect(answered).toBeLessThan(sentBefore);
  }
  simpleRunning = false;
  const answers = [];
  for (let i = 0; i < heavyAnswers.length; i++) answers.push(await heavyAnswers[i]);
  // The event loop's answer to each shape, computed once: each of the sixteen copies of a shape must equal it.
  const engine = SearchEngine.open(big);
  const expected = new Map(heavy.map((q) => [q, engine.search(q, { facets: 10 }).hits.map((h) => h.id)]));
  answers.forEach((answer, i) => {
    expect(answer.status).toBe(200);
    expect(answer.body.hits.map((h) => h.id)).toEqual(expected.get(asked[i]));
  });
});

it('on SIGTERM stops accepting, finishes the request under way, and exits 0', async () => {
  serve = await startServe(['--index', index], work);
  // A request under way: the server has its headers (it says "100 Continue") and waits for its body.
  const socket = net.connect(serve.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const continued = new Promise<void>((resolve) =>
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (/^HTTP\/1\.1 100 Continue\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) resolve();
    }),
  );
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`GET /api/search?q=${encodeURIComponent('方特')} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n`);
  await continued;
  serve.child.kill('SIGTERM');
  await serve.waitFor(/^Received SIGTERM, closing connections…$/m);
  // New connections are refused from now on.
  const refused = await new Promise<string>((resolve) => {
    const other = net.connect(serve!.port, '127.0.0.1');
    other.on('connect', () => {
      other.destroy();
      resolve('connected');
    });
    other.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
  expect(refused).toBe('ECONNREFUSED');
  socket.end('{}');
  await closed;
  const answer = parseRaw(Buffer.concat(chunks).toString('utf8').replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''));
  expect(answer.status).toBe(200);
  expect(answer.body).toContain('郑州方特开启暑期亲子游');
  expect(await serve.exited).toBe(0);
  expect(serve.output()).toMatch(/Stopped\.\n$/);
});

it('with --admin-token-file, takes uploads and deletions that the next search sees; `jiansuo add` meanwhile is seen too', async () => {
  const token = 'serve-test-token-0123456789';
  const tokenFile = path.join(work, 'admin-token');
  fs.writeFileSync(tokenFile, `${token}\n`);
  serve = await startServe(['--index', index, '--admin-token-file', tokenFile], work);
  expect(serve.output()).toMatch(/^Admin endpoints enabled: POST \/api\/documents, DELETE \/api\/documents\/:id/m);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const posted = await fetch(`${serve.url}/api/documents`, { method: 'POST', headers, body: JSON.stringify({ id: 'up-1', title: '上传的文章', body: '鼋鼍主题公园开园' }) });
  expect(posted.status).toBe(200);
  expect(await posted.json()).toMatchObject({ added: 1, documents: 12 });
  const search = async (q: string): Promise<number> => ((await (await fetch(`${serve!.url}/api/search?q=${encodeURIComponent(q)}`)).json()) as { total: number }).total;
  expect(await search('鼋鼍')).toBe(1);
  expect((await fetch(`${serve.url}/api/documents/up-1`, { method: 'DELETE', headers })).status).toBe(200);
  expect(await search('鼋鼍')).toBe(0);
  expect(await health(serve.url)).toMatchObject({ documents: 11 });
  expect((await fetch(`${serve.url}/api/documents/up-1`, { method: 'DELETE', headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
  updateIndex(index, { add: [doc('cli-1', '命令行加入', '蛟龙出海')] });
  await serve.waitFor(/^Reloaded the index \(CURRENT changed\): 12 documents/m);
  expect(await search('蛟龙出海')).toBe(1);
  kill(serve);

  serve = await startServe(['--index', index], work);
  expect((await fetch(`${serve.url}/api/documents/000_2cd9194f99e4ed8d-01`, { method: 'DELETE', headers })).status).toBe(404);
});

it('takes the admin token on the command line only with a warning that ps shows it', async () => {
  const token = 'serve-test-token-0123456789';
  serve = await startServe(['--index', index, '--admin-token', token], work);
  expect(serve.output()).toMatch(/^warning: --admin-token shows the token to every user of this machine \(ps, \/proc\); give it with --admin-token-file FILE or JIANSUO_ADMIN_TOKEN instead\.$/m);
  const posted = await fetch(`${serve.url}/api/documents`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"id":"t-1","body":"正文"}' });
  expect(posted.status).toBe(200);
  kill(serve);
  const missing = await startServe(['--index', index, '--admin-token-file', path.join(work, 'no-such-file')], work).catch((error: Error) => error);
  expect((missing as Error).message).toMatch(/error: Cannot read the admin token file .*no-such-file/);
});

it('refuses an admin token shorter than 16 characters', async () => {
  const started = await startServe(['--index', index, '--admin-token', 'short'], work).catch((error: Error) => error);
  expect(started).toBeInstanceOf(Error);
  expect((started as Error).message).toMatch(/The admin token must have at least 16 characters/);
});

it('serves an index moved away from its deleted user dictionary with the copy it keeps: no warning, uploads segmented with it; a note on reload once the file changed', async () => {
  const word = '无主管楼院';
  const dict = path.join(work, 'dict', 'user.dict.txt');
  fs.mkdirSync(path.dirname(dict));
  fs.writeFileSync(dict, `${word} 2000 n\n`);
  const built = path.join(work, 'built');
  const documents = [doc('a', '整治', `三百个${word}完成改造`), doc('b', '社区', '主管部门检查老楼院'), doc('c', '天气', '晴')];
  SearchEngine.build(documents, { userDict: dict }).save(built);
  const expected = SearchEngine.open(built).search(word).hits.map((hit) => [hit.id, hit.score]);
  const moved = path.join(work, 'moved');
  fs.cpSync(built, moved, { recursive: true });
  fs.rmSync(built, { recursive: true });
  fs.rmSync(path.dirname(dict), { recursive: true });
  const tokenFile = path.join(work, 'admin-token');
  fs.writeFileSync(tokenFile, 'serve-test-token-0123456789\n');
  serve = await startServe(['--index', moved, '--admin-token-file', tokenFile, '--long-query-thread', 'on'], work);
  await serve.waitFor(/^Long-query thread ready/m);
  expect(serve.output()).not.toMatch(/warning|note/);
  const hits = async (): Promise<Array<[string, number]>> =>
    ((await (await fetch(`${serve!.url}/api/search?q=${encodeURIComponent(word)}`)).json()) as { hits: Array<{ id: string; score: number }> }).hits.map((hit) => [hit.id, hit.score]);
  expect(await hits()).toEqual(expected);
  const headers = { Authorization: 'Bearer serve-test-token-0123456789', 'Content-Type': 'application/json' };
  const posted = await fetch(`${serve.url}/api/documents`, { method: 'POST', headers, body: JSON.stringify({ id: 'up-1', title: '上传', body: `又有${word}整治` }) });
  expect(posted.status).toBe(200);
  expect(readSegments(moved).segments[1].data.wordTerms).toContain(word);
  expect((await hits()).map(([id]) => id).sort()).toEqual(['a', 'up-1']);

  fs.mkdirSync(path.dirname(dict));
  fs.writeFileSync(dict, `${word} 2000 n\n主管部门 10 n\n`);
  serve.child.kill('SIGHUP');
  await serve.waitFor(
    /^note: the user dictionary .*user\.dict\.txt changed since the index was built; the index keeps segmenting queries and added documents with its own copy of the dictionary it was built with\. Rebuild it \(npx jiansuo index\) to use the new one\.$/m,
  );
  expect(serve.output()).not.toMatch(/warning/);
});

it('--ensure-index does not rebuild over updates that the sources lack; jiansuo index refuses too, and with force rebuilds and says what it dropped', async () => {
  const sources = path.join(work, 'sources');
  fs.mkdirSync(sources);
  const page = path.join(sources, 'page.jsonl');
  fs.writeFileSync(page, JSON.stringify({ id: 'p-1', title: '来源中的文章', body: '正文一' }) + '\n');
  const built = await buildIndex({ sources: [sources], out: index, threads: 0 });
  expect(built.droppedUpdates).toBe(0);
  updateIndex(index, { add: [doc('up-1', '上传的文章', '只在索引里')] });
  fs.appendFileSync(page, JSON.stringify({ id: 'p-2', title: '新来源', body: '正文二' }) + '\n');
  serve = await startServe(['--index', index, '--ensure-index', '--source', sources], work);
  expect(serve.output()).toMatch(/^warning: not rebuilding the index in .* although .*: it holds 1 update \(add\/remove, admin API\) that a rebuild from the sources would lose\. Run jiansuo index --force to rebuild anyway\.$/m);
  expect(await health(serve.url)).toMatchObject({ documents: 2 });
  kill(serve);
  serve = undefined;
  await expect(buildIndex({ sources: [sources], out: index })).rejects.toThrow(/^Not rebuilding the index at .*: it holds 1 update/);
  const rebuilt = await buildIndex({ sources: [sources], out: index, force: true, threads: 0 });
  expect(rebuilt).toMatchObject({ documents: 2, droppedUpdates: 1 });
  expect(SearchEngine.open(index).getDocument('up-1')).toBeUndefined();
});

describe('--ensure-index over a lost CURRENT or a damaged index holding an update', () => {
  let sources: string;
  beforeEach(async () => {
    sources = path.join(work, 'sources.jsonl');
    fs.writeFileSync(sources, JSON.stringify({ id: 'p-1', title: '来源中的文章', body: '正文一' }) + '\n');
    fs.rmSync(index, { recursive: true });
    await buildIndex({ sources: [sources], out: index, threads: 0 });
    updateIndex(index, { add: [doc('up-1', '上传的文章', '只在索引里')] });
  });

  it('recovers a deleted CURRENT and serves the update', async () => {
    const generation = fs.readFileSync(path.join(index, 'CURRENT'), 'utf8').trim();
    fs.rmSync(path.join(index, 'CURRENT'));
    serve = await startServe(['--index', index, '--ensure-index', '--source', sources], work);
    expect(serve.output()).toMatch(new RegExp(`^Recovered the index at .*: its CURRENT file was lost; it names ${generation} \\(written .*, 2 documents\\) again\\.$`, 'm'));
    expect(serve.output()).not.toMatch(/Building|Rebuilding|Indexed/);
    expect(await health(serve.url)).toMatchObject({ documents: 2 });
    const found = (await (await fetch(`${serve.url}/api/search?q=${encodeURIComponent('只在索引里')}`)).json()) as { hits: Array<{ id: string }> };
    expect(found.hits.map((hit) => hit.id)).toEqual(['up-1']);
  });

  it('refuses to start over a flipped byte in seg-0, saying what is damaged and what to run, and changes nothing', async () => {
    const generation = fs.readFileSync(path.join(index, 'CURRENT'), 'utf8').trim();
    const file = path.join(index, generation, 'seg-0', 'bigrams.postings');
    const bytes = fs.readFileSync(file);
    bytes[0] ^= 0x01;
    fs.writeFileSync(file, bytes);
    const before = fs.readdirSync(index, { recursive: true }).sort();
    const started = await startServe(['--index', index, '--ensure-index', '--source', sources], work).catch((error: Error) => error);
    expect(started).toBeInstanceOf(Error);
    const message = (started as Error).message;
    expect(message).toMatch(/^serve exited with 1 before listening/);
    expect(message).toContain(`error: The index at ${index} is damaged: seg-0/bigrams.postings does not match its checksum. It holds 1 update (add/remove, admin API)`);
    expect(message).toContain(`npx jiansuo index --force --out ${index}`);
    expect(message).not.toMatch(/Indexed/);
    expect(fs.readdirSync(index, { recursive: true }).sort()).toEqual(before);
    expect(fs.readFileSync(file)).toEqual(bytes);
  });
});
