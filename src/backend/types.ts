import type { SearchDocument } from '../document';
import type { DocumentView, SearchOptions, SearchResult } from '../search/types';

/** What /api/health reports about the index behind a backend. */
export interface BackendInfo {
  documents: number;
  formatVersion: number;
  createdAt?: string;
}

/**
 * The one search interface the server, the CLI and the library talk to, whatever holds
 * the index: the embedded engine in this process (EmbeddedBackend) or a Sphinx/Manticore
 * cluster (SphinxBackend). Every call returns a promise, so that a backend may answer from
 * another thread or another machine. Results have the same JSON shape either way; a
 * cluster answering without some shard marks its result `partial` with `warnings`.
 */
export interface SearchBackend {
  /** Runs a query (README "Query language"). Rejects with QueryError for a query that cannot be run. */
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** The document with this id, its matches of `query` highlighted; undefined for an unknown id. */
  documentView(id: string, query?: string): Promise<DocumentView | undefined>;
  /** The stored document with this id, or undefined. */
  getDocument(id: string): Promise<SearchDocument | undefined>;
  /** Document count and format of the index. */
  info(): Promise<BackendInfo>;
  /** Releases connections; the backend answers nothing afterwards. */
  close(): Promise<void>;
}
