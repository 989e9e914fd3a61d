import type { SearchDocument } from '../document';
import type { SearchEngine } from '../engine';
import type { DocumentView, SearchOptions, SearchResult } from '../search/types';
import type { BackendInfo, SearchBackend } from './types';

/** The embedded index behind the backend interface: each call answers from `engine` in this process. */
export class EmbeddedBackend implements SearchBackend {
  constructor(readonly engine: SearchEngine) {}

  async search(query: string, options?: SearchOptions): Promise<SearchResult> {
    return this.engine.search(query, options);
  }

  async documentView(id: string, query?: string): Promise<DocumentView | undefined> {
    return this.engine.documentView(id, query);
  }

  async getDocument(id: string): Promise<SearchDocument | undefined> {
    return this.engine.getDocument(id);
  }

  async info(): Promise<BackendInfo> {
    return this.engine.info();
  }

  /** Nothing to release: the engine's data is garbage-collected with it. */
  async close(): Promise<void> {}
}
