/**
 * What facets, the timeline and date sorting cost a search on an index of a dated archive:
 * `npx tsx scripts/archive-bench.ts INDEX_DIR` runs each case 7 times after a warm-up (which
 * builds what a first search builds once) and prints the median and fastest times.
 */
import { SearchEngine } from '../src/engine';
import type { SearchOptions } from '../src/search/types';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npx tsx scripts/archive-bench.ts INDEX_DIR   (an index of dated JSON Lines records, e.g. from news-large)\n');
  process.exit(2);
}
const engine = SearchEngine.open(dir);
const cases: Array<[string, string, SearchOptions]> = [
  ['的, relevance', '的', {}],
  ['的, newest', '的', { sort: 'newest' }],
  ['的, facets + timeline', '的', { facets: 10, timeline: true }],
  ['的, category:体育, facets + timeline', '的', { facets: 10, timeline: true, filters: [{ field: 'category', value: '体育' }] }],
  ['中国, relevance', '中国', {}],
  ['中国, newest, facets + timeline', '中国', { sort: 'newest', facets: 10, timeline: true }],
];
engine.search('的', { facets: 10, timeline: true, sort: 'newest' });
for (const [name, query, options] of cases) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < 7; i++) {
    const started = process.hrtime.bigint();
    total = engine.search(query, options).total;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`${name}: ${total} matches, median ${times[3].toFixed(1)} ms (fastest ${times[0].toFixed(1)})\n`);
}
