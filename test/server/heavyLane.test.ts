/** The heavy lane's worker thread: same answers as the event loop's engine, a new generation followed, bounded queue, ends when idle. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { types } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { WordSource } from '../../src/analysis/analyzer';
import { SearchEngine } from '../../src/engine';
import { QueryError, ServerBusyError } from '../../src/errors';
import { SearchResult } from '../../src/search/types';
import { HeavyLane } from '../../src/server/heavyLane';
import { indexFileHandles } from '../../src/index/adoptFiles';
import { updateIndex } from '../../src/update';
import { demoDocuments, doc } from '../helpers';

jest.setTimeout(120_000);

let dir: string;
let lane: HeavyLane | undefined;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-heavy-'));
  SearchEngine.build(demoDocuments()).save(dir);
});

afterEach(async () => {
  await lane?.close();
  lane = undefined;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const withoutTime = ({ took_ms: _took, ...rest }: SearchResult): Omit<SearchResult, 'took_ms'> => rest;

it('answers searches and document views exactly as the engine on the event loop does', async () => {
  const engine = SearchEngine.open(dir);
  const generation = engine.info().createdAt;
  lane = new HeavyLane({ dir });
  for (const [query, options] of [['郑州', {}], ['方特 暑期', { limit: 3, facets: 5 }], ['fangte', {}], ['芳特', {}]] as const) {
    expect(withoutTime(await lane.search(generation, query, options))).toEqual(withoutTime(engine.search(query, options)));
  }
  const id = demoDocuments()[0].id;
  expect(await lane.documentView(generation, id, '郑州')).toEqual(engine.documentView(id, '郑州'));
  expect(await lane.documentView(generation, 'no-such-id')).toBeUndefined();
  await expect(lane.search(generation, '   ', {})).rejects.toThrow(QueryError);
});

it('searches the server’s own index bytes in shared memory: answers as the engine does with the index files gone from disk', async () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-heavy-shared-'));
  try {
    fs.cpSync(dir, copy, { recursive: true });
    const engine = await SearchEngine.openAsync(copy);
    const shared = engine.sharedIndex()!;
    expect([...shared.files.values()].every((bytes) => types.isSharedArrayBuffer(bytes.buffer))).toBe(true);
    expect(SearchEngine.open(dir).sharedIndex()).toBeUndefined();
    const generation = engine.info().createdAt;
    lane = new HeavyLane({ dir: copy, sharedIndex: (asked) => (asked === generation ? shared : undefined) });
    for (const name of fs.readdirSync(copy)) fs.rmSync(path.join(copy, name), { recursive: true });
    for (const [query, options] of [['郑州', {}], ['方特 暑期', { limit: 3, facets: 5 }]] as const) {
      expect(withoutTime(await lane.search(generation, query, options))).toEqual(withoutTime(engine.search(query, options)));
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

it('searches a view over several segments from the server’s shared data as the engine does (each segment’s words, pinyin and spelling included)', async () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-heavy-view-'));
  try {
    fs.cpSync(dir, copy, { recursive: true });
    const replaced = demoDocuments()[1];
    updateIndex(copy, { add: [doc('whale-2', '鲸鱼座观测记', '今晚鲸鱼座清晰可见，郑州的方特也能看到。'), { ...replaced, title: `${replaced.title} 鲸鱼座` }] });
    const engine = await SearchEngine.openAsync(copy);
    const shared = engine.sharedIndex()!;
    expect(shared.data?.segmentParts?.length).toBe(2);
    const generation = engine.info().createdAt;
    lane = new HeavyLane({ dir: copy, sharedIndex: (asked) => (asked === generation ? shared : undefined) });
    for (const [query, options] of [['鲸鱼座', {}], ['郑州', {}], ['方特 暑期', { limit: 3, facets: 5 }], ['fangte', {}], ['芳特', {}], ['jingyu', {}]] as const) {
      expect(withoutTime(await lane.search(generation, query, options))).toEqual(withoutTime(engine.search(query, options)));
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

it('lets go of the open files (stored documents, postings) its thread held when the thread ends without closing them, and never of the server’s own', async () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-heavy-files-'));
  try {
    fs.cpSync(dir, copy, { recursive: true });
    updateIndex(copy, { add: [doc('whale-3', '鲸鱼座观测记', '今晚鲸鱼座清晰可见。')] });
    const engine = await SearchEngine.openAsync(copy);
    const shared = engine.sharedIndex()!;
    const generation = engine.info().createdAt;
    // Two segments, each with its documents.blocks and three postings files open once, held by the server's engine.
    const handles = indexFileHandles(shared.data);
    const references = (): number[] => handles.map((handle) => Atomics.load(handle.refs, 0));
    expect(references()).toEqual(Array(8).fill(1));
    const threadOf = (held: HeavyLane): Worker => (held as unknown as { worker: Worker }).worker;
    lane = new HeavyLane({ dir: copy, sharedIndex: (asked) => (asked === generation ? shared : undefined) });
    expect((await lane.search(generation, '鲸鱼座', {})).hits.map((hit) => hit.id)).toEqual(['whale-3']);
    expect(references()).toEqual(Array(8).fill(2));
    // Ended from outside, as a failure would end it: its references are let go of for it.
    const thread = threadOf(lane);
    const ended = new Promise((resolve) => thread.once('exit', resolve));
    await thread.terminate();
    await ended;
    expect(references()).toEqual(Array(8).fill(1));
    // A new thread takes them again; closed normally, it lets go of them itself, and nothing more is let go of.
    expect((await lane.search(generation, '鲸鱼座', {})).hits.map((hit) => hit.id)).toEqual(['whale-3']);
    expect(references()).toEqual(Array(8).fill(2));
    await lane.close();
    lane = undefined;
    expect(references()).toEqual(Array(8).fill(1));
    expect(engine.getDocument('whale-3')?.title).toBe('鲸鱼座观测记');
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

it('borrows the event loop’s jieba: each call carries its query’s words, any other text is asked for, answers unchanged', async () => {
  // "Did you mean" stops after 250 ms of wall-clock time by default, which the lane's first (cold) search can
  // spend on a busy machine: both sides get all the time they need, so that both look for the same suggestion.
  const engineOptions = { suggestionBudgetMs: 600_000 };
  const engine = SearchEngine.open(dir, engineOptions);
  const generation = engine.info().createdAt;
  const asked: string[] = [];
  const source: WordSource = {
    queryWords: (text) => (asked.push(`query ${text}`), engine.analyzer.queryWords(text)),
    searchWords: (text) => (asked.push(`search ${text}`), engine.analyzer.searchWords(text)),
  };
  const queries: string[] = [];
  lane = new HeavyLane({ dir, engineOptions, words: { source: () => source, ofQuery: (query) => (queries.push(query), engine.wordsOfQuery(query)) } });
  // A search past its deadline skips "did you mean", and with it the text asked for below: on a busy
  // machine the default 10 s can pass in the lane's first search, so these searches get all the time they need.
  const patient = { timeoutMs: 600_000 };
  for (const [query, options] of [['郑州', patient], ['方特 暑期', { limit: 3, facets: 5, ...patient }]] as const) {
    expect(withoutTime(await lane.search(generation, query, options))).toEqual(withoutTime(engine.search(query, options)));
  }
  // "Did you mean" runs a query with few hits again corrected (here 书记): a text its parse did not analyze.
  expect(asked).toEqual(['query 书记', 'search 书记']);
  asked.length = 0;
  expect(withoutTime(await lane.search(generation, 'fangte', patient))).toEqual(withoutTime(engine.search('fangte', patient)));
  expect(asked).toEqual(['query 方特', 'search 方特']);
  const id = demoDocuments()[0].id;
  expect(await lane.documentView(generation, id, '郑州')).toEqual(engine.documentView(id, '郑州'));
  expect(queries).toEqual(['郑州', '方特 暑期', 'fangte', '郑州']);
  expect(asked.length).toBeGreaterThan(2);
});

it('opens the index again when the server serves a newer generation', async () => {
  const before = SearchEngine.open(dir).info().createdAt;
  lane = new HeavyLane({ dir });
  expect((await lane.search(before, '鲸鱼座', {})).exact_total).toBe(0);
  updateIndex(dir, { add: [doc('whale-1', '鲸鱼座观测记', '今晚鲸鱼座清晰可见。')] });
  const after = SearchEngine.open(dir).info().createdAt;
  expect(after).not.toBe(before);
  const result = await lane.search(after, '鲸鱼座', {});
  expect(result.exact_total).toBe(1);
  expect(result.hits.map((h) => h.id)).toEqual(['whale-1']);
});

it('refuses calls beyond maxWaiting with ServerBusyError, runs the others, and rejects what waits when closed', async () => {
  const generation = SearchEngine.open(dir).info().createdAt;
  // Refused by count only: the refusal of a call expected to wait too long (maxWaitMs) is turned off, as a loaded machine could trigger it.
  lane = new HeavyLane({ dir, maxWaiting: 1, maxWaitMs: 600_000 });
  const first = lane.search(generation, '郑州', {});
  const second = lane.search(generation, '方特', {});
  await expect(lane.search(generation, '暑期', {})).rejects.toThrow(ServerBusyError);
  expect((await first).total).toBeGreaterThan(0);
  expect((await second).total).toBeGreaterThan(0);
  const running = expect(lane.search(generation, '郑州', {})).rejects.toThrow('the server is stopping');
  const waiting = expect(lane.search(generation, '方特', {})).rejects.toThrow('the server is stopping');
  await lane.close();
  await running;
  await waiting;
  await expect(lane.search(generation, '郑州', {})).rejects.toThrow('the server is stopping');
});

it('closes mid-search without aborting the process: the thread ends after its running call, not inside jieba', async () => {
  // Terminating the thread inside a native jieba call aborted the test process (SIGABRT, 'Napi::Error')
  // in 2 of 3 runs of 25 such closes before stopWorker let the thread end by itself.
  const generation = SearchEngine.open(dir).info().createdAt;
  const long = '郑州方特欢乐世界暑期推出多项优惠活动吸引游客前来游玩'.repeat(3);
  for (let i = 0; i < 12; i++) {
    lane = new HeavyLane({ dir });
    expect((await lane.search(generation, '郑州', {})).total).toBe(4);
    const calls = [lane.search(generation, long, {}), lane.search(generation, long, {})].map((call) => call.then(() => 'answered', (error: Error) => error.message));
    await new Promise((resolve) => setTimeout(resolve, i % 4));
    await lane.close();
    for (const outcome of await Promise.all(calls)) expect(['answered', 'the server is stopping']).toContain(outcome);
    expect(lane.threadRunning).toBe(false);
  }
  // Twelve threads started and stopped took over 120 s beside three index builds (load average 15).
}, 600_000);

it('ends its thread after idleMs without a call, and starts one again for the next', async () => {
  const generation = SearchEngine.open(dir).info().createdAt;
  lane = new HeavyLane({ dir, idleMs: 100 });
  expect(lane.threadRunning).toBe(false);
  expect((await lane.search(generation, '郑州', {})).total).toBeGreaterThan(0);
  expect(lane.threadRunning).toBe(true);
  while (lane.threadRunning) await new Promise((resolve) => setTimeout(resolve, 20));
  expect((await lane.search(generation, '方特', {})).total).toBeGreaterThan(0);
  expect(lane.threadRunning).toBe(true);
});

describe('refusing calls expected to wait past maxWaitMs (a clock the test moves)', () => {
  const busy = (pending: number): ServerBusyError => new ServerBusyError(`the server is busy with ${pending} slow searches: try again in a few seconds, or with a shorter query`);
  const hitIds = (result: SearchResult): string[] => result.hits.map((hit) => hit.id);
  let now: number;
  let engine: SearchEngine;
  let generation: string | undefined;

  /** A lane whose average call time is 1,000 ms: the first call opens the index (not timed), the second is timed at 1,000 ms. */
  async function timedLane(): Promise<HeavyLane> {
    now = 0;
    const timed = new HeavyLane({ dir, maxWaitMs: 2500, clock: () => now });
    await timed.search(generation, '郑州', {});
    const second = timed.search(generation, '方特', {});
    now = 1000;
    await second;
    return timed;
  }

  beforeAll(() => {
    engine = SearchEngine.open(dir);
    generation = engine.info().createdAt;
  });

  it('refuses the call that would wait 3,000 ms behind a running one and two waiting, and answers those three', async () => {
    lane = await timedLane();
    const calls = [lane.search(generation, '郑州', {}), lane.search(generation, '方特', {}), lane.search(generation, '暑期', {})];
    // Running, plus two waiting: 3 × 1,000 ms.
    await expect(lane.search(generation, '郑州', {})).rejects.toEqual(busy(3));
    const answers = await Promise.all(calls);
    expect(answers.map(hitIds)).toEqual(['郑州', '方特', '暑期'].map((query) => hitIds(engine.search(query))));
    expect(answers.map((answer) => answer.total)).toEqual([4, 1, 2]);
  });

  it('counts how far the running call has run past the average: 1,000 ms of it and 1,600 beyond refuse the next', async () => {
    lane = await timedLane();
    const running = lane.search(generation, '郑州', {});
    now = 3600;
    await expect(lane.search(generation, '方特', {})).rejects.toEqual(busy(1));
    expect(hitIds(await running)).toEqual(hitIds(engine.search('郑州')));
  });

  it('refuses at its turn a call that waited more than twice maxWaitMs, and takes the next call again once the queue is empty', async () => {
    lane = await timedLane();
    const running = lane.search(generation, '郑州', {});
    const waiting = lane.search(generation, '方特', {});
    now = 6001;
    await expect(waiting).rejects.toEqual(new ServerBusyError('the server is busy: this search waited 5 s behind slow searches: try again in a few seconds, or with a shorter query'));
    expect(hitIds(await running)).toEqual(hitIds(engine.search('郑州')));
    expect(hitIds(await lane.search(generation, '暑期', {}))).toEqual(hitIds(engine.search('暑期')));
  });
});
