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

/** Source input that yielded no usable document at all. */
export class IngestError extends JiansuoError {}

/** The HTTP server could not start, e.g. because its port is taken. */
export class ServerError extends JiansuoError {}

/** An index build that failed part way, e.g. because a segmentation worker thread crashed. */
export class BuildError extends JiansuoError {}
