import * as fs from 'node:fs';
import * as path from 'node:path';
import { SearchDocument } from '../src/document';
import { Analyzer } from '../src/analysis/analyzer';
import { SearchEngine } from '../src/engine';
import { IndexBuilder } from '../src/index/builder';
import { IndexData } from '../src/index/data';
import { parsePage, readJsonl } from '../src/ingest';

export const ROOT = path.resolve(__dirname, '..');
export const DEMO_PAGE = path.join(ROOT, 'index-data', 'sources', '000_2cd9194f99e4ed8d.txt');
/** The shared corpora: read in place, never copied into the repository. */
export const CORPUS_DIR = path.resolve(ROOT, '..', 'shared', 'corpus');

/**
 * Timeout of a test that runs about ten `jiansuo` processes one after another, each loading
 * jieba: 2–3 s apiece on an idle 2-core machine, 15 s or more while another build shares it.
 */
export const PROCESS_SERIES_TIMEOUT_MS = 10 * 60_000;

/** The demo archive's documents. */
export function demoDocuments(): SearchDocument[] {
  return parsePage(fs.readFileSync(DEMO_PAGE, 'utf8'), { source: path.basename(DEMO_PAGE) });
}

let demo: SearchEngine | undefined;
/** An engine over the demo page, built once per test file. */
export function demoEngine(): SearchEngine {
  demo ??= SearchEngine.build(demoDocuments());
  return demo;
}

/** The first `limit` documents of a corpus file in ../shared/corpus. Fails loudly when the corpus is missing. */
export async function corpusDocuments(file: string, limit: number): Promise<SearchDocument[]> {
  const full = path.join(CORPUS_DIR, file);
  if (!fs.existsSync(full)) throw new Error(`corpus ${full} is missing: the tests need ../shared/corpus beside the project`);
  const docs: SearchDocument[] = [];
  for await (const entry of readJsonl(full)) {
    if ('document' in entry) docs.push(entry.document);
    if (docs.length >= limit) break;
  }
  return docs;
}

let analyzer: Analyzer | undefined;
/** The index of `documents` built in memory, in order (one segment), by one analyzer shared by the test file. */
export function buildData(documents: SearchDocument[]): IndexData {
  analyzer ??= new Analyzer();
  const builder = new IndexBuilder(analyzer);
  for (const document of documents) builder.add(document);
  return builder.finish();
}

/** A small document for tests. */
export function doc(id: string, title: string, body: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return { id, title, paragraphs: body.split('\n'), kind: 'article', reporters: [], correspondents: [], source: 'test', ...extra };
}

export { seeded } from '../scripts/random';
