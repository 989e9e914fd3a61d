import { Analyzer } from '../../src/analysis/analyzer';
import { normalize } from '../../src/analysis/normalize';
import { SearchDocument, bodyText } from '../../src/document';
import { seeded } from '../helpers';

const TO_FULL_WIDTH = (s: string): string => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The query that asks for `text` literally: quoted when it would otherwise read as an operator. */
export function literalQuery(text: string): string {
  return /^[-－]|^(?:title|标题)[:：]|^OR$/i.test(text) ? `"${text}"` : text;
}

/**
 * Queries for the literal-match oracle: substrings of real documents (most crossing word
 * boundaries), whole jieba words, and the same typed in full-width or upper case. Seeded:
 * the same documents give the same queries.
 */
export function sampleQueries(docs: SearchDocument[], count: number): string[] {
  const rand = seeded(20261127);
  const analyzer = new Analyzer();
  const queries = new Set<string>();
  const usable = (q: string): boolean => q.length > 0 && !/[\s"＂\u0000]/.test(q) && normalize(q).trim() === normalize(q) && normalize(q).length > 0;
  while (queries.size < count) {
    const d = docs[Math.floor(rand() * docs.length)];
    const text = rand() < 0.15 ? d.title : bodyText(d);
    const cps = [...text];
    if (cps.length === 0) continue;
    const kind = rand();
    let q: string;
    if (kind < 0.6) {
      // A substring of 1–8 characters at a random place: most cross word boundaries.
      const len = 1 + Math.floor(rand() * 8);
      const at = Math.floor(rand() * Math.max(1, cps.length - len));
      q = cps.slice(at, at + len).join('');
    } else if (kind < 0.85) {
      // A whole jieba word.
      const words = analyzer.queryWords(normalize(cps.slice(0, 300).join('')));
      if (words.length === 0) continue;
      q = words[Math.floor(rand() * words.length)];
    } else {
      // The same substring typed in full-width forms or with an upper-case first letter.
      const at = Math.floor(rand() * Math.max(1, cps.length - 6));
      const piece = cps.slice(at, at + 2 + Math.floor(rand() * 5)).join('');
      q = rand() < 0.5 ? TO_FULL_WIDTH(piece) : piece.toUpperCase();
    }
    if (usable(q)) queries.add(q);
  }
  return [...queries];
}

