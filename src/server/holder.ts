import type { SearchEngine } from '../engine';
import { Suggester } from './suggest';

/** What the app needs of an engine (tests pass stand-ins). */
export type AppEngine = Pick<SearchEngine, 'search' | 'documentView' | 'getDocument' | 'info' | 'titles' | 'frequentWords' | 'pinyinCompletions'>;

/** What one index serves: the engine, and the typeahead built from it. They are replaced together. */
export interface Served {
  engine: AppEngine;
  suggester: Pick<Suggester, 'suggest'>;
}

/**
 * The index a server is serving, replaceable while it runs (a new build picked up
 * without a restart). Each request takes `current` once, when it starts, and uses only
 * that: a request under way when the index is replaced finishes on the old one, and
 * never mixes the two. The old index's data is all in memory (its segments' files are
 * read whole when opened), so deleting its files, as a new build does, cannot disturb it.
 */
export class EngineHolder {
  private served: Served;

  /** Holds `engine`, with `suggester` or else one built from the engine's titles and frequent words. */
  constructor(engine: AppEngine, suggester?: Served['suggester']) {
    this.served = { engine, suggester: suggester ?? Suggester.fromEngine(engine) };
  }

  /** The engine and typeahead to answer a request with. */
  get current(): Served {
    return this.served;
  }

  /** Serves `engine` from now on (with a typeahead built from it unless given); returns what was served before. */
  replace(engine: AppEngine, suggester?: Served['suggester']): Served {
    const previous = this.served;
    this.served = { engine, suggester: suggester ?? Suggester.fromEngine(engine) };
    return previous;
  }
}
