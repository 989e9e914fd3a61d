/**
 * jiansuo alone on the evaluation sets, in-process (no child processes), to tune ranking
 * weights quickly: each index the sets need (bodies only, titles and bodies) is built once and
 * saved to a temporary directory, then opened with each EngineOptions to try
 * (`SearchEngine.open(dir, options)`, about a second) instead of being rebuilt.
 *
 * ```ts
 * const { docs } = await readCorpus(NEWS_DEV);                   // scripts/bench/corpus, scripts/known-item
 * const sets = buildEvalSets(docs, { sample: 1000 });            // scripts/eval/sets
 * const evaluator = await JiansuoEvaluator.create(docs, sets);   // builds each index kind once
 * try {
 *   const figures = evaluator.evaluate({ ranking: { k1: 1.4 } }, 'tune'); // per set: mrr10, hit1, hit10, noResult
 * } finally {
 *   evaluator.close();                                           // removes the temporary indexes
 * }
 * ```
 *
 * From the shell, one line of figures per set for each --options (EngineOptions as JSON):
 *
 *   npx tsx scripts/eval/tune.ts [--split tune|test|all] [--sets headline,clause,…] [--sample 1000] [--seed 42]
 *                                [--options '{"ranking":{"k1":1.4}}' --options '{…}' …] [--corpus news-dev.jsonl.gz]
 *
 * Tune on the `tune` split (the default here); report on `test` (npm run eval).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SearchDocument } from '../../src/document';
import { EngineOptions, SearchEngine } from '../../src/engine';
import { corpusPath } from '../bench/args';
import { readCorpus } from '../bench/corpus';
import { topIds } from '../bench/engines/jiansuo';
import { SetStats, outcomes, setStats } from './metrics';
import { EvalQuery, INDEX_OF, IndexKind, SET_NAMES, SetName, Split, buildEvalSets } from './sets';

const K = 10;

/** jiansuo's indexes for a corpus and its sets, built once, searched with any ranking options. */
export class JiansuoEvaluator {
  private constructor(
    private readonly sets: Partial<Record<SetName, EvalQuery[]>>,
    private readonly dirs: Partial<Record<IndexKind, string>>,
    private readonly root: string,
    private readonly userDict: string | undefined,
  ) {}

  /**
   * Builds (SearchEngine.buildParallel) and saves the indexes `sets` need: bodies only (titles
   * emptied) for `headline`, titles and bodies for the others. `userDict` is fixed here: it
   * changes the index, so another one needs another evaluator.
   */
  static async create(docs: readonly SearchDocument[], sets: Partial<Record<SetName, EvalQuery[]>>, options: { userDict?: string } = {}): Promise<JiansuoEvaluator> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-tune-'));
    const dirs: Partial<Record<IndexKind, string>> = {};
    try {
      for (const kind of new Set(SET_NAMES.filter((name) => sets[name]).map((name) => INDEX_OF[name]))) {
        const indexed = kind === 'full' ? docs : docs.map((doc) => ({ ...doc, title: '', subtitle: undefined }));
        const engine = await SearchEngine.buildParallel(indexed, { userDict: options.userDict });
        dirs[kind] = path.join(root, kind);
        engine.save(dirs[kind]!);
      }
    } catch (error) {
      fs.rmSync(root, { recursive: true, force: true });
      throw error;
    }
    return new JiansuoEvaluator(sets, dirs, root, options.userDict);
  }

  /** MRR@10, hit@1, hit@10 and the no-result rate of each set over the queries of `split`, searching with `options`. */
  evaluate(options: EngineOptions, split: Split | 'all' = 'tune'): Partial<Record<SetName, SetStats>> {
    if (options.userDict !== this.userDict) throw new Error(`this evaluator's indexes were built with userDict ${this.userDict ?? '(none)'}; create another for ${options.userDict ?? '(none)'}`);
    const engines = new Map<IndexKind, SearchEngine>();
    const figures: Partial<Record<SetName, SetStats>> = {};
    for (const name of SET_NAMES) {
      const queries = this.sets[name]?.filter((q) => split === 'all' || q.split === split);
      if (!queries) continue;
      const kind = INDEX_OF[name];
      if (!engines.has(kind)) engines.set(kind, SearchEngine.open(this.dirs[kind]!, options));
      const engine = engines.get(kind)!;
      figures[name] = setStats(
        outcomes(
          queries.map((q) => ({ text: q.query, target: q.targetId })),
          (text) => topIds(engine, text, K),
        ),
      );
    }
    return figures;
  }

  /** Removes the saved indexes. */
  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'tune' },
      sets: { type: 'string' },
      sample: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
      options: { type: 'string', multiple: true, default: ['{}'] },
      corpus: { type: 'string', default: 'news-dev.jsonl.gz' },
    },
  });
  if (!['tune', 'test', 'all'].includes(values.split!)) throw new Error(`--split must be tune, test or all, got "${values.split}"`);
  const names = (values.sets?.split(',') ?? [...SET_NAMES]) as SetName[];
  const optionSets = values.options!.map((json) => JSON.parse(json) as EngineOptions);
  const { docs } = await readCorpus(corpusPath(values.corpus!));
  const sets = buildEvalSets(docs, { sample: Number(values.sample), seed: Number(values.seed), sets: names });
  const evaluator = await JiansuoEvaluator.create(docs, sets, { userDict: optionSets[0].userDict });
  try {
    for (const [i, options] of optionSets.entries()) {
      const figures = evaluator.evaluate(options, values.split as Split | 'all');
      for (const [name, s] of Object.entries(figures)) {
        console.log(`${values.options![i]}  ${name.padEnd(15)} n=${s.queries}  MRR@10 ${s.mrr10.toFixed(3)}  hit@1 ${s.hit1.toFixed(3)}  hit@10 ${s.hit10.toFixed(3)}  no result ${(s.noResult * 100).toFixed(1)}%`);
      }
    }
  } finally {
    evaluator.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
