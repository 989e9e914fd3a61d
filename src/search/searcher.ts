import { Analyzer } from '../analysis/analyzer';
import { SearchDocument, bodyText } from '../document';
import { DocMetaRow, IndexData } from '../index/data';
import { Deadline } from './deadline';
import { DocumentTable } from './documentTable';
import { DuplicateGroups, deeperAsk } from './duplicates';
import { MatchStrength, QueryExpander } from './expansion';
import { queryBigrams, queryFeatures } from './features';
import { keptBigrams } from './keptBigrams';
import { FieldScope, SKIP_FACTOR } from './literal';
import { union } from './docSets';
import { LiteralMatches, QueryMatches } from './matches';
import { pageOf } from './paging';
import { DEFAULT_MAX_QUERY_LENGTH, ParsedQuery, parseQuery } from './parser';
import { PinyinWord } from './pinyinIndex';
import { PostingsReader } from '../index/postings';
import { Bm25f, DEFAULT_RANKING, RankingOptions, ResolvedRanking } from './ranking';
import { RELATED_COUNT, distinctiveWords, relatedFrom, relatedQuery } from './related';
import { highlight, highlightTitles, makeSnippet } from './snippet';
import { SynonymMap } from './synonyms';
import { TierOptions, isRanked, selectTiers } from './tiers';
import { TitleEntry, TitleFinder } from './titles';
import { BlockPhase, Feature, rankTopK } from './topk';
import { QueryError } from '../errors';
import { DocumentView, DuplicateRef, RelatedRef, SORT_ORDERS, SearchHit, SearchOptions, SearchResult } from './types';

export interface SearcherOptions {
  ranking?: RankingOptions;
  /** Longest accepted query in normalized characters. Default 256. */
  maxQueryLength?: number;
  /** Share of the query's word IDF a document must hold to be relevant by words (ranked mode, and the last relaxation). Default 0.1 (chosen on the tune half of news-dev, README "Ranking quality"). */
  minWordShare?: number;
  /** A query is answered in ranked mode from this many normalized characters (spaces not counted) … Default 10. */
  rankedMinChars?: number;
  /** … and this many distinct jieba words. Default 3. */
  rankedMinWords?: number;
  /** Synonym groups applied to query terms (see synonyms.ts). Default none. */
  synonyms?: SynonymMap;
  /**
   * Score every matching document instead of skipping those that cannot reach the top k
   * (see topk.ts). Results are identical either way, only slower: for tests that check so.
   */
  exhaustiveScoring?: boolean;
  /**
   * Wall-clock milliseconds "did you mean" may spend on one request before it stops trying
   * near forms (its trial counts bound it first on an idle machine). Default 250. A loaded
   * machine may run out of it where an idle one would not, so tests that check a
   * suggestion raise it.
   */
  suggestionBudgetMs?: number;
  /**
   * Integers of decoded postings the searcher's cache holds at most (PostingsReader, which
   * also keeps spare memory of half as many bytes). Default 8,000,000 (32 MB). Results are
   * the same whatever it is; only how often lists are decoded again differs.
   */
  postingsCacheInts?: number;
}

/**
 * How long a search may work before it answers with what it has (`timed_out: true`),
 * unless SearchOptions.timeoutMs says otherwise. The heaviest query shapes a 256-character
 * query allows take 0.1–0.6 s on an idle news-dev index (README "Reliability and load"),
 * several times that on a loaded machine: only a pathological query on a large index
 * reaches this.
 */
export const DEFAULT_SEARCH_TIMEOUT_MS = 10_000;

/** Fewer hits than this, and the searcher looks for a near form of the query that finds more. */
const FEW_HITS = 3;
/** At most this many copies are listed with a hit (the count of folded documents is exact). */
const DUPLICATES_LISTED = 20;

/** Milliseconds since `started` (process.hrtime.bigint()), to two decimals. */
function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
}

/** What a search shares with its "did you mean" trials (each replaces one of its terms). */
interface TrialOf {
  /** Its literal matches (QueryMatches). */
  literals: LiteralMatches;
  /** Whether only the trial's literal matches count (the trials of a long query: see QueryExpander.suggest). */
  literalOnly: boolean;
}

/** A ranked candidate: document, score, and whether every term occurs in it literally. */
interface Ranked {
  doc: number;
  score: number;
  literal: boolean;
  duplicates: number[];
}

/**
 * Answers queries over one index: parse → expand (synonyms, pinyin) → candidate tiers
 * (literal matches first, see tiers.ts) → rank each tier with BM25F features (features.ts)
 * → fold copies of one article → top k → snippets.
 */
export class Searcher {
  private readonly reader: PostingsReader;
  private readonly documents: DocumentTable;
  private readonly expander: QueryExpander;
  private readonly bm25f: Bm25f;
  private readonly tierOptions: TierOptions;
  private readonly titleFinder: TitleFinder;

  constructor(readonly data: IndexData, readonly analyzer: Analyzer, private readonly options: SearcherOptions = {}) {
    this.reader = new PostingsReader(data, options.postingsCacheInts);
    this.documents = new DocumentTable(data);
    this.expander = new QueryExpander(data, analyzer, this.reader, options.synonyms, options.suggestionBudgetMs);
    this.titleFinder = new TitleFinder(this.reader, this.documents);
    const ranking: ResolvedRanking = { ...DEFAULT_RANKING };
    for (const [key, value] of Object.entries(options.ranking ?? {}) as Array<[keyof RankingOptions, number | undefined]>) {
      if (value !== undefined) ranking[key] = value;
    }
    this.bm25f = new Bm25f(data, ranking);
    this.tierOptions = {
      minWordShare: options.minWordShare ?? 0.1,
      rankedMinChars: options.rankedMinChars ?? 10,
      rankedMinWords: options.rankedMinWords ?? 3,
    };
  }

  /** Number of documents in the index. */
  get documentCount(): number {
    return this.data.documentCount;
  }

  /** The stored document with the given number. */
  document(doc: number): SearchDocument {
    return this.documents.document(doc);
  }

  /** The short fields of every document (parsed once, on first use). */
  meta(): DocMetaRow[] {
    return this.documents.meta();
  }

  /** The number of the document with this id, or undefined. */
  findId(id: string): number | undefined {
    return this.documents.findId(id);
  }

  /**
   * Builds now what folding copies would otherwise build on the first search (the groups of
   * copies, from the fingerprints of every document), and loads pinyin-pro. Pinyin,
   * initials and "did you mean" need nothing built: they read the lexicons the segments store.
   */
  warmUp(): void {
    this.expander.warmUp();
    this.duplicates();
  }

  /** What warmUp does, in slices between which the event loop turns; rejects, keeping nothing half-built, once `signal` aborts. */
  async warmUpInSlices(signal?: AbortSignal): Promise<void> {
    this.expander.warmUp();
    await this.documents.duplicatesInSlices(signal);
  }

  /** Words that typed pinyin spells: by full pinyin (fangte), else by initials (ft), most frequent first. */
  pinyinWords(text: string): PinyinWord[] {
    return this.reader.during(() => this.expander.pinyinWords(text));
  }

  /** Words whose pinyin starts with typed pinyin, plus those its initials spell (typeahead), most frequent first. */
  pinyinCompletions(text: string, limit: number): PinyinWord[] {
    return this.reader.during(() => this.expander.pinyinCompletions(text, limit));
  }

  /** Titles containing `key` (normalized, white space removed), in document order: typeahead (see titles.ts). */
  titlesContaining(key: string): TitleEntry[] {
    return this.reader.during(() => this.titleFinder.containing(key));
  }

  /** Parses a query with this searcher's limits (throws QueryError), analyzed by `analyzer` (default: the searcher's). */
  parse(query: string, analyzer: Analyzer = this.analyzer): ParsedQuery {
    return parseQuery(query, analyzer, { maxLength: this.options.maxQueryLength, fields: this.documents.fieldNames() });
  }

  /** The groups of copies of one article (see DocumentTable.duplicates). */
  private duplicates(): DuplicateGroups {
    return this.documents.duplicates();
  }

  /** The ids of every group of copies of one article in the index (see duplicates.ts). */
  copies(): string[][] {
    const meta = this.meta();
    return this.duplicates()
      .groups()
      .map((docs) => docs.map((doc) => meta[doc][0]));
  }

  /**
   * Runs a query. Throws QueryError for a query that cannot be run. Past `deadline`
   * (default: options.timeoutMs from now) the search stops extending its answer: no more
   * ranking features, tiers of documents related only by words, or "did you mean"
   * trials; the literal tiers are always complete and ranked above the rest, and `total`
   * and `exact_total` stay exact.
   */
  search(query: string, options: SearchOptions = {}, deadline = Deadline.cutting(options.timeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS)): SearchResult {
    // The postings it reads are the search's until it returns (PostingsReader.during): none is kept past it.
    return this.reader.during(() => this.answer(query, options, deadline));
  }

  /** `trialOf`: what the search this one is a "did you mean" trial of shares with it. */
  private answer(query: string, options: SearchOptions, deadline: Deadline, trialOf?: TrialOf): SearchResult {
    const started = process.hrtime.bigint();
    const { limit, offset } = pageOf(options);
    const parsed = this.parse(query);
    // A short query's literal matching reads each of its bigrams whole (its literals of word pairs and its bigram features share them),
    // a long one's those its bigram features keep past MAX_FEATURES.
    const { bigramWeight, leadWeight } = this.bm25f.options;
    const ranksByBigrams = limit > 0 && (bigramWeight > 0 || leadWeight > 0);
    const wholeBigrams = !ranksByBigrams ? undefined : isRanked(parsed, this.tierOptions) ? keptBigrams(parsed, this.reader, this.bm25f) : queryBigrams(parsed);
    const matches = new QueryMatches(this.reader, deadline, wholeBigrams, trialOf?.literals);
    const expansions = this.expander.expand(parsed, (text, field) => matches.occurs(text, field));
    const selected = selectTiers(parsed, matches, this.data.documentCount, this.tierOptions, trialOf?.literalOnly);
    const filters = this.documents.filterSet([...(options.filters ?? []), ...parsed.filters]);
    const tiers = filters.empty ? selected.tiers : selected.tiers.map((tier) => this.documents.filter(tier, filters));
    const collapse = options.collapse ?? true;
    const groups = collapse ? this.duplicates() : undefined;
    const counted = this.count(tiers, selected.literalTiers, groups);
    const asked = options.sort ?? 'relevance';
    if (!SORT_ORDERS.includes(asked)) throw new QueryError(`sort must be one of ${SORT_ORDERS.join(', ')}`, 'bad_sort');
    // Filters alone leave nothing to rank by relevance: what they select is listed newest first.
    const sort = asked === 'relevance' && parsed.groups.length === 0 ? 'newest' : asked;
    // Nothing to rank when no hit is asked for (suggestions and document views ask for counts only).
    const features = limit === 0 || counted.total === 0 ? [] : queryFeatures(parsed, matches, this.bm25f, deadline, this.rankedAmong(tiers));
    const ranked =
      limit === 0 || counted.total === 0
        ? []
        : sort === 'relevance'
          ? this.rank(tiers, selected.literalTiers, features, offset + limit, deadline, groups)
          : this.rankByDate(tiers, selected.literalTiers, features, offset + limit, sort === 'newest', groups);
    // What to highlight depends only on whether a hit matches literally: worked out once per query.
    const needles = { literal: this.needles(parsed, true), related: this.needles(parsed, false) };
    const hits = ranked.slice(offset).map((r) => {
      deadline.checkpoint();
      return this.hit(r, r.literal ? needles.literal : needles.related, options.snippetLength ?? 120);
    });
    let suggestion: string | undefined;
    if (!options.noSuggestion && parsed.groups.length > 0 && (counted.total < FEW_HITS || counted.exact === 0) && !deadline.passed()) {
      // A long query's replacement must match literally, with a term more frequent than the one it replaces (QueryExpander.suggest).
      const long = selected.mode === 'ranked';
      const shared: TrialOf = { literals: matches.literals, literalOnly: long };
      const measure = (replaced: string): MatchStrength => {
        // Inside this search (PostingsReader.during), sharing its literal matches: a trial replaces one of its terms.
        const result = this.answer(replaced, { limit: 0, filters: options.filters, noSuggestion: true, collapse: false }, deadline, shared);
        return { match: result.match, exact: result.exact_total, total: result.total };
      };
      const frequency = long ? (text: string, field: FieldScope): number => matches.literalDocFreq(text, field) : undefined;
      suggestion = this.expander.suggest(query, parsed, { match: selected.mode, exact: counted.exact, total: counted.total }, measure, () => deadline.passed(), frequency);
    }
    if (options.correct && counted.total === 0 && suggestion !== undefined && !deadline.passed()) {
      const corrected = this.search(suggestion, { ...options, correct: false, noSuggestion: true }, deadline);
      if (corrected.total > 0) return { ...corrected, corrected_from: query, took_ms: elapsedMs(started) };
    }
    const counts =
      options.facets || options.timeline
        ? this.documents.counts(selected.tiers, filters, { fields: options.facetFields ?? this.documents.defaultFacets(), top: options.facets ?? 0, timeline: options.timeline ?? false })
        : {};
    return {
      query,
      total: counted.total,
      exact_total: counted.exact,
      folded: counted.folded,
      took_ms: elapsedMs(started),
      match: selected.mode,
      hits,
      ...counts,
      ...(expansions.length > 0 ? { expansions } : {}),
      ...(suggestion !== undefined ? { suggestion } : {}),
      ...(deadline.cut ? { timed_out: true } : {}),
    };
  }

  /**
   * Every document the query may rank (the tiers' union, ascending) when they are few enough
   * that a common feature's list might be read only where they stand (SKIP_FACTOR times
   * fewer than the documents): the features then need hold only these (queryFeatures).
   * Undefined otherwise.
   */
  private rankedAmong(tiers: Uint32Array[]): Uint32Array | undefined {
    let size = 0;
    for (const tier of tiers) size += tier.length;
    if (size * SKIP_FACTOR >= this.data.documentCount) return undefined;
    return tiers.reduce((all, tier) => union(all, tier), new Uint32Array(0));
  }

  /** Matching documents (copies of one article once), literal ones, and copies folded away. */
  private count(tiers: Uint32Array[], literalTiers: number, groups?: DuplicateGroups): { total: number; exact: number; folded: number } {
    let all = 0;
    let exact = 0;
    for (let t = 0; t < tiers.length; t++) {
      all += tiers[t].length;
      if (t < literalTiers) exact += tiers[t].length;
    }
    if (!groups || !groups.any) return { total: all, exact, folded: 0 };
    const literal = groups.distinct(tiers.slice(0, literalTiers));
    const total = literal + groups.distinctBeyond(tiers.slice(literalTiers), tiers.slice(0, literalTiers));
    return { total, exact: literal, folded: all - total };
  }

  /**
   * The best `k` hits, tier after tier (every document of a tier ranks above the next
   * tier's), each tier by its features' score. A copy of an article already ranked takes
   * no place of its own: it is listed with that hit, as are its copies further down.
   * Once `deadline` has passed, no tier of documents related only by words is ranked
   * (unless nothing ranked before it); the literal tiers always are.
   */
  private rank(tiers: Uint32Array[], literalTiers: number, features: Feature[], k: number, deadline: Deadline, groups?: DuplicateGroups): Ranked[] {
    const ranked: Ranked[] = [];
    const taken = new Set<number>();
    // The block ceilings of the features, worked out once for every tier and ask (and a tier's sample for each ask of it).
    const phase = new BlockPhase();
    for (let t = 0; t < tiers.length && ranked.length < k; t++) {
      if (t >= literalTiers && ranked.length > 0 && deadline.passed()) break;
      // Copies fold, so the tier's best `want` may yield fewer hits than missing: then ask for more (deeperAsk).
      const missing = k - ranked.length;
      for (let want = missing; ; ) {
        const best = rankTopK(this.bm25f, features, tiers[t], want, this.options.exhaustiveScoring, deadline, phase);
        const fresh: Ranked[] = [];
        const groupsHere = new Set<number>();
        for (let i = 0; i < best.positions.length && ranked.length + fresh.length < k; i++) {
          const doc = tiers[t][best.positions[i]];
          const group = groups?.groupOf(doc);
          if (group !== undefined) {
            if (taken.has(group) || groupsHere.has(group)) continue;
            groupsHere.add(group);
          }
          fresh.push({ doc, score: best.scores[i], literal: t < literalTiers, duplicates: [] });
        }
        if (ranked.length + fresh.length >= k || best.positions.length < want) {
          ranked.push(...fresh);
          for (const group of groupsHere) taken.add(group);
          break;
        }
        want = deeperAsk(want, fresh.length, missing);
      }
    }
    if (groups?.any) for (const r of ranked) r.duplicates = groups.membersOf(r.doc, tiers).filter((d) => d !== r.doc);
    return ranked;
  }

  /**
   * The first `k` matches by date, newest or oldest first, documents without a date last in
   * either order; on the same day (or both undated) literal matches come before the others,
   * then the order of the index. Copies fold into the first of them (as in rank); each hit is
   * scored by the query's features all the same, for its `score`.
   */
  private rankByDate(tiers: Uint32Array[], literalTiers: number, features: Feature[], k: number, newest: boolean, groups?: DuplicateGroups): Ranked[] {
    const meta = this.meta();
    const docs: number[] = [];
    const tierOf = new Map<number, number>();
    tiers.forEach((tier, t) => {
      for (const doc of tier) {
        docs.push(doc);
        tierOf.set(doc, t);
      }
    });
    const direction = newest ? -1 : 1;
    docs.sort((a, b) => {
      const [da, db] = [meta[a][6], meta[b][6]];
      if (da !== db) {
        if (da === null) return 1;
        if (db === null) return -1;
        return (da < db ? -1 : 1) * direction;
      }
      return tierOf.get(a)! - tierOf.get(b)! || a - b;
    });
    const chosen: number[] = [];
    const taken = new Set<number>();
    for (const doc of docs) {
      if (chosen.length >= k) break;
      const group = groups?.groupOf(doc);
      if (group !== undefined) {
        if (taken.has(group)) continue;
        taken.add(group);
      }
      chosen.push(doc);
    }
    const ascending = Uint32Array.from(chosen).sort();
    const best = rankTopK(this.bm25f, features, ascending, ascending.length, true);
    const scores = new Map<number, number>();
    best.positions.forEach((position, i) => scores.set(ascending[position], best.scores[i]));
    return chosen.map((doc) => ({
      doc,
      score: scores.get(doc) ?? 0,
      literal: tierOf.get(doc)! < literalTiers,
      duplicates: groups?.any ? groups.membersOf(doc, tiers).filter((d) => d !== doc) : [],
    }));
  }

  /** What to highlight: the terms' literal texts, and for a hit that does not hold them literally, their words too. */
  private needles(parsed: ParsedQuery, literal: boolean): string[] {
    const needles = new Set<string>();
    for (const group of parsed.groups) {
      for (const term of group) {
        needles.add(term.text);
        for (const alt of term.alternatives) needles.add(alt.text);
        if (!literal && !term.phrase) for (const word of term.words) if (word.length > 1) needles.add(word);
      }
    }
    return [...needles];
  }

  /**
   * The document with `id`, every match of `query` (if given) highlighted the way its hit
   * would be: the literal terms where it holds them all, their words too where it does not.
   * Finding which those are is a checkpoint of `deadline`, if given (see deadline.ts).
   */
  documentView(id: string, query?: string, deadline?: Deadline): DocumentView | undefined {
    return this.reader.during(() => this.view(id, query, deadline));
  }

  private view(id: string, query?: string, deadline?: Deadline): DocumentView | undefined {
    const doc = this.findId(id);
    if (doc === undefined) return undefined;
    const document = this.document(doc);
    let needles: string[] = [];
    if (query !== undefined && query.trim().length > 0) {
      const parsed = this.parse(query);
      const matches = new QueryMatches(this.reader, deadline);
      this.expander.expand(parsed, (text, field) => matches.occurs(text, field));
      const { tiers, literalTiers } = selectTiers(parsed, matches, this.data.documentCount, this.tierOptions);
      needles = this.needles(parsed, tiers.slice(0, literalTiers).some((tier) => tier.includes(doc)));
    }
    const copies = this.duplicates().membersOf(doc).filter((d) => d !== doc);
    return {
      document,
      ...highlightTitles(document.title, document.subtitle, needles),
      paragraphs_html: document.paragraphs.map((p) => highlight(p, needles)),
      duplicates: this.refs(copies),
      related: this.related(doc, document, copies, deadline),
    };
  }

  /**
   * The RELATED_COUNT articles most like document `doc` (相关报道): its distinctive words
   * (related.ts) run as one ranked query, copies folded, the article itself and its copies
   * left out. Empty when it has no word another document shares.
   */
  private related(doc: number, document: SearchDocument, copies: number[], deadline?: Deadline): RelatedRef[] {
    const query = relatedQuery(distinctiveWords(document, this.analyzer, this.data, copies.length), this.options.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH);
    if (query === '') return [];
    const meta = this.meta();
    const excluded = new Set([doc, ...copies].map((d) => meta[d][0]));
    const result = this.search(query, { limit: RELATED_COUNT + 1, snippetLength: 0, noSuggestion: true }, deadline);
    return relatedFrom(result.hits, excluded);
  }

  private refs(docs: number[]): DuplicateRef[] {
    const meta = this.meta();
    return docs.slice(0, DUPLICATES_LISTED).map((d) => ({ id: meta[d][0], title: meta[d][1] }));
  }

  /** A hit: from the document's metadata alone, and its stored text only when a snippet is asked for. */
  private hit(ranked: Ranked, needles: string[], snippetLength: number): SearchHit {
    const [id, title, kind, reporters, correspondents, source, date, subtitle, fields] = this.meta()[ranked.doc];
    return {
      id,
      title,
      ...highlightTitles(title, subtitle, needles),
      score: Math.round(ranked.score * 1e4) / 1e4,
      literal: ranked.literal,
      snippet: snippetLength > 0 ? makeSnippet(bodyText(this.document(ranked.doc)), needles, snippetLength) : '',
      kind,
      reporters: [...reporters],
      source,
      ...(subtitle ? { subtitle } : {}),
      correspondents: [...correspondents],
      ...(date ? { date } : {}),
      ...(fields ? { fields: { ...fields } } : {}),
      ...(ranked.duplicates.length > 0 ? { duplicates: this.refs(ranked.duplicates) } : {}),
    };
  }
}
