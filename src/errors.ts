/** Base class of every error jiansuo throws on purpose; the CLI and server print `message` as is. */
export class JiansuoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A query that cannot be run: empty, only operators, or too long. The HTTP status is 400. */
export class QueryError extends JiansuoError {}

/** An index directory that is missing, of another format version, or damaged. */
export class IndexError extends JiansuoError {}

/** The index is being written by another process: try again when it has finished. */
export class IndexLockedError extends IndexError {}

/** Source input that yielded no usable document at all. */
export class IngestError extends JiansuoError {}

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

/** An index build that failed part way, e.g. because a segmentation worker thread crashed. */
export class BuildError extends JiansuoError {}

/** A search backend that cannot be used: a malformed --backend URL, a cluster that does not answer or lacks the index. */
export class BackendError extends JiansuoError {}
