import { Analyzer } from '../analysis/analyzer';
import { readings } from '../analysis/pinyin';
import { IndexData } from '../index/data';
import { PostingsReader } from '../index/postings';
import { FieldScope } from './literal';
import { Alternative, ParsedQuery, QueryTerm } from './parser';
import { PinyinIndex, PinyinWord, Vocabulary, pinyinKey } from './pinyinIndex';
import { Speller } from './spelling';
import { SynonymMap } from './synonyms';
import { Expansion, MatchMode } from './types';

/** Weight of a match through a synonym, a full-pinyin reading, or initials, relative to the term itself. */
const SYNONYM_WEIGHT = 0.5;
const PINYIN_WEIGHT = 0.4;
const INITIALS_WEIGHT = 0.3;
/** At most this many words stand in for one pinyin term. */
const PINYIN_ALTERNATIVES = 3;
/** "Did you mean" tries at most this many replacement queries per request: each is a search of its own. */
export const SUGGESTION_TRIALS = 12;
/** … and at most this many per query term. */
const TRIALS_PER_TERM = 5;
/** … and stops trying after this much time spent on the request (a safety net: the counts above bound it first). */
const DEFAULT_SUGGESTION_BUDGET_MS = 250;
/** A query of more terms than this is not a misspelled one: no "did you mean" for it. */
const SUGGESTION_MAX_TERMS = 6;

/** How well a query matches, to compare it with a near form of it: more literal first, then more hits. */
export interface MatchStrength {
  match: MatchMode;
  /** Literal matches. */
  exact: number;
  total: number;
}

function strength({ match, exact, total }: MatchStrength): number {
  if (total === 0) return 0;
  if (exact > 0) return 3e9 + exact;
  return (match === 'all-words' ? 2e9 : 1e9) + total;
}

/**
 * What a query may mean besides its literal text: synonyms of a term, the words a term
 * typed in pinyin spells (by full pinyin or by initials), and near forms of the query that
 * match better ("did you mean"). The pinyin index and the speller read the lexicons the
 * index's segments store: nothing is built before the first query that needs them.
 */
export class QueryExpander {
  private readonly pinyin: PinyinIndex;
  private readonly speller: Speller;

  constructor(
    data: IndexData,
    private readonly analyzer: Analyzer,
    reader: PostingsReader,
    private readonly synonyms?: SynonymMap,
    /** Wall-clock milliseconds "did you mean" may spend on one request (SearcherOptions.suggestionBudgetMs). */
    private readonly suggestionBudgetMs = DEFAULT_SUGGESTION_BUDGET_MS,
  ) {
    this.pinyin = new PinyinIndex(new Vocabulary(data), reader);
    this.speller = new Speller(this.pinyin);
  }

  /** The pinyin index over the vocabulary. */
  pinyinIndex(): PinyinIndex {
    return this.pinyin;
  }

  /**
   * Has pinyin-pro load its dictionary now (its first call takes about 60 ms): "did you mean"
   * reads a query word in pinyin, and a server's first misspelt query should not pay for it.
   */
  warmUp(): void {
    readings('拼音');
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

  /**
   * Widens query terms in place: synonyms of a term's text, and for a term typed in pinyin
   * the words it spells (consecutive pinyin terms are first joined when together they
   * spell a word: fang te → 方特). Alternatives match like the term but rank below it;
   * pinyin ones only where the word stands as a word (aligned), the most frequent reading
   * weighing most (beijing: 北京 well above 背景). `occurs` says whether a text occurs
   * literally in a field (initials are used only for letters that occur nowhere).
   */
  expand(parsed: ParsedQuery, occurs: (text: string, field: FieldScope) => boolean): Expansion[] {
    this.joinPinyinRuns(parsed);
    const expansions: Expansion[] = [];
    for (const group of parsed.groups) {
      for (const term of group) {
        if (term.phrase) continue;
        const others = this.synonyms?.get(term.text) ?? [];
        if (others.length > 0) {
          for (const text of others) term.alternatives.push(this.alternative(text, SYNONYM_WEIGHT, 'synonym'));
          expansions.push({ term: term.raw, via: 'synonym', words: others });
        }
        const key = pinyinKey(term.text);
        if (key === undefined) continue;
        let spelled = this.pinyinIndex().byPinyin(key);
        let via: Alternative['via'] = 'pinyin';
        // Initials are ambiguous: use them only when the letters themselves occur nowhere.
        if (spelled.length === 0 && key.length >= 2 && key.length <= 4 && !occurs(term.text, term.field)) {
          spelled = this.pinyinIndex().byInitials(key);
          via = 'initials';
        }
        const chosen = spelled.slice(0, PINYIN_ALTERNATIVES);
        if (chosen.length === 0) continue;
        const weight = via === 'pinyin' ? PINYIN_WEIGHT : INITIALS_WEIGHT;
        // Readings come most frequent first; each next one weighs a quarter, a ninth … of the first.
        chosen.forEach((w, i) => term.alternatives.push({ ...this.alternative(w.word, weight / (i + 1) ** 2, via), aligned: true, reading: w.reading }));
        expansions.push({ term: term.raw, via, words: chosen.map((w) => w.word), readings: chosen.map((w) => w.reading) });
      }
    }
    return expansions;
  }

  private alternative(text: string, weight: number, via: Alternative['via']): Alternative {
    return { text, words: this.analyzer.queryWords(text), searchWords: this.analyzer.searchWords(text), weight, via, aligned: false };
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
        const joined: QueryTerm = {
          raw: run.map((g) => g[0].raw).join(' '),
          text,
          field: 'all',
          phrase: false,
          words: this.analyzer.queryWords(text),
          searchWords: this.analyzer.searchWords(text),
          alternatives: [],
        };
        parsed.groups.splice(i, j - i, [joined]);
        break;
      }
    }
  }

  /**
   * "Did you mean": the query with one term replaced by a near form (same pinyin, one
   * character more, less or different) when that matches better than `current`: more
   * literally, or as literally with more hits. `measure` runs a replacement query. The
   * work is bounded: only queries of at most SUGGESTION_MAX_TERMS terms, at most
   * SUGGESTION_TRIALS replacement queries, and none after the suggestion budget (250 ms by default): a query of a hundred common characters costs nothing here.
   * None are tried once `stop` says so (the search's deadline).
   *
   * `frequency` (a long query, ranked: its text's literal document count in a field) asks for
   * better evidence than a looser query gives, as Lucene's spell checkers and Elasticsearch's
   * phrase suggester do (a correction only when it scores above the input; `popular` mode:
   * only terms more frequent than the one they replace): a near form is tried only when it
   * occurs in more documents than the term it replaces, and only a replacement that matches
   * literally (`measure` then counts literal matches only) can win. Otherwise dropping a rare
   * word of a headline always "matched better" (张高丽 → 高丽, 国务院 → 国务: more documents
   * relevant by words), though nothing was mistyped.
   */
  suggest(
    query: string,
    parsed: ParsedQuery,
    current: MatchStrength,
    measure: (query: string) => MatchStrength,
    stop: () => boolean = () => false,
    frequency?: (text: string, field: FieldScope) => number,
  ): string | undefined {
    if (parsed.groups.reduce((n, group) => n + group.length, 0) > SUGGESTION_MAX_TERMS) return undefined;
    // An index built in memory computes its lexicon on first use: not counted against the budget.
    void this.pinyin.vocabulary.segments;
    const startedAt = process.hrtime.bigint();
    let best = { query: '', strength: strength(current) };
    let trials = 0;
    const outOfBudget = (): boolean => trials >= SUGGESTION_TRIALS || Number(process.hrtime.bigint() - startedAt) / 1e6 > this.suggestionBudgetMs || stop();
    for (const group of parsed.groups) {
      for (const term of group) {
        // Words of up to 8 characters: a pasted headline is not misspelled, it is just not in the text.
        if (term.phrase || term.alternatives.length > 0 || term.text.length > 8 || !query.includes(term.raw)) continue;
        const own = frequency?.(term.text, term.field) ?? 0;
        for (const candidate of this.speller.candidates(term.text).slice(0, TRIALS_PER_TERM)) {
          if (outOfBudget()) return best.query || undefined;
          if (frequency && frequency(candidate.word, term.field) <= own) continue;
          trials++;
          const replaced = query.replace(term.raw, candidate.word);
          const measured = measure(replaced);
          const found = frequency && measured.exact === 0 ? 0 : strength(measured);
          if (found > best.strength) best = { query: replaced, strength: found };
        }
      }
    }
    return best.query || undefined;
  }
}
