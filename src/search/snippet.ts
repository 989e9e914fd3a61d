import { withRoom } from '../index/growableU32';
import { normalizeWithMap, originalRange } from '../analysis/normalize';

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** The offset map of the text findMatches normalizes, reused from one text to the next (it never leaves findMatches). */
let originScratch = new Uint32Array(4096);

/**
 * Ranges [start, end, needles] of the original text whose normalized form contains one
 * of the needles, sorted, with touching ranges merged; `needles` is a bit set of which
 * needles (the first 31) the range holds.
 */
export function findMatches(original: string, needles: string[]): Array<[number, number, number]> {
  originScratch = withRoom(originScratch, original.length);
  const normalized = normalizeWithMap(original, originScratch);
  const found: Array<[number, number, number]> = [];
  needles.forEach((needle, which) => {
    if (needle.length === 0) return;
    for (let at = normalized.text.indexOf(needle); at >= 0; at = normalized.text.indexOf(needle, at + needle.length)) {
      const [start, end] = originalRange(original, normalized, at, at + needle.length);
      found.push([start, end, 2 ** Math.min(which, 30)]);
    }
  });
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number, number]> = [];
  for (const range of found) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) {
      last[1] = Math.max(last[1], range[1]);
      last[2] |= range[2];
    } else merged.push([...range]);
  }
  return merged;
}

/** Wraps the given ranges of `text` in <mark>…</mark>, escaping everything else. `from`/`to` clip the text. */
export function markRanges(text: string, ranges: Array<[number, number, number]>, from = 0, to = text.length): string {
  let html = '';
  let at = from;
  for (const [start, end] of ranges) {
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e <= s || s < at) continue;
    html += escapeHtml(text.slice(at, s)) + '<mark>' + escapeHtml(text.slice(s, e)) + '</mark>';
    at = e;
  }
  return html + escapeHtml(text.slice(at, to));
}

/** The whole text, HTML-escaped, with every occurrence of the (normalized) needles marked. */
export function highlight(text: string, needles: string[]): string {
  return markRanges(text, findMatches(text, needles)).replace(/\n/g, ' ');
}

/**
 * A title and its subtitle (if any) with the needles marked: the one rule the hits of a
 * result list and the article view share, so that both mark the same text (the needles of
 * one query and document: Searcher.needles).
 */
export function highlightTitles(title: string, subtitle: string | null | undefined, needles: string[]): { title_html: string; subtitle_html?: string } {
  return { title_html: highlight(title, needles), ...(subtitle ? { subtitle_html: highlight(subtitle, needles) } : {}) };
}

function bitCount(bits: number): number {
  let n = 0;
  for (let b = bits; b > 0; b = Math.floor(b / 2)) n += b % 2;
  return n;
}

/** Whether the UTF-16 unit `unit` ends a clause: 。！？；，、：,.;!?: a line break, 」』”）) (by code, not a one-character string and a regular expression per character tried). */
function isClauseEnd(unit: number): boolean {
  switch (unit) {
    case 0x3002: // 。
    case 0xff01: // ！
    case 0xff1f: // ？
    case 0xff1b: // ；
    case 0xff0c: // ，
    case 0x3001: // 、
    case 0xff1a: // ：
    case 0x2c: // ,
    case 0x2e: // .
    case 0x3b: // ;
    case 0x21: // !
    case 0x3f: // ?
    case 0x3a: // :
    case 0x0a: // line break
    case 0x300d: // 」
    case 0x300f: // 』
    case 0x201d: // ”
    case 0xff09: // ）
    case 0x29: // )
      return true;
    default:
      return false;
  }
}

function isLowSurrogate(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** A start at or after `earliest`, and at most `latest`, just after a clause boundary, or `fallback`. */
function clauseStart(text: string, earliest: number, latest: number, fallback: number): number {
  for (let i = latest; i > Math.max(earliest, 0); i--) if (isClauseEnd(text.charCodeAt(i - 1))) return i;
  return fallback;
}

/**
 * A snippet of about `length` characters of `text` around its densest cluster of
 * matches of the needles (normalized query texts): cut at clause boundaries where one
 * is near, "…" where text was cut, matches in <mark>, everything HTML-escaped, line
 * breaks shown as spaces. The characters are the original ones.
 */
export function makeSnippet(text: string, needles: string[], length = 120): string {
  if (text.length === 0) return '';
  const matches = findMatches(text, needles);
  let start = 0;
  if (matches.length > 0) {
    let best = 0;
    let bestScore = -1;
    for (let i = 0; i < matches.length; i++) {
      let kinds = 0;
      let count = 0;
      for (let j = i; j < matches.length && matches[j][1] <= matches[i][0] + length; j++) {
        kinds |= matches[j][2];
        count++;
      }
      const score = bitCount(kinds) * 1000 + count;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    const first = matches[best][0];
    let last = matches[best][1];
    for (let j = best; j < matches.length && matches[j][1] <= first + length; j++) last = matches[j][1];
    // Centre the cluster, then move the start back to the nearest clause boundary.
    const slack = Math.max(0, length - (last - first));
    const desired = Math.max(0, first - Math.floor(slack / 3));
    // Never so far back that the cluster would no longer fit in the window.
    start = desired === 0 ? 0 : clauseStart(text, Math.max(desired - 24, last - length), first, desired);
  }
  if (start > 0 && isLowSurrogate(text, start)) start--;
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    // Never cut into or before the last match that fits.
    let keep = start + length / 2;
    for (const [s, e] of matches) if (s >= start && e <= end) keep = Math.max(keep, e);
    for (let i = end; i > end - 30 && i > keep; i--) {
      if (isClauseEnd(text.charCodeAt(i - 1))) {
        end = i;
        break;
      }
    }
    if (isLowSurrogate(text, end)) end++;
  }
  const body = markRanges(text, matches, start, end).replace(/\n/g, ' ');
  return (start > 0 ? '…' : '') + body + (end < text.length ? '…' : '');
}
