import { AnalyzedField, Analyzer, AnalyzerSettings, analyzerChanges } from '../analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../document';
import { inSlices, stepsAtOnce, stepsInSlices } from '../eventLoop';
import { IndexData, PostingsFamily, SegmentPart, bigramKey } from './data';
import { DocStoreReader } from './docStore';
import { sharedPrefix } from './sharedMemory';
import { joinedDocumentTables, mergeSegments, smallestHead } from './merge';

/** How many deleted documents hold each term, by family: what a segment's `df` counts too many. */
export interface DeletedTerms {
  words: Map<string, number>;
  bigrams: Map<number, number>;
  chars: Map<number, number>;
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_OFFSETS = new Uint32Array(0);

/**
 * The data to search an index opened from its segments with (`built`: the analyzer settings it was built with): a single segment as it is;
 * several, or deletions, as a view that gathers each term's postings from the segments on
 * demand (viewSegments: opening costs a fraction of merging them). The view needs the
 * deleted documents analyzed as they were indexed (`deleted`, given the analysis); with
 * another analyzer (a changed user dictionary) the segments are merged instead.
 */
export function openedData<T>(
  segments: SegmentPart[],
  analyzer: Analyzer,
  built: AnalyzerSettings,
  view: (analysis: DocumentAnalysis) => T,
): IndexData | T {
  if (segments.length === 1 && segments[0].deleted.length === 0) return segments[0].data;
  if (analyzerChanges(built, analyzer.settings).some((change) => change !== 'userDict')) {
    return mergeSegments(segments, { joinDocuments: true });
  }
  return view((doc) => ({ title: analyzer.analyzeField(titleText(doc)), body: analyzer.analyzeField(bodyText(doc)) }));
}

/**
 * The index of the live documents of `parts` without merging their postings: term tables
 * are joined (exact document frequencies, given how many deleted documents hold each
 * term; terms only deleted documents held are dropped), and each term's postings are
 * gathered from the segments when a query first reads them (see segmentedPostings.ts).
 * Searches answer exactly as on the merged index (mergeSegments), which a save writes;
 * opening costs a fraction of a merge.
 */
export function viewSegments(parts: SegmentPart[], deleted: DeletedTerms): IndexData {
  return stepsAtOnce(viewSteps(parts, deleted));
}

/**
 * viewSegments in slices with turns of the event loop between them (joining the term
 * tables of a large index takes a few hundred milliseconds): what a serving reopen uses,
 * so that searches are answered from the old index meanwhile. Same result.
 */
export function viewSegmentsInSlices(parts: SegmentPart[], deleted: DeletedTerms): Promise<IndexData> {
  return stepsInSlices(viewSteps(parts, deleted));
}

/** The work of viewSegments, pausing (yielding) every few thousand terms. */
function* viewSteps(parts: SegmentPart[], deleted: DeletedTerms): Generator<void, IndexData> {
  const tables = joinedDocumentTables(parts);
  yield;
  const docs = tables.renumber.map(({ map }, p) => map.map((n) => (n < 0 ? -1 : tables.bases[p] + n)));
  const words = yield* viewFamily(
    parts.map((part) => part.data.words),
    parts.map((part) => part.data.wordTerms),
    docs,
    (word) => deleted.words.get(word) ?? 0,
    new WordCollector(),
  );
  const keyCount = (keys: (data: IndexData) => Uint32Array): number => parts.reduce((sum, part) => sum + keys(part.data).length, 0);
  const bigrams = yield* viewFamily(
    parts.map((part) => part.data.bigrams),
    parts.map((part) => part.data.bigramKeys),
    docs,
    (key) => deleted.bigrams.get(key) ?? 0,
    new NumberCollector(keyCount((data) => data.bigramKeys)),
  );
  const chars = yield* viewFamily(
    parts.map((part) => part.data.chars),
    parts.map((part) => part.data.charKeys),
    docs,
    (unit) => deleted.chars.get(unit) ?? 0,
    new NumberCollector(keyCount((data) => data.charKeys)),
  );
  return {
    ...tables.data,
    wordTerms: words.keys,
    words: words.family,
    bigramKeys: bigrams.keys,
    bigrams: bigrams.family,
    charKeys: chars.keys,
    chars: chars.family,
    segmentParts: parts,
  };
}

/** Terms viewFamily joins between two pauses. */
const TERMS_PER_STEP = 4096;

/** The union of the segments' sorted terms with exact live document frequencies; pauses every TERMS_PER_STEP terms. */
function* viewFamily<K extends string | number, Keys extends ArrayLike<K>>(
  families: PostingsFamily[],
  keyLists: ArrayLike<K>[],
  docs: Int32Array[],
  deletedHolding: (key: K) => number,
  keys: KeyCollector<K, Keys>,
): Generator<void, { keys: Keys; family: PostingsFamily }> {
  const most = keyLists.reduce((sum, list) => sum + list.length, 0);
  const df = new Uint32Array(most);
  const heads = new Int32Array(keyLists.length);
  for (let step = 1; ; step++) {
    if (step % TERMS_PER_STEP === 0) yield;
    const smallest = smallestHead(keyLists, heads);
    if (smallest === undefined) break;
    let count = 0;
    for (let p = 0; p < keyLists.length; p++) {
      if (heads[p] < keyLists[p].length && keyLists[p][heads[p]] === smallest) count += families[p].df[heads[p]++];
    }
    count -= deletedHolding(smallest);
    if (count <= 0) continue;
    df[keys.length] = count;
    keys.push(smallest);
  }
  const joined = keys.done();
  return { keys: joined, family: { offsets: EMPTY_OFFSETS, df: sharedPrefix(df, keys.length), postings: EMPTY_BYTES, segments: { families, keys: joined, segmentKeys: keyLists, docs } } };
}

/** Where viewFamily puts the view's terms, one at a time in order. */
interface KeyCollector<K, Keys extends ArrayLike<K>> {
  readonly length: number;
  push(key: K): void;
  /** The terms pushed. */
  done(): Keys;
}

/** Words, in a plain array. */
class WordCollector implements KeyCollector<string, string[]> {
  private readonly out: string[] = [];

  get length(): number {
    return this.out.length;
  }

  push(word: string): void {
    this.out.push(word);
  }

  done(): string[] {
    return this.out;
  }
}

/** Numeric keys, in a typed array (a plain array would hold each bigram key above 2^31 as a heap number). */
class NumberCollector implements KeyCollector<number, Uint32Array> {
  length = 0;
  private readonly out: Uint32Array;

  constructor(most: number) {
    this.out = new Uint32Array(most);
  }

  push(key: number): void {
    this.out[this.length++] = key;
  }

  done(): Uint32Array {
    return sharedPrefix(this.out, this.length);
  }
}

const SPACE = 0x20;

/** Analyzes a document as it was indexed: its title field and body. */
export type DocumentAnalysis = (doc: SearchDocument) => { title: AnalyzedField; body: AnalyzedField };

/**
 * How many deleted documents of `parts` hold each term: their stored text analyzed again
 * as it was indexed (the same words, units and bigrams), so that viewSegments can tell
 * exact document frequencies without decoding any postings. `analyze` must be the
 * analyzer the segments were built with.
 */
export function deletedTerms(parts: SegmentPart[], analyze: DocumentAnalysis): DeletedTerms {
  const held = emptyDeletedTerms();
  for (const doc of deletedDocuments(parts)) countTerms(held, analyze(doc));
  return held;
}

/**
 * deletedTerms in slices with turns of the event loop between them (see inSlices): a
 * server reopening its index after an update that replaced thousands of documents keeps
 * answering from the old one while they are analyzed again. Same result.
 */
export async function deletedTermsInSlices(parts: SegmentPart[], analyze: DocumentAnalysis): Promise<DeletedTerms> {
  const held = emptyDeletedTerms();
  await inSlices(deletedDocuments(parts), (doc) => countTerms(held, analyze(doc)));
  return held;
}

function emptyDeletedTerms(): DeletedTerms {
  return { words: new Map(), bigrams: new Map(), chars: new Map() };
}

/** The stored deleted documents of `parts`, in order. */
function* deletedDocuments(parts: SegmentPart[]): Generator<SearchDocument> {
  for (const part of parts) {
    if (part.deleted.length === 0) continue;
    const stored = new DocStoreReader(part.data.documents);
    for (const ordinal of part.deleted) yield JSON.parse(stored.text(ordinal)) as SearchDocument;
  }
}

/** Adds one deleted document's distinct words, units and bigrams to `held`. */
function countTerms(held: DeletedTerms, { title, body }: { title: AnalyzedField; body: AnalyzedField }): void {
  const count = <K>(map: Map<K, number>, keys: Set<K>): void => keys.forEach((key) => map.set(key, (map.get(key) ?? 0) + 1));
  count(held.words, new Set([...title.words, ...body.words]));
  const units = new Set<number>();
  const bigrams = new Set<number>();
  for (const text of [title.normalized, body.normalized]) {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit !== SPACE) units.add(unit);
      if (i + 1 < text.length) bigrams.add(bigramKey(unit, text.charCodeAt(i + 1)));
    }
  }
  count(held.chars, units);
  count(held.bigrams, bigrams);
}
