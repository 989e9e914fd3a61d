/** Every query's work is bounded, whatever its shape (a hundred common characters, a pasted page). */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchEngine } from '../../src/engine';
import { SearchInterrupted } from '../../src/errors';
import { IndexBuilder } from '../../src/index/builder';
import { Deadline } from '../../src/search/deadline';
import { QueryExpander, SUGGESTION_TRIALS } from '../../src/search/expansion';
import { MAX_FEATURES, queryFeatures } from '../../src/search/features';
import { QueryMatches } from '../../src/search/matches';
import { parseQuery } from '../../src/search/parser';
import { PostingsReader } from '../../src/index/postings';
import { Bm25f, DEFAULT_RANKING } from '../../src/search/ranking';
import { SearchResult } from '../../src/search/types';
import { demoDocuments } from '../helpers';

const analyzer = new Analyzer();
const builder = new IndexBuilder(analyzer);
for (const doc of demoDocuments()) builder.add(doc);
const data = builder.finish();
const engine = SearchEngine.fromData(data, analyzer);
const text = demoDocuments()
  .map((d) => d.paragraphs.join(''))
  .join('');
// The 128 most frequent Han characters of the demo page, each a term of its own.
const counts = new Map<string, number>();
for (const c of text) if (/\p{Script=Han}/u.test(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
const common = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
const spaced = common.slice(0, 128).join(' ');

test('a query of 128 common characters is ranked by at most MAX_FEATURES features, its literal matches still exact', () => {
  const parsed = parseQuery(spaced, analyzer);
  const matches = new QueryMatches(new PostingsReader(data));
  const features = queryFeatures(parsed, matches, new Bm25f(data, DEFAULT_RANKING));
  expect(features).toHaveLength(MAX_FEATURES);
  const result = engine.search(spaced, { collapse: false, limit: 100 });
  const expected = demoDocuments().filter((d) => common.slice(0, 128).every((c) => (d.title + d.paragraphs.join('')).includes(c)));
  expect(result.exact_total).toBe(expected.length);
  expect(result.hits.filter((h) => h.literal).map((h) => h.id).sort()).toEqual(expected.map((d) => d.id).sort());
});

test('"did you mean" runs at most SUGGESTION_TRIALS replacement searches, and none for a query of many terms', () => {
  const expander = new QueryExpander(data, analyzer, new PostingsReader(data));
  const trials: string[] = [];
  const measure = (query: string) => {
    trials.push(query);
    return engine.search(query, { limit: 0, noSuggestion: true });
  };
  const typos = '芳特 郑洲 楼圆 汝河小区区 无主管楼园 经开区区';
  const asked = parseQuery(typos, analyzer);
  expander.suggest(typos, asked, { match: 'some-words', exact: 0, total: 0 }, (q) => {
    const r = measure(q);
    return { match: r.match, exact: r.exact_total, total: r.total };
  });
  expect(trials.length).toBeGreaterThan(0);
  expect(trials.length).toBeLessThanOrEqual(SUGGESTION_TRIALS);
  trials.length = 0;
  expander.suggest(spaced, parseQuery(spaced, analyzer), { match: 'some-words', exact: 0, total: 0 }, (q) => {
    const r = measure(q);
    return { match: r.match, exact: r.exact_total, total: r.total };
  });
  expect(trials).toEqual([]);
});

test('"did you mean" stops trying once its wall-clock budget (suggestionBudgetMs) is spent', () => {
  const typos = '芳特 郑洲';
  const generous = SearchEngine.fromData(data, analyzer, { suggestionBudgetMs: 600_000 });
  const spent = SearchEngine.fromData(data, analyzer, { suggestionBudgetMs: 0 });
  expect(generous.search(typos).suggestion).toBe('芳特 郑州');
  expect(spent.search(typos).suggestion).toBeUndefined();
  expect(spent.search('方特').hits.map((h) => h.id)).toEqual(generous.search('方特').hits.map((h) => h.id));
});

describe('a search deadline (SearchOptions.timeoutMs, Deadline)', () => {
  const withoutTime = (result: SearchResult): Omit<SearchResult, 'took_ms'> => {
    const { took_ms: _took, ...rest } = result;
    return rest;
  };

  test('past it, the answer says timed_out and keeps exact counts and every literal match among its hits', () => {
    // The 12 most common characters: some documents hold them all, many more some of them (a ranked query).
    const several = common.slice(0, 12).join(' ');
    const full = engine.search(several, { collapse: false, limit: 100 });
    const cut = engine.search(several, { collapse: false, limit: 100, timeoutMs: 0 });
    expect(full.match).toBe('ranked');
    expect(full.total).toBeGreaterThan(full.exact_total);
    expect(full.timed_out).toBeUndefined();
    expect(cut.timed_out).toBe(true);
    expect([cut.total, cut.exact_total]).toEqual([full.total, full.exact_total]);
    expect(cut.exact_total).toBeGreaterThan(0);
    const literal = (result: SearchResult): string[] => result.hits.filter((h) => h.literal).map((h) => h.id).sort();
    expect(literal(cut)).toEqual(literal(full));
    // No "did you mean" is looked for once the time is up (the typos below get one otherwise).
    const typos = '芳特 郑洲';
    expect(engine.search(typos).suggestion).toBeDefined();
    expect(engine.search(typos, { timeoutMs: 0 }).suggestion).toBeUndefined();
  });

  test('before it, the answer is the one without a deadline', () => {
    for (const query of ['郑州', spaced, '芳特 郑洲', '郑州 -方特']) {
      expect(withoutTime(engine.search(query, { timeoutMs: 60_000 }))).toEqual(withoutTime(engine.search(query)));
      expect(withoutTime(engine.search(query, {}, Deadline.interrupting(60_000)))).toEqual(withoutTime(engine.search(query)));
    }
  });

  test('an interrupting deadline that has passed stops the search with SearchInterrupted at its next checkpoint', () => {
    expect(() => engine.search(spaced, {}, Deadline.interrupting(0))).toThrow(SearchInterrupted);
    expect(() => engine.search('郑州', {}, Deadline.interrupting(0))).toThrow(SearchInterrupted);
    expect(() => engine.documentView(demoDocuments()[0].id, spaced, Deadline.interrupting(0))).toThrow(SearchInterrupted);
    // A cutting deadline never throws.
    expect(engine.search('郑州', {}, Deadline.cutting(0)).total).toBeGreaterThan(0);
  });

  test("an interrupting deadline counts its own thread's CPU time, not that of the process's other threads (a server's long-query thread)", async () => {
    const processCpuMs = (): number => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    const deadline = Deadline.interrupting(100);
    const before = processCpuMs();
    // Another thread runs 300 ms on a CPU (by its own count) while this one waits in its event loop.
    const burner = new Worker(
      `const { readFileSync } = require('node:fs');
       const cpuNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
       const start = cpuNs();
       while (cpuNs() - start < 300e6);`,
      { eval: true },
    );
    await once(burner, 'exit');
    expect(processCpuMs() - before).toBeGreaterThan(300);
    expect(() => deadline.checkpoint()).not.toThrow();
    // This thread's own work reaches it.
    const started = processCpuMs();
    let interrupted = false;
    while (!interrupted && processCpuMs() - started < 60_000) {
      try {
        deadline.checkpoint();
      } catch (error) {
        expect(error).toBeInstanceOf(SearchInterrupted);
        interrupted = true;
      }
    }
    expect(interrupted).toBe(true);
    expect(processCpuMs() - started).toBeGreaterThan(50);
  });
});
