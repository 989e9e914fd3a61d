/**
 * The ranking evaluation sets (issue 10, point 5), built deterministically from a corpus
 * (news-dev): each query has one right answer, the article it was made from. How each set is
 * made, and why: scripts/eval/README.md.
 *
 * Every query carries its target's split, `tune` or `test`, fixed by a hash of the target's id,
 * so that ranking weights are chosen on one half and reported on the other.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { jiebaTerms } from '../bench/engines/jieba';
import { cutWithOffsets, shuffle } from '../bench/queries';
import { seeded } from '../random';

/** The sets, in the order tables list them. */
export const SET_NAMES = ['headline', 'headline-titled', 'clause', 'keywords', 'questions'] as const;
export type SetName = (typeof SET_NAMES)[number];

/** Which index a set is asked against: the bodies only (titles emptied) or titles and bodies. */
export type IndexKind = 'bodies' | 'full';
export const INDEX_OF: Readonly<Record<SetName, IndexKind>> = {
  headline: 'bodies',
  'headline-titled': 'full',
  clause: 'full',
  keywords: 'full',
  questions: 'full',
};

export type Split = 'tune' | 'test';

/** One query of a set and the id of the one document that answers it. */
export interface EvalQuery {
  query: string;
  targetId: string;
  split: Split;
}

/** A hand-written question of the questions fixture. */
export interface Question {
  id: string;
  question: string;
}

/** The hand-written questions about news-dev articles (set `questions`). */
export const QUESTIONS_FILE = path.join(__dirname, 'questions.jsonl');

export interface SetOptions {
  /** Queries per split for the generated sets (headline, headline-titled, clause, keywords); default 1000. */
  sample?: number;
  /** Seed of the samples (default 42). */
  seed?: number;
  /** The sets to build (default all). */
  sets?: readonly SetName[];
  /** The questions for set `questions` (default: read from {@link QUESTIONS_FILE}). */
  questions?: readonly Question[];
}

/** Clause length bounds (characters, before the word is removed). */
export const CLAUSE_MIN = 10;
export const CLAUSE_MAX = 30;
/** Clauses are cut from the body's first LEAD characters. */
export const LEAD = 300;
/** Keyword document-frequency band: in at least KEYWORD_MIN_DF documents and at most KEYWORD_MAX_DF. */
export const KEYWORD_MIN_DF = 2;
export const KEYWORD_MAX_DF = 50;

const CLAUSE_BOUNDARY = /[，。！？；：、,.!?;:（）()【】\s…]+/u;
/** A removable word: two or more letters (Han or other; no digits or punctuation). */
const REMOVABLE = /^\p{L}{2,}$/u;
const HAN_WORD = /^\p{Script=Han}{2,}$/u;

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A document's split: `tune` when the FNV-1a hash of its id is even, `test` when odd. */
export function splitOf(id: string): Split {
  return fnv1a(id) % 2 === 0 ? 'tune' : 'test';
}

/** Reads the questions fixture (JSON Lines of `{id, question}`); throws naming the line that is not one. */
export function readQuestions(file: string = QUESTIONS_FILE): Question[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, n) => ({ line, n }))
    .filter(({ line }) => line.trim())
    .map(({ line, n }) => {
      const value = JSON.parse(line) as Partial<Question>;
      if (typeof value.id !== 'string' || typeof value.question !== 'string' || !value.question.trim()) {
        throw new Error(`${file}:${n + 1}: expected {"id": "...", "question": "..."}`);
      }
      return { id: value.id, question: value.question };
    });
}

/** The whole text of a document as the full index sees it: title and body. */
function fullText(doc: SearchDocument): string {
  return `${titleText(doc)}\n${bodyText(doc)}`;
}

/** Finds which documents contain a string, over all their text joined once. */
class TextLocator {
  private readonly all: string;
  private readonly starts: number[] = [];

  constructor(docs: readonly SearchDocument[]) {
    const parts: string[] = [];
    let at = 0;
    for (const doc of docs) {
      this.starts.push(at);
      const text = `${fullText(doc)}\u0000`;
      parts.push(text);
      at += text.length;
    }
    this.all = parts.join('');
  }

  /** Whether `needle` occurs in document `ordinal` and in no other. */
  onlyIn(needle: string, ordinal: number): boolean {
    let found = false;
    for (let from = 0; ; ) {
      const at = this.all.indexOf(needle, from);
      if (at < 0) return found;
      const doc = this.docAt(at);
      if (doc !== ordinal) return false;
      found = true;
      from = doc + 1 < this.starts.length ? this.starts[doc + 1] : this.all.length;
    }
  }

  private docAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Ordinals of the documents whose body no other document has (syndicated copies would make the answer ambiguous). */
function uniqueBodies(docs: readonly SearchDocument[]): Set<number> {
  const count = new Map<string, number>();
  for (const doc of docs) count.set(bodyText(doc), (count.get(bodyText(doc)) ?? 0) + 1);
  return new Set(docs.map((_, n) => n).filter((n) => count.get(bodyText(docs[n])) === 1));
}

/**
 * Walks the candidates in the seeded order, keeping each one `make` turns into a query, until
 * both splits have `sample` queries (or the candidates run out). Queries come out tune first.
 */
function sampleBySplit(docs: readonly SearchDocument[], candidates: number[], sample: number, seed: number, make: (n: number, rand: () => number) => string | undefined): EvalQuery[] {
  const rand = seeded(seed);
  const bySplit: Record<Split, EvalQuery[]> = { tune: [], test: [] };
  for (const n of shuffle(candidates, rand)) {
    const split = splitOf(docs[n].id);
    if (bySplit[split].length >= sample) {
      if (bySplit.tune.length >= sample && bySplit.test.length >= sample) break;
      continue;
    }
    const query = make(n, rand);
    if (query !== undefined) bySplit[split].push({ query, targetId: docs[n].id, split });
  }
  return [...bySplit.tune, ...bySplit.test];
}

/** (a), (b): every non-blank headline that heads exactly one document (as scripts/known-item.ts asks them), sampled per split. */
export function headlineSet(docs: readonly SearchDocument[], sample: number, seed: number): EvalQuery[] {
  const count = new Map<string, number>();
  for (const doc of docs) count.set(doc.title, (count.get(doc.title) ?? 0) + 1);
  const candidates = docs.map((_, n) => n).filter((n) => docs[n].title.trim() && count.get(docs[n].title) === 1);
  return sampleBySplit(docs, candidates, sample, seed, (n) => docs[n].title);
}

/** The clauses of a lead: cut at punctuation and spaces, trimmed, whole (ending within the lead). */
export function leadClauses(doc: SearchDocument): string[] {
  const body = bodyText(doc);
  const lead = body.slice(0, LEAD);
  const clauses = lead.split(CLAUSE_BOUNDARY);
  // The last piece may run on past the lead: keep it only when the lead is the whole body.
  if (body.length > LEAD) clauses.pop();
  return clauses.filter((c) => c.length >= CLAUSE_MIN && c.length <= CLAUSE_MAX);
}

/** A clause with one of its inner words (two or more letters, not the first or last word) removed, or undefined when it has none. */
export function removeOneWord(clause: string, rand: () => number): string | undefined {
  const words = cutWithOffsets(clause);
  if (!words) return undefined;
  const inner = words.slice(1, -1).filter((w) => REMOVABLE.test(w.word));
  if (inner.length === 0) return undefined;
  const { word, start } = inner[Math.floor(rand() * inner.length)];
  return clause.slice(0, start) + clause.slice(start + word.length);
}

/**
 * (c): a clause of 10–30 characters from the article's lead (its first 300 characters; news-dev
 * lost most paragraph breaks, so this stands for the first paragraph), found in no other
 * document and not in its own title, with one inner jieba word removed.
 */
export function clauseSet(docs: readonly SearchDocument[], sample: number, seed: number): EvalQuery[] {
  const locator = new TextLocator(docs);
  const unique = uniqueBodies(docs);
  const candidates = docs.map((_, n) => n).filter((n) => unique.has(n));
  return sampleBySplit(docs, candidates, sample, seed, (n, rand) => {
    const doc = docs[n];
    const clauses = shuffle(
      leadClauses(doc).filter((c) => !titleText(doc).includes(c)),
      rand,
    );
    for (const clause of clauses) {
      if (!locator.onlyIn(clause, n)) continue;
      const query = removeOneWord(clause, rand);
      if (query !== undefined) return query;
    }
    return undefined;
  });
}

/** Per document, its distinct Han words of two or more characters with their counts (jieba as the peers cut). */
function hanWordCounts(docs: readonly SearchDocument[]): Array<Map<string, number>> {
  return docs.map((doc) => {
    const counts = new Map<string, number>();
    for (const word of jiebaTerms(fullText(doc))) if (HAN_WORD.test(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    return counts;
  });
}

/**
 * The `count` words of a document with the highest tf·ln(N/df) among those whose document
 * frequency is within the keyword band, best first (ties by word); fewer when fewer qualify.
 */
export function topKeywords(counts: ReadonlyMap<string, number>, df: ReadonlyMap<string, number>, documents: number, count: number): string[] {
  const scored: Array<{ word: string; score: number }> = [];
  for (const [word, tf] of counts) {
    const f = df.get(word) ?? 0;
    if (f >= KEYWORD_MIN_DF && f <= KEYWORD_MAX_DF) scored.push({ word, score: tf * Math.log(documents / f) });
  }
  scored.sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return scored.slice(0, count).map((s) => s.word);
}

/**
 * (d): two or three (seeded) distinctive words of the article, joined by spaces: Han jieba
 * words of two or more characters in 2–50 documents, highest tf-idf first.
 */
export function keywordsSet(docs: readonly SearchDocument[], sample: number, seed: number): EvalQuery[] {
  const counts = hanWordCounts(docs);
  const df = new Map<string, number>();
  for (const c of counts) for (const word of c.keys()) df.set(word, (df.get(word) ?? 0) + 1);
  const unique = uniqueBodies(docs);
  const candidates = docs.map((_, n) => n).filter((n) => unique.has(n));
  return sampleBySplit(docs, candidates, sample, seed, (n, rand) => {
    const words = topKeywords(counts[n], df, docs.length, rand() < 0.5 ? 2 : 3);
    return words.length >= 2 ? words.join(' ') : undefined;
  });
}

/** (e): the hand-written questions, each with its article's split; throws when an id is not in the corpus. */
export function questionSet(docs: readonly SearchDocument[], questions: readonly Question[]): EvalQuery[] {
  const ids = new Set(docs.map((doc) => doc.id));
  const missing = questions.filter((q) => !ids.has(q.id)).map((q) => q.id);
  if (missing.length > 0) throw new Error(`questions about articles not in the corpus: ${missing.join(', ')}`);
  return questions.map((q) => ({ query: q.question, targetId: q.id, split: splitOf(q.id) }));
}

/** Builds the requested sets (default all five) from the corpus's documents. */
export function buildEvalSets(docs: readonly SearchDocument[], options: SetOptions = {}): Partial<Record<SetName, EvalQuery[]>> {
  const sample = options.sample ?? 1000;
  const seed = options.seed ?? 42;
  const wanted = new Set(options.sets ?? SET_NAMES);
  const sets: Partial<Record<SetName, EvalQuery[]>> = {};
  if (wanted.has('headline') || wanted.has('headline-titled')) {
    const headlines = headlineSet(docs, sample, seed);
    if (wanted.has('headline')) sets.headline = headlines;
    if (wanted.has('headline-titled')) sets['headline-titled'] = headlines;
  }
  if (wanted.has('clause')) sets.clause = clauseSet(docs, sample, seed);
  if (wanted.has('keywords')) sets.keywords = keywordsSet(docs, sample, seed);
  if (wanted.has('questions')) sets.questions = questionSet(docs, options.questions ?? readQuestions());
  return sets;
}

/**
 * The articles to write questions about (the fixture's ids were chosen this way): per category
 * (a document's `fields.category`), `perSplit` articles of each split, seeded, among those
 * whose body is unique and at least 200 characters long.
 */
export function questionArticles(docs: readonly SearchDocument[], perSplit: number, seed: number): SearchDocument[] {
  const unique = uniqueBodies(docs);
  const byCategory = new Map<string, Record<Split, SearchDocument[]>>();
  for (const n of shuffle(docs.map((_, i) => i), seeded(seed))) {
    const doc = docs[n];
    const category = doc.fields?.category;
    if (typeof category !== 'string' || !unique.has(n) || bodyText(doc).length < 200) continue;
    const picked = byCategory.get(category) ?? { tune: [], test: [] };
    byCategory.set(category, picked);
    const split = picked[splitOf(doc.id)];
    if (split.length < perSplit) split.push(doc);
  }
  return [...byCategory.keys()].sort().flatMap((c) => [...byCategory.get(c)!.tune, ...byCategory.get(c)!.test]);
}
