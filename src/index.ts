/** jiansuo's library API: see README "Using jiansuo as a library". */
export { SearchEngine } from './engine';
export type { EngineOptions, RejectedDocument } from './engine';
export type { SearchDocument } from './document';
export type { SearcherOptions } from './search/searcher';
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
export type { RankingOptions } from './search/ranking';
export type { Manifest, SourceFingerprint } from './index/store';
export { JiansuoError, QueryError, IndexError, IndexLockedError, IngestError, ServerError, BuildError, UpdateError, BackendError } from './errors';
export type { SearchBackend, BackendInfo } from './backend/types';
export { EmbeddedBackend } from './backend/embedded';
export { SphinxBackend } from './backend/sphinx/backend';
export type { SphinxOptions, ClusterWriteSummary } from './backend/sphinx/backend';
export { openBackend } from './backend/open';
export { buildIndex, indexIsStale } from './build';
export { updateIndex, optimizeIndex, updatesSinceBuild } from './update';
export type { IndexChange, UpdateSummary } from './update';
export type { BuildSummary } from './build';
export { loadSources, readJsonl, parsePage, formatProblem } from './ingest';
export type { IngestProblem } from './ingest';
export { createApp } from './server/app';
export type { AppEngine, AppOptions } from './server/app';
export type { AdminOptions } from './server/admin';
export { normalize } from './analysis/normalize';
