import * as fs from 'node:fs';
import { Analyzer, WordSource, analyzerChanges, fileSha256 } from './analysis/analyzer';
import { WordTable, recordingWords } from './analysis/wordTable';
import { RejectedDocument, SearchDocument } from './document';
import { IndexData } from './index/data';
import { IndexBuilder, addOrReject } from './index/builder';
import { buildIndexData } from './index/parallelBuild';
import { deletedTerms, deletedTermsInSlices, openedData, viewSegments, viewSegmentsInSlices } from './index/segmentView';
import { LoadedSegment, SharedIndex, UserDictCopy, readManifest, readSegments, readSegmentsAsync, saveIndexData, sharedIndexOf } from './index/generation';
import { FORMAT_VERSION, Manifest, SourceFingerprint } from './index/manifest';
import { moveToSharedMemory } from './index/sharedMemory';
import { shareLineStarts } from './index/lexicon';
import { adoptIndexFiles } from './index/adoptFiles';
import { IndexFile } from './index/indexFile';
import { Searcher, SearcherOptions } from './search/searcher';
import { Deadline } from './search/deadline';
import { DocumentView, SearchOptions, SearchResult } from './search/types';
import { PinyinWord, mostFrequentWords } from './search/pinyinIndex';
import { TitleEntry } from './search/titles';
import { loadSynonyms } from './search/synonyms';

/**
 * An index a server opened, for another thread to search without opening it again: its
 * files and the data opened from them (term tables, a view's joined tables), all in shared
 * memory (its stored documents and postings read from the same open files), so the thread builds and
 * copies nothing of it (see openShared).
 */
export interface SharedEngineIndex extends SharedIndex {
  data: IndexData;
  /** The index's copy of its user dictionary, when the engine segments queries with it. */
  userDict?: UserDictCopy;
}

export interface EngineOptions extends Omit<SearcherOptions, 'synonyms'> {
  /**
   * A jieba user dictionary (word [frequency] [tag] per line). Default: none; `open` uses
   * the index's own copy of the one it was built with (an index written before copies were
   * kept: the file at the path it recorded). Given to `open`, queries are segmented with it
   * instead, and dictionaryWarning says when that is not the index's.
   */
  userDict?: string;
  /** The user dictionary for `open` to use as if given as `userDict` when the index has no copy of its own (written before indexes kept one); else not used. */
  userDictFallback?: string;
  /** A synonyms file (one group of words per line), applied to queries. Default: none; `open` uses the one recorded at build time. */
  synonyms?: string;
  /** Where an opened engine's analyzer gets words from instead of loading jieba (see WordSource). Default: its own jieba. */
  words?: WordSource;
}

/**
 * The jiansuo library in one class: build an index from documents, save it, open it,
 * search it. `search` returns exactly what `jiansuo search --json` prints.
 *
 * ```ts
 * const engine = SearchEngine.build(documents);
 * engine.save('index-data/index');
 * const again = SearchEngine.open('index-data/index');
 * again.search('方特', { limit: 5 }).hits;
 * ```
 */
export class SearchEngine {
  private readonly searcher: Searcher;
  /** The open files (stored documents, postings) an engine opened by openShared took over (close lets go of them). */
  private openFiles: IndexFile[] = [];
  /** The index's copy of its user dictionary, when this engine segments with it (see settingsFor). */
  private userDictCopy?: UserDictCopy;

  private constructor(
    data: IndexData,
    readonly analyzer: Analyzer,
    readonly manifest: Manifest | undefined,
    private readonly options: EngineOptions,
    /** The segments it was opened from, when opened from disk: a reopen reuses those unchanged. */
    private readonly segments?: LoadedSegment[],
  ) {
    this.searcher = new Searcher(data, analyzer, { ...options, synonyms: options.synonyms ? loadSynonyms(options.synonyms) : undefined });
  }

  /**
   * Indexes documents in memory. Documents too long to index are left out and listed
   * in `rejected` (pass an array to collect them); everything else is indexed.
   */
  static build(documents: Iterable<SearchDocument>, options: EngineOptions = {}, rejected: RejectedDocument[] = []): SearchEngine {
    const analyzer = new Analyzer({ userDict: options.userDict });
    const builder = new IndexBuilder(analyzer);
    for (const doc of documents) addOrReject(doc.id, rejected, () => builder.add(doc));
    return new SearchEngine(builder.finish(), analyzer, undefined, options);
  }

  /**
   * What `build` does, with documents segmented on `threads` worker threads (default one
   * per core): the same index, faster where cores are free, at about 235 MB per thread
   * while it runs (`jiansuo index` builds this way).
   */
  static async buildParallel(documents: Iterable<SearchDocument>, options: EngineOptions & { threads?: number } = {}, rejected: RejectedDocument[] = []): Promise<SearchEngine> {
    const built = await buildIndexData(documents, { threads: options.threads, userDict: options.userDict });
    rejected.push(...built.rejected);
    return new SearchEngine(built.data, new Analyzer({ userDict: options.userDict }), undefined, options);
  }

  /** Wraps an index built elsewhere (by IndexBuilder) for searching. */
  static fromData(data: IndexData, analyzer: Analyzer, options: EngineOptions = {}): SearchEngine {
    return new SearchEngine(data, analyzer, undefined, options);
  }

  /** Opens the index saved in `dir`. Throws IndexError, saying how to rebuild, when it is missing, old or damaged. */
  static open(dir: string, options: EngineOptions = {}): SearchEngine {
    const { manifest, userDict, segments } = readSegments(dir);
    const settings = SearchEngine.settingsFor(manifest, options, userDict);
    const data = openedData(segments, settings.analyzer, manifest.analyzer, (analysis) => viewSegments(segments, deletedTerms(segments, analysis)));
    return new SearchEngine(data, settings.analyzer, manifest, settings.options, segments).using(settings.copy);
  }

  /** This engine, segmenting with the index's copy of its user dictionary `copy` (when defined). */
  private using(copy: UserDictCopy | undefined): this {
    this.userDictCopy = copy;
    return this;
  }

  /**
   * Opens the index in `dir` as `open` does, reading its files while jieba loads, and
   * analyzing the deleted documents and joining the segments of a view in slices between
   * other work (see deletedTermsInSlices, viewSegmentsInSlices): the quicker start for a
   * server, and a reopen that keeps it answering. Given the engine `previous` opened from
   * the same directory, segments it read that are unchanged are reused, not read and
   * checked again (an update adds one segment beside untouched ones). Rejects with what
   * `open` throws.
   */
  static async openAsync(dir: string, options: EngineOptions = {}, previous?: SearchEngine): Promise<SearchEngine> {
    let settings: OpeningSettings | undefined;
    const known = previous?.manifest && previous.segments ? { manifest: previous.manifest, segments: previous.segments } : undefined;
    const { manifest, segments } = await readSegmentsAsync(dir, (manifest, userDict) => (settings = SearchEngine.settingsFor(manifest, options, userDict)), known);
    const { analyzer } = settings!;
    const opened = await openedData(segments, analyzer, manifest.analyzer, async (analysis) => viewSegmentsInSlices(segments, await deletedTermsInSlices(segments, analysis)));
    // Before anything is built on it: a long-query thread given this data then shares its tables (sharedIndex).
    shareLineStarts(opened);
    moveToSharedMemory(opened);
    return new SearchEngine(opened, analyzer, manifest, settings!.options, segments).using(settings!.copy);
  }

  /**
   * Opens the index another thread opened with openAsync, from what it shared (its
   * `sharedIndex()`): its data as it searches it, without reading, hashing, decoding or
   * joining anything again, and without a second copy: what a server's long-query thread
   * does. Answers as `open` would.
   */
  static openShared(shared: SharedEngineIndex, options: EngineOptions = {}): SearchEngine {
    const settings = SearchEngine.settingsFor(shared.manifest, options, shared.userDict);
    sameWordStrings(shared.data);
    const files = adoptIndexFiles(shared.data);
    const engine = new SearchEngine(shared.data, settings.analyzer, shared.manifest, settings.options).using(settings.copy);
    engine.openFiles = files;
    return engine;
  }

  /**
   * Lets go of the open files (stored documents, postings) an engine opened by openShared took over, now
   * rather than when it is collected (a thread that ends never lets go of them, and the
   * files of a removed generation would stay open): the engine must not be used afterwards.
   * Other engines hold nothing to let go of, or let go when collected.
   */
  close(): void {
    for (const file of this.openFiles) file.close();
    this.openFiles = [];
  }

  /** This engine's files and data in shared memory, for openShared on another thread; undefined unless it was opened by openAsync. */
  sharedIndex(): SharedEngineIndex | undefined {
    const files = this.manifest && this.segments ? sharedIndexOf(this.manifest, this.segments) : undefined;
    return files && { ...files, data: this.searcher.data, ...(this.userDictCopy ? { userDict: this.userDictCopy } : {}) };
  }

  /**
   * When the live generation of the index in `dir` was written (its manifest's `createdAt`),
   * read without opening the index: tells a server whether a reload would change anything.
   * Throws IndexError as `open` does when there is no readable current generation.
   */
  static liveGenerationWrittenAt(dir: string): string {
    return readManifest(dir).manifest.createdAt;
  }

  /**
   * The analyzer and options to open an index with: the user dictionary given, else the
   * index's copy of the one it was built with (`copy`, read and checked), else (an index
   * written before copies were kept) `userDictFallback`, else the one at the path it recorded
   * when it still exists;
   * the synonyms given, else those recorded at build time when they still exist.
   */
  private static settingsFor(manifest: Manifest, options: EngineOptions, copy: UserDictCopy | undefined): OpeningSettings {
    const synonyms = options.synonyms ?? (manifest.synonyms && fs.existsSync(manifest.synonyms.path) ? manifest.synonyms.path : undefined);
    const given = options.userDict ?? (copy ? undefined : options.userDictFallback);
    if (given === undefined && copy) {
      const analyzer = Analyzer.ofCopy(copy.path, copy.bytes, manifest.analyzer.userDict, options.words);
      return { analyzer, options: { ...options, synonyms }, copy };
    }
    const recorded = manifest.analyzer.userDict;
    const userDict = given ?? (recorded && fs.existsSync(recorded) ? recorded : undefined);
    return { analyzer: new Analyzer({ userDict, words: options.words }), options: { ...options, userDict, synonyms } };
  }

  /** Saves the index to `dir` atomically (a crash leaves the previous index intact), with a copy of its user dictionary. */
  save(dir: string, sources: SourceFingerprint[] = []): Manifest {
    return saveIndexData(dir, this.searcher.data, {
      analyzer: this.analyzer.settings,
      ...(this.analyzer.userDictBytes ? { userDictCopy: this.analyzer.userDictBytes } : {}),
      sources,
      synonymsFile: this.options.synonyms,
    });
  }

  /**
   * Why documents and queries may be analyzed differently, or undefined: the user
   * dictionary changed (or appeared, or went) since the index was built. Searching still
   * works; rebuilding makes the words match again. (Synonyms apply to queries only and
   * never need a rebuild.)
   */
  dictionaryWarning(): string | undefined {
    const built = this.manifest?.analyzer;
    if (!built) return undefined;
    const now = this.analyzer.settings;
    if (!analyzerChanges(built, now).includes('userDictSha256')) return undefined;
    const what = !built.userDict
      ? `the user dictionary ${now.userDict} was added`
      : !now.userDict
        ? `the user dictionary ${built.userDict} is gone`
        : `the user dictionary ${now.userDict} changed`;
    return `${what} since the index was built: rebuild it (npx jiansuo index) so that documents are segmented like queries. Searching still works meanwhile.`;
  }

  /**
   * A note for whoever edited the user dictionary the index was built with, or undefined:
   * the file at the path the manifest records now differs from the index's copy, which this
   * engine segments queries with (and updates segment new documents with) until the index
   * is rebuilt. Nothing is wrong with the index; undefined too when that file is gone (the
   * index was moved, or the dictionary deleted: the copy is all it needs) or when the
   * engine segments with a dictionary given to `open` (then see dictionaryWarning).
   * Reads and hashes that file: for a command or a server to say once, when it opens.
   */
  dictionaryNote(): string | undefined {
    const recorded = this.manifest?.analyzer.userDict;
    if (!this.userDictCopy || !recorded) return undefined;
    let sha256: string;
    try {
      sha256 = fileSha256(recorded);
    } catch {
      return undefined;
    }
    if (sha256 === this.manifest?.analyzer.userDictSha256) return undefined;
    return (
      `the user dictionary ${recorded} changed since the index was built; the index keeps segmenting queries and added documents with its own copy of the dictionary it was built with. ` +
      'Rebuild it (npx jiansuo index) to use the new one.'
    );
  }

  /**
   * The words this engine's analyzer gives for each text parsing `query` analyzes (those
   * analyzed before the error, for a query that does not parse; never throws): what another thread without jieba needs to
   * run it (EngineOptions.words with a TableWords; a server's long-query thread).
   */
  wordsOfQuery(query: string): WordTable {
    const recorder = recordingWords(this.analyzer.words);
    try {
      this.searcher.parse(query, this.analyzer.withWords(recorder.words));
    } catch {
      // A query that does not parse fails again where it is run, with its error: what was recorded is all there is.
    }
    return recorder.table();
  }

  /** Number of documents indexed. */
  get documentCount(): number {
    return this.searcher.documentCount;
  }

  /**
   * Runs a query (see README for the query language). Throws QueryError for a query that
   * cannot be run. A `deadline` replaces options.timeoutMs (a server interrupts its first
   * try of a query with one, see search/deadline.ts).
   */
  search(query: string, options?: SearchOptions, deadline?: Deadline): SearchResult {
    return this.searcher.search(query, options, deadline);
  }

  /** The stored document with ordinal `n` (0-based, in indexing order). */
  document(n: number): SearchDocument {
    return this.searcher.document(n);
  }

  /** The document with this id, or undefined. */
  getDocument(id: string): SearchDocument | undefined {
    const n = this.searcher.findId(id);
    return n === undefined ? undefined : this.searcher.document(n);
  }

  /**
   * The document with this id ready for reading: title, subtitle and paragraphs
   * HTML-escaped, with every match of `query` in <mark>. Undefined for an unknown id;
   * throws QueryError for a query that cannot be run. Finding the matches is a
   * checkpoint of `deadline`, if given.
   */
  documentView(id: string, query?: string, deadline?: Deadline): DocumentView | undefined {
    return this.searcher.documentView(id, query, deadline);
  }

  /** The ids of each group of copies of one article (same or nearly the same text), which searches fold into one hit. */
  copies(): string[][] {
    return this.searcher.copies();
  }

  /** Every document's title, in indexing order (for typeahead suggestions). */
  titles(): string[] {
    return this.searcher.meta().map((row) => row[1]);
  }

  /** Titles containing `key` (normalized, white space removed), in indexing order, found through the index's postings: typeahead without building anything. */
  titlesContaining(key: string): TitleEntry[] {
    return this.searcher.titlesContaining(key);
  }

  /** The `limit` jieba words found in most documents (two characters or more, with a letter), most frequent first (ties in word order). */
  frequentWords(limit: number): Array<{ word: string; df: number }> {
    return mostFrequentWords(this.searcher.data, limit, (word) => word.length >= 2 && /\p{L}/u.test(word));
  }

  /**
   * Groups the copies of each article now rather than on the first search, so that no
   * request waits for it (a server calls it right after it starts), and loads pinyin-pro's
   * dictionary (60 ms). Pinyin, initials, typeahead and "did you mean" build nothing: they
   * read what the index stores.
   */
  warmUp(): void {
    this.searcher.warmUp();
  }

  /**
   * The same as warmUp, in short slices with turns of the event loop between them, so that a server answers meanwhile.
   * A stopping server aborts `signal`: the work stops between slices and the promise rejects.
   */
  warmUpInSlices(signal?: AbortSignal): Promise<void> {
    return this.searcher.warmUpInSlices(signal);
  }

  /** Words of the index that typed pinyin spells (fangte → 方特, ft → 方特), most frequent first, with the reading matched. */
  pinyinWords(text: string, limit = 10): PinyinWord[] {
    return this.searcher.pinyinWords(text).slice(0, limit);
  }

  /** Words for typeahead while pinyin is typed: full pinyin starting with the text (zhengz → 郑州), then initials (ft → 方特). */
  pinyinCompletions(text: string, limit = 10): PinyinWord[] {
    return this.searcher.pinyinCompletions(text, limit);
  }

  /** What /api/health reports: document count, on-disk format version, and when the index was built. */
  info(): { documents: number; formatVersion: number; createdAt?: string } {
    return {
      documents: this.documentCount,
      formatVersion: this.manifest?.version ?? FORMAT_VERSION,
      ...(this.manifest ? { createdAt: this.manifest.createdAt } : {}),
    };
  }
}

/** What an index is opened with: its analyzer, the options it is searched with, and the copy of its user dictionary when the analyzer uses it. */
interface OpeningSettings {
  analyzer: Analyzer;
  options: EngineOptions;
  copy?: UserDictCopy;
}

/**
 * Makes each segment's word list of a view hold the view's own strings for the words they
 * share, as the thread that joined the view has them: a structured clone (what another
 * thread is given, see openShared) copies every string of every list, so a long-query
 * thread would otherwise hold each word once per segment plus once in the view (546,570
 * segment words on news-large). Both lists are sorted in JavaScript string order; the
 * values, and so every answer, are unchanged.
 */
function sameWordStrings(data: IndexData): void {
  const joined = data.wordTerms;
  for (const part of data.segmentParts ?? []) {
    const own = part.data.wordTerms;
    let j = 0;
    for (let i = 0; i < own.length; i++) {
      while (j < joined.length && joined[j] < own[i]) j++;
      if (j < joined.length && joined[j] === own[i]) own[i] = joined[j];
    }
  }
}

