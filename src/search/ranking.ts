import { IndexData } from '../index/data';
import { GALLOP_RATIO, seek } from '../index/sortedDocs';
import { FieldCounts } from '../index/postings';

/** BM25F and proximity settings. Defaults were chosen with scripts/known-item.ts (see README). */
export interface RankingOptions {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Weight of an occurrence in the title (and subtitle) relative to one in the body. Default 3. */
  titleWeight?: number;
  /** Length normalization of titles (0 = none, 1 = full). Default 0.5. */
  titleB?: number;
  /** Length normalization of bodies. Default 0.75. */
  bodyB?: number;
  /** Weight of a whole query term occurring literally, relative to one word. Default 1. */
  literalWeight?: number;
  /** Weight of two consecutive query words standing side by side in the document. Default 0.5. */
  adjacencyWeight?: number;
  /** Weight of a word that jieba's search mode finds inside a query word (中华人民共和国 → 共和国). Default 0.3. */
  searchWordWeight?: number;
  /** Weight of each of the query's character bigrams. Default 0.5. */
  bigramWeight?: number;
  /** Weight of each query bigram's occurrences in the first 150 characters of the body. Default 0.3. */
  leadWeight?: number;
}

export type ResolvedRanking = Required<RankingOptions>;

export const DEFAULT_RANKING: ResolvedRanking = {
  k1: 1.2,
  titleWeight: 3,
  titleB: 0.5,
  bodyB: 0.75,
  literalWeight: 1,
  adjacencyWeight: 0.5,
  searchWordWeight: 0.3,
  bigramWeight: 0.5,
  leadWeight: 0.3,
};

/** Documents are grouped in blocks of 2^BLOCK_SHIFT consecutive ones for block ceilings (Bm25f.addBlockCeilings). */
export const BLOCK_SHIFT = 4;

/** Block maxima as scan writes them: the first `count` entries of `blocks` and `maxima`. */
interface BlockMaxima {
  blocks: Uint32Array;
  maxima: Float64Array;
  count: number;
}

/**
 * What is known of a postings list's saturated frequencies tf/(k1+tf): the largest, whether
 * its block maxima were worked out before (`scanned`), and, once they are kept with the
 * list, the ascending numbers of the blocks holding one of its documents with the largest
 * in each.
 */
interface Saturations {
  most: number;
  scanned: boolean;
  blocks?: Uint32Array;
  maxima?: Float64Array;
}

/** No hits (what `bound` needs of them when the document frequency is given). */
const EMPTY_HITS: FieldCounts = { docs: new Uint32Array(0), title: new Uint32Array(0), body: new Uint32Array(0) };

/** Robertson–Spärck Jones inverse document frequency, never negative. */
export function idf(documentCount: number, docFreq: number): number {
  return Math.log(1 + (documentCount - docFreq + 0.5) / (docFreq + 0.5));
}

/** What BM25F reads of the documents it scores: their number and each one's field lengths in words. */
export type DocumentLengths = Pick<IndexData, 'documentCount' | 'titleWords' | 'bodyWords'>;

/**
 * The statistics of the whole collection that IDF and length normalization use: those of
 * the index scored, or, when the documents scored are a few candidates of a larger
 * collection (a cluster's best hits re-ranked on its head), the collection's own.
 */
export interface CollectionStatistics {
  documentCount: number;
  /** Mean number of words in a title field and in a body. */
  avgTitleWords: number;
  avgBodyWords: number;
}

/** The collection statistics of documents that are the whole collection. */
export function statisticsOf(data: DocumentLengths): CollectionStatistics {
  let title = 0;
  let body = 0;
  for (let d = 0; d < data.documentCount; d++) {
    title += data.titleWords[d];
    body += data.bodyWords[d];
  }
  return { documentCount: data.documentCount, avgTitleWords: title / Math.max(1, data.documentCount), avgBodyWords: body / Math.max(1, data.documentCount) };
}

/**
 * Adds one BM25F feature to the scores of `candidates` (ascending document numbers;
 * `scores[i]` belongs to `candidates[i]`): the field frequencies are length-normalized
 * and weighted per field, summed, then saturated once (Robertson & Zaragoza's BM25F).
 * IDF and average lengths come from `collection` (default: the documents' own).
 */
export class Bm25f {
  private readonly avgTitle: number;
  private readonly avgBody: number;
  private readonly documentCount: number;
  /** Per postings list, its saturated frequencies, plain and flat (see ceiling and addBlockCeilings). */
  private readonly saturated = new WeakMap<FieldCounts, { plain?: Saturations; flat?: Saturations }>();
  /** See norms. */
  private lengthNorms?: { title: Float64Array; body: Float64Array };
  /** The largest saturated frequency of lists ranking reads in part (by their key and whether flat), from when one was read whole (see partialCeiling). */
  private readonly partialMost = new Map<string, number>();

  constructor(
    private readonly data: DocumentLengths,
    readonly options: ResolvedRanking,
    collection: CollectionStatistics = statisticsOf(data),
  ) {
    this.documentCount = collection.documentCount;
    this.avgTitle = Math.max(1, collection.avgTitleWords);
    this.avgBody = Math.max(1, collection.avgBodyWords);
  }

  /**
   * Adds the feature `hits` (weighted by `weight`, its IDF from `docFreq`: by default the
   * number of documents in `hits`) to the scores of the candidates that have it. Each
   * score gets the same terms in the same order whatever the other candidates are, so
   * scoring a subset gives bit-identical scores. A `flat` feature's counts are not
   * length-normalized (occurrences in a fixed window).
   */
  accumulate(scores: Float64Array, candidates: Uint32Array, hits: FieldCounts, weight: number, flat = false, docFreq = hits.docs.length): void {
    if (weight === 0 || hits.docs.length === 0) return;
    const { k1, titleWeight } = this.options;
    const w = weight * idf(this.documentCount, docFreq) * (k1 + 1);
    const { title: titleNorm, body: bodyNorm } = this.norms();
    // Few candidates against long postings (the survivors of pruning): gallop through the postings;
    // short postings against many candidates (a rare bigram of a long query): gallop through the candidates.
    const gallop = candidates.length * GALLOP_RATIO < hits.docs.length;
    const gallopCandidates = hits.docs.length * GALLOP_RATIO < candidates.length;
    for (let i = 0, j = 0; i < candidates.length && j < hits.docs.length; ) {
      const doc = candidates[i];
      const hitDoc = hits.docs[j];
      if (doc < hitDoc) i = gallopCandidates ? seek(candidates, hitDoc, i + 1) : i + 1;
      else if (doc > hitDoc) j = gallop ? seek(hits.docs, doc, j + 1) : j + 1;
      else {
        const tf = flat ? flatFrequency(titleWeight, hits.title[j], hits.body[j]) : frequency(titleWeight, hits.title[j], hits.body[j], titleNorm[doc], bodyNorm[doc]);
        scores[i] += (w * tf) / (k1 + tf);
        i++;
        j++;
      }
    }
  }

  /**
   * Each document's length normalizations, the denominators 1 − b + b × length / mean length
   * of its title and body (the `flat` features' are 1: b = 0), worked out once: the same
   * values, bit for bit, as working them out per posting, which was most of the divisions
   * of scoring and of block ceilings (scan).
   */
  private norms(): { title: Float64Array; body: Float64Array } {
    if (this.lengthNorms) return this.lengthNorms;
    const { titleB, bodyB } = this.options;
    const { titleWords, bodyWords, documentCount } = this.data;
    const title = new Float64Array(documentCount);
    const body = new Float64Array(documentCount);
    for (let doc = 0; doc < documentCount; doc++) {
      title[doc] = 1 - titleB + (titleB * titleWords[doc]) / this.avgTitle;
      body[doc] = 1 - bodyB + (bodyB * bodyWords[doc]) / this.avgBody;
    }
    return (this.lengthNorms = { title, body });
  }

  /** What `accumulate` can add to any one score at most: the saturation tf/(k1+tf) stays below 1. */
  bound(hits: FieldCounts, weight: number, docFreq = hits.docs.length): number {
    return docFreq === 0 ? 0 : weight * idf(this.documentCount, docFreq) * (this.options.k1 + 1);
  }

  /**
   * The most `accumulate` adds to any one score, exactly: the largest contribution over the
   * feature's documents (at most `bound`), computed as accumulate computes it, so no score
   * exceeds it. Pruning with it (topk.ts) drops documents sooner than with `bound`: few
   * documents hold a term often enough to near saturation. The saturated frequency is kept
   * per postings list (the reader hands out the same object while it caches the list).
   */
  ceiling(hits: FieldCounts, weight: number, flat = false, docFreq = hits.docs.length): number {
    if (weight === 0 || hits.docs.length === 0) return 0;
    let known = this.kept(hits, flat);
    // The largest alone is kept until block maxima are asked for (addBlockCeilings works them out then).
    if (known === undefined) this.keep(hits, flat, (known = { most: this.scan(hits, flat), scanned: false }));
    return this.factor(weight, docFreq) * known.most;
  }

  /**
   * What a feature whose postings are read in part (topk.ts PartialCounts, named by `key`)
   * adds to any one score at most: its `ceiling`, when its whole list was read before
   * (notePartial; the list itself may be gone from the reader's cache since), else `bound`.
   */
  partialCeiling(key: string | undefined, weight: number, flat = false, docFreq: number): number {
    const most = key === undefined ? undefined : this.partialMost.get(flat ? `${key} flat` : key);
    return most === undefined ? this.bound(EMPTY_HITS, weight, docFreq) : this.factor(weight, docFreq) * most;
  }

  /** Keeps the largest saturated frequency of `hits`, all of the list named `key` (see partialCeiling). */
  notePartial(key: string, hits: FieldCounts, flat = false): void {
    const name = flat ? `${key} flat` : key;
    if (!this.partialMost.has(name)) this.partialMost.set(name, this.kept(hits, flat)?.most ?? this.scan(hits, flat));
  }

  /** How many blocks of 2^BLOCK_SHIFT documents the documents scored fill (the length of addBlockCeilings' `ceilings`). */
  get blockCount(): number {
    return ((this.data.documentCount - 1) >> BLOCK_SHIFT) + 1;
  }

  /** What addBlockCeilings costs for `hits` at most, in steps: one per block that holds one of its documents. */
  blockCeilingsCost(hits: FieldCounts): number {
    return Math.min(hits.docs.length, this.blockCount);
  }

  /**
   * Adds to `ceilings[b]` the most `accumulate` adds to the score of any one document of
   * block b (documents b·2^BLOCK_SHIFT … (b+1)·2^BLOCK_SHIFT − 1; nothing where no document
   * of the block holds the feature), computed as accumulate computes it: summed over a
   * query's features, an upper bound of the score of every document of the block
   * (topk.ts), far tighter than the sum of ceilings, as few blocks hold a document near
   * saturation. A common list's block maxima are kept with it from the second time they are
   * asked for (see keepsBlocks), a rare list's worked out anew: the same sums either way.
   */
  addBlockCeilings(ceilings: Float64Array, hits: FieldCounts, weight: number, flat = false, docFreq = hits.docs.length): void {
    if (weight === 0 || hits.docs.length === 0) return;
    const w = this.factor(weight, docFreq);
    const known = this.kept(hits, flat);
    if (known?.blocks && known.maxima) {
      const { blocks, maxima } = known;
      for (let i = 0; i < blocks.length; i++) ceilings[blocks[i]] += w * maxima[i];
      return;
    }
    // A common list whose maxima were worked out before is kept with them; otherwise they go straight into `ceilings`.
    const keeps = known?.scanned === true && this.keepsBlocks(hits);
    const room = Math.min(hits.docs.length, this.blockCount);
    const made: BlockMaxima | undefined = keeps ? { blocks: new Uint32Array(room), maxima: new Float64Array(room), count: 0 } : undefined;
    const most = this.scan(hits, flat, ceilings, w, made);
    this.keep(hits, flat, { most, scanned: true, ...(made ? { blocks: made.blocks.subarray(0, made.count), maxima: made.maxima.subarray(0, made.count) } : {}) });
  }

  /** What accumulate multiplies a saturated frequency by: weight × IDF × (k1 + 1). */
  private factor(weight: number, docFreq: number): number {
    return weight * idf(this.documentCount, docFreq) * (this.options.k1 + 1);
  }

  /**
   * Whether a list is held by enough documents (1/64 of them) to keep its block maxima once
   * they are asked for a second time: a rare list's cost as much memory as the list and
   * take little time to work out again, and a list used once (most of the common lists
   * a query decodes anew are gone from the reader's cache before another query asks for
   * them) would only leave them to the garbage collector.
   */
  private keepsBlocks(hits: FieldCounts): boolean {
    return hits.docs.length * 64 >= this.data.documentCount;
  }

  /** What is known of a list's saturations (see Saturations). */
  private kept(hits: FieldCounts, flat: boolean): Saturations | undefined {
    const known = this.saturated.get(hits);
    return flat ? known?.flat : known?.plain;
  }

  /** Keeps what is known of a list's saturations for as long as the list lives. */
  private keep(hits: FieldCounts, flat: boolean, saturations: Saturations): void {
    let known = this.saturated.get(hits);
    if (!known) this.saturated.set(hits, (known = {}));
    if (flat) known.flat = saturations;
    else known.plain = saturations;
  }

  /**
   * The largest saturated frequency tf/(k1+tf) of `hits`, tf as accumulate computes it (w
   * times one differs from what accumulate adds by rounding alone; topk.ts's SLACK covers
   * that). With `ceilings`, it also adds `w` times the largest in each block holding one of
   * its documents to that block's ceiling, and with `made`, writes those blocks and maxima
   * there (`made.count` of them).
   */
  private scan(hits: FieldCounts, flat: boolean, ceilings?: Float64Array, w = 0, made?: BlockMaxima): number {
    const { k1, titleWeight } = this.options;
    const { title: titleNorm, body: bodyNorm } = this.norms();
    const { docs, title, body } = hits;
    const shift = BLOCK_SHIFT;
    let most = 0;
    let block = -1;
    let blockMost = 0;
    let count = 0;
    for (let j = 0; j < docs.length; j++) {
      const doc = docs[j];
      const tf = flat ? flatFrequency(titleWeight, title[j], body[j]) : frequency(titleWeight, title[j], body[j], titleNorm[doc], bodyNorm[doc]);
      const saturation = tf / (k1 + tf);
      if (saturation > most) most = saturation;
      if (!ceilings) continue;
      if (doc >> shift === block) {
        if (saturation > blockMost) blockMost = saturation;
        continue;
      }
      if (block >= 0) {
        ceilings[block] += w * blockMost;
        if (made) {
          made.blocks[count] = block;
          made.maxima[count++] = blockMost;
        }
      }
      block = doc >> shift;
      blockMost = saturation;
    }
    if (ceilings && block >= 0) {
      ceilings[block] += w * blockMost;
      if (made) {
        made.blocks[count] = block;
        made.maxima[count++] = blockMost;
      }
    }
    if (made) made.count = count;
    return most;
  }
}

/**
 * A document's BM25F frequency of one feature: title and body counts divided by their
 * length normalizations (Bm25f.norms), the title's weighted. A count of 0 adds exactly 0, so
 * it is not divided (the same sum, bit for bit).
 */
function frequency(titleWeight: number, title: number, body: number, titleNorm: number, bodyNorm: number): number {
  return title === 0 ? body / bodyNorm : (titleWeight * title) / titleNorm + body / bodyNorm;
}

/** frequency of a `flat` feature, whose normalizations are exactly 1: dividing by them changes nothing. */
function flatFrequency(titleWeight: number, title: number, body: number): number {
  return title === 0 ? body : titleWeight * title + body;
}

/**
 * Positions in `candidates` of the best `k` scores, best first; ties go to the lower
 * document number, so results are deterministic.
 */
export function topK(scores: Float64Array, candidates: Uint32Array, k: number): number[] {
  const better = (a: number, b: number): boolean => scores[a] > scores[b] || (scores[a] === scores[b] && candidates[a] < candidates[b]);
  // A min-heap (by `better`) of the best k seen so far.
  const heap: number[] = [];
  const siftDown = (at: number): void => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < heap.length && better(heap[worst], heap[l])) worst = l;
      if (r < heap.length && better(heap[worst], heap[r])) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst], heap[at]];
      at = worst;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!better(heap[parent], heap[at])) break;
        [heap[at], heap[parent]] = [heap[parent], heap[at]];
        at = parent;
      }
    } else if (k > 0 && better(i, heap[0])) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
