/**
 * jiansuo's library API (the package's main entry): what a program needs to build, open,
 * search and update an index. README "Using jiansuo as a library" shows it in use; the
 * HTTP server is a separate entry, `jiansuo/server` (src/serverApi.ts), so that a library
 * user loads neither Express nor pino.
 */

/**
 * The engine: `SearchEngine.build(documents, options)` / `buildParallel` (segments on
 * `threads` worker threads, default one per core), `open(dir, options)` / `openAsync`,
 * `save(dir)`, `search(query, options)`. EngineOptions: `userDict` (default none; `open`
 * uses the index's copy of the build's), `userDictFallback` (for an index without such a
 * copy), `synonyms` (default none; `open` uses the build's), `maxQueryLength`
 * (256), `minWordShare` (0.1), `rankedMinChars` (10), `rankedMinWords` (3), `ranking`
 * (RankingOptions, defaults in src/search/ranking.ts).
 */
export { SearchEngine } from './engine';
export type { EngineOptions } from './engine';
export type { SearcherOptions } from './search/searcher';
export type { RankingOptions } from './search/ranking';

/** A document to index (what the ingesters produce), and one the index refused with why. */
export type { RejectedDocument, SearchDocument } from './document';

/**
 * What `search` takes and returns. SearchOptions: `limit` (10), `offset` (0), `snippetLength`
 * (120; 0 for none), `filters` (none), `facets` (0: none), `noSuggestion` (false), `collapse`
 * (true: copies of an article folded into one hit).
 */
export type {
  SearchHit,
  SearchOptions,
  SearchResult,
  MatchMode,
  SearchFilter,
  FilterField,
  FacetField,
  FacetValue,
  DocumentView,
  DuplicateRef,
} from './search/types';

/** What an index directory records about the generation it serves (format, analyzer, sources, segments). */
export type { Manifest, SourceFingerprint } from './index/manifest';

/** The errors jiansuo throws: each a JiansuoError, with a message a user can act on. */
export { JiansuoError, QueryError, IndexError, IndexLockedError, IngestError, DocumentTooLongError, ServerError, BuildError, UpdateError, UnservedUpdateError, BackendError, ServerBusyError } from './errors';

/** One search interface over the embedded index or a Sphinx/Manticore cluster (README "Scale-out"). */
export type { SearchBackend, BackendInfo } from './backend/types';
export { EmbeddedBackend } from './backend/embedded';
export { SphinxBackend } from './backend/sphinx/backend';
export type { SphinxOptions, ClusterWriteSummary } from './backend/sphinx/backend';
export { openBackend } from './backend/open';

/**
 * Building from source files as `jiansuo index` does (`threads`: one per core; `force`:
 * false, so an index holding updates is not rebuilt over), and whether an index is stale.
 */
export { buildIndex, indexIsStale } from './build';
export type { BuildOptions, BuildSummary } from './build';

/** Updates without a rebuild, as `jiansuo add`/`remove`/`optimize` do: crash-safe, under the index lock. */
export { updateIndex, optimizeIndex, updatesSinceBuild } from './update';
export type { IndexChange, UpdateSummary } from './update';

/** Reading sources as the CLI does: newspaper pages (.txt) and JSON Lines (.jsonl, .jsonl.gz), with problems by file and line. */
export { loadSources, readJsonl, parsePage, formatProblem } from './ingest';
export type { IngestProblem } from './ingest';

/** The normalization applied to documents and queries alike (NFKC, lower case, 繁→简 by character). */
export { normalize } from './analysis/normalize';
