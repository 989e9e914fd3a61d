import * as OpenCC from 'opencc-js';

/**
 * The character-level traditional → simplified table.
 *
 * OpenCC's converters also apply phrase tables, which convert a character differently
 * depending on its neighbours; that would map a substring of a document to something
 * other than what it becomes inside the document, and break the literal-match
 * guarantee. So only OpenCC's one-character dictionaries are used here:
 * `TSCharacters` (traditional → simplified), reached also through the Taiwan and
 * Hong Kong variant tables (啟 → 啓 → 启) when that lands on a simplified character.
 */
let traditionalToSimplified: Map<string, string> | undefined;

function parseDictionary(table: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of table.split('|')) {
    const [from, to] = entry.split(' ');
    // Only one-code-point → one-code-point entries: a per-character table by construction.
    if (from && to && [...from].length === 1 && [...to].length === 1 && !map.has(from)) map.set(from, to);
  }
  return map;
}

function buildTable(): Map<string, string> {
  // Locale.to.cn[0] is [TSPhrases, TSCharacters]; Locale.from.tw/hk[0] end with the variant character tables.
  const toCn = OpenCC.Locale.to.cn[0];
  const ts = parseDictionary(toCn[toCn.length - 1] as string);
  const table = new Map(ts);
  for (const region of [OpenCC.Locale.from.tw[0], OpenCC.Locale.from.hk[0]]) {
    const variants = parseDictionary(region[region.length - 1] as string);
    for (const [variant, standard] of variants) {
      const simplified = ts.get(standard);
      if (!table.has(variant) && simplified !== undefined && simplified !== variant) table.set(variant, simplified);
    }
  }
  return table;
}

/** The simplified form of one traditional or variant character, or undefined when it has none. */
export function simplifiedChar(ch: string): string | undefined {
  traditionalToSimplified ??= buildTable();
  return traditionalToSimplified.get(ch);
}

const DASHES = new Set(['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u2E3A', '\u2E3B', '\uFE58', '\uFE63']);
const DOUBLE_QUOTES = new Set(['\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u301D', '\u301E', '\u301F']);
const SINGLE_QUOTES = new Set(['\u2018', '\u2019', '\u201A', '\u201B', '\u2032']);
const MIDDLE_DOTS = new Set(['\u30FB', '\u2027', '\u2219', '\u22C5']);

/**
 * Maps one already-NFKC'd, lower-cased character (one UTF-16 unit or a surrogate pair)
 * to its normal form: one dash, one double quote, one single quote, one middle dot,
 * a plain space for every kind of whitespace and control character, nothing for
 * invisible format characters (zero-width space, BOM, soft hyphen, direction marks),
 * and simplified Chinese for traditional characters.
 */
export function foldChar(ch: string): string {
  if (DASHES.has(ch)) return '-';
  if (DOUBLE_QUOTES.has(ch)) return '"';
  if (SINGLE_QUOTES.has(ch)) return "'";
  if (MIDDLE_DOTS.has(ch)) return '\u00B7';
  if (/^[\p{Cc}\p{Z}]$/u.test(ch)) return ' ';
  if (/^\p{Cf}$/u.test(ch)) return '';
  if (ch.length === 1 && ch >= '\uD800' && ch <= '\uDFFF') return '\uFFFD';
  return simplifiedChar(ch) ?? ch;
}
