// The results list and the pager.

import { el, markedNodes } from './dom.js';
import { MESSAGES, RECORD_FIELD_NAMES, RELATED_LABEL, SORT, ZH, bylineLabel, copiesLabel, didYouMean, expansionText, kindLabel, pageLabel, pageNumber, scoreLabel } from './messages.js';
import { MAX_PAGE, PAGE_SIZE, SORT_ORDERS, docUrl, searchUrl } from './url.js';

/** Longest field value shown as a label: longer ones are text, not labels. */
const MAX_LABEL_LENGTH = 40;

/**
 * Whether the document is a JSON Lines record: all records of an archive come from the same
 * file and are all "articles", so neither the file name nor the kind tells them apart.
 */
function fromRecord(doc) {
  return /\.jsonl(\.gz)?$/i.test(doc.source || '');
}

/** The record's own short fields ("分类 体育", "来源 sina-news-2018"): what a reader knows an article by. */
function recordLabels(doc) {
  return Object.entries(doc.fields || {})
    .filter(([, value]) => (typeof value === 'string' && value.trim() && value.length <= MAX_LABEL_LENGTH) || typeof value === 'number')
    .map(([name, value]) => `${RECORD_FIELD_NAMES[name] || name} ${value}`);
}

/**
 * What a newspaper page's file name tells a reader: the paper (its first run of Chinese
 * characters, e.g. 郑州日报_2020-07-04_03.txt) and the page number (第3版, or digits ending
 * the name after a date, `p3`, `page3` or `版3`), each undefined when the name does not say.
 */
function pageFromFileName(source) {
  const stem = source.replace(/\.[^.]*$/, '');
  const paper = /[\p{Script=Han}]{2,}/u.exec(stem.replace(/第\s*\d+\s*版/gu, ' '));
  const page = /第\s*0*(\d{1,3})\s*版/u.exec(stem) || /(?:\d{4}-?\d{2}-?\d{2}[_-]|[_-](?:p|page|版))0*(\d{1,3})$/iu.exec(stem);
  return { paper: paper ? paper[0] : undefined, page: page ? page[1] : undefined };
}

/**
 * "记者 A、B · 通讯员 C · 郑州日报 · 2020-07-04 · 第 3 版" for a newspaper page (paper and page
 * number when its file name says them, never the raw file name), or a record's own fields
 * and date: whatever the document has.
 */
export function bylines(doc) {
  const page = fromRecord(doc) ? {} : pageFromFileName(doc.source || '');
  return [
    doc.reporters.length ? bylineLabel('reporters', doc.reporters.join('、')) : '',
    doc.correspondents.length ? bylineLabel('correspondents', doc.correspondents.join('、')) : '',
    ...recordLabels(doc),
    fromRecord(doc) ? doc.date || '' : pageLabel(page.paper, doc.date, page.page),
  ].filter(Boolean);
}

/** The kind badge (文章 or 图片; article or photo), left out for JSON Lines records, which are all articles. */
export function kindBadge(doc) {
  return fromRecord(doc) ? undefined : el('span', { className: `badge kind-${doc.kind}`, textContent: kindLabel(doc.kind) });
}

/** The copies of an article folded into its hit: a disclosure listing them, each a link to its article. */
function copiesList(hit, state) {
  return el(
    'details',
    { className: 'copies' },
    el('summary', { textContent: copiesLabel(hit.duplicates.length) }),
    el('ul', {}, ...hit.duplicates.map((copy) => el('li', {}, el('a', { href: docUrl(copy.id, state), 'data-internal': true, 'data-doc': true, textContent: copy.title || copy.id })))),
  );
}

function hitItem(hit, state, ranked) {
  const score = scoreLabel(hit.score.toFixed(4));
  return el(
    'li',
    { className: ranked && !hit.literal ? 'hit related' : 'hit' },
    el('h2', { className: 'hit-title', lang: ZH }, el('a', { href: docUrl(hit.id, state), 'data-internal': true, 'data-doc': true }, markedNodes(hit.title_html || hit.id))),
    hit.subtitle ? el('p', { className: 'hit-subtitle', lang: ZH }, hit.subtitle_html !== undefined ? markedNodes(hit.subtitle_html) : hit.subtitle) : undefined,
    el(
      'p',
      { className: 'meta' },
      kindBadge(hit),
      ranked && !hit.literal ? el('span', { className: 'badge related-badge', textContent: RELATED_LABEL }) : undefined,
      ...bylines(hit).map((text) => el('span', { className: 'byline', textContent: text })),
      el('span', { className: 'score', title: score, textContent: score }),
    ),
    hit.snippet ? el('p', { className: 'snippet', lang: ZH }, markedNodes(hit.snippet)) : undefined,
    hit.duplicates && hit.duplicates.length > 0 ? copiesList(hit, state) : undefined,
  );
}

/** Fills the ordered list with a page of hits, numbered from the page's first rank; in a ranked list, hits that match by words only are marked. */
export function renderHits(list, hits, state, ranked) {
  list.replaceChildren(...hits.map((hit) => hitItem(hit, state, ranked)));
  list.start = (state.page - 1) * PAGE_SIZE + 1;
}

function pageLink(label, state, page, rel) {
  return el('a', { href: searchUrl({ ...state, page }), rel, className: `page-link ${rel}`, 'data-internal': true, textContent: label });
}

/** Previous / "page i of n" / next, as links that keep the query and filters; hidden for one page. */
export function renderPager(nav, total, state) {
  const pages = Math.min(Math.ceil(total / PAGE_SIZE), MAX_PAGE);
  nav.hidden = pages <= 1;
  if (nav.hidden) {
    nav.replaceChildren();
    return;
  }
  nav.replaceChildren(
    state.page > 1 ? pageLink(MESSAGES.previous, state, state.page - 1, 'prev') : el('span', { className: 'page-link disabled', textContent: MESSAGES.previous }),
    el('span', { className: 'page-number', textContent: pageNumber(state.page, pages) }),
    state.page < pages ? pageLink(MESSAGES.next, state, state.page + 1, 'next') : el('span', { className: 'page-link disabled', textContent: MESSAGES.next }),
  );
}

/** "Did you mean …?" (a link to that search) and how query terms were widened (pinyin, synonyms), when the API says so. */
export function renderHints(container, result) {
  const hints = [];
  if (result.suggestion) {
    hints.push(didYouMean(el('a', { href: searchUrl({ q: result.suggestion, page: 1, filters: [] }), 'data-internal': true, textContent: result.suggestion, lang: ZH })));
  }
  for (const expansion of result.expansions || []) hints.push(el('p', { className: 'expansion', textContent: expansionText(expansion) }));
  container.replaceChildren(...hints);
  container.hidden = hints.length === 0;
}

/** The hit order select (排序: 相关度 / 最新 / 最早), shown when documents have dates or a date order is in force; `onSort(order)` on change. */
export function renderSort(container, state, dated, onSort) {
  container.hidden = !dated && !state.sort;
  if (container.hidden) {
    container.replaceChildren();
    return;
  }
  const select = el('select', { id: 'sort-select', name: 'sort' }, ...SORT_ORDERS.map((order) => el('option', { value: order, textContent: SORT[order] })));
  select.value = state.sort || SORT_ORDERS[0];
  select.addEventListener('change', () => onSort(select.value));
  container.replaceChildren(el('label', { htmlFor: 'sort-select', textContent: SORT.label }), select);
}
