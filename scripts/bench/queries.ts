import * as nodejieba from 'nodejieba';
import { normalize } from '../../src/analysis/normalize';
import { loadJieba } from '../../src/analysis/jieba';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { seeded } from '../random';

/** `substring`: 1–8 characters cut anywhere, across jieba word boundaries; `word`: one whole jieba word. */
export type QueryKind = 'substring' | 'word';

/** A literal query with its ground truth. */
export interface LiteralQuery {
  text: string;
  kind: QueryKind;
  /** Ordinals of the documents whose normalized title or body contains the normalized query, ascending. */
  truth: number[];
  /** How many of those contain the query even without normalization. */
  rawTruth: number;
}

/** A headline query: the one right answer is the document it heads. */
export interface KnownItemQuery {
  text: string;
  target: number;
}

/** Letters and digits only: no spaces, punctuation or query operators, so every engine sees one plain term. */
const PLAIN = /^[\p{L}\p{N}]+$/u;
const MAX_SUBSTRING = 8;

/** Shuffles in place with the seeded generator (Fisher–Yates, as scripts/known-item.ts does). */
export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** jieba's plain cut (HMM) of a field, with each word's start offset; undefined if the words do not rebuild the text. */
export function cutWithOffsets(text: string): Array<{ word: string; start: number }> | undefined {
  loadJieba();
  const words: Array<{ word: string; start: number }> = [];
  let start = 0;
  for (const word of nodejieba.cut(text, true)) {
    if (text.startsWith(word, start)) words.push({ word, start });
    else return undefined;
    start += word.length;
  }
  return start === text.length ? words : undefined;
}

/** A random position in a random document: the field (title or body) it falls in, and the offset. */
function randomSpot(docs: readonly SearchDocument[], rand: () => number): { text: string; offset: number } {
  const doc = docs[Math.floor(rand() * docs.length)];
  const title = titleText(doc);
  const body = bodyText(doc);
  const at = Math.floor(rand() * (title.length + body.length));
  return at < title.length ? { text: title, offset: at } : { text: body, offset: at - title.length };
}

/** 1–8 characters at a random spot, all letters or digits; two or more must span a jieba word boundary. */
function sampleSubstring(docs: readonly SearchDocument[], rand: () => number): string | undefined {
  const spot = randomSpot(docs, rand);
  const length = 1 + Math.floor(rand() * MAX_SUBSTRING);
  const text = spot.text.slice(spot.offset, spot.offset + length);
  if (text.length !== length || !PLAIN.test(text)) return undefined;
  if (length === 1) return text;
  const words = cutWithOffsets(spot.text);
  const end = spot.offset + length;
  return words?.some((w) => w.start > spot.offset && w.start < end) ? text : undefined;
}

/** One of the distinct jieba words (letters and digits only) of a random field, uniformly. */
function sampleWord(docs: readonly SearchDocument[], rand: () => number): string | undefined {
  const spot = randomSpot(docs, rand);
  const words = [...new Set((cutWithOffsets(spot.text) ?? []).map((w) => w.word).filter((w) => PLAIN.test(w)))];
  return words.length > 0 ? words[Math.floor(rand() * words.length)] : undefined;
}

/**
 * Samples `count` distinct literal queries with a fixed seed: half substrings of 1–8
 * characters cut at random (crossing word boundaries), half whole jieba words.
 */
export function sampleLiteralQueries(docs: readonly SearchDocument[], count: number, seed: number): Array<{ text: string; kind: QueryKind }> {
  const rand = seeded(seed);
  const seen = new Set<string>();
  const queries: Array<{ text: string; kind: QueryKind }> = [];
  const wanted: Array<[QueryKind, number]> = [
    ['substring', Math.ceil(count / 2)],
    ['word', Math.floor(count / 2)],
  ];
  for (const [kind, n] of wanted) {
    let found = 0;
    for (let attempt = 0; found < n; attempt++) {
      if (attempt > n * 1000) throw new Error(`could not sample ${n} distinct ${kind} queries from ${docs.length} documents`);
      const text = kind === 'substring' ? sampleSubstring(docs, rand) : sampleWord(docs, rand);
      // `OR` is an operator in jiansuo's query language, not a term.
      if (text === undefined || text === 'OR' || seen.has(text)) continue;
      seen.add(text);
      queries.push({ text, kind });
      found++;
    }
  }
  return queries;
}

/**
 * The ground truth by brute force: a document matches when its normalized title or
 * normalized body (jiansuo's `normalize`, the same for every engine) contains the
 * normalized query.
 */
export function groundTruth(docs: readonly SearchDocument[], queries: ReadonlyArray<{ text: string; kind: QueryKind }>): LiteralQuery[] {
  const titles = docs.map((doc) => normalize(titleText(doc)));
  const bodies = docs.map((doc) => normalize(bodyText(doc)));
  return queries.map(({ text, kind }) => {
    const needle = normalize(text);
    const truth: number[] = [];
    for (let n = 0; n < docs.length; n++) if (titles[n].includes(needle) || bodies[n].includes(needle)) truth.push(n);
    const rawTruth = truth.filter((n) => titleText(docs[n]).includes(text) || bodyText(docs[n]).includes(text)).length;
    return { text, kind, truth, rawTruth };
  });
}

/**
 * Headline queries as scripts/known-item.ts chooses them: every non-empty title that
 * heads exactly one document, shuffled with `seed`, the first `count` of them.
 */
export function sampleKnownItems(docs: readonly SearchDocument[], count: number, seed: number): KnownItemQuery[] {
  const titleCount = new Map<string, number>();
  for (const doc of docs) titleCount.set(doc.title, (titleCount.get(doc.title) ?? 0) + 1);
  const queries = docs
    .map((doc, target) => ({ text: doc.title, target }))
    .filter((q) => q.text.trim() && titleCount.get(q.text) === 1);
  return shuffle(queries, seeded(seed)).slice(0, count);
}

/** How many longest headlines, and how many body passages, longQueries takes. */
const LONG_QUERIES = 20;

/** The longest distinct headlines, and seeded body passages of 150–250 characters (quotes and leading minus signs blanked). */
export function longQueries(docs: readonly SearchDocument[], seed: number): string[] {
  const clean = (text: string): string => text.replace(/["＂]/g, ' ').replace(/^[-－\s]+/, '');
  const headlines = [...new Set(docs.map((d) => clean(d.title)))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).slice(0, LONG_QUERIES);
  const rand = seeded(seed);
  const passages: string[] = [];
  while (passages.length < LONG_QUERIES) {
    const body = bodyText(docs[Math.floor(rand() * docs.length)]);
    const length = 150 + Math.floor(rand() * 100);
    if (body.length < length) continue;
    const at = Math.floor(rand() * (body.length - length));
    passages.push(clean(body.slice(at, at + length)));
  }
  return [...headlines, ...passages];
}

/** The latency scripts' query sets: 1,000 seeded literal queries and `headlines` known-item headlines of `docs`, and longQueries of `pastedDocs`. */
export function latencyQueries(docs: SearchDocument[], pastedDocs: readonly SearchDocument[], seed: number, headlines: number): { literal: string[]; headlines: string[]; pasted: string[] } {
  return {
    literal: sampleLiteralQueries(docs, 1000, seed).map((q) => q.text),
    headlines: sampleKnownItems(docs, headlines, seed).map((q) => q.text),
    pasted: longQueries(pastedDocs, seed),
  };
}
