import { withRoom } from '../index/growableU32';
import { seek } from '../index/sortedDocs';
import { Deadline } from './deadline';
import { FieldScope, SKIP_FACTOR } from './literal';
import { ParsedQuery } from './parser';
import { EMPTY_COUNTS, FieldCounts, PositionalPostings, PostingsReader } from '../index/postings';
import { Bm25f, ResolvedRanking } from './ranking';
import { Feature, PartialCounts } from './topk';

/** At most this many features rank a query: those that can add most to a score (a bounded amount of work per query). */
export const MAX_FEATURES = 96;

/** The lead of a body: news puts its point in the first sentences. Occurrences in these first units count once more. */
export const LEAD_UNITS = 150;

/** A bigram's occurrences per document by field, and those in the body's lead. */
export interface BigramCounts {
  counts: FieldCounts;
  lead: FieldCounts;
}

/**
 * What a query's features are counted from: each text's occurrences per document, and how
 * many documents of the whole collection hold it (for its IDF). QueryMatches reads both
 * from an index's postings; CandidateMatches counts occurrences in a few analyzed
 * documents and takes the document frequencies of the collection they came from (a
 * cluster's best hits, re-ranked on its head).
 */
export interface FeatureCounts {
  /** Documents whose normalized field contains `text` literally, with counts per field. */
  literal(text: string, field: FieldScope): FieldCounts;
  literalDocFreq(text: string, field: FieldScope): number;
  /** The literal matches of `text` as ranking may read them in part (see PartialCounts), or undefined: then `literal` gives them. */
  literalInPart?(text: string, field: FieldScope): PartialCounts | undefined;
  /**
   * Documents holding a jieba word (its literal matches where the collection does not know it
   * as a word), with counts. With `among` (ascending), only those documents' entries need be
   * there: the others may be left out (the query ranks no other document).
   */
  word(word: string, among?: Uint32Array): FieldCounts;
  wordDocFreq(word: string): number;
  /** The word itself when the collection holds it, else what stands in for it (QueryMatches.wordOrPieces). */
  wordOrPieces(word: string): string[];
  /** A character bigram's occurrences, and those in the body's lead (with `among`, as `word`); undefined when it occurs nowhere. */
  bigram(first: number, second: number, among?: Uint32Array): BigramCounts | undefined;
  bigramDocFreq(first: number, second: number): number;
}

/**
 * The counts of bigramCounts, kept as long as the reader keeps the postings they were
 * counted from (it hands out the same object while the list is in its cache): a common
 * bigram's counts are then made once, not on every query that has it (on news-large,
 * counting them again was a tenth of a literal query's time, and most of its garbage).
 */
const countedBigrams = new WeakMap<PositionalPostings, BigramCounts>();

/** Zeros to read from (the lead's title counts), shared and never written. */
let zeros = new Uint32Array(0);

/**
 * Per-document counts of one bigram from its positional postings: occurrences in the
 * title, in the body, and in the body's first LEAD_UNITS units. With `among` (ascending
 * documents, the only ones the query ranks), when the list is SKIP_FACTOR times longer, only
 * the entries of those documents are counted, from the list when the reader caches it, else
 * from only its blocks that may hold them (PostingsReader.bigramHolding): their counts are the
 * same, and other documents are left out (a short query with a few literal matches of common
 * bigrams counted every entry of each list, and ranking scanned them all for its bounds).
 * A whole list's counts are kept with it (countedBigrams).
 */
export function bigramCounts(reader: PostingsReader, first: number, second: number, among?: Uint32Array): BigramCounts | undefined {
  const inPart = among !== undefined && among.length * SKIP_FACTOR < reader.bigramDocFreq(first, second);
  const postings = inPart ? reader.bigramHolding(first, second, among) : reader.bigram(first, second);
  if (!postings) return undefined;
  const known = countedBigrams.get(postings);
  if (known) return known;
  if (inPart) return countRows(reader, postings, rowsOf(postings.docs, among));
  const counts = countRows(reader, postings);
  countedBigrams.set(postings, counts);
  return counts;
}

/** The entries of the documents wanted (rowsOf): scratch, never kept. */
let wantedRows = new Uint32Array(0);

/** The entries of `docs` (ascending) that hold a document of `wanted` (ascending), in wantedRows. */
function rowsOf(docs: Uint32Array, wanted: Uint32Array): Uint32Array {
  const rows = (wantedRows = withRoom(wantedRows, wanted.length));
  let n = 0;
  for (let w = 0, i = 0; w < wanted.length; w++) {
    i = seek(docs, wanted[w], i);
    if (i >= docs.length) break;
    if (docs[i] === wanted[w]) rows[n++] = i;
  }
  return rows.subarray(0, n);
}

/**
 * bigramCounts of the entries `rows` (ascending) of `postings`, with their documents copied;
 * without `rows`, of every entry, with the list's own documents (the counts live as long as it does).
 */
function countRows(reader: PostingsReader, postings: PositionalPostings, rows?: Uint32Array): BigramCounts {
  const { docs, start, positions } = postings;
  const { titleUnits } = reader.data;
  const own = rows === undefined;
  const n = rows === undefined ? docs.length : rows.length;
  // One buffer for the count arrays (each bigram decoded made three), reused with the list's memory once the reader evicts it
  // (a list's own counts); a few documents' counts, made anew on every query, take small memory of their own.
  const buffer = own ? reader.arrayFor(postings, n * 3) : new Uint32Array(n * 4);
  const title = buffer.subarray(0, n);
  const body = buffer.subarray(n, n * 2);
  const lead = buffer.subarray(n * 2, n * 3);
  const counted = own ? docs : buffer.subarray(n * 3);
  for (let r = 0; r < n; r++) {
    const i = rows === undefined ? r : rows[r];
    // Positions ascend: those in the title, then those in the lead, counted by walking them (at most the title's and the lead's units).
    const bodyStart = titleUnits[docs[i]] + 1;
    const leadEnd = bodyStart + LEAD_UNITS;
    const end = start[i + 1];
    let k = start[i];
    while (k < end && positions[k] < bodyStart) k++;
    title[r] = k - start[i];
    body[r] = end - k;
    const leadStart = k;
    while (k < end && positions[k] < leadEnd) k++;
    lead[r] = k - leadStart;
    if (!own) counted[r] = docs[i];
  }
  zeros = withRoom(zeros, n);
  return { counts: { docs: counted, title, body }, lead: { docs: counted, title: zeros.subarray(0, n), body: lead } };
}

/**
 * The character bigrams that rank a query (the bigram and lead features; a cluster's bigram
 * BM25F too), as `first << 16 | second`, in query order, each once: those of terms searched
 * in all fields, none holding a space.
 */
export function queryBigrams(parsed: ParsedQuery): Set<number> {
  const bigrams = new Set<number>();
  for (const term of parsed.groups.flat()) {
    if (term.field !== 'all') continue;
    for (let i = 0; i + 1 < term.text.length; i++) {
      if (term.text.charCodeAt(i) !== 0x20 && term.text.charCodeAt(i + 1) !== 0x20) bigrams.add((term.text.charCodeAt(i) << 16) | term.text.charCodeAt(i + 1));
    }
  }
  return bigrams;
}

/**
 * The scoring features of a query, in the order their contributions are summed (each a
 * BM25F term of its own, see Bm25f):
 * - per term, its literal occurrences (literalWeight); its jieba words, plain cut (1;
 *   the pieces of a word that occurs nowhere, see wordOrPieces in matches.ts);
 *   the words search mode adds inside them (searchWordWeight); its alternatives' literal
 *   occurrences and words, at their weight;
 * - consecutive query words side by side in the document (adjacencyWeight);
 * - the query's character bigrams (bigramWeight): what still matches when jieba cut the
 *   query into words the documents do not have, and their occurrences in the body's lead
 *   (leadWeight, not length-normalized).
 * Each word and bigram counts once however often the query repeats it. Past MAX_FEATURES,
 * only those with the highest bound (Bm25f.bound: weight × IDF) are kept, in this order.
 * Once `deadline` has passed, no more features are looked up: the query ranks by those it has.
 * With `among` (ascending), the features need hold only those documents (see FeatureCounts.word):
 * the query ranks no other.
 */
export function queryFeatures(parsed: ParsedQuery, matches: FeatureCounts, bm25f: Bm25f, deadline?: Deadline, among?: Uint32Array): Feature[] {
  let features = allFeatures(parsed, matches, bm25f.options, deadline, among);
  if (features.length > MAX_FEATURES) {
    // The bound needs only the weight and the document frequency: the postings of the features left out are never decoded.
    const kept = new Set(
      features
        .map((feature, i) => ({ i, bound: bm25f.bound(EMPTY_COUNTS, feature.weight, feature.docFreq) }))
        .sort((a, b) => b.bound - a.bound || a.i - b.i)
        .slice(0, MAX_FEATURES)
        .map((f) => f.i),
    );
    features = features.filter((_, i) => kept.has(i));
  }
  const decoded: Feature[] = [];
  for (const { hits, weight, flat, docFreq } of features) {
    // Past the deadline, the query ranks by the features it has (at least one).
    if (decoded.length > 0 && deadline?.passed()) break;
    decoded.push({ hits: hits(), weight, docFreq, ...(flat ? { flat } : {}) });
  }
  return decoded;
}

/** A feature whose postings are read only if it is kept (see queryFeatures); its document frequency is known before. */
interface PendingFeature {
  hits: () => FieldCounts | PartialCounts;
  weight: number;
  flat?: boolean;
  docFreq: number;
}

function allFeatures(parsed: ParsedQuery, matches: FeatureCounts, ranking: ResolvedRanking, deadline?: Deadline, among?: Uint32Array): PendingFeature[] {
  const { literalWeight, adjacencyWeight, searchWordWeight, bigramWeight, leadWeight } = ranking;
  const features: PendingFeature[] = [];
  const sequence: string[] = [];
  const seen = new Set<string>();
  const addWord = (word: string, weight: number): void => {
    if (seen.has(word) || weight === 0) return;
    seen.add(word);
    features.push({ hits: () => matches.word(word, among), weight, docFreq: matches.wordDocFreq(word) });
  };
  // A literal feature's document frequency takes the match itself: looked up now (a one-character text's documents alone, its counts read in part by the ranking).
  const literal = (text: string, field: FieldScope, weight: number): PendingFeature => {
    const part = matches.literalInPart?.(text, field);
    if (part) return { hits: () => part, weight, docFreq: part.docs.length };
    const hits = matches.literal(text, field);
    return { hits: () => hits, weight, docFreq: matches.literalDocFreq(text, field) };
  };
  for (const group of parsed.groups) {
    for (const term of group) {
      // Past the deadline, the query ranks by the features it has (at least the first term's).
      if (features.length > 0 && deadline?.passed()) return features;
      // The whole term, literally: this is what makes 方特 rank even where jieba cut it 方/特.
      features.push(literal(term.text, term.field, literalWeight));
      for (const word of term.words) {
        sequence.push(word);
        for (const piece of matches.wordOrPieces(word)) addWord(piece, 1);
      }
      for (const word of term.searchWords) addWord(word, searchWordWeight);
      // Synonyms and pinyin readings count too, for less.
      for (const alt of term.alternatives) {
        features.push(literal(alt.text, term.field, literalWeight * alt.weight));
        for (const word of alt.words) addWord(word, alt.weight);
      }
    }
  }
  // Consecutive query words side by side in the document (within and across terms).
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < sequence.length; i++) pairs.add(sequence[i] + sequence[i + 1]);
  for (const pair of pairs) {
    if (deadline?.passed()) return features;
    features.push(literal(pair, 'all', adjacencyWeight));
  }
  if (bigramWeight > 0 || leadWeight > 0) {
    for (const key of queryBigrams(parsed)) {
      if (deadline?.passed()) return features;
      const docFreq = matches.bigramDocFreq(key >>> 16, key & 0xffff);
      if (docFreq === 0) continue;
      // Both features of a bigram come from one decoding of its postings, done when the first of them is read.
      let counts: BigramCounts | undefined;
      const decoded = (): BigramCounts => (counts ??= matches.bigram(key >>> 16, key & 0xffff, among) ?? { counts: EMPTY_COUNTS, lead: EMPTY_COUNTS });
      if (bigramWeight > 0) features.push({ hits: () => decoded().counts, weight: bigramWeight, docFreq });
      if (leadWeight > 0) features.push({ hits: () => decoded().lead, weight: leadWeight, flat: true, docFreq });
    }
  }
  return features;
}
