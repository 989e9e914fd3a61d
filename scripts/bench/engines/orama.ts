import { type RawData, type SearchParams, count, create, insert, load, save, search } from '@orama/orama';
import { createTokenizer } from '@orama/tokenizers/mandarin';
import { SearchDocument, bodyText, titleText } from '../../../src/document';
import { readJsonFiles, writeJsonFiles } from './jsonFiles';
import { BenchEngine, EngineEntry, TimedSearch } from './types';
import { packageVersion } from './version';

const SCHEMA = { title: 'string', body: 'string' } as const;
const INDEX_NAME = 'orama';

/** An empty database for the title and body fields, tokenized by the Mandarin tokenizer. */
function createDatabase() {
  return create({ schema: SCHEMA, components: { tokenizer: createTokenizer() } });
}

type Database = ReturnType<typeof createDatabase>;

/** Orama answers synchronously unless a plugin or component is asynchronous; none is here. */
function sync<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('Orama answered asynchronously; the benchmark expects synchronous calls');
  return value;
}

/** Orama over the title and body fields with its Mandarin tokenizer. */
class OramaEngine implements BenchEngine {
  private db: Database = createDatabase();

  async build(docs: readonly SearchDocument[]): Promise<void> {
    this.db = createDatabase();
    for (let n = 0; n < docs.length; n++) sync(insert(this.db, { id: String(n), title: titleText(docs[n]), body: bodyText(docs[n]) }));
  }

  async save(dir: string): Promise<void> {
    writeJsonFiles(dir, INDEX_NAME, save(this.db));
  }

  async load(dir: string): Promise<void> {
    this.db = createDatabase();
    load(this.db, readJsonFiles(dir, INDEX_NAME) as RawData);
  }

  matchAll(query: string): number[] {
    return this.ids({ term: query, limit: sync(count(this.db)), threshold: 0 });
  }

  rank(query: string, k: number): number[] {
    return this.ids({ term: query, limit: k });
  }

  timedSearches(k: number): TimedSearch[] {
    return [{ label: 'orama-mandarin', run: (query) => this.ids({ term: query, limit: k, threshold: 0 }) }];
  }

  private ids(params: SearchParams<Database>): number[] {
    return sync(search(this.db, params)).hits.map((hit) => Number(hit.id));
  }
}

/** Orama 3 with @orama/tokenizers' Mandarin tokenizer. */
export const oramaMandarin: EngineEntry = {
  name: 'orama-mandarin',
  library: `${packageVersion('@orama/orama')} + ${packageVersion('@orama/tokenizers')}`,
  config:
    "create({schema: {title: 'string', body: 'string'}, components: {tokenizer: createTokenizer()}}) from @orama/tokenizers/mandarin (Intl.Segmenter zh-CN words, no lower-casing; loads as CommonJS on Node 20); JSON.stringify(save(db)) / load(db, JSON.parse(…)), split into one file per key where the JSON would be too long for one string (news-large)",
  asked:
    'literal: search(db, {term: q, limit: count(db), threshold: 0}) (every query token in one field; default prefix matching on the radix tree), every hit; latency: the same with limit 10; headlines: search(db, {term: title, limit: 10}) (default threshold 1: any token)',
  create: () => new OramaEngine(),
};
