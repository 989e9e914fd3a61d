/**
 * "Did you mean" trials of a long query count relevance by words from the query's own sums
 * (tiers.ts TrialRelevance): each trial replaces one term, and must select the tiers it
 * selects on its own, trial after trial with one TrialRelevance.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { IndexBuilder } from '../../src/index/builder';
import { PostingsReader } from '../../src/index/postings';
import { QueryMatches } from '../../src/search/matches';
import { parseQuery } from '../../src/search/parser';
import { TrialRelevance, selectTiers } from '../../src/search/tiers';
import { doc } from '../helpers';

const WORDS = ['故宫', '长城', '北京', '天气', '今天', '我们', '电影', '音乐', '足球', '经济', '学校', '医院', '城市', '春天', '朋友'];

/** A seeded generator (a linear congruential one), so that the corpus is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// 400 documents of 2–8 words each, word w drawn with a weight falling with w (故宫 most common … 朋友 rarest), so that
// the words' IDFs differ; every 40th holds six of the words in a row (literal matches of some trials: left out of their ranked tier).
const random = seeded(14);
const documents = Array.from({ length: 400 }, (_, d) => {
  const count = 2 + Math.floor(random() * 7);
  const words = Array.from({ length: count }, () => WORDS[Math.floor(WORDS.length * random() ** 1.6)]);
  if (d % 40 === 0) words.push(WORDS.slice(d % 9, (d % 9) + 6).join(''));
  return doc(`d${d}`, `第${d}篇`, words.join('。'));
});
const analyzer = new Analyzer();
const builder = new IndexBuilder(analyzer);
for (const d of documents) builder.add(d);
const data = builder.finish();

const QUERIES = ['故宫 长城 北京 天气 今天 我们', '电影 音乐 足球 经济 学校 医院', '北京 天气 城市 春天 朋友 故宫今天'];

describe.each([0.05, 0.1, 0.3])('at a share of %s', (share) => {
  const options = { minWordShare: share, rankedMinChars: 10, rankedMinWords: 3 };
  test.each(QUERIES)('every one-term replacement of %s selects the tiers it selects alone', (query) => {
    const reader = new PostingsReader(data);
    const parsed = parseQuery(query, analyzer);
    const matches = new QueryMatches(reader);
    const own = selectTiers(parsed, matches, data.documentCount, options);
    expect(own.mode).toBe('ranked');
    const trial = new TrialRelevance(parsed, matches, data.documentCount);
    const terms = query.split(' ');
    let compared = 0;
    for (let t = 0; t < terms.length; t++) {
      for (const word of [...WORDS, '无此词']) {
        const replaced = terms.map((term, i) => (i === t ? word : term)).join(' ');
        const alone = selectTiers(parseQuery(replaced, analyzer), new QueryMatches(reader), data.documentCount, options);
        const shared = selectTiers(parseQuery(replaced, analyzer), new QueryMatches(reader, undefined, undefined, matches.literals), data.documentCount, options, trial);
        expect({ replaced, mode: shared.mode, tiers: shared.tiers.map((tier) => Array.from(tier)) }).toEqual({ replaced, mode: alone.mode, tiers: alone.tiers.map((tier) => Array.from(tier)) });
        compared++;
      }
    }
    expect(compared).toBe(terms.length * (WORDS.length + 1));
  });
});

test('some trials leave literal matches out of their ranked tier', () => {
  const options = { minWordShare: 0.1, rankedMinChars: 10, rankedMinWords: 3 };
  const literal = selectTiers(parseQuery('故宫 长城 北京 天气 今天 我们', analyzer), new QueryMatches(new PostingsReader(data)), data.documentCount, options);
  expect(literal.tiers[0].length + literal.tiers[1].length).toBeGreaterThan(0);
});

test('once the sums are made, a trial reads only the lists of the words it changes', () => {
  const options = { minWordShare: 0.1, rankedMinChars: 10, rankedMinWords: 3 };
  const reader = new PostingsReader(data);
  const parsed = parseQuery('故宫 长城 北京 天气 今天 我们', analyzer);
  const matches = new QueryMatches(reader);
  selectTiers(parsed, matches, data.documentCount, options);
  const trial = new TrialRelevance(parsed, matches, data.documentCount);
  selectTiers(parseQuery('电影 长城 北京 天气 今天 我们', analyzer), new QueryMatches(reader), data.documentCount, options, trial);
  const read: string[] = [];
  const word = reader.word.bind(reader);
  reader.word = (w: string) => {
    read.push(w);
    return word(w);
  };
  selectTiers(parseQuery('故宫 长城 北京 天气 今天 足球', analyzer), new QueryMatches(reader), data.documentCount, options, trial);
  expect(read.sort()).toEqual(['我们', '足球'].sort());
});
