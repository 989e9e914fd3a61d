import * as fs from 'node:fs';
import * as path from 'node:path';
import MiniSearch, { type Options } from 'minisearch';
import { SearchDocument, bodyText, titleText } from '../../../src/document';
import { jiebaTerms } from './jieba';
import { BenchEngine, EngineEntry, TimedSearch } from './types';
import { packageVersion } from './version';

/** What MiniSearch indexes: the document's ordinal, its title field and its body field. */
type MiniRecord = { id: number; title: string; body: string };

const OPTIONS: Options<MiniRecord> = { fields: ['title', 'body'], tokenize: (text) => jiebaTerms(text) };
/** Every query term must match, whole (no prefix or fuzzy expansion). */
const ALL_TERMS = { combineWith: 'AND', prefix: false, fuzzy: false } as const;
const INDEX_FILE = 'index.json';

/** MiniSearch over the title and body fields with jieba terms. */
class MiniSearchEngine implements BenchEngine {
  private index = new MiniSearch<MiniRecord>(OPTIONS);

  async build(docs: readonly SearchDocument[]): Promise<void> {
    this.index = new MiniSearch<MiniRecord>(OPTIONS);
    docs.forEach((doc, n) => this.index.add({ id: n, title: titleText(doc), body: bodyText(doc) }));
  }

  async save(dir: string): Promise<void> {
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(this.index.toJSON()));
  }

  async load(dir: string): Promise<void> {
    this.index = MiniSearch.loadJSON<MiniRecord>(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'), OPTIONS);
  }

  matchAll(query: string): number[] {
    return this.index.search(query, ALL_TERMS).map((hit) => Number(hit.id));
  }

  rank(query: string, k: number): number[] {
    return this.index.search(query).slice(0, k).map((hit) => Number(hit.id));
  }

  timedSearches(k: number): TimedSearch[] {
    return [{ label: 'minisearch-jieba', run: (query) => this.index.search(query, ALL_TERMS).slice(0, k) }];
  }
}

/** MiniSearch 7 with a nodejieba tokenizer. */
export const minisearchJieba: EngineEntry = {
  name: 'minisearch-jieba',
  library: packageVersion('minisearch'),
  config:
    "new MiniSearch({fields: ['title', 'body'], tokenize: text => nodejieba.cut(lowercase(text), HMM) without punctuation}) (default processTerm: lower case); JSON.stringify(toJSON()) / MiniSearch.loadJSON",
  asked:
    "literal: search(q, {combineWith: 'AND', prefix: false, fuzzy: false}), every result; latency: the same, first 10 (MiniSearch has no limit); headlines: search(title) with its defaults (OR, no prefix, no fuzzy), first 10",
  create: () => new MiniSearchEngine(),
};
