/**
 * Known-item evaluation: each article's headline is the query, against an index of the
 * bodies only (titles left out), and the one right answer is the article itself. Prints
 * MRR@10 and hit@1 (and hit@10, the match levels used, build and query time).
 *
 *   npx tsx scripts/known-item.ts [--corpus ../shared/corpus/news-dev.jsonl.gz] [--sample N] [--seed S]
 *                                 [--k1 X] [--body-b X] [--literal X] [--adjacency X] [--min-match X]
 *                                 [--user-dict FILE] [--json]
 *
 * Headlines shared by several articles are left out (their answer is ambiguous).
 * `knownItem` is also used by scripts/segmentation-eval.ts.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EngineOptions, SearchEngine } from '../src/engine';
import { SearchDocument } from '../src/document';
import { readJsonl } from '../src/ingest';
import { QueryError } from '../src/errors';
import { seeded } from './random';

/** news-dev, where the README's figures come from. */
export const NEWS_DEV = path.resolve(__dirname, '../../shared/corpus/news-dev.jsonl.gz');

/** A JSON Lines corpus split for the known-item test: bodies to index, headlines to ask. */
export interface KnownItemCorpus {
  /** The corpus file's base name. */
  name: string;
  /** The documents with their titles emptied: the index holds bodies only. */
  bodies: SearchDocument[];
  /** `titles[i]` is the headline of `bodies[i]`. */
  titles: string[];
}

/** Reads a JSON Lines corpus for {@link knownItem}. */
export async function readKnownItemCorpus(file: string): Promise<KnownItemCorpus> {
  const bodies: SearchDocument[] = [];
  const titles: string[] = [];
  for await (const entry of readJsonl(file)) {
    if (!('document' in entry)) continue;
    titles.push(entry.document.title);
    bodies.push({ ...entry.document, title: '' });
  }
  return { name: path.basename(file), bodies, titles };
}

export interface KnownItemOptions {
  /** Ask only a seeded random sample of this many headlines. */
  sample?: number;
  /** Seed of the sample (default 42). */
  seed?: number;
  /** Ranking weights, user dictionary … for `SearchEngine.build`. */
  engine?: EngineOptions;
  /** Called for each query in turn with the target's rank (1–10), or 0 when it is not in the top 10: for paired comparisons. */
  onRank?: (rank: number) => void;
}

/** The figures of one known-item run. */
export interface KnownItemReport {
  corpus: string;
  documents: number;
  queries: number;
  mrr10: number;
  hit1: number;
  hit10: number;
  /** Queries answered at each match level (and `error` for a query that could not run). */
  levels: Record<string, number>;
  /** Of those, the ones with the target in the top 10. */
  levelHits: Record<string, number>;
  buildSeconds: number;
  msPerQuery: number;
}

/** The (headline, article id) pairs to ask: unique non-blank headlines, or a seeded sample of them. */
function knownItemQueries(corpus: KnownItemCorpus, options: KnownItemOptions): Array<{ title: string; id: string }> {
  const titleCount = new Map<string, number>();
  for (const t of corpus.titles) titleCount.set(t, (titleCount.get(t) ?? 0) + 1);
  const queries = corpus.titles.map((title, i) => ({ title, id: corpus.bodies[i].id })).filter((q) => q.title.trim() && titleCount.get(q.title) === 1);
  if (options.sample === undefined) return queries;
  const rand = seeded(options.seed ?? 42);
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [queries[i], queries[j]] = [queries[j], queries[i]];
  }
  return queries.slice(0, options.sample);
}

/**
 * Indexes the corpus's bodies and asks every unique headline (or a seeded sample):
 * MRR@10, hit@1, hit@10 of the article the headline belongs to, the match levels used,
 * and build and query time.
 */
export function knownItem(corpus: KnownItemCorpus, options: KnownItemOptions = {}): KnownItemReport {
  const t0 = performance.now();
  const engine = SearchEngine.build(corpus.bodies, options.engine);
  const buildSeconds = (performance.now() - t0) / 1000;
  const queries = knownItemQueries(corpus, options);

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
    options.onRank?.(rank + 1);
    if (rank >= 0) {
      reciprocal += 1 / (rank + 1);
      hit10++;
      levelHits[level] = (levelHits[level] ?? 0) + 1;
      if (rank === 0) hit1++;
    }
  }
  const querySeconds = (performance.now() - t1) / 1000;
  return {
    corpus: corpus.name,
    documents: corpus.bodies.length,
    queries: queries.length,
    mrr10: Number((reciprocal / queries.length).toFixed(4)),
    hit1: Number((hit1 / queries.length).toFixed(4)),
    hit10: Number((hit10 / queries.length).toFixed(4)),
    levels,
    levelHits,
    buildSeconds: Number(buildSeconds.toFixed(1)),
    msPerQuery: Number(((querySeconds * 1000) / queries.length).toFixed(2)),
  };
}

function num(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: NEWS_DEV },
      sample: { type: 'string' },
      seed: { type: 'string', default: '42' },
      k1: { type: 'string' },
      'body-b': { type: 'string' },
      literal: { type: 'string' },
      adjacency: { type: 'string' },
      'min-match': { type: 'string' },
      'user-dict': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const corpus = await readKnownItemCorpus(values.corpus!);
  const report = knownItem(corpus, {
    sample: num(values.sample),
    seed: Number(values.seed),
    engine: {
      ranking: { k1: num(values.k1), bodyB: num(values['body-b']), literalWeight: num(values.literal), adjacencyWeight: num(values.adjacency) },
      minWordShare: num(values['min-match']),
      userDict: values['user-dict'],
    },
  });
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(`known-item on ${report.corpus}: ${report.documents} bodies, ${report.queries} headline queries`);
    console.log(`MRR@10 ${report.mrr10}  hit@1 ${report.hit1}  hit@10 ${report.hit10}`);
    console.log(
      `match levels ${JSON.stringify(report.levels)} (target in top 10: ${JSON.stringify(report.levelHits)}); build ${report.buildSeconds} s, ${report.msPerQuery} ms/query`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
