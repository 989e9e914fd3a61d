// Every text the page shows about the state of a search, in Chinese and in English: the
// page is in one of them (<html lang>, chosen by the server from ?lang=, the remembered
// choice or Accept-Language), never both at once.

import { el } from './dom.js';

/** The page's language: 'zh' or 'en', as the server rendered it. */
export const LANG = document.documentElement.lang.startsWith('en') ? 'en' : 'zh';

/** The page's `lang` attribute, for its own words inside Chinese content (e.g. a typeahead suggestion's tag). */
export const PAGE_LANG = document.documentElement.lang;

/** The `lang` attribute of Chinese text shown on an English page (article text is always Chinese). */
export const ZH = 'zh-CN';

/** Picks this page's language from a { zh, en } pair. */
function pick(pair) {
  return pair[LANG];
}

/** Labels for each name of `table` ({ name: [zh, en] }) in this page's language. */
function labelled(table) {
  return Object.fromEntries(Object.entries(table).map(([name, [zh, en]]) => [name, pick({ zh, en })]));
}

const KINDS = labelled({ article: ['文章', 'article'], photo: ['图片', 'photo'] });

/** How a document kind is shown (article / photo). */
export function kindLabel(kind) {
  return KINDS[kind] || kind;
}

/** Facet and filter field names. */
export const FIELD_LABELS = labelled({
  kind: ['类型', 'Kind'],
  reporter: ['记者', 'Reporter'],
  correspondent: ['通讯员', 'Correspondent'],
  source: ['来源', 'Source'],
  date: ['日期', 'Date'],
  file: ['文件', 'File'],
  year: ['年份', 'Year'],
  month: ['月份', 'Month'],
});

/** How the usual fields of a JSON Lines record are labelled; other fields show under their own name. */
export const RECORD_FIELD_NAMES = labelled({ category: ['分类', 'Category'], source: ['来源', 'Source'], author: ['作者', 'Author'], section: ['栏目', 'Section'], channel: ['频道', 'Channel'], page: ['版面', 'Page'] });

const BYLINES = labelled({ reporters: ['记者', 'Reporter'], correspondents: ['通讯员', 'Correspondent'], source: ['来源', 'Source'] });

/** "记者 A、B" / "Reporter A、B": a byline's label and its names (which stay as printed). */
export function bylineLabel(which, text) {
  return `${BYLINES[which]} ${text}`;
}

export const MESSAGES = pick({
  zh: {
    welcome: '输入文字开始搜索：汉字、拼音输入法、字母和数字都可以。',
    searching: '搜索中…',
    loadingDoc: '正在打开文章…',
    serverError: '服务器出错了，请稍后再试。',
    unreachable: '无法连接到服务器，请检查网络后重试。',
    docMissing: '找不到这篇文章，链接可能有误。',
    pageMissing: '页面不存在。',
    pastLastPage: '这一页没有结果，请回到前面的页。',
    backToResults: '← 返回结果',
    backToSearch: '← 返回搜索',
    previous: '‹ 上一页',
    next: '下一页 ›',
  },
  en: {
    welcome: 'Type to search: Chinese, Latin letters and digits all work.',
    searching: 'Searching…',
    loadingDoc: 'Opening the article…',
    serverError: 'Something went wrong on the server; please try again later.',
    unreachable: 'Cannot reach the server; check the connection and try again.',
    docMissing: 'There is no such article; the link may be wrong.',
    pageMissing: 'This page does not exist.',
    pastLastPage: 'There are no results on this page; go back to an earlier one.',
    backToResults: '← Back to results',
    backToSearch: '← Back to search',
    previous: '‹ Previous',
    next: 'Next ›',
  },
});

/** The page cannot run this query (the API said 400): its reason (in the page's language, see api.js), which says what to fix. */
export function badQuery(reason) {
  return pick({ zh: `无法执行这个查询：${reason}`, en: `This query cannot be run: ${reason}` });
}

/** Nothing found for `q`, with a hint when filters narrow the search. */
export function noResults(q, filtered) {
  if (LANG === 'en') return `No results for “${q}”. ${filtered ? 'Try removing the filters.' : 'Try fewer or other words.'}`;
  return `没有找到与“${q}”相关的结果。${filtered ? '试试去掉筛选条件。' : '试试更短或别的词语。'}`;
}

/**
 * "N results (x ms)" above the list, with the range shown; for a ranked query also
 * "12 条完全匹配 · 348 条相关"; for a search cut short by its time limit, a word saying so.
 */
export function summary(result, from, to) {
  const { total, took_ms: tookMs } = result;
  const ranged = to >= from && total > to - from + 1;
  const related = total - result.exact_total;
  const ranked = result.match === 'ranked' && total > 0;
  if (LANG === 'en') {
    const cut = result.timed_out ? ', timed out: ranking may be incomplete' : '';
    const line = `${ranged ? `${from}–${to} of ` : ''}${total} ${total === 1 ? 'result' : 'results'} (${tookMs} ms${cut})`;
    return ranked ? `${line} — ${result.exact_total} exact, ${related} related` : line;
  }
  const cut = result.timed_out ? '，已超时，排序可能不完整' : '';
  const line = `${ranged ? `第 ${from}–${to} 条，` : ''}共 ${total} 条结果（${tookMs} 毫秒${cut}）`;
  return ranked ? `${line} — ${result.exact_total} 条完全匹配 · ${related} 条相关` : line;
}

/**
 * Above results shown for a corrected spelling: "已显示“郑州”的结果。仍然搜索：郑洲", the
 * query as typed being a link (`asTypedUrl`) that searches it without correction.
 */
export function correctionNotice(shown, asTypedUrl, typed) {
  const link = el('a', { href: asTypedUrl, 'data-internal': true, className: 'as-typed', textContent: typed, lang: ZH });
  const query = el('span', { lang: ZH, textContent: shown });
  if (LANG === 'en') return el('p', { className: 'corrected' }, 'Showing results for “', query, '”. Search instead for: ', link);
  return el('p', { className: 'corrected' }, '已显示“', query, '”的结果。仍然搜索：', link);
}

/** "您要找的是：方特？": a suggested spelling, `link` the element that searches it. */
export function didYouMean(link) {
  if (LANG === 'en') return el('p', { className: 'did-you-mean' }, 'Did you mean: ', link, '?');
  return el('p', { className: 'did-you-mean' }, '您要找的是：', link, '？');
}

/** Why the results are not exact matches, if they are not. */
export function matchNote(result, q) {
  const notes = {
    ranked: { zh: `没有完全匹配“${q}”的结果，显示相关结果。`, en: `No exact match for “${q}”; showing related results.` },
    'all-words': { zh: `没有完全匹配“${q}”的结果，显示包含全部词语的结果。`, en: `No exact match for “${q}”; showing results that contain all of its words.` },
    'some-words': { zh: `没有完全匹配“${q}”的结果，显示包含部分词语的结果。`, en: `No exact match for “${q}”; showing results that contain some of its words.` },
  };
  if (result.match === 'ranked' && result.exact_total !== 0) return '';
  return notes[result.match] ? pick(notes[result.match]) : '';
}

/** The label of a hit that matches by words only, in a ranked list. */
export const RELATED_LABEL = pick({ zh: '相关', en: 'related' });

/** "相关度 0.1234": a hit's score, shown on hover. */
export function scoreLabel(score) {
  return pick({ zh: `相关度 ${score}`, en: `score ${score}` });
}

/** "第 1 / 2 页": where the pager is. */
export function pageNumber(page, pages) {
  return pick({ zh: `第 ${page} / ${pages} 页`, en: `Page ${page} of ${pages}` });
}

/** "另有 2 篇相同报道": the copies folded into a hit. */
export function copiesLabel(n) {
  return pick({ zh: `另有 ${n} 篇相同报道`, en: `${n} more ${n === 1 ? 'copy' : 'copies'}` });
}

/** The accessible name of a chip that removes a filter. */
export function removeFilterLabel(label) {
  return pick({ zh: `去掉筛选：${label}`, en: `Remove filter ${label}` });
}

const VIA = labelled({ synonym: ['同义词', 'synonym'], pinyin: ['拼音', 'pinyin'], initials: ['拼音首字母', 'initials'] });

/** One widened query term, e.g. "也搜索了：fangte → 方特 (fang te) · 拼音". */
export function expansionText(expansion) {
  const words = expansion.words.map((word, i) => (expansion.readings ? `${word} (${expansion.readings[i]})` : word)).join('、');
  const via = VIA[expansion.via] || expansion.via;
  return pick({ zh: `也搜索了：${expansion.term} → ${words} · ${via}`, en: `Also searched: ${expansion.term} → ${words} · ${via}` });
}

const SUGGESTION_KINDS = labelled({ title: ['标题', 'title'], word: ['词语', 'word'] });

/** The tag beside a typeahead suggestion: 标题, 词语, or the pinyin reading that suggested it. */
export function suggestionTag(suggestion) {
  if (suggestion.reading) return pick({ zh: `拼音 ${suggestion.reading}`, en: `pinyin ${suggestion.reading}` });
  return SUGGESTION_KINDS[suggestion.kind] || suggestion.kind;
}

/** The message for a failed API call (see api.js ApiError); a 400's reason comes from the API, in the page's language. */
export function failure(error) {
  if (error.status === 0) return MESSAGES.unreachable;
  if (error.status === 400) return badQuery(error.message);
  return MESSAGES.serverError;
}

/** A facet or filter field's name: a built-in field's, a usual record field's ("分类" / "Category"), or the field's own. */
export function fieldLabel(field) {
  return FIELD_LABELS[field] || RECORD_FIELD_NAMES[field] || field;
}

/** The date range control beside the facets. */
export const DATE_RANGE = pick({
  zh: { heading: '日期范围', from: '从', to: '到', apply: '筛选', placeholder: '2018-01' },
  en: { heading: 'Date range', from: 'From', to: 'To', apply: 'Apply', placeholder: '2018-01' },
});

/** The hit order control. */
export const SORT = pick({
  zh: { label: '排序', relevance: '相关度', newest: '最新', oldest: '最早' },
  en: { label: 'Sort', relevance: 'Relevance', newest: 'Newest', oldest: 'Oldest' },
});

/** The timeline above the results. */
export const TIMELINE_LABEL = pick({ zh: '时间分布', en: 'Timeline' });

/** What a bar of the timeline says to a screen reader: its period, its count, and what a click does. */
export function timelineBarLabel(period, count, pressed) {
  if (LANG === 'en') return `${period}: ${count} ${count === 1 ? 'result' : 'results'}; ${pressed ? 'remove this period filter' : 'filter to this period'}`;
  return `${period}：${count} 条结果，${pressed ? '点击取消此时段筛选' : '点击只看此时段'}`;
}

/** A newspaper page's label: "郑州日报 · 2020-07-04 · 第 3 版", from what is known. */
export function pageLabel(paper, date, page) {
  const pageName = page ? pick({ zh: `第 ${page} 版`, en: `page ${page}` }) : '';
  return [paper, date, pageName].filter(Boolean).join(' · ');
}
