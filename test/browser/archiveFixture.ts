import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SearchDocument } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { readJsonl } from '../../src/ingest/jsonl';
import { CORPUS_DIR } from '../helpers';

/** The Sina categories taken, and how many records of each. */
export const CATEGORIES = ['体育', '科技', '教育', '娱乐', '时尚', '健康'];
export const PER_CATEGORY = 10;
/** The CCTV months taken (30: 2017-07 … 2019-12, a monthly timeline), and how many records of each. */
export const FIRST_MONTH = '2017-07';
export const LAST_MONTH = '2019-12';
export const PER_MONTH = 2;

/**
 * A small archive sliced from ../shared/corpus/news-large.jsonl.gz when the test runs (never
 * copied into the repository): the first PER_CATEGORY Sina records of each category
 * (`category` and `source` fields, no dates) and the first PER_MONTH CCTV 新闻联播 records
 * of each month from FIRST_MONTH to LAST_MONTH (dated, `source` only): 60 + 60 records.
 */
export async function archiveDocuments(): Promise<SearchDocument[]> {
  const file = path.join(CORPUS_DIR, 'news-large.jsonl.gz');
  if (!fs.existsSync(file)) throw new Error(`corpus ${file} is missing: the browser test of an archive needs ../shared/corpus beside the project`);
  const perCategory = new Map<string, number>();
  const perMonth = new Map<string, number>();
  const sina: SearchDocument[] = [];
  const cctv: SearchDocument[] = [];
  for await (const entry of readJsonl(file)) {
    if (!('document' in entry)) continue;
    const document = entry.document;
    const category = document.fields?.category;
    const month = document.date?.slice(0, 7);
    if (typeof category === 'string' && CATEGORIES.includes(category) && (perCategory.get(category) ?? 0) < PER_CATEGORY) {
      perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
      sina.push(document);
    } else if (month !== undefined && month >= FIRST_MONTH && month <= LAST_MONTH && (perMonth.get(month) ?? 0) < PER_MONTH) {
      perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
      cctv.push(document);
    }
  }
  return [...cctv, ...sina];
}

/** The archive's engine, built in memory. */
export async function archiveEngine(): Promise<{ engine: SearchEngine; documents: SearchDocument[] }> {
  const documents = await archiveDocuments();
  return { engine: SearchEngine.build(documents), documents };
}
