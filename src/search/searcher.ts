import { Analyzer } from '../analysis/analyzer';
import { SearchDocument, bodyText } from '../document';
import { QueryError } from '../errors';
import { DocMetaRow, IndexData } from '../index/data';
import { DocStoreReader } from '../index/docStore';
import { intersect, subtract, union } from './docSets';
import { FieldScope, literalDocFreqBound, matchLiteral } from './literal';
import { Alternative, ParsedQuery, QueryTerm, parseQuery } from './parser';
import { PinyinIndex, PinyinWord, pinyinKey } from './pinyinIndex';
import { Speller, VocabularyWord } from './spelling';
import { SynonymMap } from './synonyms';
import { FieldCounts, PostingsReader } from './postings';
import { Bm25f, DEFAULT_RANKING, RankingOptions } from './ranking';
import { Feature, rankTopK } from './topk';
import { highlight, makeSnippet } from './snippet';
import { inSlices } from '../slices';

/**
 * How literally the results match:
 * - `exact`: every term occurs literally (after normalization);
 * - `all-words`: nothing did, so each term's jieba words occur, anywhere in the field;
 * - `some-words`: not even that, so the results hold at least half of the query's words.
 */
export type MatchLevel = 'exact' | 'all-words' | 'some-words';

/** One result, as `jiansuo search --json` and `GET /api/search` return it. */
export interface SearchHit {
  id: string;
  title: string;
  /** The title, HTML-escaped, with the query's matches in <mark>. */
  title_html: string;
  /** BM25F score, rounded to 4 decimals. */
  score: number;
  /** About `snippetLength` characters of the body, HTML-escaped, matches in <mark>. */
  snippet: string;
  kind: SearchDocument['kind'];
  reporters: string[];
  /** The source file the document came from. */
  source: string;
  subtitle?: string;
  correspondents: string[];
  date?: string;
  /** Other fields of a JSON Lines record. */
  fields?: Record<string, unknown>;
}

/** Fields a search can be filtered by. */
export type FilterField = 'kind' | 'reporter' | 'correspondent' | 'source' | 'date';
/** Fields whose value counts come back as facets. */
export type FacetField = 'kind' | 'reporter' | 'source' | 'date';
export const FACET_FIELDS: readonly FacetField[] = ['kind', 'reporter', 'source', 'date'];

/** Keep only documents whose `field` has `value`. Filters on one field are ORed, on different fields ANDed. */
export interface SearchFilter {
  field: FilterField;
  value: string;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchResult {
  query: string;
  /** Number of matching documents (all pages), after filters. */
  total: number;
  took_ms: number;
  match: MatchLevel;
  hits: SearchHit[];
  /** Value counts over all matching documents (after filters), when asked for with `facets`. */
  facets?: Record<FacetField, FacetValue[]>;
  /** How query terms were widened: synonyms, and the words a pinyin term spells (which reading). */
  expansions?: Expansion[];
  /** A near form of the query that finds more ("did you mean"), when this one finds few or none. */
  suggestion?: string;
}

/** A query term and what else it was taken to mean. */
export interface Expansion {
  term: string;
  via: Alternative['via'];
  words: string[];
  /** For pinyin: the reading of each word, in order. */
  readings?: string[];
}

/** A whole document prepared for reading, with a query's matches highlighted. */
export interface DocumentView {
  document: SearchDocument;
  title_html: string;
  subtitle_html?: string;
  /** Each paragraph as ingested, HTML-escaped, matches in <mark>. */
  paragraphs_html: string[];
}

export interface SearchOptions {
  /** Hits to return. Default 10. */
  limit?: number;
  /** Hits to skip (for paging). Default 0. */
  offset?: number;
  /** Snippet length in characters; 0 for none. Default 120. */
  snippetLength?: number;
  /** Keep only documents matching these (see SearchFilter). Default none. */
  filters?: SearchFilter[];
  /** Return the top N values of each facet field with their counts; 0 for none. Default 0. */
  facets?: number;
  /** Skip looking for a "did you mean" suggestion. Default false. */
  noSuggestion?: boolean;
}

export interface SearcherOptions {
  ranking?: RankingOptions;
  /** Longest accepted query in normalized characters. Default 256. */
  maxQueryLength?: number;
  /** Share of the query's words a `some-words` result must contain (rounded up). Default 0.5. */
  minShouldMatch?: number;
  /** Synonym groups applied to query terms (see synonyms.ts). Default none. */
  synonyms?: SynonymMap;
  /**
   * Score every matching document instead of skipping those that cannot reach the top k
   * (see topk.ts). Results are identical either way, only slower: for tests that check so.
   */
  exhaustiveScoring?: boolean;
}

/** Weight of a match through a synonym, a full-pinyin reading, or initials, relative to the term itself. */
const SYNONYM_WEIGHT = 0.5;
const PINYIN_WEIGHT = 0.4;
const INITIALS_WEIGHT = 0.3;
/** At most this many words stand in for one pinyin term. */
const PINYIN_ALTERNATIVES = 3;
/** Fewer hits than this, and the searcher looks for a near form of the query that finds more. */
const FEW_HITS = 3;

/** The documents whose count is at least `min`, ascending. */
function docsCounted(counts: Uint16Array, min: number): Uint32Array {
  let n = 0;
  for (let d = 0; d < counts.length; d++) if (counts[d] >= min) n++;
  const docs = new Uint32Array(n);
  for (let d = 0, i = 0; d < counts.length; d++) if (counts[d] >= min) docs[i++] = d;
  return docs;
}

/** The matching documents of a query and how literally they match, before ranking. */
interface Candidates {
  docs: Uint32Array;
  level: MatchLevel;
}

/**
 * Answers queries over one index: parse → match (literal first, then relax) →
 * rank with BM25F plus a literal/adjacency bonus → top k → snippets.
 */
export class Searcher {
  private readonly reader: PostingsReader;
  private readonly documents: DocStoreReader;
  private readonly bm25f: Bm25f;
  private readonly decoder = new TextDecoder();
  private metaRows?: DocMetaRow[];
  private idToDoc?: Map<string, number>;
  private pinyin?: PinyinIndex;
  private speller?: Speller;

  constructor(readonly data: IndexData, readonly analyzer: Analyzer, private readonly options: SearcherOptions = {}) {
    this.reader = new PostingsReader(data);
    this.documents = new DocStoreReader(data.documents);
    const ranking = { ...DEFAULT_RANKING };
    for (const [key, value] of Object.entries(options.ranking ?? {}) as Array<[keyof RankingOptions, number | undefined]>) {
      if (value !== undefined) ranking[key] = value;
    }
    this.bm25f = new Bm25f(data, ranking);
  }

  /** Number of documents in the index. */
  get documentCount(): number {
    return this.data.documentCount;
  }

  /** The stored document with the given number. */
  document(doc: number): SearchDocument {
    return JSON.parse(this.decoder.decode(this.documents.get(doc))) as SearchDocument;
  }

  /** The short fields of every document (parsed once, on first use). */
  meta(): DocMetaRow[] {
    if (!this.metaRows) {
      const text = this.decoder.decode(this.data.metaBytes);
      this.metaRows = text.length === 0 ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as DocMetaRow);
    }
    return this.metaRows;
  }

  /** The number of the document with this id, or undefined. */
  findId(id: string): number | undefined {
    if (!this.idToDoc) {
      this.idToDoc = new Map();
      this.meta().forEach((row, n) => {
        if (!this.idToDoc!.has(row[0])) this.idToDoc!.set(row[0], n);
      });
    }
    return this.idToDoc.get(id);
  }

  /**
   * Index words worth knowing by pinyin or by a near spelling: Han words of 2–6
   * characters in at least a few documents (1 in a small index, 1 per 10,000 documents in a large one).
   */
  private vocabulary(): VocabularyWord[] {
    const minDf = Math.max(1, Math.ceil(this.data.documentCount / 10000));
    const { wordTerms, words } = this.data;
    const found: VocabularyWord[] = [];
    for (let i = 0; i < wordTerms.length; i++) {
      const word = wordTerms[i];
      if (words.df[i] >= minDf && word.length >= 2 && word.length <= 6 && /^\p{Script=Han}+$/u.test(word)) found.push({ word, df: words.df[i] });
    }
    return found;
  }

  /** The pinyin index over the vocabulary, built on first use (initials for title words and the 20,000 most frequent words). */
  pinyinIndex(): PinyinIndex {
    if (!this.pinyin) {
      const { vocabulary, initialsFor } = this.pinyinWordsToIndex();
      for (const title of this.meta()) this.addTitleInitials(title[1], initialsFor);
      this.pinyin = PinyinIndex.build(vocabulary, initialsFor);
    }
    return this.pinyin;
  }

  /** The vocabulary for the pinyin index, and the words typed by initials so far (the most frequent; title words are added). */
  private pinyinWordsToIndex(): { vocabulary: VocabularyWord[]; initialsFor: Set<string> } {
    const vocabulary = this.vocabulary();
    const initialsFor = new Set(
      [...vocabulary]
        .sort((a, b) => b.df - a.df)
        .slice(0, 20000)
        .map((w) => w.word),
    );
    return { vocabulary, initialsFor };
  }

  private addTitleInitials(title: string, initialsFor: Set<string>): void {
    for (const word of this.analyzer.queryWords(this.analyzer.normalize(title))) initialsFor.add(word);
  }

  /** Builds now what pinyin queries and "did you mean" would otherwise build on first use (1–2 s on a large index). */
  warmUp(): void {
    this.speller ??= new Speller(this.vocabulary(), this.pinyinIndex());
  }

  /**
   * What warmUp does, in slices between which the event loop turns, so that a server
   * answers queries while it runs (a pinyin query arriving meanwhile builds what it needs itself).
   * When `signal` aborts it stops between slices and rejects, keeping nothing half-built.
   */
  async warmUpInSlices(signal?: AbortSignal): Promise<void> {
    if (!this.pinyin) {
      const { vocabulary, initialsFor } = this.pinyinWordsToIndex();
      await inSlices(this.meta(), (row) => this.addTitleInitials(row[1], initialsFor), { signal });
      const index = new PinyinIndex();
      await inSlices(vocabulary, (word) => index.add(word, initialsFor.has(word.word)), { signal });
      this.pinyin ??= index.seal();
    }
    if (!this.speller) {
      const speller = new Speller([], this.pinyin);
      await inSlices(this.vocabulary(), (word) => speller.add(word), { signal });
      this.speller ??= speller;
    }
  }

  /** Words that typed pinyin spells: by full pinyin (fangte), else by initials (ft), most frequent first. */
  pinyinWords(text: string): PinyinWord[] {
    const key = pinyinKey(text);
    if (key === undefined) return [];
    const full = this.pinyinIndex().byPinyin(key);
    return full.length > 0 ? full : key.length >= 2 && key.length <= 4 ? this.pinyinIndex().byInitials(key) : [];
  }

  /** Words whose pinyin starts with typed pinyin, plus those its initials spell (typeahead), most frequent first. */
  pinyinCompletions(text: string, limit: number): PinyinWord[] {
    const key = pinyinKey(text);
    if (key === undefined) return [];
    const index = this.pinyinIndex();
    const seen = new Set<string>();
    return [...index.byPinyinPrefix(key, limit), ...(key.length <= 4 ? index.byInitials(key) : [])]
      .filter((w) => !seen.has(w.word) && seen.add(w.word))
      .slice(0, limit);
  }

  /** Parses a query with this searcher's limits (throws QueryError). */
  parse(query: string): ParsedQuery {
    return parseQuery(query, this.analyzer, { maxLength: this.options.maxQueryLength });
  }

  /** Runs a query. Throws QueryError for a query that cannot be run. */
  search(query: string, options: SearchOptions = {}): SearchResult {
    const started = process.hrtime.bigint();
    const limit = options.limit ?? 10;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 0) throw new QueryError('limit must be a whole number of at least 0.');
    if (!Number.isInteger(offset) || offset < 0) throw new QueryError('offset must be a whole number of at least 0.');
    const parsed = this.parse(query);
    const literals = new Map<string, FieldCounts>();
    const literal = (text: string, field: FieldScope): FieldCounts => {
      const key = `${field}:${text}`;
      let hits = literals.get(key);
      if (!hits) {
        hits = matchLiteral(this.reader, text, field);
        literals.set(key, hits);
      }
      return hits;
    };
    const expansions = this.expand(parsed, literal);
    const { docs: matched, level } = this.candidates(parsed, literal);
    const docs = options.filters?.length ? this.applyFilters(matched, options.filters) : matched;
    // Nothing to rank when no hit is asked for (suggestions and document views ask for counts only).
    const best = limit === 0 || docs.length === 0 ? { positions: [], scores: [] } : rankTopK(this.bm25f, this.features(parsed, literal), docs, offset + limit, this.options.exhaustiveScoring);
    const needles = this.highlightNeedles(parsed, level);
    const hits = best.positions.slice(offset).map((i, n) => this.hit(docs[i], best.scores[offset + n], needles, options.snippetLength ?? 120));
    return {
      query,
      total: docs.length,
      took_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
      match: level,
      hits,
      ...(options.facets ? { facets: this.facetCounts(docs, options.facets) } : {}),
      ...(expansions.length > 0 ? { expansions } : {}),
      ...((docs.length < FEW_HITS || level !== 'exact') && !options.noSuggestion ? this.suggestion(query, parsed, level, docs.length, options) : {}),
    };
  }

  /**
   * Widens query terms: synonyms of a term's text, and for a term typed in pinyin the
   * words it spells (consecutive pinyin terms are first joined when together they spell
   * a word: fang te → 方特). Alternatives match like the term but rank below it.
   */
  private expand(parsed: ParsedQuery, literal: (text: string, field: FieldScope) => FieldCounts): Expansion[] {
    this.joinPinyinRuns(parsed);
    const expansions: Expansion[] = [];
    const synonyms = this.options.synonyms;
    for (const group of parsed.groups) {
      for (const term of group) {
        if (term.phrase) continue;
        const others = synonyms?.get(term.text) ?? [];
        if (others.length > 0) {
          for (const text of others) term.alternatives.push({ text, words: this.analyzer.queryWords(text), weight: SYNONYM_WEIGHT, via: 'synonym' });
          expansions.push({ term: term.raw, via: 'synonym', words: others });
        }
        const key = pinyinKey(term.text);
        if (key === undefined) continue;
        let spelled = this.pinyinIndex().byPinyin(key);
        let via: Alternative['via'] = 'pinyin';
        // Initials are ambiguous: use them only when the letters themselves occur nowhere.
        if (spelled.length === 0 && key.length >= 2 && key.length <= 4 && literal(term.text, term.field).docs.length === 0) {
          spelled = this.pinyinIndex().byInitials(key);
          via = 'initials';
        }
        const chosen = spelled.slice(0, PINYIN_ALTERNATIVES);
        if (chosen.length === 0) continue;
        const weight = via === 'pinyin' ? PINYIN_WEIGHT : INITIALS_WEIGHT;
        for (const w of chosen) term.alternatives.push({ text: w.word, words: this.analyzer.queryWords(w.word), weight, via, reading: w.reading });
        expansions.push({ term: term.raw, via, words: chosen.map((w) => w.word), readings: chosen.map((w) => w.reading) });
      }
    }
    return expansions;
  }

  /** Joins runs of single-term groups that only together spell a word in pinyin (fang te → one term "fang te"). */
  private joinPinyinRuns(parsed: ParsedQuery): void {
    const plain = (g: QueryTerm[]): boolean => g.length === 1 && !g[0].phrase && g[0].field === 'all' && pinyinKey(g[0].text) !== undefined;
    for (let i = 0; i < parsed.groups.length; i++) {
      for (let j = parsed.groups.length; j > i + 1; j--) {
        const run = parsed.groups.slice(i, j);
        if (!run.every(plain)) continue;
        const key = run.map((g) => pinyinKey(g[0].text)).join('');
        if (this.pinyinIndex().byPinyin(key).length === 0) continue;
        const text = run.map((g) => g[0].text).join(' ');
        const joined: QueryTerm = { raw: run.map((g) => g[0].raw).join(' '), text, field: 'all', phrase: false, words: this.analyzer.queryWords(text), alternatives: [] };
        parsed.groups.splice(i, j - i, [joined]);
        break;
      }
    }
  }

  /**
   * "Did you mean": for a query with few hits or no exact match, the same query with one
   * term replaced by a near form (same pinyin, one character more, less or different)
   * when that matches better: more literally, or as literally with more hits.
   */
  private suggestion(query: string, parsed: ParsedQuery, level: MatchLevel, hits: number, options: SearchOptions): { suggestion?: string } {
    this.speller ??= new Speller(this.vocabulary(), this.pinyinIndex());
    const rank = (l: MatchLevel, total: number): number => (total === 0 ? 0 : (l === 'exact' ? 3e9 : l === 'all-words' ? 2e9 : 1e9) + total);
    let best = { query: '', rank: rank(level, hits) };
    for (const group of parsed.groups) {
      for (const term of group) {
        // Words of up to 8 characters: a pasted headline is not misspelled, it is just not in the text.
        if (term.phrase || term.alternatives.length > 0 || term.text.length > 8 || !query.includes(term.raw)) continue;
        for (const candidate of this.speller.candidates(term.text).slice(0, 5)) {
          const replaced = query.replace(term.raw, candidate.word);
          const result = this.search(replaced, { limit: 0, filters: options.filters, noSuggestion: true });
          if (rank(result.match, result.total) > best.rank) best = { query: replaced, rank: rank(result.match, result.total) };
        }
      }
    }
    return best.query ? { suggestion: best.query } : {};
  }

  /**
   * The document with `id`, every match of `query` (if given) highlighted the way a
   * search for it would: literal terms at the exact level, their words when relaxed.
   */
  documentView(id: string, query?: string): DocumentView | undefined {
    const doc = this.findId(id);
    if (doc === undefined) return undefined;
    const document = this.document(doc);
    let needles: string[] = [];
    if (query !== undefined && query.trim().length > 0) {
      const { match } = this.search(query, { limit: 0 });
      needles = this.highlightNeedles(this.parse(query), match);
    }
    return {
      document,
      title_html: highlight(document.title, needles),
      ...(document.subtitle ? { subtitle_html: highlight(document.subtitle, needles) } : {}),
      paragraphs_html: document.paragraphs.map((p) => highlight(p, needles)),
    };
  }

  private static fieldValues(row: DocMetaRow, field: FilterField): string[] {
    switch (field) {
      case 'kind':
        return [row[2]];
      case 'reporter':
        return row[3];
      case 'correspondent':
        return row[4];
      case 'source':
        return [row[5]];
      case 'date':
        return row[6] === null ? [] : [row[6]];
    }
  }

  private applyFilters(docs: Uint32Array, filters: SearchFilter[]): Uint32Array {
    const wanted = new Map<FilterField, Set<string>>();
    for (const { field, value } of filters) {
      if (!wanted.has(field)) wanted.set(field, new Set());
      wanted.get(field)!.add(value);
    }
    const meta = this.meta();
    return docs.filter((doc) => [...wanted].every(([field, values]) => Searcher.fieldValues(meta[doc], field).some((v) => values.has(v))));
  }

  private facetCounts(docs: Uint32Array, top: number): Record<FacetField, FacetValue[]> {
    const meta = this.meta();
    const result = {} as Record<FacetField, FacetValue[]>;
    for (const field of FACET_FIELDS) {
      const counts = new Map<string, number>();
      for (const doc of docs) for (const value of new Set(Searcher.fieldValues(meta[doc], field))) counts.set(value, (counts.get(value) ?? 0) + 1);
      result[field] = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, top);
    }
    return result;
  }

  private candidates(parsed: ParsedQuery, literal: (text: string, field: FieldScope) => FieldCounts): Candidates {
    let excluded: Uint32Array = new Uint32Array(0);
    for (const term of parsed.excluded) excluded = union(excluded, literal(term.text, term.field).docs);
    // Documents matching every group, before exclusions.
    const combine = (match: (term: QueryTerm) => Uint32Array): Uint32Array => {
      let result: Uint32Array | undefined;
      for (const group of parsed.groups) {
        let groupDocs: Uint32Array = new Uint32Array(0);
        for (const term of group) groupDocs = union(groupDocs, match(term));
        result = result ? intersect(result, groupDocs) : groupDocs;
        if (result.length === 0) return result;
      }
      return result ?? new Uint32Array(0);
    };
    // A term matches through its own text or any alternative (synonym, pinyin).
    const either = (term: QueryTerm, match: (text: string, words: string[]) => Uint32Array): Uint32Array =>
      term.alternatives.reduce((docs, alt) => union(docs, match(alt.text, alt.words)), match(term.text, term.words));
    // An exclusion that removes every exact match leaves no results; it never triggers relaxation.
    const exact = combine((term) => either(term, (text) => literal(text, term.field).docs));
    if (exact.length > 0) return { docs: subtract(exact, excluded), level: 'exact' };
    const allWords = combine((term) =>
      either(term, (text, words) => {
        if (term.phrase || words.length === 0) return literal(text, term.field).docs;
        let docs: Uint32Array | undefined;
        // Rarest first, so that an empty intersection is found before the common words are matched.
        const rarestFirst = [...new Set(words)].map((word) => ({ word, bound: literalDocFreqBound(this.reader, word) })).sort((a, b) => a.bound - b.bound);
        for (const { word } of rarestFirst) {
          docs = docs ? intersect(docs, literal(word, term.field).docs) : literal(word, term.field).docs;
          if (docs.length === 0) break;
        }
        return docs ?? new Uint32Array(0);
      }),
    );
    if (allWords.length > 0) return { docs: subtract(allWords, excluded), level: 'all-words' };
    return { docs: subtract(this.someWords(parsed, literal), excluded), level: 'some-words' };
  }

  /**
   * Documents containing at least minShouldMatch of the query's distinct words (quoted
   * phrases count as one). A document with `needed` of the n words holds one of any
   * n − needed + 1 of them, so only those (the rarest) are matched in the whole index,
   * the others (of three units or more) only in the documents holding one of those.
   */
  private someWords(parsed: ParsedQuery, literal: (text: string, field: FieldScope) => FieldCounts): Uint32Array {
    const units = new Map<string, [string, FieldScope]>();
    for (const group of parsed.groups) {
      for (const term of group) {
        const texts = term.phrase || term.words.length === 0 ? [term.text] : term.words;
        for (const text of texts) units.set(`${term.field}:${text}`, [text, term.field]);
      }
    }
    const needed = Math.max(1, Math.ceil(units.size * (this.options.minShouldMatch ?? 0.5)));
    const rarest = [...units.values()]
      .map(([text, field], order) => ({ text, field, order, bound: literalDocFreqBound(this.reader, text) }))
      .sort((a, b) => a.bound - b.bound || a.order - b.order);
    const everywhere = Math.max(1, units.size - needed + 1);
    const counts = new Uint16Array(this.data.documentCount);
    for (const { text, field } of rarest.slice(0, everywhere)) for (const doc of literal(text, field).docs) counts[doc]++;
    if (needed === 1) return docsCounted(counts, 1);
    const possible = docsCounted(counts, 1);
    for (const { text, field } of rarest.slice(everywhere)) {
      // Texts of one or two units take no positional check: their whole postings are as cheap.
      const hits = text.length <= 2 ? literal(text, field) : matchLiteral(this.reader, text, field, possible);
      for (const doc of hits.docs) counts[doc]++;
    }
    return docsCounted(counts, needed);
  }

  /**
   * The scoring features of a query, in the order their contributions are summed: per
   * term its literal occurrences, its words, its alternatives' literal occurrences and
   * words (each word once), then consecutive word pairs side by side.
   */
  private features(parsed: ParsedQuery, literal: (text: string, field: FieldScope) => FieldCounts): Feature[] {
    const { literalWeight, adjacencyWeight } = this.bm25f.options;
    const features: Feature[] = [];
    const sequence: string[] = [];
    const seen = new Set<string>();
    const addWord = (word: string, weight: number): void => {
      if (seen.has(word)) return;
      seen.add(word);
      const postings = this.reader.word(word);
      features.push({ hits: postings.docs.length > 0 ? postings : literal(word, 'all'), weight });
    };
    for (const group of parsed.groups) {
      for (const term of group) {
        // The whole term, literally: this is what makes 方特 rank even where jieba cut it 方/特.
        features.push({ hits: literal(term.text, term.field), weight: literalWeight });
        for (const word of term.words) {
          sequence.push(word);
          addWord(word, 1);
        }
        // Synonyms and pinyin readings count too, for less.
        for (const alt of term.alternatives) {
          features.push({ hits: literal(alt.text, term.field), weight: literalWeight * alt.weight });
          for (const word of alt.words) addWord(word, alt.weight);
        }
      }
    }
    // Consecutive query words side by side in the document (within and across terms).
    const pairs = new Set<string>();
    for (let i = 0; i + 1 < sequence.length; i++) pairs.add(sequence[i] + sequence[i + 1]);
    for (const pair of pairs) features.push({ hits: literal(pair, 'all'), weight: adjacencyWeight });
    return features;
  }

  private highlightNeedles(parsed: ParsedQuery, level: MatchLevel): string[] {
    const needles = new Set<string>();
    for (const group of parsed.groups) {
      for (const term of group) {
        needles.add(term.text);
        for (const alt of term.alternatives) needles.add(alt.text);
        if (level !== 'exact' && !term.phrase) for (const word of term.words) if (word.length > 1) needles.add(word);
      }
    }
    return [...needles];
  }

  /** A hit: from the document's metadata alone, and its stored text only when a snippet is asked for. */
  private hit(doc: number, score: number, needles: string[], snippetLength: number): SearchHit {
    const [id, title, kind, reporters, correspondents, source, date, subtitle, fields] = this.meta()[doc];
    return {
      id,
      title,
      title_html: highlight(title, needles),
      score: Math.round(score * 1e4) / 1e4,
      snippet: snippetLength > 0 ? makeSnippet(bodyText(this.document(doc)), needles, snippetLength) : '',
      kind,
      reporters: [...reporters],
      source,
      ...(subtitle ? { subtitle } : {}),
      correspondents: [...correspondents],
      ...(date ? { date } : {}),
      ...(fields ? { fields: { ...fields } } : {}),
    };
  }
}
