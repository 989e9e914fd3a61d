// What the address bar holds: the query, the page, the filters and the order, so results can be shared.

export const PAGE_SIZE = 10;
/** The API pages up to offset 10000. */
export const MAX_PAGE = Math.floor(10000 / PAGE_SIZE) + 1;

/** Hit orders the API knows; the first is the default, left out of addresses. */
export const SORT_ORDERS = ['relevance', 'newest', 'oldest'];

/**
 * The search state in a URL's query string: { q, page (from 1), filters: [{ field, value }],
 * sort (when not relevance), asTyped }. `asTyped` (as_typed=1) searches q itself even when
 * it finds nothing and the API suggests a spelling that would (see main.js).
 */
export function readSearchState(search) {
  const params = new URLSearchParams(search);
  const page = Number.parseInt(params.get('page') || '1', 10);
  const filters = [];
  for (const text of params.getAll('filter')) {
    const colon = text.indexOf(':');
    if (colon > 0 && colon < text.length - 1) filters.push({ field: text.slice(0, colon), value: text.slice(colon + 1) });
  }
  const state = { q: (params.get('q') || '').trim(), page: Number.isFinite(page) ? Math.min(Math.max(page, 1), MAX_PAGE) : 1, filters };
  const sort = params.get('sort');
  if (SORT_ORDERS.includes(sort) && sort !== SORT_ORDERS[0]) state.sort = sort;
  return params.get('as_typed') === '1' ? { ...state, asTyped: true } : state;
}

/** The query string for a state (q, then page when not 1, then each filter, then sort when not relevance, then as_typed), with a leading "?" or empty. */
export function stateQuery(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.page > 1) params.set('page', String(state.page));
  for (const filter of state.filters) params.append('filter', `${filter.field}:${filter.value}`);
  if (state.sort) params.set('sort', state.sort);
  if (state.asTyped) params.set('as_typed', '1');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The results page for a state. */
export function searchUrl(state) {
  return `/${stateQuery(state)}`;
}

/** The article view of document `id`, carrying the search state (its q highlights, the rest leads back). */
export function docUrl(id, state) {
  return `/doc/${encodeURIComponent(id)}${stateQuery(state)}`;
}

/** The document id of an article-view path (/doc/:id), or undefined. */
export function docIdFromPath(pathname) {
  const match = /^\/doc\/([^/]+)$/.exec(pathname);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/** The API query string for a search state; with `timeline` (default) it asks for the timeline too. */
export function searchApiQuery(state, facets, timeline = true) {
  const params = new URLSearchParams({ q: state.q, limit: String(PAGE_SIZE), offset: String((state.page - 1) * PAGE_SIZE), facets: String(facets) });
  for (const filter of state.filters) params.append('filter', `${filter.field}:${filter.value}`);
  if (state.sort) params.set('sort', state.sort);
  if (timeline) params.set('timeline', '1');
  return params.toString();
}

/** Whether two filters are the same field and value. */
export function sameFilter(a, b) {
  return a.field === b.field && a.value === b.value;
}

/** The state with its date filters replaced by `date:range` (none when `range` is empty), back on page 1. */
export function withDateRange(state, range) {
  const filters = state.filters.filter((filter) => filter.field !== 'date');
  return { ...state, page: 1, filters: range ? [...filters, { field: 'date', value: range }] : filters };
}
