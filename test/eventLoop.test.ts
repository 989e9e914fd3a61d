import { inSlices } from '../src/eventLoop';
import { SearchEngine } from '../src/engine';
import { demoDocuments } from './helpers';

describe('inSlices', () => {
  it('runs every step in order, letting the event loop turn between slices', async () => {
    const done: number[] = [];
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const busy = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    await inSlices(Array.from({ length: 640 }, (_, i) => i), (i) => {
      busy(0.1);
      done.push(i);
    }, { sliceMs: 5 });
    clearInterval(ticker);
    expect(done).toEqual(Array.from({ length: 640 }, (_, i) => i));
    // 64 ms of work in 5 ms slices: the timer got several turns while it ran.
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('stops between slices when its signal aborts, and rejects with the reason', async () => {
    const stop = new AbortController();
    const done: number[] = [];
    const items = Array.from({ length: 100_000 }, (_, i) => i);
    const running = inSlices(items, (i) => {
      done.push(i);
      if (i === 1000) stop.abort(new Error('stopping'));
    }, { sliceMs: 0, signal: stop.signal });
    await expect(running).rejects.toThrow('stopping');
    // The slice under way finishes (steps run 64 at a time between clock checks); nothing after it.
    expect(done.length).toBeLessThanOrEqual(1000 + 64);
    expect(done).toEqual(items.slice(0, done.length));
    await expect(inSlices(items, () => undefined, { signal: stop.signal })).rejects.toThrow('stopping');
  });
});

describe('built in slices, the same as built at once', () => {
  const documents = demoDocuments();

  it('groups of copies (pinyin and "did you mean" answer the same, needing no warm-up)', async () => {
    const sliced = SearchEngine.build(documents);
    await sliced.warmUpInSlices();
    const direct = SearchEngine.build(documents);
    direct.warmUp();
    for (const q of ['fangte', 'ft', 'zhengzhou', '芳特', '无主管楼园', 'louyuan']) {
      expect({ ...sliced.search(q), took_ms: 0 }).toEqual({ ...direct.search(q), took_ms: 0 });
    }
    expect(sliced.pinyinCompletions('zhengz')).toEqual(direct.pinyinCompletions('zhengz'));
  });

  it('stopped by its signal, rejects; queries then answer as they would without a warm-up', async () => {
    const stopped = SearchEngine.build(documents);
    const stop = new AbortController();
    stop.abort(new Error('server stopping'));
    await expect(stopped.warmUpInSlices(stop.signal)).rejects.toThrow('server stopping');
    const direct = SearchEngine.build(documents);
    direct.warmUp();
    for (const q of ['fangte', 'ft', '芳特']) expect({ ...stopped.search(q), took_ms: 0 }).toEqual({ ...direct.search(q), took_ms: 0 });
  });
});
