import type { BackendInfo } from '../backend/types';
import type { SearchDocument } from '../document';
import type { SearchEngine } from '../engine';
import { ServerError } from '../errors';
import type { Deadline } from '../search/deadline';
import type { DocumentView, SearchOptions, SearchResult } from '../search/types';
import { Suggester, Suggestion } from './suggest';

/** What the app needs of an engine (tests pass stand-ins). */
export type AppEngine = Pick<SearchEngine, 'search' | 'documentView' | 'getDocument' | 'info' | 'titlesContaining' | 'frequentWords' | 'pinyinCompletions'>;

/**
 * What the app answers from: the calls of AppEngine that requests make, answered at once
 * or later (a SearchBackend, e.g. a cluster). An embedded engine takes a `deadline`
 * (search/deadline.ts); a backend may ignore it.
 */
export interface ServedEngine {
  search(query: string, options?: SearchOptions, deadline?: Deadline): SearchResult | Promise<SearchResult>;
  documentView(id: string, query?: string, deadline?: Deadline): DocumentView | undefined | Promise<DocumentView | undefined>;
  getDocument(id: string): SearchDocument | undefined | Promise<SearchDocument | undefined>;
  info(): BackendInfo | Promise<BackendInfo>;
}

/** What one index serves: the engine, and the typeahead built from it (or answering from a backend). They are replaced together. */
export interface Served<E extends ServedEngine = AppEngine> {
  engine: E;
  suggester: { suggest(query: string, limit?: number): Suggestion[] | Promise<Suggestion[]> };
}

/** The typeahead of an engine that has titles and words to build one from. */
function typeaheadOf(engine: ServedEngine): Suggester {
  if (!('titlesContaining' in engine)) throw new ServerError('A search backend without titles and words of its own needs a suggester given with it.');
  return Suggester.fromEngine(engine as AppEngine);
}

/**
 * The index a server is serving, replaceable while it runs (a new build picked up
 * without a restart). Each request takes `current` once, when it starts, and uses only
 * that: a request under way when the index is replaced finishes on the old one, and
 * never mixes the two. The old index's data is all in memory (its segments' files are
 * read whole when opened), so deleting its files, as a new build does, cannot disturb it.
 */
export class EngineHolder<E extends ServedEngine = AppEngine> {
  private served: Served<E>;

  /** Holds `engine`, with `suggester` or else one built from the engine's titles and frequent words. */
  constructor(engine: E, suggester?: Served['suggester']) {
    this.served = { engine, suggester: suggester ?? typeaheadOf(engine) };
  }

  /** The engine and typeahead to answer a request with. */
  get current(): Served<E> {
    return this.served;
  }

  /** Serves `engine` from now on (with a typeahead built from it unless given); returns what was served before. */
  replace(engine: E, suggester?: Served['suggester']): Served<E> {
    const previous = this.served;
    this.served = { engine, suggester: suggester ?? typeaheadOf(engine) };
    return previous;
  }
}
