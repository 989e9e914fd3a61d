import { AnalyzedField } from '../analysis/analyzer';
import { EMPTY_COUNTS, FieldCounts } from '../index/postings';
import { BigramCounts, FeatureCounts, LEAD_UNITS, queryFeatures } from './features';
import { FieldScope } from './literal';
import { wordOrPieces } from './matches';
import { ParsedQuery } from './parser';
import { Bm25f, CollectionStatistics, ResolvedRanking } from './ranking';
import { rankTopK } from './topk';

/** A document's title field and body as the Analyzer gives them (what the index would hold of it). */
export interface AnalyzedDocument {
  title: AnalyzedField;
  body: AnalyzedField;
}

/**
 * How many documents of a whole collection hold a text, in the sense of the index's
 * postings: a jieba word as a word, a text literally (in the title, or anywhere), a
 * character bigram.
 */
export interface DocumentFrequencies {
  word(word: string): number;
  literal(text: string, field: FieldScope): number;
  bigram(first: number, second: number): number;
}

/** Occurrences of `needle` in `text`, overlapping ones too (哈哈 occurs twice in 哈哈哈), as literal matching counts them. */
function occurrences(text: string, needle: string, end = text.length): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0 && at < end; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

/**
 * The features' counts (features.ts FeatureCounts) over a few documents analyzed apart
 * from any index, numbered 0, 1, … in the order given, with the document frequencies of
 * the collection they belong to: a cluster's best hits re-ranked on its head score as
 * they would in an index of the whole collection. Counts are those the postings would
 * hold: literal occurrences in the normalized text, words among the analyzed words.
 */
export class CandidateMatches implements FeatureCounts {
  private readonly words: Array<{ title: Map<string, number>; body: Map<string, number> }>;

  constructor(
    private readonly documents: readonly AnalyzedDocument[],
    private readonly frequencies: DocumentFrequencies,
  ) {
    const tally = (words: string[]): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
      return counts;
    };
    this.words = documents.map((doc) => ({ title: tally(doc.title.words), body: tally(doc.body.words) }));
  }

  /** Per-document counts from a count of each field, keeping the documents with any. */
  private counts(count: (doc: number) => [number, number]): FieldCounts {
    const docs: number[] = [];
    const title: number[] = [];
    const body: number[] = [];
    for (let d = 0; d < this.documents.length; d++) {
      const [t, b] = count(d);
      if (t === 0 && b === 0) continue;
      docs.push(d);
      title.push(t);
      body.push(b);
    }
    return docs.length === 0 ? EMPTY_COUNTS : { docs: Uint32Array.from(docs), title: Uint32Array.from(title), body: Uint32Array.from(body) };
  }

  literal(text: string, field: FieldScope): FieldCounts {
    if (text.length === 0) return EMPTY_COUNTS;
    return this.counts((d) => {
      const { title, body } = this.documents[d];
      return [occurrences(title.normalized, text), field === 'title' ? 0 : occurrences(body.normalized, text)];
    });
  }

  literalDocFreq(text: string, field: FieldScope): number {
    return this.frequencies.literal(text, field);
  }

  /** Where the collection knows `word` as a word, its occurrences among the words; else its literal ones (as QueryMatches.word). */
  word(word: string): FieldCounts {
    if (this.frequencies.word(word) === 0) return this.literal(word, 'all');
    return this.counts((d) => [this.words[d].title.get(word) ?? 0, this.words[d].body.get(word) ?? 0]);
  }

  wordDocFreq(word: string): number {
    const df = this.frequencies.word(word);
    return df > 0 ? df : this.frequencies.literal(word, 'all');
  }

  wordOrPieces(word: string): string[] {
    return wordOrPieces(word, (w) => this.wordDocFreq(w));
  }

  bigram(first: number, second: number): BigramCounts | undefined {
    const text = String.fromCharCode(first, second);
    const counts = this.literal(text, 'all');
    if (counts.docs.length === 0) return this.frequencies.bigram(first, second) > 0 ? { counts, lead: counts } : undefined;
    const lead = Uint32Array.from(counts.docs, (d) => occurrences(this.documents[d].body.normalized, text, LEAD_UNITS));
    return { counts, lead: { docs: counts.docs, title: new Uint32Array(counts.docs.length), body: lead } };
  }

  bigramDocFreq(first: number, second: number): number {
    return this.frequencies.bigram(first, second);
  }
}

/**
 * The scores of `documents` for a query as an index of their whole collection would
 * give them (the features of features.ts, BM25F with the collection's statistics), and
 * their order by score, best first (ties keep the order given).
 */
export function scoreCandidates(
  parsed: ParsedQuery,
  documents: readonly AnalyzedDocument[],
  frequencies: DocumentFrequencies,
  collection: CollectionStatistics,
  ranking: ResolvedRanking,
): { order: number[]; scores: number[] } {
  const lengths = {
    documentCount: documents.length,
    titleWords: Uint32Array.from(documents, (doc) => doc.title.words.length),
    bodyWords: Uint32Array.from(documents, (doc) => doc.body.words.length),
  };
  const bm25f = new Bm25f(lengths, ranking, collection);
  const features = queryFeatures(parsed, new CandidateMatches(documents, frequencies), bm25f);
  const all = Uint32Array.from(documents, (_, d) => d);
  const ranked = rankTopK(bm25f, features, all, documents.length, true);
  return { order: ranked.positions, scores: ranked.scores };
}
