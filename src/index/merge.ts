import { IndexData, PostingsFamily, SegmentPart } from './data';
import { encodePositional } from './bigramEntry';
import { encodeCounts } from './countsEntry';
import { compactDocuments } from './docStore';
import { lexiconOf, mergeLexicons } from './lexicon';
import { LocalTerm, gatherCounts, gatherPositional } from './segmentedPostings';
import { ByteWriter } from './varint';

/** Writes one term of `families` (where `local` says each segment holds it) to `out`, renumbered by `docs`, in the stored format; returns its document count. */
type CopyTerm = (out: ByteWriter, families: PostingsFamily[], docs: Int32Array[], local: LocalTerm) => number;

const copyCounts: CopyTerm = (out, families, docs, local) => {
  const counts = gatherCounts(families, docs, local);
  encodeCounts(out, counts);
  return counts.docs.length;
};

const copyPositional: CopyTerm = (out, families, docs, local) => {
  const postings = gatherPositional(families, docs, local);
  encodePositional(out, postings);
  return postings.docs.length;
};

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
  const words = mergeFamily(
    parts.map((part) => part.data.words),
    parts.map((part) => part.data.wordTerms),
    targets,
    copyCounts,
  );
  const bigrams = mergeFamily(
    parts.map((part) => part.data.bigrams),
    parts.map((part) => part.data.bigramKeys),
    targets,
    copyPositional,
  );
  const chars = mergeFamily(
    parts.map((part) => part.data.chars),
    parts.map((part) => part.data.charKeys),
    targets,
    copyCounts,
  );
  return {
    ...data,
    documents: options.joinDocuments ? data.documents : compactDocuments(data.documents),
    wordTerms: words.keys as string[],
    words: words.family,
    bigramKeys: Uint32Array.from(bigrams.keys as number[]),
    bigrams: bigrams.family,
    charKeys: Uint32Array.from(chars.keys as number[]),
    chars: chars.family,
    lexicon: mergeLexicons(
      parts.map((part) => ({ wordTerms: part.data.wordTerms, lexicon: lexiconOf(part.data) })),
      words.keys as string[],
    ),
  };
}

/** What an index of the live documents of `parts` holds besides postings: document tables, joined stored documents, metadata. */
type DocumentTables = Pick<IndexData, 'documentCount' | 'titleUnits' | 'titleWords' | 'bodyWords' | 'documents' | 'metaBytes'>;

/**
 * The document tables of the live documents of `parts`, in order (stored documents joined,
 * not compressed again), with each segment's first number and its documents' renumbering.
 */
export function joinedDocumentTables(parts: SegmentPart[]): { data: DocumentTables; bases: number[]; renumber: Array<{ map: Int32Array; live: number }> } {
  const renumber = parts.map(liveOrdinals);
  let base = 0;
  const bases = renumber.map(({ live }) => {
    const at = base;
    base += live;
    return at;
  });
  const documentCount = base;
  const pick = (field: 'titleUnits' | 'titleWords' | 'bodyWords'): Uint32Array => {
    const out = new Uint32Array(documentCount);
    parts.forEach((part, p) => {
      const { map } = renumber[p];
      for (let d = 0; d < part.data.documentCount; d++) if (map[d] >= 0) out[bases[p] + map[d]] = part.data[field][d];
    });
    return out;
  };

  const meta = new ByteWriter(1 << 14);
  const joined = { parts: parts.map((part) => compactDocuments(part.data.documents)), part: new Uint16Array(documentCount), local: new Uint32Array(documentCount) };
  parts.forEach((part, p) => {
    const { map } = renumber[p];
    const lines = lineStarts(part.data.metaBytes, part.data.documentCount);
    for (let d = 0; d < part.data.documentCount; d++) {
      if (map[d] < 0) continue;
      joined.part[bases[p] + map[d]] = p;
      joined.local[bases[p] + map[d]] = d;
      meta.writeBytes(part.data.metaBytes.subarray(lines[d], lines[d + 1]));
    }
  });

  const data: DocumentTables = {
    documentCount,
    titleUnits: pick('titleUnits'),
    titleWords: pick('titleWords'),
    bodyWords: pick('bodyWords'),
    documents: joined,
    metaBytes: meta.bytes().slice(),
  };
  return { data, bases, renumber };
}

/** For each document of a segment, its number among the segment's live documents, or -1 when deleted. */
function liveOrdinals(part: SegmentPart): { map: Int32Array; live: number } {
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

interface Target {
  map: Int32Array;
  base: number;
}

/**
 * Merges one postings family of several segments: the union of their sorted terms, each
 * term's entries gathered in segment order with documents renumbered, encoded again.
 */
function mergeFamily<K extends string | number>(
  families: PostingsFamily[],
  keyLists: ArrayLike<K>[],
  targets: Target[],
  copyTerm: CopyTerm,
): { keys: K[]; family: PostingsFamily } {
  const keys: K[] = [];
  const offsets: number[] = [0];
  const df: number[] = [];
  const out = new ByteWriter(1 << 20);
  const heads = keyLists.map(() => 0);
  const docs = targets.map(({ map, base }) => map.map((n) => (n < 0 ? -1 : base + n)));
  const local = new Int32Array(families.length);
  const localTerm: LocalTerm = (p) => local[p];
  for (;;) {
    const smallest = smallestHead(keyLists, heads);
    if (smallest === undefined) break;
    for (let p = 0; p < keyLists.length; p++) {
      local[p] = heads[p] < keyLists[p].length && keyLists[p][heads[p]] === smallest ? heads[p]++ : -1;
    }
    const count = copyTerm(out, families, docs, localTerm); // a term left with no documents writes nothing
    if (count > 0) {
      keys.push(smallest);
      df.push(count);
      offsets.push(out.length);
    }
  }
  return { keys, family: { offsets: Uint32Array.from(offsets), df: Uint32Array.from(df), postings: out.bytes().slice() } };
}
