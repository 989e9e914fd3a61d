import { Analyzer } from './analysis/analyzer';
import { SearchDocument } from './document';
import { IngestError } from './errors';
import { IndexData } from './index/data';
import { IndexBuilder } from './index/builder';
import { Manifest, SourceFingerprint, readIndex, writeIndex } from './index/store';
import { SearchOptions, SearchResult, Searcher, SearcherOptions } from './search/searcher';

export interface EngineOptions extends SearcherOptions {
  /** A jieba user dictionary (word [frequency] [tag] per line). Default: none. */
  userDict?: string;
}

/** A document that could not be indexed, and why. */
export interface RejectedDocument {
  id: string;
  message: string;
}

/**
 * The jiansuo library in one class: build an index from documents, save it, open it,
 * search it. `search` returns exactly what `jiansuo search --json` prints.
 *
 * ```ts
 * const engine = SearchEngine.build(documents);
 * engine.save('index-data/index');
 * const again = SearchEngine.open('index-data/index');
 * again.search('方特', { limit: 5 }).hits;
 * ```
 */
export class SearchEngine {
  private readonly searcher: Searcher;

  private constructor(data: IndexData, readonly analyzer: Analyzer, readonly manifest: Manifest | undefined, options: EngineOptions) {
    this.searcher = new Searcher(data, analyzer, options);
  }

  /**
   * Indexes documents in memory. Documents too long to index are left out and listed
   * in `rejected` (pass an array to collect them); everything else is indexed.
   */
  static build(documents: Iterable<SearchDocument>, options: EngineOptions = {}, rejected: RejectedDocument[] = []): SearchEngine {
    const analyzer = new Analyzer({ userDict: options.userDict });
    const builder = new IndexBuilder(analyzer);
    for (const doc of documents) {
      try {
        builder.add(doc);
      } catch (error) {
        if (!(error instanceof IngestError)) throw error;
        rejected.push({ id: doc.id, message: error.message });
      }
    }
    return new SearchEngine(builder.finish(), analyzer, undefined, options);
  }

  /** Wraps an index built elsewhere (by IndexBuilder) for searching. */
  static fromData(data: IndexData, analyzer: Analyzer, options: EngineOptions = {}): SearchEngine {
    return new SearchEngine(data, analyzer, undefined, options);
  }

  /** Opens the index saved in `dir`. Throws IndexError, saying how to rebuild, when it is missing, old or damaged. */
  static open(dir: string, options: EngineOptions = {}): SearchEngine {
    const { data, manifest } = readIndex(dir);
    const analyzer = new Analyzer({ userDict: options.userDict ?? manifest.analyzer.userDict });
    return new SearchEngine(data, analyzer, manifest, options);
  }

  /** Saves the index to `dir` atomically (a crash leaves the previous index intact). */
  save(dir: string, sources: SourceFingerprint[] = []): Manifest {
    return writeIndex(dir, this.searcher.data, { analyzer: this.analyzer.settings, sources });
  }

  /** Number of documents indexed. */
  get documentCount(): number {
    return this.searcher.documentCount;
  }

  /** Runs a query (see README for the query language). Throws QueryError for a query that cannot be run. */
  search(query: string, options?: SearchOptions): SearchResult {
    return this.searcher.search(query, options);
  }

  /** The stored document with ordinal `n` (0-based, in indexing order). */
  document(n: number): SearchDocument {
    return this.searcher.document(n);
  }
}
