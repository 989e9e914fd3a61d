/** Documents relevant by words (tiers.ts relevantByWords): common words are looked up only in the documents they can still decide. */
import { Analyzer } from '../../src/analysis/analyzer';
import { IndexBuilder } from '../../src/index/builder';
import { PostingsReader } from '../../src/index/postings';
import { QueryMatches } from '../../src/search/matches';
import { parseQuery } from '../../src/search/parser';
import { idf } from '../../src/search/ranking';
import { selectTiers } from '../../src/search/tiers';
import { doc } from '../helpers';

// 今天 and 我们 are common (light), 天气 less so, 北京 rarer, 故宫 and 长城 rare (heavy).
const docs = [
  doc('palace', '报道', '故宫。'),
  doc('wall', '报道', '长城。'),
  doc('beijing-alone', '报道', '北京。'),
  doc('beijing-today', '报道', '北京。今天。'),
  doc('weather-alone', '报道', '天气。'),
  doc('weather-today', '报道', '天气。今天。'),
  doc('weather-both', '报道', '天气。今天。我们。'),
  doc('weather-us', '报道', '天气。我们。'),
  doc('weather-2', '报道', '天气。足球。'),
  doc('weather-3', '报道', '天气。音乐。'),
  doc('weather-4', '报道', '天气。电影。'),
  doc('common-both', '报道', '今天。我们。'),
  ...Array.from({ length: 12 }, (_, i) => doc(`filler-${i}`, '报道', i % 3 === 0 ? '今天。我们。足球。' : i % 3 === 1 ? '今天。音乐。' : '我们。电影。')),
];
const analyzer = new Analyzer();
const builder = new IndexBuilder(analyzer);
for (const d of docs) builder.add(d);
const data = builder.finish();
const options = { minWordShare: 0.1, rankedMinChars: 10, rankedMinWords: 3 };
const query = '故宫 长城 北京 天气 今天 我们';

/** The documents of the ranked tier (relevant by words, not literal matches). */
function relevant(share: number): string[] {
  const tiers = selectTiers(parseQuery(query, analyzer), new QueryMatches(new PostingsReader(data)), data.documentCount, { ...options, minWordShare: share });
  expect(tiers.mode).toBe('ranked');
  return [...tiers.tiers[2]].map((d) => docs[d].id);
}

/** The same, summing every word's weight in every document (what relevantByWords must equal). */
function everyWordSummed(share: number): string[] {
  const reader = new PostingsReader(data);
  const words = ['故宫', '长城', '北京', '天气', '今天', '我们'];
  const weight = (w: string): number => idf(data.documentCount, reader.wordDocFreq(w));
  const needed = share * words.reduce((sum, w) => sum + weight(w), 0);
  return docs
    .filter((_, d) => words.reduce((sum, w) => (reader.word(w).docs.includes(d) ? sum + weight(w) : sum), 0) >= needed * (1 - 1e-9))
    .map((d) => d.id);
}

test('at each share, the documents whose words weigh enough: the same as summing every word everywhere', () => {
  for (const share of [0.05, 0.1, 0.15, 0.2, 0.3, 0.5]) expect(relevant(share)).toEqual(everyWordSummed(share));
});

test('a common word counts where the others leave a document short: 今天 and 我们 together reach a share of 0.1, neither alone', () => {
  // 我们 alone weighs less than a tenth: only looked up in the documents found by the others.
  expect(relevant(0.1)).toEqual([
    'palace',
    'wall',
    'beijing-alone',
    'beijing-today',
    'weather-alone',
    'weather-today',
    'weather-both',
    'weather-us',
    'weather-2',
    'weather-3',
    'weather-4',
    'common-both',
    'filler-0',
    'filler-3',
    'filler-6',
    'filler-9',
  ]);
});

test('at a share of 0.2, 天气 needs both common words; with 今天 missing, 我们 is not looked up', () => {
  expect(relevant(0.2)).toEqual(['palace', 'wall', 'beijing-alone', 'beijing-today', 'weather-both']);
});
