import { QueryError } from '../errors';
import { SearchOptions } from './types';

/** The page a search asks for (default the first 10 hits); throws QueryError for a limit or offset that is not a whole number of at least 0. */
export function pageOf(options: SearchOptions): { limit: number; offset: number } {
  const limit = options.limit ?? 10;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0) throw new QueryError('limit must be a whole number of at least 0.', 'bad_paging');
  if (!Number.isInteger(offset) || offset < 0) throw new QueryError('offset must be a whole number of at least 0.', 'bad_paging');
  return { limit, offset };
}
