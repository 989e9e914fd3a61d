import { Deadline } from './deadline';
import { BigramCounts, FeatureCounts, bigramCounts } from './features';
import { PartialCounts } from './topk';
import { FieldScope, matchLiteral, restrictToTitle } from './literal';
import { EMPTY_COUNTS, FieldCounts, PostingsReader } from '../index/postings';

/**
 * The word itself when it occurs (`wordDocFreq` > 0); for a word that occurs nowhere
 * (jieba's HMM makes up words like 范丞丞及 or 芳特 from unknown characters) what stands in
 * for it: its bigrams, or for two characters, each one.
 */
export function wordOrPieces(word: string, wordDocFreq: (word: string) => number): string[] {
  if (word.length < 2 || wordDocFreq(word) > 0) return [word];
  if (word.length === 2) return [...word];
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) bigrams.push(word.slice(i, i + 2));
  return bigrams;
}

/** Literal matches by `${field}:${text}` (see QueryMatches.literal). */
export type LiteralMatches = Map<string, FieldCounts>;

/**
 * What one query needs from the postings, each text looked up once per query: literal
 * occurrences of a text in a field, the documents holding a jieba word, and the documents
 * holding several words as words (where a literal match is word-aligned).
 */
export class QueryMatches implements FeatureCounts {
  /**
   * Each look-up in the postings is a checkpoint of `deadline` (an interrupted search stops
   * at the next one). `wholeBigrams` (as `first << 16 | second`): the bigrams whose postings
   * the search reads whole anyway (its bigram features), which literal matching then reads
   * whole too rather than first in part (see matchLiteral). `literals`: the literal matches
   * found so far, by field and text; a search's "did you mean" trials pass on their query's,
   * as they share all its terms but one (what a text matches depends on nothing else, and
   * the lists they hold stay valid until the outermost search returns: PostingsReader.during).
   */
  constructor(
    readonly reader: PostingsReader,
    private readonly deadline?: Deadline,
    private readonly wholeBigrams?: ReadonlySet<number>,
    readonly literals: LiteralMatches = new Map(),
  ) {}

  /**
   * Documents whose normalized field contains `text` literally, with counts per field. A
   * text of two units is one bigram: its every position is an occurrence, so its counts are
   * the bigram's own (bigramCounts: the same numbers matchLiteral would count, as no bigram
   * spans title and body), made once while the reader keeps its postings and shared with
   * the query's bigram feature, rather than counted anew on every query (消息 or 央视 are
   * in most of news-large's documents).
   */
  literal(text: string, field: FieldScope): FieldCounts {
    const key = `${field}:${text}`;
    let hits = this.literals.get(key);
    if (!hits) {
      this.deadline?.checkpoint();
      hits = text.length === 2 ? this.bigramLiteral(text, field) : matchLiteral(this.reader, text, field, undefined, this.wholeBigrams);
      this.literals.set(key, hits);
    }
    return hits;
  }

  /** matchLiteral of a text of two units, from the bigram's counts. */
  private bigramLiteral(text: string, field: FieldScope): FieldCounts {
    const hits = bigramCounts(this.reader, text.charCodeAt(0), text.charCodeAt(1))?.counts ?? EMPTY_COUNTS;
    return field === 'title' ? restrictToTitle(hits) : hits;
  }

  /**
   * The documents `literal` finds, reading no more than they need: a text of one unit in all
   * fields is its character's documents (PostingsReader.charDocs), their counts left unread
   * unless `literal` or literalInPart's ranking asks for them.
   */
  literalDocs(text: string, field: FieldScope): Uint32Array {
    const known = this.literals.get(`${field}:${text}`);
    if (known) return known.docs;
    if (text.length !== 1 || field !== 'all') return this.literal(text, field).docs;
    this.deadline?.checkpoint();
    return this.reader.charDocs(text.charCodeAt(0));
  }

  /** Number of documents `literal` finds. */
  literalDocFreq(text: string, field: FieldScope): number {
    return this.literalDocs(text, field).length;
  }

  /**
   * A one-unit text's literal matches in all fields as ranking reads them in part: its
   * documents, and its counts only for the documents ranking scores (PostingsReader.charAmong;
   * see topk.ts). Undefined for any other text, or once `literal` has its counts.
   */
  literalInPart(text: string, field: FieldScope): PartialCounts | undefined {
    if (text.length !== 1 || field !== 'all' || this.literals.has(`${field}:${text}`)) return undefined;
    const unit = text.charCodeAt(0);
    return { docs: this.literalDocs(text, field), among: (wanted) => this.reader.charAmong(unit, wanted), key: `c${unit}` };
  }

  /** A bigram's counts by field and in the body's lead (features.ts bigramCounts; with `among`, see FeatureCounts.word). */
  bigram(first: number, second: number, among?: Uint32Array): BigramCounts | undefined {
    return bigramCounts(this.reader, first, second, among);
  }

  /** Number of documents holding a bigram. */
  bigramDocFreq(first: number, second: number): number {
    return this.reader.bigramDocFreq(first, second);
  }

  /** Whether `text` occurs literally anywhere in `field`. */
  occurs(text: string, field: FieldScope): boolean {
    return this.literalDocs(text, field).length > 0;
  }

  /**
   * Documents holding a jieba word, with counts: its word postings, or, for a word the
   * index does not know as one (jieba cut the documents differently), its literal matches.
   * With `among` (see FeatureCounts.word), a common word's postings are read only in the
   * blocks that may hold those documents (PostingsReader.wordAmong).
   */
  word(word: string, among?: Uint32Array): FieldCounts {
    this.deadline?.checkpoint();
    // A view's document frequencies count live documents only: 0 exactly when the word's postings are empty.
    if (this.reader.wordDocFreq(word) === 0) return this.literal(word, 'all');
    return among ? this.reader.wordAmong(word, among) : this.reader.word(word);
  }

  /** Number of documents `word` finds (see `word`), from the index's counts when it knows the word as one. */
  wordDocFreq(word: string): number {
    const df = this.reader.wordDocFreq(word);
    return df > 0 ? df : this.literal(word, 'all').docs.length;
  }

  /** The word, or for a word that occurs nowhere what stands in for it (see wordOrPieces). */
  wordOrPieces(word: string): string[] {
    return wordOrPieces(word, (w) => this.wordDocFreq(w));
  }

  /**
   * The documents of `among` (ascending) in which every one of `words` stands as an indexed
   * word (not only as a substring of other words): where a literal match of their text falls
   * on word boundaries. Each word is looked up in the documents still left, rarest first
   * (PostingsReader.wordHolding: a long query's one or two literal matches need only the
   * blocks of its common words' lists that may hold them, not the lists whole). No words:
   * undefined (no constraint).
   */
  allAsWords(words: readonly string[], among: Uint32Array): Uint32Array | undefined {
    const distinct = [...new Set(words)];
    if (distinct.length === 0) return undefined;
    this.deadline?.checkpoint();
    const rarestFirst = distinct.map((word) => ({ word, df: this.reader.wordDocFreq(word) })).sort((a, b) => a.df - b.df);
    let docs = among;
    for (const { word } of rarestFirst) {
      if (docs.length === 0) break;
      docs = this.reader.wordHolding(word, docs);
    }
    return docs;
  }
}
