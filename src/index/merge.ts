import { IndexData, PostingsFamily, SegmentPart } from './data';
import { encodePositional } from './bigramEntry';
import { encodeCounts } from './countsEntry';
import { compactDocuments } from './docStore';
import { lexiconOf, mergeLexicons } from './lexicon';
import { LocalTerm, gatherCounts, gatherPositional } from './segmentedPostings';
import { GrowableU32 } from './growableU32';
import { Allocate } from './spareArrays';
import { ByteWriter } from './varint';

/** Writes one term of `families` (where `local` says each segment holds it) to `out`, renumbered by `docs`, in the stored format; returns its document count. */
export type CopyTerm = (out: ByteWriter, families: PostingsFamily[], docs: Int32Array[], local: LocalTerm) => number;

/**
 * Memory for one gathered list at a time (an Allocate): one array, grown as needed, handed
 * out again for every term, since a merge encodes each term's gathered list before it
 * gathers the next. A fresh zeroed array per term (a million and more on news-large) cost
 * the copy into it and its collection. Each merge's CopyTerms make their own, let go with
 * the merge (a server that merged keeps no array of its largest list).
 */
function reusedArray(): Allocate {
  let scratch = new Uint32Array(1 << 12);
  return (ints) => {
    if (ints > scratch.length) scratch = new Uint32Array(Math.max(ints, 2 * scratch.length));
    return scratch.subarray(0, ints);
  };
}

/** The CopyTerm of counted postings (words, chars), for one merge. */
export function copyCounts(): CopyTerm {
  const scratch = reusedArray();
  return (out, families, docs, local) => {
    const counts = gatherCounts(families, docs, local, scratch);
    encodeCounts(out, counts);
    return counts.docs.length;
  };
}

/** The CopyTerm of bigrams into a segment whose documents' bounds (IndexData.docUnits) are `docUnits` (the families read carry their own), for one merge. */
export function copyPositional(docUnits: Uint32Array): CopyTerm {
  const scratch = reusedArray();
  return (out, families, docs, local) => {
    const postings = gatherPositional(families, docs, local, undefined, scratch);
    encodePositional(out, postings, docUnits);
    return postings.docs.length;
  };
}

const NEWLINE = 0x0a;

/**
 * One index holding the live documents of `parts`, in order — exactly the IndexData a
 * fresh build of those documents would give, byte for byte, without analyzing a single
 * document again: each term's postings are decoded from the segments, renumbered, and
 * encoded again (blocks of packed entries cannot be copied whole: their documents and
 * bounds change), deleted documents and terms left with none are dropped. Used to open an index made of
 * several segments and by `jiansuo optimize`. With `joinDocuments` (for opening), the
 * stored documents stay in their segments' compressed blocks, read through a join (the
 * same documents, without compressing them again; saving compacts them).
 */
export function mergeSegments(parts: SegmentPart[], options: { joinDocuments?: boolean } = {}): IndexData {
  if (parts.length === 1 && parts[0].deleted.length === 0) return parts[0].data;
  const { data, bases, renumber } = joinedDocumentTables(parts);
  const targets = renumber.map(({ map }, p) => ({ map, base: bases[p] }));
  const inMemory = (family: 'words' | 'bigrams' | 'chars'): FamilyInput[] => parts.map((part) => ({ family: part.data[family], term: (t) => t }));
  const words = mergeFamily(parts.map((part) => part.data.wordTerms), inMemory('words'), targets, copyCounts());
  const bigrams = mergeFamily(parts.map((part) => part.data.bigramKeys), inMemory('bigrams'), targets, copyPositional(data.docUnits));
  const chars = mergeFamily(parts.map((part) => part.data.charKeys), inMemory('chars'), targets, copyCounts());
  return {
    ...data,
    documents: options.joinDocuments ? data.documents : compactDocuments(data.documents),
    wordTerms: words.keys as string[],
    words: words.family,
    bigramKeys: Uint32Array.from(bigrams.keys as number[]),
    bigrams: { ...bigrams.family, docUnits: data.docUnits },
    charKeys: Uint32Array.from(chars.keys as number[]),
    chars: chars.family,
    lexicon: mergeLexicons(
      parts.map((part) => ({ wordTerms: part.data.wordTerms, lexicon: lexiconOf(part.data) })),
      words.keys as string[],
    ),
  };
}

/** What an index of the live documents of `parts` holds besides postings: document tables, joined stored documents, metadata. */
type DocumentTables = Pick<IndexData, 'documentCount' | 'titleUnits' | 'docUnits' | 'titleWords' | 'bodyWords' | 'documents' | 'metaBytes'>;

/** What a segment's document tables are read from (its IndexData, or the tables of a segment streamed by a merge). */
export interface DocumentTablesPart {
  data: Pick<IndexData, 'documentCount' | 'titleUnits' | 'docUnits' | 'titleWords' | 'bodyWords' | 'metaBytes'>;
  deleted: Uint32Array;
}

/**
 * The document tables of the live documents of `parts`, in order (stored documents joined,
 * not compressed again), with each segment's first number and its documents' renumbering.
 */
export function joinedDocumentTables(parts: SegmentPart[]): { data: DocumentTables; bases: number[]; renumber: Array<{ map: Int32Array; live: number }> } {
  const { data, bases, renumber, part, local } = liveDocumentTables(parts);
  const documents = { parts: parts.map((p) => compactDocuments(p.data.documents)), part, local };
  return { data: { ...data, documents }, bases, renumber };
}

/**
 * joinedDocumentTables without the stored documents: the tables, each segment's first
 * number and renumbering, and where each merged document comes from (segment `part[n]`,
 * its document `local[n]`).
 */
export function liveDocumentTables(parts: DocumentTablesPart[]): {
  data: Omit<DocumentTables, 'documents'>;
  bases: number[];
  renumber: Array<{ map: Int32Array; live: number }>;
  part: Uint16Array;
  local: Uint32Array;
} {
  const renumber = parts.map(liveOrdinals);
  let base = 0;
  const bases = renumber.map(({ live }) => {
    const at = base;
    base += live;
    return at;
  });
  const documentCount = base;
  const pick = (field: 'titleUnits' | 'docUnits' | 'titleWords' | 'bodyWords'): Uint32Array => {
    const out = new Uint32Array(documentCount);
    parts.forEach((part, p) => {
      const { map } = renumber[p];
      for (let d = 0; d < part.data.documentCount; d++) if (map[d] >= 0) out[bases[p] + map[d]] = part.data[field][d];
    });
    return out;
  };

  const meta = new ByteWriter(1 << 14);
  const part = new Uint16Array(documentCount);
  const local = new Uint32Array(documentCount);
  parts.forEach((segment, p) => {
    const { map } = renumber[p];
    const lines = lineStarts(segment.data.metaBytes, segment.data.documentCount);
    for (let d = 0; d < segment.data.documentCount; d++) {
      if (map[d] < 0) continue;
      part[bases[p] + map[d]] = p;
      local[bases[p] + map[d]] = d;
      meta.writeBytes(segment.data.metaBytes.subarray(lines[d], lines[d + 1]));
    }
  });

  const data = {
    documentCount,
    titleUnits: pick('titleUnits'),
    docUnits: pick('docUnits'),
    titleWords: pick('titleWords'),
    bodyWords: pick('bodyWords'),
    metaBytes: meta.bytes().slice(),
  };
  return { data, bases, renumber, part, local };
}

/** For each document of a segment, its number among the segment's live documents, or -1 when deleted. */
function liveOrdinals(part: DocumentTablesPart): { map: Int32Array; live: number } {
  const map = new Int32Array(part.data.documentCount);
  let live = 0;
  let k = 0;
  for (let d = 0; d < map.length; d++) {
    if (k < part.deleted.length && part.deleted[k] === d) {
      map[d] = -1;
      k++;
    } else map[d] = live++;
  }
  return { map, live };
}

/** Byte offset where each line of a one-line-per-document file starts; length documents + 1. */
function lineStarts(bytes: Uint8Array, documents: number): Uint32Array {
  const starts = new Uint32Array(documents + 1);
  let line = 1;
  for (let i = 0; i < bytes.length && line <= documents; i++) if (bytes[i] === NEWLINE) starts[line++] = i + 1;
  return starts;
}

/** The smallest term at the heads of sorted term lists (`heads[p]`: where list p stands), or undefined when all are done. */
export function smallestHead<K extends string | number>(keyLists: ArrayLike<K>[], heads: ArrayLike<number>): K | undefined {
  let smallest: K | undefined;
  for (let p = 0; p < keyLists.length; p++) {
    if (heads[p] < keyLists[p].length && (smallest === undefined || keyLists[p][heads[p]] < smallest)) smallest = keyLists[p][heads[p]];
  }
  return smallest;
}

/** Where a merge takes each segment's documents: its renumbering (-1: deleted) and its first number in the merged index. */
export interface Target {
  map: Int32Array;
  base: number;
}

/**
 * Where one segment's postings of a family are read during a merge: `term(t)` makes the
 * postings of the segment's term t readable in `family` and returns its number there (the
 * segment's own family and t, when it is in memory; a window over the file, when streamed).
 */
export interface FamilyInput {
  family: PostingsFamily;
  term: (t: number) => number;
}

/** Where a merged family's postings go, term by term: `out` is appended to; `offset()` is the bytes written so far; `termDone()` follows each term. */
export interface PostingsSink {
  out: ByteWriter;
  offset: () => number;
  termDone: () => void;
}

/** Where a merge puts a family's merged keys, in order: an array (words) or a GrowableU32 (bigrams, chars: 4 bytes a key). */
export interface KeySink<K> {
  push(key: K): void;
}

/** A merged family's term table (its postings went to the sink; its keys to the KeySink). */
export interface MergedTable {
  offsets: Uint32Array;
  df: Uint32Array;
}

/**
 * Merges one postings family of several segments: the union of their sorted terms, each
 * term's entries gathered in segment order with documents renumbered, encoded again.
 * Held in memory (no `sink`) or written to `sink` term by term.
 */
function mergeFamily<K extends string | number>(keyLists: ArrayLike<K>[], inputs: FamilyInput[], targets: Target[], copyTerm: CopyTerm): { keys: K[]; family: PostingsFamily } {
  const out = new ByteWriter(1 << 20);
  const keys: K[] = [];
  const table = mergeFamilyInto(keyLists, inputs, targets, copyTerm, { out, offset: () => out.length, termDone: () => undefined }, keys);
  return { keys, family: { offsets: table.offsets, df: table.df, postings: out.bytes().slice() } };
}

/**
 * mergeFamily with the postings written to `sink` as each term is merged and the keys to `keys`: what a merge streaming its
 * segments uses. The offsets and document frequencies are gathered in typed arrays (a merge of ten news-large segments
 * has a million bigrams: 12 bytes each, where arrays of numbers took twice that and more while they grew).
 */
export function mergeFamilyInto<K extends string | number>(keyLists: ArrayLike<K>[], inputs: FamilyInput[], targets: Target[], copyTerm: CopyTerm, sink: PostingsSink, keys: KeySink<K>): MergedTable {
  const offsets = new GrowableU32();
  offsets.push(0);
  const df = new GrowableU32();
  const heads = keyLists.map(() => 0);
  const docs = targets.map(({ map, base }) => map.map((n) => (n < 0 ? -1 : base + n)));
  const families = inputs.map((input) => input.family);
  const local = new Int32Array(inputs.length);
  const localTerm: LocalTerm = (p) => local[p];
  for (;;) {
    const smallest = smallestHead(keyLists, heads);
    if (smallest === undefined) break;
    for (let p = 0; p < keyLists.length; p++) {
      local[p] = heads[p] < keyLists[p].length && keyLists[p][heads[p]] === smallest ? inputs[p].term(heads[p]++) : -1;
    }
    const count = copyTerm(sink.out, families, docs, localTerm); // a term left with no documents writes nothing
    if (count > 0) {
      keys.push(smallest);
      df.push(count);
      offsets.push(sink.offset());
    }
    sink.termDone();
  }
  return { offsets: offsets.toArray(), df: df.toArray() };
}
