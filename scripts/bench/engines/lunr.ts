import * as fs from 'node:fs';
import * as path from 'node:path';
import lunr from 'lunr';
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import zh from 'lunr-languages/lunr.zh.js';
import { SearchDocument, bodyText, titleText } from '../../../src/document';
import { jiebaTerms } from './jieba';
import { BenchEngine, EngineEntry, TimedSearch } from './types';
import { packageVersion } from './version';

stemmerSupport(lunr);
zh(lunr);
/**
 * lunr-languages' zh tokenizer cuts with `@node-rs/jieba` (a Rust port with its own dictionary)
 * when it is installed and otherwise with Intl.Segmenter plus every character bigram. To compare
 * like with like, its tokenizer is replaced by the jieba cut the other peers use (nodejieba with
 * HMM and jiansuo's dictionary); `lunr.zh` installs `lunr.zh.tokenizer` on each builder it is used
 * with, and its pipeline (trimmer, Chinese stop words, no stemming) stays as it is.
 */
lunr.zh.tokenizer = (text?: unknown): lunr.Token[] => (text == null ? [] : jiebaTerms(String(text)).map((term) => new lunr.Token(term, {})));

const INDEX_FILE = 'index.json';
/** Characters of Lunr's query syntax (and its escape character), escaped in query terms. */
const SYNTAX = /[:~^+\-\\]/g;
/** lunr.zh's pipeline, which documents go through: the search pipeline of every index built here. */
const ZH_PIPELINE = [lunr.zh.trimmer!, lunr.zh.stopWordFilter!, lunr.zh.stemmer!];
const queryPipeline = new lunr.Pipeline();
queryPipeline.add(...ZH_PIPELINE);

/**
 * Query terms for Lunr's query string: the jieba cut of the user's text through lunr.zh's
 * pipeline, with the syntax characters escaped. Terms the pipeline drops (stop words) are left
 * out here, because Lunr 2.3.9 throws on a required term that its pipeline removes. `*` is a
 * wildcard in Lunr even when escaped, so terms are split at it.
 */
function queryTerms(text: string): string[] {
  return jiebaTerms(text)
    .flatMap((term) => term.split('*'))
    .flatMap((term) => queryPipeline.runString(term))
    .filter((term) => term)
    .map((term) => term.replace(SYNTAX, (c) => `\\${c}`));
}

/** Lunr 2 over the title and body fields with lunr-languages' Chinese pipeline and jieba words. */
class LunrEngine implements BenchEngine {
  private index?: lunr.Index;

  async build(docs: readonly SearchDocument[]): Promise<void> {
    this.index = lunr(function () {
      this.use(lunr.zh);
      // lunr.zh resets the indexing pipeline only; queries would go through Lunr's English
      // stemmer. They get the same Chinese pipeline as the documents instead.
      this.searchPipeline.reset();
      this.searchPipeline.add(...ZH_PIPELINE);
      this.ref('id');
      this.field('title');
      this.field('body');
      docs.forEach((doc, n) => this.add({ id: String(n), title: titleText(doc), body: bodyText(doc) }));
    });
  }

  async save(dir: string): Promise<void> {
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(this.ready()));
  }

  async load(dir: string): Promise<void> {
    this.index = lunr.Index.load(JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')) as object);
  }

  matchAll(query: string): number[] {
    return this.search(queryTerms(query).map((term) => `+${term}`));
  }

  rank(query: string, k: number): number[] {
    return this.search(queryTerms(query)).slice(0, k);
  }

  timedSearches(k: number): TimedSearch[] {
    return [{ label: 'lunr-jieba', run: (query) => this.matchAll(query).slice(0, k) }];
  }

  /** Lunr's answer to the terms joined by spaces (no terms: no answer); any error Lunr throws counts as an empty answer. */
  private search(terms: readonly string[]): number[] {
    if (terms.length === 0) return [];
    const index = this.ready();
    let hits: lunr.Index.Result[];
    try {
      hits = index.search(terms.join(' '));
    } catch {
      return [];
    }
    return hits.map((hit) => Number(hit.ref));
  }

  private ready(): lunr.Index {
    if (!this.index) throw new Error('lunr: build or load first');
    return this.index;
  }
}

/** Lunr 2 with lunr-languages' Chinese support, segmenting with nodejieba. */
export const lunrJieba: EngineEntry = {
  name: 'lunr-jieba',
  library: `${packageVersion('lunr')} + ${packageVersion('lunr-languages')}`,
  config:
    "lunr(function () { this.use(lunr.zh) (pipeline: trimmer-zh, stopWordFilter-zh, stemmer-zh), searchPipeline set to the same; fields title and body, no boosts, default BM25 (k1 1.2, b 0.75) }) with lunr.zh.tokenizer = nodejieba.cut(lowercase(text), HMM) without punctuation (lunr-languages would use @node-rs/jieba or Intl.Segmenter); JSON.stringify(index) / lunr.Index.load",
  asked:
    "the query cut by the same jieba, Lunr syntax characters escaped (: ~ ^ + - \\; terms split at *), joined by spaces: literal: every term required ('+term'), every result; latency: the same, first 10; headlines: index.search(terms) with its defaults (each term optional, OR), first 10; terms lunr.zh's pipeline drops (stop words) left out of the query; any error Lunr throws counts as an empty answer",
  create: () => new LunrEngine(),
};
