/**
 * Prints the articles the hand-written questions (scripts/eval/questions.jsonl) are about:
 * per category, a seeded sample from each split (see `questionArticles` in sets.ts), with the
 * question already written for each, if any. For whoever writes or checks the questions.
 *
 *   npx tsx scripts/eval/question-articles.ts [--per-split 9] [--seed 42] [--chars 600]
 */
import { parseArgs } from 'node:util';
import { bodyText } from '../../src/document';
import { readCorpus } from '../bench/corpus';
import { NEWS_DEV } from '../known-item';
import { questionArticles, readQuestions, splitOf } from './sets';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'per-split': { type: 'string', default: '9' }, seed: { type: 'string', default: '42' }, chars: { type: 'string', default: '600' } } });
  const { docs } = await readCorpus(NEWS_DEV);
  const written = new Map(readQuestions().map((q) => [q.id, q.question]));
  for (const doc of questionArticles(docs, Number(values['per-split']), Number(values.seed))) {
    console.log(`## ${doc.id} ${String(doc.fields?.category)} ${splitOf(doc.id)}\n${doc.title}\n${bodyText(doc).slice(0, Number(values.chars))}`);
    console.log(`Q: ${written.get(doc.id) ?? '(none yet)'}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
