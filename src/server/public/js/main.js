// The search page: routes between the results (/) and the article view (/doc/:id),
// runs searches as you type and on Enter, and keeps the state in the address bar.

import { latestOnly } from './api.js';
import { clearArticle, renderArticle } from './article.js';
import { combobox } from './combobox.js';
import { shownText } from './dom.js';
import { renderActiveFilters, renderFacets } from './facets.js';
import { MESSAGES, correctionNotice, failure, matchNote, noResults, summary } from './messages.js';
import { renderHints, renderHits, renderPager, renderSort } from './results.js';
import { renderTimeline } from './timeline.js';
import { PAGE_SIZE, docIdFromPath, readSearchState, sameFilter, searchApiQuery, searchUrl, withDateRange } from './url.js';

const SEARCH_DELAY_MS = 250;
const SUGGEST_DELAY_MS = 120;
const FACET_VALUES = 10;

const $ = (id) => document.getElementById(id);
const form = $('search');
const input = $('q');
const message = $('message');
const searchView = $('search-view');
const docView = $('doc-view');
const facetsPanel = $('facets-panel');
const article = { title: $('doc-title'), subtitle: $('doc-subtitle'), meta: $('doc-meta'), body: $('doc-body'), related: $('related'), relatedList: $('related-list') };
const languageSwitch = $('lang-switch');

const searches = latestOnly();
const suggestions = latestOnly();
const documents = latestOnly();

/** The search state on screen (or that the article view leads back to). */
let current = readSearchState(location.search);
/** True while the history entry on top was made by typing: further typing replaces it instead of piling up entries. */
let typingEntry = false;
let composing = false;
let searchTimer;
let suggestTimer;

const suggestBox = combobox(input, $('suggestions'), (text) => {
  input.value = text;
  commit();
});

function say(text, kind = 'info') {
  message.textContent = text;
  message.className = text ? kind : '';
}

/** The link to the other language keeps what is on screen: this address with lang= the other language. */
function updateLanguageSwitch() {
  const params = new URLSearchParams(location.search);
  params.set('lang', languageSwitch.hreflang.startsWith('en') ? 'en' : 'zh');
  languageSwitch.href = `${location.pathname}?${params}`;
}

/** Shows whatever the address bar says: results, an article, or "no such page". */
function route() {
  updateLanguageSwitch();
  const id = docIdFromPath(location.pathname);
  const state = readSearchState(location.search);
  if (input.value.trim() !== state.q) input.value = state.q;
  if (id !== undefined) showArticle(id, state);
  else if (location.pathname === '/') showResults(state);
  else {
    searchView.hidden = true;
    docView.hidden = true;
    say(MESSAGES.pageMissing, 'error');
  }
}

/** Goes to `url` within the page (pushing or replacing a history entry) and shows it. */
function go(url, { replace = false, state = null } = {}) {
  if (!replace) rememberScroll();
  history[replace ? 'replaceState' : 'pushState'](state, '', url);
  route();
}

function rememberScroll() {
  history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
}

function showResults(state) {
  current = state;
  documents.cancel();
  docView.hidden = true;
  searchView.hidden = false;
  document.title = state.q ? `${state.q} · jiansuo 检索` : 'jiansuo 检索';
  if (!state.q) {
    searches.cancel();
    searchView.hidden = true;
    say(MESSAGES.welcome);
    return;
  }
  say(MESSAGES.searching);
  const restoreScroll = history.state && history.state.scrollY;
  // The API answers a query that finds nothing with its "did you mean" spelling's results, unless asked for the query as typed.
  searchWithTimeline(state).then(
    (result) => {
      if (result.corrected_from !== undefined) showCorrected(result, state);
      else renderSearch(result, state);
      if (restoreScroll) window.scrollTo(0, restoreScroll);
    },
    (error) => {
      searchView.hidden = true;
      say(failure(error), 'error');
    },
  );
}

/** A search asking for the timeline too, and again without it when the backend (a cluster) cannot count one; as typed (correct=0) when asked. */
function searchWithTimeline(state) {
  const url = (timeline) => `/api/search?${searchApiQuery(state, FACET_VALUES, timeline)}${state.asTyped ? '&correct=0' : ''}`;
  return searches.get(url(true)).catch((error) => (error.unsupported === 'timeline' ? searches.get(url(false)) : Promise.reject(error)));
}

/**
 * The query found nothing, and the API answered with its "did you mean" spelling's results
 * (郑洲 → 郑州, `corrected_from`): shows them, saying so, with a link that searches the
 * query as typed (as_typed=1).
 */
function showCorrected(result, state) {
  renderSearch(result, { ...state, q: result.query });
  $('hints').prepend(correctionNotice(result.query, searchUrl({ ...state, page: 1, asTyped: true }), state.q));
  $('hints').hidden = false;
}

function renderSearch(result, state) {
  const from = (state.page - 1) * PAGE_SIZE + 1;
  $('summary').textContent = summary(result, from, from + result.hits.length - 1);
  const note = matchNote(result, state.q);
  $('note').hidden = !note || result.total === 0;
  $('note').textContent = note;
  if (result.total === 0) say(noResults(state.q, state.filters.length > 0), 'empty');
  else say(result.hits.length === 0 ? MESSAGES.pastLastPage : '', 'empty');
  renderHints($('hints'), result);
  renderHits($('results'), result.hits, state, result.match === 'ranked');
  renderPager($('pager'), result.total, state);
  renderActiveFilters($('active-filters'), state, toggleFilter);
  facetsPanel.hidden = !renderFacets($('facets'), result.facets, state, toggleFilter, filterDates);
  renderTimeline($('timeline'), result.timeline, state, filterDates);
  renderSort($('sort'), state, (result.timeline || []).some((bucket) => bucket.count > 0), sortBy);
}

/** Replaces the date filters by one range or period ("" removes them). */
function filterDates(range) {
  typingEntry = false;
  go(searchUrl(withDateRange(current, range)));
}

function sortBy(order) {
  typingEntry = false;
  go(searchUrl({ ...current, page: 1, sort: order === 'relevance' ? undefined : order }));
}

function toggleFilter(filter) {
  const active = current.filters.some((f) => sameFilter(f, filter));
  const filters = active ? current.filters.filter((f) => !sameFilter(f, filter)) : [...current.filters, filter];
  typingEntry = false;
  go(searchUrl({ ...current, page: 1, filters }));
}

function showArticle(id, state) {
  current = state;
  searches.cancel();
  searchView.hidden = true;
  docView.hidden = false;
  const back = $('back');
  back.href = searchUrl(state);
  back.textContent = state.q ? MESSAGES.backToResults : MESSAGES.backToSearch;
  clearArticle(article);
  say(MESSAGES.loadingDoc);
  const load = (q) => documents.get(`/api/doc/${encodeURIComponent(id)}${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  load(state.q)
    // A query that cannot be run highlights nothing, but the article is still worth showing.
    .catch((error) => (error.status === 400 && state.q ? load('') : Promise.reject(error)))
    .then(
      (view) => {
        say('');
        document.title = shownText(`${view.document.title || view.document.id} · jiansuo 检索`);
        renderArticle(article, view, state);
        window.scrollTo(0, 0);
        article.title.focus({ preventScroll: true });
      },
      (error) => {
        docView.hidden = error.status !== 404;
        say(error.status === 404 ? MESSAGES.docMissing : failure(error), 'error');
      },
    );
}

/** A search for what the box holds, from typing: the first one adds a history entry, the next ones replace it. */
function searchTyped() {
  const q = input.value.trim();
  if (!q && location.pathname !== '/') return;
  if (q === current.q && location.pathname === '/') return;
  const replace = location.pathname === '/' && (typingEntry || !current.q);
  typingEntry = true;
  go(searchUrl({ q, page: 1, filters: [] }), { replace });
}

/** Enter or a picked suggestion: search now; the same query keeps its filters, a new one starts afresh. */
function commit() {
  clearTimeout(searchTimer);
  clearTimeout(suggestTimer);
  suggestions.cancel();
  suggestBox.close();
  const q = input.value.trim();
  const same = q === current.q && location.pathname === '/';
  const next = same ? current : { q, page: 1, filters: [] };
  const replace = location.pathname === '/' && (typingEntry || same || !current.q);
  typingEntry = false;
  go(searchUrl(next), { replace });
}

function suggest() {
  const typed = input.value.trim();
  if (!typed) {
    suggestions.cancel();
    suggestBox.show('', []);
    return;
  }
  suggestions.get(`/api/suggest?q=${encodeURIComponent(typed)}`).then(
    (answer) => input.value.trim() === typed && suggestBox.show(typed, answer.suggestions),
    () => suggestBox.show(typed, []),
  );
}

/** After a change to the box: suggestions soon, results a little later (both debounced). */
function typed() {
  clearTimeout(searchTimer);
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(suggest, SUGGEST_DELAY_MS);
  searchTimer = setTimeout(searchTyped, SEARCH_DELAY_MS);
}

// An input method (pinyin) composes in the box: wait for the characters it commits.
input.addEventListener('compositionstart', () => {
  composing = true;
  clearTimeout(searchTimer);
  clearTimeout(suggestTimer);
});
input.addEventListener('compositionend', () => {
  composing = false;
  typed();
});
input.addEventListener('input', (event) => {
  if (composing || event.isComposing) return;
  typed();
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  commit();
});

// Links within the page (results, pager, back, brand) change the view without reloading it.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-internal]');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (link.id === 'back' && history.state && history.state.fromResults) {
    history.back();
    return;
  }
  typingEntry = false;
  go(link.getAttribute('href'), { state: link.hasAttribute('data-doc') ? { fromResults: true } : null });
});
window.addEventListener('popstate', () => {
  typingEntry = false;
  route();
});

// Facets sit beside the results on a wide screen; on a phone they fold away above them.
const wide = window.matchMedia('(min-width: 760px)');
const placeFacets = () => {
  facetsPanel.open = wide.matches;
};
wide.addEventListener('change', placeFacets);
placeFacets();

history.scrollRestoration = 'manual';
route();
