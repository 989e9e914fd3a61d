/** Base class of every error jiansuo throws on purpose; the CLI and server print `message` as is. */
export class JiansuoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Why a query cannot be run, as a stable code: the server words its reason in the request's language from it. */
export type QueryErrorCode =
  | 'query_empty'
  | 'query_too_long'
  | 'query_only_excludes'
  | 'query_no_terms'
  | 'filter_excluded'
  | 'bad_date'
  | 'unknown_field'
  | 'bad_sort'
  | 'bad_paging'
  | 'unsupported';

/** A query that cannot be run: empty, only operators, or too long. The HTTP status is 400. */
export class QueryError extends JiansuoError {
  /** `limit`: for query_too_long, the most characters a query may have. */
  constructor(
    message: string,
    /** Required: the server words the reason in Chinese from it, so a wrong code gives a wrong reason. */
    readonly code: QueryErrorCode,
    readonly limit?: number,
  ) {
    super(message);
  }
}

/**
 * A search option or filter the backend answering cannot honour (e.g. sorting by date on a
 * Sphinx cluster). The HTTP status is 400, and the answer names `option`, so that a client
 * (the search page) can ask again without it.
 */
export class UnsupportedQueryError extends QueryError {
  constructor(
    message: string,
    /** The search option refused: `sort`, `timeline`, `facet` (named facet fields) or `filter`. */
    readonly option: 'sort' | 'timeline' | 'facet' | 'filter',
  ) {
    super(message, 'unsupported');
  }
}

/** An index directory that is missing, of another format version, or damaged. */
export class IndexError extends JiansuoError {}

/** The index is being written by another process: try again when it has finished. */
export class IndexLockedError extends IndexError {}

/** Source input that yielded no usable document at all. */
export class IngestError extends JiansuoError {}

/** A document the index cannot hold (too long to index): it is rejected with this message, and the others are indexed. */
export class DocumentTooLongError extends JiansuoError {}

/** The HTTP server could not start, e.g. because its port is taken. */
export class ServerError extends JiansuoError {}

/** An index update that was refused and changed nothing: unknown ids to remove, or a user dictionary changed since the build. */
export class UpdateError extends JiansuoError {
  /** The ids asked to be removed that the index does not hold (404 over HTTP). */
  readonly missingIds: string[];

  constructor(message: string, missingIds: string[]) {
    super(message);
    this.missingIds = missingIds;
  }
}

/**
 * An update written to the index that the server could not serve yet: it is stopping, or
 * the new generation would not open. What was written stays on disk (HTTP 503).
 */
export class UnservedUpdateError extends JiansuoError {}

/** An index build that failed part way, e.g. because a segmentation worker thread crashed. */
export class BuildError extends JiansuoError {}

/**
 * A search stopped at its interrupting deadline (search/deadline.ts): the server runs it
 * again off the event loop. Never shown to a user.
 */
export class SearchInterrupted extends JiansuoError {
  constructor() {
    super('the search ran past its deadline on the event loop');
  }
}

/** Too many slow searches are waiting: the request is refused (HTTP 503) and may be retried later. */
export class ServerBusyError extends JiansuoError {}

/** A search backend that cannot be used: a malformed --backend URL, a cluster that does not answer or lacks the index. */
export class BackendError extends JiansuoError {}
