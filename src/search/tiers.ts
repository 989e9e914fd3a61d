import { idf } from './ranking';
import { intersect, seek, subtract, union } from './docSets';
import { QueryMatches } from './matches';
import { Alternative, ParsedQuery, QueryTerm } from './parser';
import { MatchMode } from './types';

/** At most this many query words (those of highest IDF) decide which documents are relevant by words. */
export const MAX_RELEVANCE_WORDS = 32;

/**
 * A common word's list this many times longer than the documents it may still decide or less
 * is walked whole rather than looked up document by document (see scoreUndecided): a step of
 * the walk is an addition, a look-up a galloping search.
 */
const WALK_RATIO = 4;

/** Options of candidate selection (see SearcherOptions). */
export interface TierOptions {
  /** Share of the query's word IDF a document's words must carry to be relevant by words. */
  minWordShare: number;
  /** A query is long (ranked mode) from this many normalized characters … */
  rankedMinChars: number;
  /** … and this many distinct words. */
  rankedMinWords: number;
}

/**
 * The candidates of a query in the order they rank: each tier is ranked by score on its
 * own and every document of a tier comes before every document of the next.
 */
export interface Tiers {
  mode: MatchMode;
  /** Disjoint, each ascending: literal matches aligned on word boundaries, the other literal matches, then the rest. */
  tiers: Uint32Array[];
  /** How many tiers from the start hold literal matches (0, or 2). */
  literalTiers: number;
}

/** Whether the query is long enough to be answered in ranked mode: a sentence, a headline, a pasted passage. */
export function isRanked(parsed: ParsedQuery, options: TierOptions): boolean {
  let chars = 0;
  const words = new Set<string>();
  for (const group of parsed.groups) {
    for (const term of group) {
      chars += term.text.replace(/\s/g, '').length;
      for (const word of term.words) words.add(word);
    }
  }
  return chars >= options.rankedMinChars && words.size >= options.rankedMinWords;
}

/** A hard constraint stays one in every mode: quoted phrases and title: terms. */
function isHard(term: QueryTerm): boolean {
  return term.phrase || term.field === 'title';
}

/**
 * Chooses the candidates of a query (see README "Query language"):
 * - a short query: its literal matches; when there are none, the documents holding every
 *   term's words; when there are none either, the documents relevant by words;
 * - a long query (isRanked): its literal matches, then every other document relevant by words.
 * Literal matches are split in two tiers: those where every term falls on word boundaries
 * (方特 in 方特|乐园) first, those cutting through words (片方|特意) after.
 * Excluded terms never match; quoted phrases and title: terms are hard constraints. A query
 * of filters alone selects every document (less the excluded ones) as literal matches.
 * `literalOnly`: the query is a "did you mean" trial of a long query, for which only literal
 * matches count (QueryExpander.suggest): its literal matches are all it selects, in one tier.
 */
export function selectTiers(parsed: ParsedQuery, matches: QueryMatches, documentCount: number, options: TierOptions, literalOnly = false): Tiers {
  let excluded: Uint32Array = new Uint32Array(0);
  for (const term of parsed.excluded) excluded = union(excluded, matches.literal(term.text, term.field).docs);
  // Filters alone (no term): every document holds all of the query's (zero) terms, so every one is a literal match; the filters narrow them.
  if (parsed.groups.length === 0) return { mode: 'exact', tiers: [without(everyDocument(documentCount), excluded), new Uint32Array(0)], literalTiers: 2 };
  // An exclusion that removes every literal match leaves none: it never triggers relaxation.
  const literal = combine(parsed.groups, (term) => either(term, (alt) => literalOf(matches, term, alt)));
  const exact = without(literal, excluded);
  const ranked = isRanked(parsed, options);
  if (literalOnly) return { mode: ranked ? 'ranked' : 'exact', tiers: [exact, EMPTY], literalTiers: 2 };
  if (literal.length > 0 || ranked) {
    const aligned = alignedDocs(parsed, matches, exact);
    // aligned ⊆ exact: of the same size, it is all of them (a common word's matches mostly are).
    const literalTiers = [aligned, aligned.length === exact.length ? new Uint32Array(0) : subtract(exact, aligned)];
    if (!ranked) return { mode: 'exact', tiers: literalTiers, literalTiers: 2 };
    const relevant = without(relevantByWords(parsed, matches, documentCount, options.minWordShare, true, exact), excluded);
    return { mode: 'ranked', tiers: [...literalTiers, relevant], literalTiers: 2 };
  }
  const allWords = combine(parsed.groups, (term) =>
    either(term, (alt) => {
      const text = alt?.text ?? term.text;
      const words = alt?.words ?? term.words;
      if (isHard(term) || words.length === 0) return literalOf(matches, term, alt);
      let docs: Uint32Array | undefined;
      // Rarest first, so that an empty intersection is found before the common words are matched.
      const rarestFirst = [...new Set(words)].map((word) => ({ word, df: matches.wordDocFreq(word) })).sort((a, b) => a.df - b.df);
      for (const { word } of rarestFirst) {
        docs = docs ? intersect(docs, matches.literal(word, term.field).docs) : matches.literal(word, term.field).docs;
        if (docs.length === 0) break;
      }
      return docs ?? matches.literal(text, term.field).docs;
    }),
  );
  if (allWords.length > 0) return { mode: 'all-words', tiers: [without(allWords, excluded)], literalTiers: 0 };
  return { mode: 'some-words', tiers: [without(relevantByWords(parsed, matches, documentCount, options.minWordShare, false), excluded)], literalTiers: 0 };
}

/**
 * `a` less the documents of `b`: `a` itself when `b` is empty (most queries exclude nothing;
 * candidate sets are read, never written to: see sharedOrUnion), rather than a copy (the
 * relevant tier of a long query on news-large: tens of thousands of documents).
 */
function without(a: Uint32Array, b: Uint32Array): Uint32Array {
  return b.length === 0 ? a : subtract(a, b);
}

/** No documents (read, never written to). */
const EMPTY = new Uint32Array(0);

/** Documents 0 … count−1. */
function everyDocument(count: number): Uint32Array {
  const docs = new Uint32Array(count);
  for (let doc = 0; doc < count; doc++) docs[doc] = doc;
  return docs;
}

/** Documents matching every group (a group: any of its terms). */
function combine(groups: QueryTerm[][], match: (term: QueryTerm) => Uint32Array): Uint32Array {
  let result: Uint32Array | undefined;
  for (const group of groups) {
    let groupDocs: Uint32Array = new Uint32Array(0);
    // A term's documents are taken as they are (never written to: see sharedOrUnion), not copied.
    for (const term of group) groupDocs = sharedOrUnion(groupDocs, match(term));
    result = result ? intersect(result, groupDocs) : groupDocs;
    if (result.length === 0) return result;
  }
  return result ?? new Uint32Array(0);
}

/**
 * `b` itself when `a` is empty, else their union. The candidate sets of a query are read,
 * never written to (the ranking copies what it narrows), so a term's documents (the query's
 * literal matches, a word's postings) may stand in a tier as they are: a common word's
 * tens of thousands of documents are not copied on every query.
 */
function sharedOrUnion(a: Uint32Array, b: Uint32Array): Uint32Array {
  return a.length === 0 ? b : union(a, b);
}

/** A term matches through its own text or any of its alternatives (synonyms, pinyin readings). */
function either(term: QueryTerm, match: (alt?: Alternative) => Uint32Array): Uint32Array {
  return term.alternatives.reduce((docs, alt) => union(docs, match(alt)), match());
}

/** Literal matches of a term's text, or of an alternative's (a pinyin reading only where it stands as words). */
function literalOf(matches: QueryMatches, term: QueryTerm, alt?: Alternative): Uint32Array {
  const docs = matches.literalDocs(alt?.text ?? term.text, term.field);
  if (!alt?.aligned) return docs;
  return matches.allAsWords(alt.words, docs) ?? docs;
}

/**
 * The literal matches in which each group has a term whose jieba words all stand as
 * words in the document: the match most likely falls on word boundaries. (Decided per
 * document, from the word postings: the index keeps no word positions.)
 */
function alignedDocs(parsed: ParsedQuery, matches: QueryMatches, exact: Uint32Array): Uint32Array {
  let aligned = exact;
  for (const group of parsed.groups) {
    if (aligned.length === 0) return aligned;
    let groupDocs: Uint32Array | undefined = new Uint32Array(0);
    for (const term of group) {
      for (const words of [term.words, ...term.alternatives.map((alt) => alt.words)]) {
        // Looked up among the documents still aligned only: each set found is a subset of them, and so is their union.
        const asWords: Uint32Array | undefined = groupDocs && matches.allAsWords(words, aligned);
        // A term without words (punctuation, symbols) has no boundaries to miss.
        groupDocs = asWords && groupDocs ? sharedOrUnion(groupDocs, asWords) : undefined;
      }
    }
    if (groupDocs) aligned = groupDocs;
  }
  return aligned;
}

/** The words that decide relevance by words, with their weights (see relevantByWords). */
interface WordWeights {
  /** Each word's weight: its IDF, or an alternative's at the alternative's weight. */
  weights: Map<string, number>;
  /** The words of the query's own terms (not only of an alternative). */
  own: Set<string>;
  /** The groups of hard constraints only (quoted phrases, title: terms). */
  hardGroups: QueryTerm[][];
}

/** The query's words and weights for relevance by words (of its terms that are no hard constraint; see relevantByWords for `pieces`). */
function wordWeights(parsed: ParsedQuery, matches: QueryMatches, documentCount: number, pieces: boolean): WordWeights {
  const weights = new Map<string, number>();
  const own = new Set<string>();
  const hardGroups: QueryTerm[][] = [];
  for (const group of parsed.groups) {
    if (group.every(isHard)) {
      hardGroups.push(group);
      continue;
    }
    for (const term of group) {
      if (isHard(term)) continue;
      const words = term.words.length > 0 ? term.words : [term.text];
      for (const word of new Set(pieces ? words.flatMap((w) => matches.wordOrPieces(w)) : words)) {
        const df = matches.wordDocFreq(word);
        if (df === 0 || own.has(word)) continue;
        weights.set(word, idf(documentCount, df));
        own.add(word);
      }
      for (const alt of term.alternatives) {
        for (const word of alt.words) {
          const df = matches.wordDocFreq(word);
          if (df > 0) weights.set(word, Math.max(weights.get(word) ?? 0, idf(documentCount, df) * alt.weight));
        }
      }
    }
  }
  return { weights, own, hardGroups };
}

/**
 * Documents relevant by words: those whose words carry at least `share` of the IDF of
 * the query's words (of its terms that are no hard constraint; alternatives count at
 * their weight; of the MAX_RELEVANCE_WORDS that weigh most), and that meet every hard constraint. With
 * `pieces` (a long query, whose words jieba's HMM may have made up) a word that occurs
 * nowhere is replaced by its pieces (bigrams or characters); without (a short query: a word
 * that occurs nowhere is more likely mistyped, and "did you mean" is the better answer) it
 * counts for nothing, as do pieces that occur nowhere. A document reaching the share must hold one of the words whose IDF
 * the rest cannot make up for, so only those words' postings are walked whole; the
 * others (the common words) are only looked up (seek) in the documents found that they
 * can still decide, and not at all once none is left (see scoreUndecided). The documents
 * of `leftOut` (ascending: a long query's literal matches, ranked in tiers of their own) are left out.
 */
function relevantByWords(
  parsed: ParsedQuery,
  matches: QueryMatches,
  documentCount: number,
  share: number,
  pieces: boolean,
  leftOut: Uint32Array = EMPTY,
): Uint32Array {
  const { weights, own, hardGroups } = wordWeights(parsed, matches, documentCount, pieces);
  const hard = hardGroups.length > 0 ? combine(hardGroups, (term) => matches.literal(term.text, term.field).docs) : undefined;
  if (weights.size === 0) return without(hard ?? EMPTY, leftOut);
  // A bounded amount of work: only the words that weigh most (a pasted list of a hundred common characters weighs little each).
  const byWeight = [...weights].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_RELEVANCE_WORDS);
  const needed = share * byWeight.reduce((sum, [word, w]) => (own.has(word) ? sum + w : sum), 0);
  // The words after `essential` together weigh less than needed: a relevant document holds one before.
  let rest = byWeight.reduce((sum, [, w]) => sum + w, 0);
  let essential = 0;
  while (essential < byWeight.length && rest >= needed) rest -= byWeight[essential++][1];
  // A little slack, so that summing in another order never drops a document at the boundary.
  const threshold = needed * (1 - 1e-9);
  const scratch = relevanceScratch.start(documentCount);
  for (let i = 0; i < essential; i++) scratch.add(matches.word(byWeight[i][0]).docs, byWeight[i][1]);
  const found = hard ? intersect(scratch.found(), hard) : scratch.found();
  scoreUndecided(found, byWeight.slice(essential), scratch.scores, threshold, scratch.undecided, (word) => matches.word(word).docs);
  return reaching(found, scratch.scores, threshold, leftOut, scratch.undecided);
}

/**
 * The documents of `docs` whose score reaches `threshold` (a loop: TypedArray filter with a
 * callback was most of relevantByWords' time), less those of `leftOut` (ascending), gathered
 * in `room` (at least docs.length, free to overwrite) and copied out at their size: the one
 * copy of the relevant tier.
 */
function reaching(docs: Uint32Array, scores: Float64Array, threshold: number, leftOut: Uint32Array, room: Uint32Array): Uint32Array {
  const kept = room;
  let n = 0;
  for (let i = 0, j = 0; i < docs.length; i++) {
    const doc = docs[i];
    if (scores[doc] < threshold) continue;
    while (j < leftOut.length && leftOut[j] < doc) j++;
    if (j < leftOut.length && leftOut[j] === doc) continue;
    kept[n++] = doc;
  }
  return kept.slice(0, n);
}

/**
 * Adds to `scores` (of the documents of `found`) the weights of the `rest` words (in their
 * order, as walking their postings whole would) that each document holds, looked up only in the
 * documents still undecided: one whose score reaches `threshold` already is relevant, one
 * that the words left cannot bring to it never will be, and neither is looked up again
 * (their scores stay on their side of `threshold`). Once none is undecided, the words
 * left are not even read. `undecided` is room for found.length documents. A word's list
 * at most WALK_RATIO times longer than the documents undecided is walked instead, its weight
 * added to every document it holds: a decided document's score only moves further to its side
 * of `threshold` (one ruled out had room below it for every word left), and the scores of
 * documents not found are never read (RelevanceScratch.add starts them anew).
 */
function scoreUndecided(
  found: Uint32Array,
  rest: Array<[string, number]>,
  scores: Float64Array,
  threshold: number,
  undecided: Uint32Array,
  docsOf: (word: string) => Uint32Array,
): void {
  // left[i]: what the words from i on weigh together.
  const left = new Float64Array(rest.length + 1);
  for (let i = rest.length - 1; i >= 0; i--) left[i] = left[i + 1] + rest[i][1];
  undecided.set(found);
  let n = keepUndecided(undecided, found.length, scores, threshold, left[0]);
  for (let i = 0; i < rest.length && n > 0; i++) {
    const docs = docsOf(rest[i][0]);
    const weight = rest[i][1];
    if (docs.length <= n * WALK_RATIO) {
      for (let j = 0; j < docs.length; j++) scores[docs[j]] += weight;
    } else {
      for (let u = 0, at = 0; u < n && at < docs.length; u++) {
        const doc = undecided[u];
        at = seek(docs, doc, at);
        if (at < docs.length && docs[at] === doc) scores[doc] += weight;
      }
    }
    n = keepUndecided(undecided, n, scores, threshold, left[i + 1]);
  }
}

/**
 * Keeps, in place at the start of `docs`, those of its first `n` documents whose score is
 * below `threshold` but could reach it with `left` more (with a margin far above the rounding
 * of a few dozen additions, so that no document the whole sum would keep is dropped); returns how many.
 */
function keepUndecided(docs: Uint32Array, n: number, scores: Float64Array, threshold: number, left: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const score = scores[docs[i]];
    if (score < threshold && (score + left) * (1 + 1e-12) >= threshold) docs[k++] = docs[i];
  }
  return k;
}

/**
 * Per-document working arrays of relevantByWords, kept from one query to the next (made
 * anew per query they were most of its garbage on news-large). `found` has a bit per
 * document, cleared as the documents found are listed; a call that a deadline interrupted
 * before that leaves the next one to clear it.
 */
class RelevanceScratch {
  /** Per document found: the weight of its words so far. */
  scores = new Float64Array(0);
  /** Room for the documents scoreUndecided still looks up. */
  undecided = new Uint32Array(0);
  /** Room for the documents found (see found). */
  private listed = new Uint32Array(0);
  private bits = new Int32Array(0);
  private count = 0;
  private dirty = false;

  /** Starts a call over documents 0 … documentCount−1: none found yet. */
  start(documentCount: number): this {
    if (this.scores.length < documentCount) {
      this.scores = new Float64Array(documentCount);
      this.undecided = new Uint32Array(documentCount);
      this.listed = new Uint32Array(documentCount);
      this.bits = new Int32Array(Math.ceil(documentCount / 32));
    } else if (this.dirty) this.bits.fill(0);
    this.dirty = true;
    this.count = 0;
    return this;
  }

  /** Adds `weight` to the score of each document of `docs`, finding those not found yet. */
  add(docs: Uint32Array, weight: number): void {
    const { scores, bits } = this;
    let count = this.count;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      const bit = 1 << (doc & 31);
      if ((bits[doc >>> 5] & bit) !== 0) scores[doc] += weight;
      else {
        bits[doc >>> 5] |= bit;
        scores[doc] = weight;
        count++;
      }
    }
    this.count = count;
  }

  /** The documents found, ascending (and none found any more), in this scratch: valid until the next start. */
  found(): Uint32Array {
    const { bits } = this;
    const found = this.listed.subarray(0, this.count);
    for (let w = 0, n = 0; n < found.length; w++) {
      for (let word = bits[w]; word !== 0; word &= word - 1) found[n++] = (w << 5) | (31 - Math.clz32(word & -word));
      bits[w] = 0;
    }
    this.dirty = false;
    return found;
  }
}

const relevanceScratch = new RelevanceScratch();
