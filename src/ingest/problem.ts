/**
 * Something wrong with one source file or one line of it. Ingestion collects these
 * instead of stopping, so that one bad file or record does not hide all the good ones.
 */
export interface IngestProblem {
  /** The file as the caller named it (or as found under a named directory). */
  file: string;
  /** 1-based line number, when the problem is confined to one line. */
  line?: number;
  /** What is wrong and, where possible, how to fix it. */
  message: string;
}

/**
 * Formats a problem as `file:line: message` (or `file: message` without a line), the
 * shape compilers use, so editors and terminals can jump to the spot.
 */
export function formatProblem(problem: IngestProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.message}`;
}

/**
 * The message of a caught error, for a problem's text. Checked by shape, not `instanceof`:
 * errors from Node's internals may come from another realm (as under jest), and anything
 * may be thrown.
 */
export function errorMessage(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** A JSON value's type for messages: `null`, `an array`, `a number`, …. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
