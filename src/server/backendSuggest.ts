import type { SearchBackend } from '../backend/types';
import { QueryError } from '../errors';
import { MAX_SUGGESTIONS, Suggestion } from './suggest';

/**
 * The typeahead of a backend that keeps no list of titles and words in this process (a
 * cluster of 10^8 articles): the titles of the best hits for the text typed so far. Text
 * that is no query yet (a lone `-`, an open quote) has no suggestions.
 */
export class BackendSuggester {
  constructor(private readonly backend: Pick<SearchBackend, 'search'>) {}

  async suggest(query: string, limit = MAX_SUGGESTIONS): Promise<Suggestion[]> {
    if (query.trim().length === 0) return [];
    try {
      const result = await this.backend.search(query, { limit, snippetLength: 0, noSuggestion: true });
      const titles = new Set(result.hits.map((hit) => hit.title).filter((title) => title.trim().length > 0));
      return [...titles].map((text) => ({ text, kind: 'title' }));
    } catch (error) {
      if (error instanceof QueryError) return [];
      throw error;
    }
  }
}
