import * as fs from 'node:fs';
import * as path from 'node:path';
import { Charset, Document, type DocumentOptions, type Id } from 'flexsearch';
import { SearchDocument, bodyText, titleText } from '../../../src/document';
import { jiebaTerms } from './jieba';
import { BenchEngine, EngineEntry, TimedSearch } from './types';
import { packageVersion } from './version';

/** What FlexSearch indexes: the document's ordinal, its title field and its body field. */
type FlexRecord = { id: number; title: string; body: string };

/** Options without the document descriptor, which is the same for both variants. */
type IndexSettings = Omit<DocumentOptions<FlexRecord>, 'document' | 'doc'>;

/** Export keys become file names; they are plain (`body.1.map`), but keep them safe anyway. */
function fileName(key: string): string {
  return encodeURIComponent(key);
}

/** FlexSearch's Document index over the title and body fields (one index per field, results unioned). */
class FlexSearchEngine implements BenchEngine {
  private index: Document<FlexRecord>;

  constructor(private readonly name: string, private readonly settings: IndexSettings) {
    this.index = this.fresh();
  }

  async build(docs: readonly SearchDocument[]): Promise<void> {
    this.index = this.fresh();
    docs.forEach((doc, n) => this.index.add({ id: n, title: titleText(doc), body: bodyText(doc) }));
  }

  async save(dir: string): Promise<void> {
    this.index.export((key: string, data: string) => fs.writeFileSync(path.join(dir, fileName(key)), data));
  }

  async load(dir: string): Promise<void> {
    this.index = this.fresh();
    for (const name of fs.readdirSync(dir)) this.index.import(decodeURIComponent(name), fs.readFileSync(path.join(dir, name), 'utf8'));
  }

  matchAll(query: string): number[] {
    const found = new Set<number>();
    for (const field of this.index.search(query, { limit: 1e9, suggest: false })) for (const id of field.result) found.add(Number(id));
    return [...found];
  }

  rank(query: string, k: number): number[] {
    return this.merged(query, k, true);
  }

  timedSearches(k: number): TimedSearch[] {
    return [{ label: this.name, run: (query) => this.merged(query, k, false) }];
  }

  private merged(query: string, limit: number, suggest: boolean): number[] {
    return this.index.search(query, { limit, suggest, merge: true }).map((hit: { id: Id }) => Number(hit.id));
  }

  private fresh(): Document<FlexRecord> {
    return new Document<FlexRecord>({ ...this.settings, document: { id: 'id', index: ['title', 'body'] } });
  }
}

const ASKED =
  "literal: index.search(q, {limit: 1e9, suggest: false}), union of the title and body results; latency: search(q, {limit: 10, suggest: false, merge: true}); headlines: search(title, {limit: 10, suggest: true, merge: true}) (suggest lets documents missing some terms through)";

/** FlexSearch 0.8 with its CJK charset (every character a term) and contextual pairs. */
export const flexsearchCjk: EngineEntry = {
  name: 'flexsearch-cjk',
  library: packageVersion('flexsearch'),
  config:
    "Document({encoder: Charset.CJK (split: '': one term per UTF-16 unit, lower case, NFKD without diacritics), tokenize: 'strict', context: true (depth 1, bidirectional), fields title and body}); export()/import() one file per key",
  asked: ASKED,
  create: () => new FlexSearchEngine('flexsearch-cjk', { encoder: Charset.CJK, tokenize: 'strict', context: true }),
};

/** FlexSearch 0.8 whose terms are jieba words. */
export const flexsearchJieba: EngineEntry = {
  name: 'flexsearch-jieba',
  library: packageVersion('flexsearch'),
  config:
    "Document({encode: text => nodejieba.cut(lowercase(text), HMM) without punctuation, tokenize: 'strict', no context, fields title and body}); export()/import() one file per key",
  asked: ASKED,
  create: () => new FlexSearchEngine('flexsearch-jieba', { encode: jiebaTerms, tokenize: 'strict' }),
};
