import { RowDataPacket } from 'mysql2/promise';
import { Analyzer } from '../../analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../../document';
import { BackendError } from '../../errors';
import { AnalyzedDocument, DocumentFrequencies, scoreCandidates } from '../../search/candidateMatches';
import { FieldScope } from '../../search/literal';
import { ParsedQuery } from '../../search/parser';
import { CollectionStatistics, DEFAULT_RANKING } from '../../search/ranking';
import { literalExpression } from './query';
import { bigramToken, wordToken } from './tokens';

/**
 * The head's re-rank of a cluster's best hits (Elasticsearch's dfs_query_then_fetch, done
 * on the head): the cluster ranks a level with Sphinx's expression ranker, the first hits
 * of that order (the window) come back with their stored documents, and jiansuo scores
 * them again with its own features (src/search/features.ts) and the statistics of the
 * whole cluster: document frequencies summed over the shards, the cluster's document
 * count and average field lengths. A hit's score then no longer depends on the shard it
 * landed on, and ranks as the embedded engine would rank it.
 */

/** Runs SphinxQL statements on the head, one round trip, and gives each one's rows. */
export type RunStatements = (statements: string[]) => Promise<RowDataPacket[][]>;

/** Most statements Sphinx runs in one multi-query ("bad multi-query count … must be in 1..32 range" beyond). */
export const MAX_MULTI_QUERY = 32;

/**
 * `statements` cut into multi-queries of at most MAX_MULTI_QUERY, in order, never parting
 * a statement from the SHOW META after it (which reports on the statement before it on
 * the same connection): a long query's literal counts can number more than 32.
 */
export function multiQueries(statements: readonly string[]): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  for (let i = 0; i < statements.length; ) {
    const size = statements[i + 1] === 'SHOW META' ? 2 : 1;
    if (batch.length + size > MAX_MULTI_QUERY) {
      batches.push(batch);
      batch = [];
    }
    batch.push(...statements.slice(i, i + size));
    i += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** A token no document holds (tokens.ts makes none of one letter): ANDed with the query's keywords, nothing matches, yet SHOW META lists every keyword's counts. */
const NO_TOKEN = 'x';

/** Most round trips for the statistics of one query: a word the cluster lacks needs its literal count and its pieces' counts, the pieces theirs. */
const MAX_ROUNDS = 4;

const literalKey = (text: string, field: FieldScope): string => `${field}:${text}`;

/**
 * Document frequencies known so far for one query, remembering what was asked and not
 * known: a text not yet fetched counts as held by one document, so that the features
 * ask next for what they would ask if it were there (its literal count and pieces only
 * once it is known to be missing).
 */
class ClusterFrequencies implements DocumentFrequencies {
  readonly words = new Map<string, number>();
  readonly literals = new Map<string, number>();
  readonly bigrams = new Map<number, number>();
  missing = { words: new Set<string>(), literals: new Map<string, [string, FieldScope]>(), bigrams: new Set<number>() };

  word(word: string): number {
    const df = this.words.get(word);
    if (df === undefined) this.missing.words.add(word);
    return df ?? 1;
  }

  literal(text: string, field: FieldScope): number {
    const key = literalKey(text, field);
    const df = this.literals.get(key);
    if (df === undefined) this.missing.literals.set(key, [text, field]);
    return df ?? 1;
  }

  bigram(first: number, second: number): number {
    const key = (first << 16) | second;
    const df = this.bigrams.get(key);
    if (df === undefined) this.missing.bigrams.add(key);
    return df ?? 1;
  }
}

/** The statement whose SHOW META lists the cluster's document count of each word and bigram token (summed over the shards by the head). */
function keywordStatement(index: string, words: string[], bigrams: number[]): string {
  const parts: string[] = [];
  if (words.length > 0) parts.push(`(@(tw,bw) (${words.map(wordToken).join(' | ')}))`);
  if (bigrams.length > 0) parts.push(`(@(tbg,bbg) (${bigrams.map((key) => bigramToken(key >>> 16, key & 0xffff)).join(' | ')}))`);
  return `SELECT id FROM ${index} WHERE MATCH('${NO_TOKEN} (${parts.join(' | ')})') LIMIT 1 OPTION ranker=none`;
}

/** How long the cluster's document count and field lengths are reused before they are counted again (writes through this backend renew them at once). */
export const COLLECTION_MAX_AGE_MS = 60_000;

/**
 * The cluster's document count and average field lengths (CollectionStatistics), counted
 * with one `SUM(tlen), SUM(blen), COUNT(*)` scan and reused for COLLECTION_MAX_AGE_MS: the
 * first stage's length normalization and the re-rank need them on every search, and they
 * move little between writes. Writes by other processes show after at most that long.
 */
export class ClusterCollection {
  private cached?: { at: number; statistics: Promise<CollectionStatistics> };

  constructor(
    private readonly index: string,
    private readonly run: RunStatements,
    private readonly maxAgeMs = COLLECTION_MAX_AGE_MS,
  ) {}

  get(): Promise<CollectionStatistics> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.maxAgeMs) {
      const statistics = this.count();
      this.cached = { at: now, statistics };
      // A failed count is not kept: the next search counts again.
      statistics.catch(() => {
        if (this.cached?.statistics === statistics) this.cached = undefined;
      });
    }
    return this.cached.statistics;
  }

  /** Forgets the counts (after a write), so that the next search counts again. */
  renew(): void {
    this.cached = undefined;
  }

  private async count(): Promise<CollectionStatistics> {
    const [rows] = await this.run([`SELECT COUNT(*) AS n, SUM(tlen) AS t, SUM(blen) AS b FROM ${this.index}`]).catch((error: unknown) => {
      if (error instanceof Error && /\b[tb]len\b/.test(error.message)) {
        throw new BackendError(`The cluster's shards hold no field lengths (tlen, blen: written before jiansuo re-ranked on the head): create the cluster again (scripts/sphinx-cluster.ts create) and index into it. ${error.message}`);
      }
      throw error;
    });
    const row = rows[0];
    const documentCount = Number(row?.n ?? 0);
    return { documentCount, avgTitleWords: Number(row?.t ?? 0) / Math.max(1, documentCount), avgBodyWords: Number(row?.b ?? 0) / Math.max(1, documentCount) };
  }
}

/**
 * The cluster-wide document frequencies a query's features need (see CandidateMatches):
 * its words' and bigrams' document counts from SHOW META after a statement that matches
 * nothing (dictionary look-ups only), each literal text's from a COUNT. Usually one round
 * trip; a word the cluster does not hold adds one or two (its literal count, its pieces).
 */
export async function clusterFrequencies(parsed: ParsedQuery, index: string, run: RunStatements): Promise<DocumentFrequencies> {
  const frequencies = new ClusterFrequencies();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    frequencies.missing = { words: new Set(), literals: new Map(), bigrams: new Set() };
    scoreCandidates(parsed, [], frequencies, { documentCount: 1, avgTitleWords: 1, avgBodyWords: 1 }, DEFAULT_RANKING);
    const { words, literals, bigrams } = frequencies.missing;
    if (words.size === 0 && literals.size === 0 && bigrams.size === 0) break;
    const statements: string[] = [];
    if (words.size > 0 || bigrams.size > 0) statements.push(keywordStatement(index, [...words], [...bigrams]), 'SHOW META');
    const counted = [...literals.values()];
    for (const [text, field] of counted) statements.push(`SELECT COUNT(*) AS c FROM ${index} WHERE MATCH('${literalExpression(text, field)}') OPTION ranker=none`);
    const results = await run(statements);
    let at = 0;
    if (words.size > 0 || bigrams.size > 0) {
      const meta = results[1];
      at = 2;
      const docs = new Map<string, number>();
      for (const row of meta) {
        const slot = /^keyword\[(\d+)\]$/.exec(String(row.Variable_name));
        if (slot) docs.set(String(row.Value), Number(meta.find((r) => r.Variable_name === `docs[${slot[1]}]`)?.Value ?? 0));
      }
      for (const word of words) frequencies.words.set(word, docs.get(wordToken(word)) ?? 0);
      for (const key of bigrams) frequencies.bigrams.set(key, docs.get(bigramToken(key >>> 16, key & 0xffff)) ?? 0);
    }
    for (const [text, field] of counted) frequencies.literals.set(literalKey(text, field), Number(results[at++][0]?.c ?? 0));
  }
  return frequencies;
}

/** How many analyzed documents the head keeps between searches: ten windows of 50 (some 25 KB each for a news article). */
export const ANALYZED_DOCUMENTS = 500;

/**
 * The stored documents of recent windows as the Analyzer gives them (as the shards were
 * written, rows.ts), least recently used dropped first: paging through a query, or asking
 * it again, re-ranks the same window without running jieba over it again. Keyed by the
 * stored value itself, so a replaced document is analyzed afresh.
 */
export class AnalyzedDocuments {
  private readonly cache = new Map<string, AnalyzedDocument>();

  constructor(
    private readonly analyzer: Analyzer,
    private readonly capacity = ANALYZED_DOCUMENTS,
  ) {}

  /** `document`, whose stored value is `stored`, analyzed. */
  get(stored: string, document: SearchDocument): AnalyzedDocument {
    let analyzed = this.cache.get(stored);
    if (analyzed) this.cache.delete(stored);
    else analyzed = { title: this.analyzer.analyzeField(titleText(document)), body: this.analyzer.analyzeField(bodyText(document)) };
    this.cache.set(stored, analyzed);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return analyzed;
  }

  /** How many are kept. */
  get size(): number {
    return this.cache.size;
  }
}

/**
 * The first `window` of `rows` (a level's hits in the cluster's order) in the order of
 * jiansuo's own scores with the cluster's statistics, each with that score; the rows past
 * the window keep the cluster's order and weight, so that paging past the window continues
 * where the window ends.
 */
export function rerankRows<Row extends { document: SearchDocument; stored: string; score: number }>(
  rows: Row[],
  window: number,
  parsed: ParsedQuery,
  analyzed: AnalyzedDocuments,
  statistics: { frequencies: DocumentFrequencies; collection: CollectionStatistics },
): Row[] {
  const head = rows.slice(0, window);
  const { order, scores } = scoreCandidates(
    parsed,
    head.map((row) => analyzed.get(row.stored, row.document)),
    statistics.frequencies,
    statistics.collection,
    DEFAULT_RANKING,
  );
  return [...order.map((i, rank) => ({ ...head[i], score: scores[rank] })), ...rows.slice(window)];
}
