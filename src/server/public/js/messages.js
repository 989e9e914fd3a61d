// Every text the page shows about the state of a search, in Chinese and English.

import { el } from './dom.js';

const KIND = { article: '文章 · article', photo: '图片 · photo' };

/** How a document kind is shown (article / photo). */
export function kindLabel(kind) {
  return KIND[kind] || kind;
}

/** Facet and filter field names. */
export const FIELD_LABELS = {
  kind: '类型 · Kind',
  reporter: '记者 · Reporter',
  correspondent: '通讯员 · Correspondent',
  source: '来源 · Source',
  date: '日期 · Date',
  file: '文件 · File',
  year: '年份 · Year',
  month: '月份 · Month',
};

export const MESSAGES = {
  welcome: '输入文字开始搜索：汉字、拼音输入法、字母和数字都可以。· Type to search: Chinese, Latin letters and digits all work.',
  searching: '搜索中… · Searching…',
  loadingDoc: '正在打开文章… · Opening the article…',
  serverError: '服务器出错了，请稍后再试。· Something went wrong on the server; please try again later.',
  unreachable: '无法连接到服务器，请检查网络后重试。· Cannot reach the server; check the connection and try again.',
  docMissing: '找不到这篇文章，链接可能有误。· There is no such article; the link may be wrong.',
  pageMissing: '页面不存在。· This page does not exist.',
  pastLastPage: '这一页没有结果，请回到前面的页。· There are no results on this page; go back to an earlier one.',
};

/** The page cannot run this query (the API said 400): its reason, which says what to fix. */
export function badQuery(reason) {
  return `无法执行这个查询。· This query cannot be run: ${reason}`;
}

/** Nothing found for `q`, with a hint when filters narrow the search. */
export function noResults(q, filtered) {
  const hint = filtered ? ' 试试去掉筛选条件。· Try removing the filters.' : ' 试试更短或别的词语。· Try fewer or other words.';
  return `没有找到与“${q}”相关的结果。· No results for “${q}”.${hint}`;
}

/**
 * "N results (x ms)" above the list, with the range shown; for a ranked query also
 * "12 条完全匹配 · 348 条相关"; for a search cut short by its time limit, a word saying so.
 */
export function summary(result, from, to) {
  const { total, took_ms: tookMs } = result;
  const range = to >= from && total > to - from + 1 ? `第 ${from}–${to} 条，` : '';
  const cut = result.timed_out ? ['，已超时，排序可能不完整', ', timed out: ranking may be incomplete'] : ['', ''];
  const english = `${total} ${total === 1 ? 'result' : 'results'} (${tookMs} ms${cut[1]})`;
  const line = `${range}共 ${total} 条结果（${tookMs} 毫秒${cut[0]}）· ${english}`;
  if (result.match !== 'ranked' || total === 0) return line;
  const related = total - result.exact_total;
  return `${line} — ${result.exact_total} 条完全匹配 · ${related} 条相关 · ${result.exact_total} exact, ${related} related`;
}

/**
 * Above results shown for a corrected spelling: "已显示“郑州”的结果。仍然搜索：郑洲", the
 * query as typed being a link (`asTypedUrl`) that searches it without correction.
 */
export function correctionNotice(shown, asTypedUrl, typed) {
  const link = () => el('a', { href: asTypedUrl, 'data-internal': true, className: 'as-typed', textContent: typed });
  return el('p', { className: 'corrected' }, `已显示“${shown}”的结果。仍然搜索：`, link(), ` · Showing results for “${shown}”. Search instead for: `, link());
}

/** Why the results are not exact matches, if they are not. */
export function matchNote(result, q) {
  if (result.match === 'ranked' && result.exact_total === 0) return `没有完全匹配“${q}”的结果，显示相关结果。· No exact match for “${q}”; showing related results.`;
  if (result.match === 'all-words') return `没有完全匹配“${q}”的结果，显示包含全部词语的结果。· No exact match for “${q}”; showing results that contain all of its words.`;
  if (result.match === 'some-words') return `没有完全匹配“${q}”的结果，显示包含部分词语的结果。· No exact match for “${q}”; showing results that contain some of its words.`;
  return '';
}

/** The label of a hit that matches by words only, in a ranked list. */
export const RELATED_LABEL = '相关 · related';

/** "另有 2 篇相同报道 · 2 more copies": the copies folded into a hit. */
export function copiesLabel(n) {
  return `另有 ${n} 篇相同报道 · ${n} more ${n === 1 ? 'copy' : 'copies'}`;
}

const VIA = { synonym: '同义词 synonym', pinyin: '拼音 pinyin', initials: '拼音首字母 initials' };

/** One widened query term, e.g. "也搜索了 · Also searched: fangte → 方特 (fang te) · 拼音 pinyin". */
export function expansionText(expansion) {
  const words = expansion.words.map((word, i) => (expansion.readings ? `${word} (${expansion.readings[i]})` : word)).join('、');
  return `也搜索了 · Also searched: ${expansion.term} → ${words} · ${VIA[expansion.via] || expansion.via}`;
}

/** The message for a failed API call (see api.js ApiError). */
export function failure(error) {
  if (error.status === 0) return MESSAGES.unreachable;
  if (error.status === 400) return badQuery(error.message);
  return MESSAGES.serverError;
}

/** How the usual fields of a JSON Lines record are named (others show under their own name). */
export const RECORD_FIELD_NAMES = { category: '分类', source: '来源', author: '作者', section: '栏目', channel: '频道', page: '版面' };

/** A facet or filter field's name: a built-in field's, a usual record field's ("分类 · Category"), or the field's own. */
export function fieldLabel(field) {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  const chinese = RECORD_FIELD_NAMES[field];
  return chinese ? `${chinese} · ${field.charAt(0).toUpperCase()}${field.slice(1)}` : field;
}

/** The date range control beside the facets. */
export const DATE_RANGE = { heading: '日期范围 · Date range', from: '从 · From', to: '到 · To', apply: '筛选 · Apply', placeholder: '2018-01' };

/** The hit order control. */
export const SORT = { label: '排序 · Sort', relevance: '相关度 · Relevance', newest: '最新 · Newest', oldest: '最早 · Oldest' };

/** The timeline above the results. */
export const TIMELINE_LABEL = '时间分布 · Timeline';

/** What a bar of the timeline says to a screen reader: its period, its count, and what a click does. */
export function timelineBarLabel(period, count, pressed) {
  const action = pressed ? ['点击取消此时段筛选', 'remove this period filter'] : ['点击只看此时段', 'filter to this period'];
  return `${period}：${count} 条结果，${action[0]} · ${period}: ${count} ${count === 1 ? 'result' : 'results'}; ${action[1]}`;
}

/** A newspaper page's label: "郑州日报 · 2020-07-04 · 第 3 版", from what is known. */
export function pageLabel(paper, date, page) {
  return [paper, date, page ? `第 ${page} 版` : ''].filter(Boolean).join(' · ');
}
