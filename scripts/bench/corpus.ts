import * as fs from 'node:fs';
import * as path from 'node:path';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { readJsonl } from '../../src/ingest';

/** The documents of a corpus as jiansuo reads them, with what the benchmark needs to know about them. */
export interface Corpus {
  docs: SearchDocument[];
  /** Lines readJsonl reported as problems (skipped). */
  problems: number;
  /** UTF-8 bytes of every title and body: the text the engines index. */
  textBytes: number;
}

/** ../shared/corpus beside the repository: where the benchmark's corpora are (never copied into the repository). */
export const SHARED_CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

/**
 * The two corpora the latency scripts (latency.ts, answers.ts) sample from: the one the index
 * was built from (default news-dev) and, for long pasted passages, the first 3,000 documents of
 * another (default news-large).
 */
export async function readLatencyCorpora(corpus?: string, pasted?: string): Promise<{ docs: SearchDocument[]; pastedDocs: SearchDocument[] }> {
  const { docs } = await readCorpus(corpus ?? path.join(SHARED_CORPUS_DIR, 'news-dev.jsonl.gz'));
  const pastedDocs = (await readCorpus(pasted ?? path.join(SHARED_CORPUS_DIR, 'news-large.jsonl.gz'), 3000)).docs;
  return { docs, pastedDocs };
}

/** Reads a JSON Lines corpus with jiansuo's reader (src/ingest), keeping the first `limit` documents. */
export async function readCorpus(file: string, limit = Infinity): Promise<Corpus> {
  const docs: SearchDocument[] = [];
  let problems = 0;
  let textBytes = 0;
  for await (const entry of readJsonl(file)) {
    if (!('document' in entry)) {
      problems++;
      continue;
    }
    docs.push(entry.document);
    textBytes += Buffer.byteLength(titleText(entry.document)) + Buffer.byteLength(bodyText(entry.document));
    if (docs.length >= limit) break;
  }
  return { docs, problems, textBytes };
}

/** Writes documents one JSON object per line, for the child processes to read quickly. */
export function writeDocuments(file: string, docs: readonly SearchDocument[]): void {
  writeLines(file, docs, (doc) => JSON.stringify(doc));
}

/** Writes one line per document, `line(doc)`, a thousand at a time. */
function writeLines(file: string, docs: readonly SearchDocument[], line: (doc: SearchDocument) => string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < docs.length; i += 1000) {
      fs.writeSync(fd, docs.slice(i, i + 1000).map((doc) => `${line(doc)}\n`).join(''));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes documents as JSON Lines records (`{id, title, body, date?, …fields}`, the corpus's
 * own shape), which jiansuo's reader turns back into the same documents: body lines are the
 * paragraphs.
 */
export function writeRecords(file: string, docs: readonly SearchDocument[]): void {
  writeLines(file, docs, (doc) => JSON.stringify({ ...doc.fields, id: doc.id, title: titleText(doc), body: bodyText(doc), ...(doc.date ? { date: doc.date } : {}) }));
}

/** Reads documents that `writeDocuments` wrote, in order. */
export function readDocuments(file: string): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (line) docs.push(JSON.parse(line) as SearchDocument);
  return docs;
}
