import mysql, { Pool, RowDataPacket } from 'mysql2/promise';
import { setImmediate } from 'node:timers/promises';
import { Analyzer } from '../../analysis/analyzer';
import { SearchDocument, bodyText } from '../../document';
import { BackendError, UnsupportedQueryError, UpdateError } from '../../errors';
import { ParsedQuery, parseQuery } from '../../search/parser';
import { highlight, makeSnippet } from '../../search/snippet';
import { pageOf } from '../../search/paging';
import { isRanked } from '../../search/tiers';
import { DocumentView, FacetField, FacetValue, MatchMode, SearchHit, SearchOptions, SearchResult } from '../../search/types';
import { BackendInfo, SearchBackend } from '../types';
import { FacetRow, facetStatements, facetsFromRows } from './facets';
import { decodeDocument, documentValues } from './rows';
import { COLUMNS } from './schema';
import { ClusterRanking, DEFAULT_CLUSTER_RANKING, FieldLengths, SCORE_SCALE, allWordsMatch, clusterFilters, filterConditions, literalMatch, rankedBy, rankerOption, someWordsMatch } from './query';
import { AnalyzedDocuments, ClusterCollection, RunStatements, clusterFrequencies, multiQueries, rerankRows } from './rerank';
import { documentNumber, shardOf } from './tokens';
import { SphinxUrl, SqlAddress, parseSphinxUrl } from './url';

export interface SphinxOptions {
  /** Dictionaries, as for the embedded engine: documents and queries are analyzed by jiansuo's Analyzer with them. */
  userDict?: string;
  /** Longest accepted query in normalized characters. Default 256. */
  maxQueryLength?: number;
  /** Most time one statement may take before it fails (the head answers without a slow shard sooner, see cluster.ts). Default 10 s. */
  timeoutMs?: number;
  /** Answer with an error instead of a partial result when a shard is missing. Default false. */
  requireAllShards?: boolean;
  /** How the cluster ranks (query.ts). Default DEFAULT_CLUSTER_RANKING. */
  ranking?: ClusterRanking;
}

/** What `index`, `add` and `remove` report. */
export interface ClusterWriteSummary {
  written: number;
  removed: number;
  ms: number;
}

/** One page of a level's matches: the rows asked for (the cluster's weight as a score, or the re-rank's), how many match in all, and what the head said about missing shards. */
interface Page {
  rows: Array<{ document: SearchDocument; stored: string; score: number }>;
  total: number;
  warnings: string[];
}

/** Levels of a query answered from the cluster, in rank order: all hits of one come before the next's. */
interface Level {
  match: string;
  literal: boolean;
}

/**
 * A statement's inserts are sent once they pass this many bytes or documents. Small on
 * purpose: Sphinx 2.2's cost of one REPLACE grows faster than its row count (searchd spent
 * 3.6 ms of CPU a news-large document in statements of 200, 1.5 ms in statements of 10;
 * ARCHITECTURE.md "Scale-out"), and a shard's statement overlaps the analysis of the next.
 */
const BATCH_BYTES = 256 << 10;
const BATCH_DOCUMENTS = 10;
/** Statements a shard may have waiting before the writer waits for it. */
const QUEUED_STATEMENTS = 8;

/** Most time one write statement may take: a shard saving its full RAM chunk to disk holds inserts for seconds (over 10 s on a loaded machine). */
const WRITE_TIMEOUT_MS = 120_000;

/** Rank ties are broken by document number, so that pages never overlap. */
const ORDER = 'ORDER BY w DESC, id ASC';

const sqlError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function connectionProblem(address: SqlAddress, error: unknown): BackendError {
  const code = (error as { code?: string }).code;
  const why = code === 'ECONNREFUSED' ? 'nothing listens there' : code === 'ETIMEDOUT' ? 'it did not answer in time' : sqlError(error);
  return new BackendError(`Cannot reach the Sphinx searchd at ${address.host}:${address.port} (${why}): start the cluster (npx tsx scripts/sphinx-cluster.ts start DIR) or fix --backend.`);
}

/**
 * A Sphinx (2.2) or Manticore cluster as a search backend: searches go to the head's
 * distributed index, which fans them out to every shard; writes go to the shard a
 * document's id hashes to. Documents and queries are analyzed by jiansuo's Analyzer,
 * snippets and highlights cut by jiansuo's snippet code from the stored document.
 * Open with SphinxBackend.open, which checks the cluster first.
 */
export class SphinxBackend implements SearchBackend {
  private constructor(
    readonly url: SphinxUrl,
    private readonly head: Pool,
    readonly analyzer: Analyzer,
    private readonly options: SphinxOptions,
  ) {
    this.collection = new ClusterCollection(url.index, this.run);
    this.analyzed = new AnalyzedDocuments(analyzer);
  }

  /** The re-rank's analyzed documents, kept between searches (rerank.ts). */
  private readonly analyzed: AnalyzedDocuments;

  /** The cluster's document count and field lengths, reused between searches (rerank.ts). */
  private readonly collection: ClusterCollection;

  /**
   * Connects to the head named by `url` (see parseSphinxUrl) and checks that it holds the
   * index, and that the shards given for writing hold theirs. Rejects with BackendError,
   * saying what to fix, when the URL is malformed or a searchd does not answer or lacks its index.
   */
  static async open(url: string, options: SphinxOptions = {}): Promise<SphinxBackend> {
    const parsed = parseSphinxUrl(url);
    const head = SphinxBackend.pool(parsed.head, options);
    const backend = new SphinxBackend(parsed, head, new Analyzer({ userDict: options.userDict }), options);
    try {
      await backend.check();
    } catch (error) {
      await head.end();
      throw error;
    }
    return backend;
  }

  private static pool(address: SqlAddress, options: SphinxOptions): Pool {
    return mysql.createPool({
      host: address.host,
      port: address.port,
      connectionLimit: 8,
      connectTimeout: Math.min(options.timeoutMs ?? 10_000, 5000),
      supportBigNumbers: true,
      bigNumberStrings: true,
      multipleStatements: true,
    });
  }

  /** The shards named for writing: each must hold `<index>_<k>` for its place k in the URL, and they must be as many as the distributed index's agents. */
  private async check(): Promise<void> {
    const agents = await this.statement<RowDataPacket>(this.head, this.url.head, `DESCRIBE ${this.url.index}`).catch((error: unknown) => {
      if (error instanceof BackendError) throw error;
      throw new BackendError(`The Sphinx searchd at ${this.url.head.host}:${this.url.head.port} has no index "${this.url.index}" (${sqlError(error)}): check the index name in --backend.`);
    });
    const remote = agents.filter((row) => 'Agent' in row).length;
    if (this.url.shards.length > 0 && remote > 0 && this.url.shards.length !== remote) {
      throw new BackendError(`The distributed index ${this.url.index} has ${remote} shards but --backend names ${this.url.shards.length} (shards=…): name every shard in order.`);
    }
  }

  /** Runs SQL on a pool; a connection failure becomes a BackendError naming the address, a statement taking longer than `timeoutMs` (default: the search timeout) fails. */
  private async statement<T extends RowDataPacket>(pool: Pool, address: SqlAddress, sql: string, timeoutMs = this.options.timeoutMs ?? 10_000): Promise<T[]> {
    try {
      const [rows] = await pool.query<T[]>({ sql, timeout: timeoutMs });
      return rows;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || code === 'PROTOCOL_CONNECTION_LOST') throw connectionProblem(address, error);
      if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') throw new BackendError(`The Sphinx searchd at ${address.host}:${address.port} did not answer within ${timeoutMs} ms.`);
      // The head answers an error, not a partial result, when no shard answered at all.
      if (error instanceof Error && /^index [a-z0-9_]+: agent /.test(error.message)) throw new BackendError(`No shard answered: ${error.message.trim()}`);
      throw error;
    }
  }

  /** Runs statements on the head, in one round trip when Sphinx allows that many at once (see rerank.ts RunStatements, multiQueries). */
  private readonly run: RunStatements = async (statements) => {
    const results = await Promise.all(
      multiQueries(statements).map(async (batch) => {
        const rows = await this.statement<RowDataPacket>(this.head, this.url.head, batch.join('; '));
        return batch.length === 1 ? [rows] : (rows as unknown as RowDataPacket[][]);
      }),
    );
    return results.flat();
  };

  /** One page of a level: a SELECT and its SHOW META (same connection, one round trip). */
  private async page(level: Level, offset: number, count: number, options: SearchOptions, lengths: FieldLengths): Promise<Page> {
    const limit = Math.max(1, count);
    const sql =
      `SELECT id, doc, WEIGHT() AS w FROM ${this.url.index} WHERE MATCH('${level.match}')${filterConditions(options.filters)} ${ORDER} LIMIT ${offset}, ${limit}` +
      ` OPTION ${rankerOption(lengths, this.options.ranking)}, idf='plain,tfidf_unnormalized', max_matches=${Math.max(1000, offset + limit)}; SHOW META`;
    const [rows, meta] = (await this.statement<RowDataPacket>(this.head, this.url.head, sql)) as unknown as [RowDataPacket[], RowDataPacket[]];
    const value = (name: string): string | undefined => meta.find((row) => row.Variable_name === name)?.Value as string | undefined;
    const warnings = meta.filter((row) => row.Variable_name === 'warning').map((row) => String(row.Value));
    if (warnings.length > 0 && this.options.requireAllShards) throw new BackendError(`Not every shard answered: ${warnings.join('; ')}`);
    return {
      rows: count === 0 ? [] : rows.map((row) => ({ document: decodeDocument(String(row.doc)), stored: String(row.doc), score: Number(row.w) / SCORE_SCALE })),
      total: Number(value('total_found') ?? 0),
      warnings,
    };
  }

  private parse(query: string): ParsedQuery {
    return parseQuery(query, this.analyzer, { maxLength: this.options.maxQueryLength });
  }

  /**
   * Runs a query with the embedded engine's levels (see query.ts): a short query's literal
   * matches, else its words, else some of its words; a long one's literal matches, then
   * the documents holding its words. Copies are not folded (`folded` is 0), and there are no
   * synonyms, pinyin or "did you mean"; filters, sorting and the timeline only as far as
   * clusterFilters allows (UnsupportedQueryError beyond).
   */
  async search(query: string, given: SearchOptions = {}): Promise<SearchResult> {
    const started = process.hrtime.bigint();
    const { limit, offset } = pageOf(given);
    const parsed = this.parse(query);
    if (parsed.groups.length === 0) throw new UnsupportedQueryError('A Sphinx/Manticore cluster cannot list documents by filters alone yet: add a word to search for, or search an index directory (--index).', 'filter');
    const options: SearchOptions = { ...given, filters: clusterFilters(given, parsed.filters) };
    const literal = literalMatch(parsed);
    const ranked = isRanked(parsed, { minWordShare: 0.1, rankedMinChars: 10, rankedMinWords: 3 });
    const window = this.options.ranking?.rerankWindow ?? DEFAULT_CLUSTER_RANKING.rerankWindow;
    const collection = await this.collection.get();
    // The cluster-wide document frequencies of the re-rank are fetched beside the first level's page.
    const frequencies = window > 0 && limit > 0 ? clusterFrequencies(parsed, this.url.index, this.run) : undefined;
    frequencies?.catch(() => undefined);
    const level = async (match: string, isLiteral: boolean, from: number, count: number): Promise<Page> => {
      const leveled = { match: rankedBy(match, parsed), literal: isLiteral };
      if (!frequencies || count === 0 || from >= window) return this.page(leveled, from, count, options, collection);
      const page = await this.page(leveled, 0, Math.max(window, from + count), options, collection);
      return { ...page, rows: rerankRows(page.rows, window, parsed, this.analyzed, { frequencies: await frequencies, collection }).slice(from, from + count) };
    };
    const first = await level(literal, true, offset, limit);
    const pages: Array<{ page: Page; literal: boolean; match: string }> = [{ page: first, literal: true, match: literal }];
    let mode: MatchMode = ranked ? 'ranked' : 'exact';
    if (ranked) {
      const related = someWordsMatch(parsed, literal);
      const start = Math.max(0, offset - first.total);
      if (related) pages.push({ page: await level(related, false, start, limit - first.rows.length), literal: false, match: related });
    } else if (first.total === 0) {
      mode = 'all-words';
      const all = allWordsMatch(parsed);
      pages[0] = { page: await level(all, false, offset, limit), literal: false, match: all };
      const some = someWordsMatch(parsed);
      if (pages[0].page.total === 0 && some) {
        mode = 'some-words';
        pages[0] = { page: await level(some, false, offset, limit), literal: false, match: some };
      }
    }
    const facets = options.facets ? await this.facets(pages.map((p) => p.match), options) : undefined;
    const needles = { literal: this.needles(parsed, true), related: this.needles(parsed, false) };
    const hits = pages.flatMap(({ page, literal }) => page.rows.map((row) => this.hit(row, literal, literal ? needles.literal : needles.related, options.snippetLength ?? 120))).slice(0, limit);
    const warnings = [...new Set(pages.flatMap(({ page }) => page.warnings))];
    const total = pages.reduce((sum, { page }) => sum + page.total, 0);
    return {
      query,
      total,
      exact_total: mode === 'exact' || mode === 'ranked' ? first.total : 0,
      folded: 0,
      took_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
      match: mode,
      hits,
      ...(facets ? { facets } : {}),
      ...(warnings.length > 0 ? { partial: true, warnings } : {}),
    };
  }

  /** Value counts of the facet fields over the documents of the match levels answered (see facets.ts). */
  private async facets(matches: string[], options: SearchOptions): Promise<Record<FacetField, FacetValue[]>> {
    const statements = facetStatements(this.url.index, matches, options.filters);
    // Several statements (four fields at least) come back as a list of row lists.
    const rows = (await this.statement<RowDataPacket>(this.head, this.url.head, statements.join('; '))) as unknown as FacetRow[][];
    return facetsFromRows(rows, matches.length, options.facets ?? 0);
  }

  /** What to highlight: the terms' literal texts, and for a hit that does not hold them literally, their words too (as the embedded engine). */
  private needles(parsed: ParsedQuery, literal: boolean): string[] {
    const needles = new Set<string>();
    for (const term of parsed.groups.flat()) {
      needles.add(term.text);
      if (!literal && !term.phrase) for (const word of term.words) if (word.length > 1) needles.add(word);
    }
    return [...needles];
  }

  private hit(row: Page['rows'][number], literal: boolean, needles: string[], snippetLength: number): SearchHit {
    const doc = row.document;
    return {
      id: doc.id,
      title: doc.title,
      title_html: highlight(doc.title, needles),
      score: Math.round(row.score * 1e4) / 1e4,
      literal,
      snippet: snippetLength > 0 ? makeSnippet(bodyText(doc), needles, snippetLength) : '',
      kind: doc.kind,
      reporters: doc.reporters,
      source: doc.source,
      ...(doc.subtitle ? { subtitle: doc.subtitle } : {}),
      correspondents: doc.correspondents,
      ...(doc.date ? { date: doc.date } : {}),
      ...(doc.fields ? { fields: doc.fields } : {}),
    };
  }

  async getDocument(id: string): Promise<SearchDocument | undefined> {
    const rows = await this.statement<RowDataPacket>(this.head, this.url.head, `SELECT doc FROM ${this.url.index} WHERE id = ${documentNumber(id)}`);
    const doc = rows.length > 0 ? decodeDocument(String(rows[0].doc)) : undefined;
    return doc?.id === id ? doc : undefined;
  }

  async documentView(id: string, query?: string): Promise<DocumentView | undefined> {
    const document = await this.getDocument(id);
    if (!document) return undefined;
    let needles: string[] = [];
    if (query !== undefined && query.trim().length > 0) {
      const parsed = this.parse(query);
      // Filters alone highlight nothing.
      const literal = parsed.groups.length === 0 ? [] : await this.statement<RowDataPacket>(this.head, this.url.head, `SELECT id FROM ${this.url.index} WHERE MATCH('${literalMatch(parsed)}') AND id = ${documentNumber(id)}`);
      needles = this.needles(parsed, literal.length > 0);
    }
    return {
      document,
      title_html: highlight(document.title, needles),
      ...(document.subtitle ? { subtitle_html: highlight(document.subtitle, needles) } : {}),
      paragraphs_html: document.paragraphs.map((p) => highlight(p, needles)),
      duplicates: [],
      related: [],
    };
  }

  async info(): Promise<BackendInfo> {
    const rows = await this.statement<RowDataPacket>(this.head, this.url.head, `SELECT COUNT(*) AS c FROM ${this.url.index}`);
    return { documents: Number(rows[0]?.c ?? 0), formatVersion: 1 };
  }

  /** Connections to every shard named for writing, in shard order; BackendError when none are named or one lacks its index. */
  private async shardPools(): Promise<Pool[]> {
    if (this.url.shards.length === 0) throw new BackendError(`Writing to the cluster needs its shards' addresses in --backend: ${this.url.index}?shards=host:port,… (scripts/sphinx-cluster.ts url DIR prints it).`);
    const pools = this.url.shards.map((address) => SphinxBackend.pool(address, this.options));
    try {
      for (let k = 0; k < pools.length; k++) {
        const tables = await this.statement<RowDataPacket>(pools[k], this.url.shards[k], 'SHOW TABLES');
        if (!tables.some((row) => row.Index === this.shardIndex(k))) {
          throw new BackendError(`The shard at ${this.url.shards[k].host}:${this.url.shards[k].port} has no index ${this.shardIndex(k)}: list the shards in --backend in the order of the distributed index's agents.`);
        }
      }
    } catch (error) {
      await Promise.all(pools.map((pool) => pool.end()));
      throw error;
    }
    return pools;
  }

  private shardIndex(k: number): string {
    return `${this.url.index}_${k}`;
  }

  /**
   * Writes documents to their shards (by a hash of the id; one with an id already there
   * replaces it), in batches, calling `onWritten` with the running count. With
   * `rebuild`, afterwards removes every document the cluster held before that was not
   * written now: during a rebuild searches see every document, old or new version, and
   * documents gone from the sources disappear at its end.
   */
  async write(documents: Iterable<SearchDocument>, options: { rebuild?: boolean; onWritten?: (done: number) => void } = {}): Promise<ClusterWriteSummary> {
    const started = performance.now();
    const pools = await this.shardPools();
    const generation = Date.now();
    const batches: string[][] = pools.map(() => []);
    const sizes = pools.map(() => 0);
    let written = 0;
    let removed = 0;
    // Each shard's statements go one after another on one connection (so a later version of
    // a document lands last), up to QUEUED_STATEMENTS ahead of what it has done, while the
    // next documents are analyzed here: analysis and every shard's inserts work side by side.
    const tails: Array<Promise<void>> = pools.map(() => Promise.resolve());
    const queued: Array<Array<Promise<void>>> = pools.map(() => []);
    let failure: { error: unknown } | undefined;
    const rethrow = (): void => {
      if (failure) throw failure.error;
    };
    const flush = async (k: number): Promise<void> => {
      rethrow();
      if (batches[k].length === 0) return;
      const sql = `REPLACE INTO ${this.shardIndex(k)} (${COLUMNS.join(', ')}) VALUES ${batches[k].join(', ')}`;
      const count = batches[k].length;
      batches[k] = [];
      sizes[k] = 0;
      const send = async (): Promise<void> => {
        if (failure) return;
        await this.statement(pools[k], this.url.shards[k], sql, WRITE_TIMEOUT_MS);
        sent += count;
        options.onWritten?.(sent);
      };
      tails[k] = tails[k].then(send).catch((error: unknown) => {
        failure ??= { error };
      });
      queued[k].push(tails[k]);
      if (queued[k].length > QUEUED_STATEMENTS) await queued[k].shift();
      // Analysis runs without a pause otherwise: let replies be read and the next statements sent.
      await setImmediate();
      rethrow();
    };
    let sent = 0;
    try {
      for (const doc of documents) {
        const k = shardOf(doc.id, pools.length);
        const values = `(${documentValues(doc, this.analyzer, generation)})`;
        batches[k].push(values);
        sizes[k] += values.length;
        written++;
        if (sizes[k] >= BATCH_BYTES || batches[k].length >= BATCH_DOCUMENTS) await flush(k);
      }
      for (let k = 0; k < pools.length; k++) await flush(k);
      await Promise.all(tails);
      rethrow();
      if (options.rebuild) for (let k = 0; k < pools.length; k++) removed += await this.sweep(pools[k], k, generation);
    } finally {
      // After a failure, statements already sent are waited for (the rest are skipped) before the connections close.
      await Promise.all(tails);
      await Promise.all(pools.map((pool) => pool.end()));
      this.collection.renew();
    }
    return { written, removed, ms: Math.round(performance.now() - started) };
  }

  /** Deletes the rows of shard k written before `generation`, a thousand at a time; returns how many. */
  private async sweep(pool: Pool, k: number, generation: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const rows = await this.statement<RowDataPacket>(pool, this.url.shards[k], `SELECT id FROM ${this.shardIndex(k)} WHERE gen < ${generation} LIMIT 1000`, WRITE_TIMEOUT_MS);
      if (rows.length === 0) return removed;
      await this.statement(pool, this.url.shards[k], `DELETE FROM ${this.shardIndex(k)} WHERE id IN (${rows.map((row) => String(row.id)).join(',')})`, WRITE_TIMEOUT_MS);
      removed += rows.length;
    }
  }

  /** Removes documents by id: all of them, or none (UpdateError listing the unknown ids) when the cluster lacks some. */
  async remove(ids: string[]): Promise<ClusterWriteSummary> {
    const started = performance.now();
    const missing: string[] = [];
    for (const id of ids) if (!(await this.getDocument(id))) missing.push(id);
    if (missing.length > 0) throw new UpdateError(`The cluster holds no document with the id${missing.length > 1 ? 's' : ''} ${missing.map((id) => `"${id}"`).join(', ')}; nothing was removed.`, missing);
    const pools = await this.shardPools();
    try {
      for (let k = 0; k < pools.length; k++) {
        const numbers = ids.filter((id) => shardOf(id, pools.length) === k).map(documentNumber);
        if (numbers.length > 0) await this.statement(pools[k], this.url.shards[k], `DELETE FROM ${this.shardIndex(k)} WHERE id IN (${numbers.join(',')})`, WRITE_TIMEOUT_MS);
      }
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      this.collection.renew();
    }
    return { written: 0, removed: ids.length, ms: Math.round(performance.now() - started) };
  }

  async close(): Promise<void> {
    await this.head.end();
  }
}
