/**
 * Known-item evaluation: each article's headline is the query, against an index of the
 * bodies only (titles left out), and the one right answer is the article itself. Prints
 * MRR@10 and hit@1 (and hit@10, the match levels used, build and query time).
 *
 *   npx tsx scripts/known-item.ts [--corpus ../shared/corpus/news-dev.jsonl.gz] [--sample N] [--seed S]
 *                                 [--k1 X] [--body-b X] [--literal X] [--adjacency X] [--min-match X] [--json]
 *
 * Headlines shared by several articles are left out (their answer is ambiguous).
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { SearchEngine } from '../src/engine';
import { SearchDocument } from '../src/document';
import { readJsonl } from '../src/ingest';
import { QueryError } from '../src/errors';
import { seeded } from './random';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.resolve(__dirname, '../../shared/corpus/news-dev.jsonl.gz') },
    sample: { type: 'string' },
    seed: { type: 'string', default: '42' },
    k1: { type: 'string' },
    'body-b': { type: 'string' },
    literal: { type: 'string' },
    adjacency: { type: 'string' },
    'min-match': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

function num(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

async function main(): Promise<void> {
  const docs: SearchDocument[] = [];
  const titles: string[] = [];
  for await (const entry of readJsonl(values.corpus!)) {
    if (!('document' in entry)) continue;
    titles.push(entry.document.title);
    docs.push({ ...entry.document, title: '' });
  }
  const t0 = performance.now();
  const engine = SearchEngine.build(docs, {
    ranking: { k1: num(values.k1), bodyB: num(values['body-b']), literalWeight: num(values.literal), adjacencyWeight: num(values.adjacency) },
    minShouldMatch: num(values['min-match']),
  });
  const buildSeconds = (performance.now() - t0) / 1000;

  const titleCount = new Map<string, number>();
  for (const t of titles) titleCount.set(t, (titleCount.get(t) ?? 0) + 1);
  let queries = titles.map((title, i) => ({ title, id: docs[i].id })).filter((q) => q.title.trim() && titleCount.get(q.title) === 1);
  if (values.sample) {
    const rand = seeded(Number(values.seed));
    const shuffled = [...queries];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    queries = shuffled.slice(0, Number(values.sample));
  }

  let reciprocal = 0;
  let hit1 = 0;
  let hit10 = 0;
  const levels: Record<string, number> = {};
  const levelHits: Record<string, number> = {};
  const t1 = performance.now();
  for (const q of queries) {
    let ids: string[] = [];
    let level = 'error';
    try {
      const result = engine.search(q.title, { limit: 10, snippetLength: 0 });
      level = result.match;
      levels[level] = (levels[level] ?? 0) + 1;
      ids = result.hits.map((h) => h.id);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      levels.error = (levels.error ?? 0) + 1;
    }
    const rank = ids.indexOf(q.id);
    if (rank >= 0) {
      reciprocal += 1 / (rank + 1);
      hit10++;
      levelHits[level] = (levelHits[level] ?? 0) + 1;
      if (rank === 0) hit1++;
    }
  }
  const querySeconds = (performance.now() - t1) / 1000;
  const report = {
    corpus: path.basename(values.corpus!),
    documents: docs.length,
    queries: queries.length,
    mrr10: Number((reciprocal / queries.length).toFixed(4)),
    hit1: Number((hit1 / queries.length).toFixed(4)),
    hit10: Number((hit10 / queries.length).toFixed(4)),
    levels,
    levelHits,
    buildSeconds: Number(buildSeconds.toFixed(1)),
    msPerQuery: Number(((querySeconds * 1000) / queries.length).toFixed(2)),
  };
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(`known-item on ${report.corpus}: ${report.documents} bodies, ${report.queries} headline queries`);
    console.log(`MRR@10 ${report.mrr10}  hit@1 ${report.hit1}  hit@10 ${report.hit10}`);
    console.log(`match levels ${JSON.stringify(levels)} (target in top 10: ${JSON.stringify(levelHits)}); build ${report.buildSeconds} s, ${report.msPerQuery} ms/query`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
