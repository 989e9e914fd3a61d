import { Fingerprint, SKETCH_BINS, parseFingerprint } from '../index/fingerprint';
import { inSlices } from '../eventLoop';
import { seek } from './docSets';

/**
 * Bodies whose sketches agree on at least this many of their SKETCH_BINS bins are copies
 * of one article (an estimated Jaccard similarity of their bigram sets of about 0.8 or
 * more). Chosen on news-dev (README "Duplicates"): pairs above it were the same text with
 * another headline, source line or credit; below it, different articles on one story.
 */
export const MIN_AGREEING_BINS = 14;
/** Bodies of fewer distinct bigrams are compared by their exact text only: a sketch of a few bigrams says little. */
export const MIN_DISTINCT = SKETCH_BINS * 4;
/** Bins per band for finding candidate pairs: two sketches agreeing on a whole band are compared. */
const BAND_BINS = 4;

/**
 * Copies of one article among the documents of an index, from the fingerprints the
 * builder stored in docmeta (index/fingerprint.ts): documents with the same text, and
 * long enough documents whose body sketches agree on MIN_AGREEING_BINS bins, are linked;
 * linked documents form a group. Candidate pairs are those agreeing on a whole band of
 * BAND_BINS bins (locality-sensitive hashing: copies share a band with near certainty,
 * unrelated articles almost never). Documents without a fingerprint (indexes built before
 * fingerprints) have no copies.
 */
export class DuplicateGroups {
  /** The documents that have copies, ascending. */
  private readonly grouped: Uint32Array;

  private constructor(
    /** Group number of each document, or -1 for a document without copies. */
    private readonly groupOfDoc: Int32Array,
    /** Each group's documents, ascending. */
    private readonly members: number[][],
  ) {
    this.grouped = Uint32Array.from(members.flat()).sort();
  }

  /** Groups the documents of an index by their fingerprints (docmeta's last field, by document; undefined where there is none). */
  static fromFingerprints(prints: readonly (string | undefined)[]): DuplicateGroups {
    const { phases, finish } = grouping(prints);
    for (const phase of phases) {
      const { items, step } = phase();
      for (const item of items) step(item);
    }
    return finish();
  }

  /**
   * What fromFingerprints does, in slices between which the event loop turns (a serving server
   * builds them beside its answers: about 0.2 s on news-dev at once, growing with the documents).
   * Rejects once `signal` aborts.
   */
  static async fromFingerprintsInSlices(prints: readonly (string | undefined)[], signal?: AbortSignal): Promise<DuplicateGroups> {
    const { phases, finish } = grouping(prints);
    for (const phase of phases) {
      const { items, step } = phase();
      await inSlices(items, step, { signal });
    }
    return finish();
  }

  /** Groups of `documentCount` documents from the lists of each group's documents (ascending, two or more each). */
  static of(documentCount: number, members: number[][]): DuplicateGroups {
    const groupOfDoc = new Int32Array(documentCount).fill(-1);
    members.forEach((list, group) => list.forEach((doc) => (groupOfDoc[doc] = group)));
    return new DuplicateGroups(groupOfDoc, members);
  }

  /** Whether any document has a copy. */
  get any(): boolean {
    return this.members.length > 0;
  }

  /** Number of groups of copies. */
  get groupCount(): number {
    return this.members.length;
  }

  /** Every group of copies: its documents, ascending; groups in order of their first document. */
  groups(): number[][] {
    return this.members.map((list) => [...list]);
  }

  /** The group of a document that has copies, or undefined. */
  groupOf(doc: number): number | undefined {
    const group = this.groupOfDoc[doc];
    return group < 0 ? undefined : group;
  }

  /** The documents of `doc`'s group (itself included, ascending), only those in one of `within` (ascending arrays) when given. */
  membersOf(doc: number, within?: readonly Uint32Array[]): number[] {
    const group = this.groupOfDoc[doc];
    if (group < 0) return [doc];
    const all = this.members[group];
    return within ? all.filter((d) => within.some((docs) => contains(docs, d))) : [...all];
  }

  /** Number of distinct articles among `docs` (arrays of documents, disjoint): copies of one count once. */
  distinct(docs: readonly Uint32Array[]): number {
    return this.distinctBeyond(docs, []);
  }

  /**
   * Number of distinct articles among `docs` whose group has no document in `before` either.
   * Only the documents that have copies need a look (a few per cent of an index): each list
   * counts its length, less its grouped documents whose group was seen already. A common
   * word's tens of thousands of matches, counted on every query, are galloped through from
   * one grouped document to the next rather than read whole.
   */
  distinctBeyond(docs: readonly Uint32Array[], before: readonly Uint32Array[]): number {
    const seen = new Uint8Array(this.members.length);
    for (const list of before) {
      const n = this.groupedIn(list);
      for (let i = 0; i < n; i++) seen[this.groupOfDoc[groupedScratch[i]]] = 1;
    }
    let count = 0;
    for (const list of docs) {
      count += list.length;
      const n = this.groupedIn(list);
      for (let i = 0; i < n; i++) {
        const group = this.groupOfDoc[groupedScratch[i]];
        if (seen[group] === 1) count--;
        else seen[group] = 1;
      }
    }
    return count;
  }

  /**
   * Writes the documents of `list` (ascending) that have copies to the start of
   * groupedScratch, ascending; returns how many. A list many times longer than the grouped
   * documents is galloped through from one grouped document to the next; a shorter one is
   * read whole (a look-up per document is cheaper than a gallop per document).
   */
  private groupedIn(list: Uint32Array): number {
    const { grouped, groupOfDoc } = this;
    if (groupedScratch.length < grouped.length) groupedScratch = new Uint32Array(grouped.length);
    let n = 0;
    if (list.length <= grouped.length * GALLOP_RATIO) {
      for (let i = 0; i < list.length; i++) if (groupOfDoc[list[i]] >= 0) groupedScratch[n++] = list[i];
    } else {
      for (let j = 0, i = 0; j < grouped.length && i < list.length; j++) {
        i = seek(list, grouped[j], i);
        if (i < list.length && list[i] === grouped[j]) groupedScratch[n++] = grouped[j];
      }
    }
    return n;
  }
}

/**
 * How many of a tier's best documents to ask for next, when its best `asked` held only `found`
 * new articles of the `missing` wanted (the rest were copies of articles already taken).
 * The best n of a tier are the first n of its best m for any m ≥ n (ties go to the lower
 * document), so asking for more changes only how often the tier is ranked, never which
 * articles come first. Doubling needed four rankings of a tier in which every article has five
 * copies (1 + 2 + 4 + 8 times k documents); growing by the share of new articles seen, with
 * a quarter more, needs two. Never less than twice `asked`, so that a deep run of copies is
 * left in a few rankings.
 */
export function deeperAsk(asked: number, found: number, missing: number): number {
  if (found === 0) return asked * 2;
  return Math.max(asked * 2, Math.ceil(((asked * missing) / found) * 1.25));
}

/** A list this many times longer than the grouped documents is galloped through (DuplicateGroups.groupedIn). */
const GALLOP_RATIO = 16;

/** Room for DuplicateGroups.groupedIn's documents, reused from one count to the next (it never leaves distinctBeyond). */
let groupedScratch = new Uint32Array(0);

/** One pass of the grouping: the numbers to visit (documents or buckets) and what to do with each. */
interface Phase {
  items: Iterable<number>;
  step: (item: number) => void;
}

/**
 * The grouping as passes over the documents and buckets, each made when the one before
 * is done: read the fingerprints and link identical texts; per band, bucket the sketches,
 * then link the pairs of a bucket that agree on MIN_AGREEING_BINS bins (union–find).
 */
function grouping(stored: readonly (string | undefined)[]): { phases: Array<() => Phase>; finish: () => DuplicateGroups } {
  const prints: Array<Fingerprint | undefined> = new Array(stored.length);
  const parent = Int32Array.from({ length: stored.length }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const link = (a: number, b: number): void => {
    parent[find(a)] = find(b);
  };
  const docs = (): number[] => Array.from({ length: stored.length }, (_, doc) => doc);
  const same = new Map<string, number>();
  const phases: Array<() => Phase> = [
    () => ({
      items: docs(),
      step: (doc: number) => {
        const print = (prints[doc] = parseFingerprint(stored[doc]));
        if (!print) return;
        const key = `${print.exact}:${print.distinct}`;
        const first = same.get(key);
        if (first === undefined) same.set(key, doc);
        else link(doc, first);
      },
    }),
  ];
  for (let band = 0; band < SKETCH_BINS / BAND_BINS; band++) {
    const buckets = new Map<number, number[]>();
    phases.push(
      () => ({
        items: docs(),
        step: (doc: number) => {
          const print = prints[doc];
          if (!print || print.distinct < MIN_DISTINCT) return;
          const value = bandKey(print.sketch, band);
          const bucket = buckets.get(value);
          if (bucket) bucket.push(doc);
          else buckets.set(value, [doc]);
        },
      }),
      () => {
        const lists = [...buckets.values()];
        return {
          items: lists.keys(),
          step: (n: number) => {
            const bucket = lists[n];
            for (let i = 0; i < bucket.length; i++) {
              for (let j = i + 1; j < bucket.length; j++) if (agreeingBins(prints[bucket[i]]!, prints[bucket[j]]!) >= MIN_AGREEING_BINS) link(bucket[i], bucket[j]);
            }
          },
        };
      },
    );
  }
  const finish = (): DuplicateGroups => {
    const byRoot = new Map<number, number[]>();
    for (let doc = 0; doc < stored.length; doc++) {
      const root = find(doc);
      const list = byRoot.get(root);
      if (list) list.push(doc);
      else byRoot.set(root, [doc]);
    }
    return DuplicateGroups.of(stored.length, [...byRoot.values()].filter((list) => list.length >= 2));
  };
  return { phases, finish };
}

/** The BAND_BINS bins (bytes) of band `band` of a sketch as one number. */
function bandKey(sketch: Uint8Array, band: number): number {
  let key = 0;
  for (let i = band * BAND_BINS; i < (band + 1) * BAND_BINS; i++) key = key * 256 + sketch[i];
  return key;
}

/** Bins on which two body sketches agree. */
function agreeingBins(a: Fingerprint, b: Fingerprint): number {
  let n = 0;
  for (let i = 0; i < SKETCH_BINS; i++) if (a.sketch[i] === b.sketch[i]) n++;
  return n;
}

function contains(docs: Uint32Array, doc: number): boolean {
  const at = seek(docs, doc, 0);
  return at < docs.length && docs[at] === doc;
}
