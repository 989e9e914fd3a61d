import { withRoom } from '../index/growableU32';
import { FieldCounts } from '../index/postings';
import { Deadline } from './deadline';
import { BLOCK_SHIFT, Bm25f, topK } from './ranking';

/**
 * A feature's postings that ranking reads only as far as it needs them: every document that
 * has it, and its entries (with counts) for some of them. Pruning bounds what it adds to a
 * score by weight × IDF × (k1 + 1) (Bm25f.bound) and reads its entries for the candidates
 * left (a one-character query's literal matches: its list's counts decoded whole, and scanned
 * for block ceilings, were a third of such a query's time on news-large).
 */
export interface PartialCounts {
  /** Every document that has the feature, ascending. */
  docs: Uint32Array;
  /** Its entries for at least those documents of `wanted` (ascending) that have it. */
  among(wanted: Uint32Array): FieldCounts;
  /** Names the list (one name per list of the index): once read whole, its largest contribution bounds it for later queries (Bm25f.partialCeiling). */
  key?: string;
}

/** Whether a feature's hits are read in part. */
function isPartial(hits: FieldCounts | PartialCounts): hits is PartialCounts {
  return 'among' in hits;
}

/** One scoring feature: documents with per-field counts (or read in part), and the weight of a match. */
export interface Feature<Hits extends FieldCounts | PartialCounts = FieldCounts | PartialCounts> {
  hits: Hits;
  weight: number;
  /** Counts in a fixed window, not length-normalized (see Bm25f.accumulate). */
  flat?: boolean;
  /** Documents of the whole collection that have it, for its IDF; default `hits.docs.length` (see FeatureCounts). */
  docFreq?: number;
}

/** The best candidates of a query, best first: positions in `candidates` and their scores. */
export interface Ranked {
  positions: number[];
  scores: number[];
}

/**
 * Relative slack on the pruning test, far above the rounding error of summing a few
 * hundred features in another order (about 1e-14), so no document that could tie or beat
 * the k-th best is ever skipped.
 */
const SLACK = 1e-9;
/** Stop adding features to the first phase once at most this share of candidates survives. */
const SURVIVING_SHARE = 1 / 16;
/** At least this many candidates, those of the highest block bounds, are scored in full for the block phase's θ. */
const SAMPLE = 160;
/**
 * The block phase is tried when working out the block bounds costs at most this share of
 * what scoring every candidate would (one step per candidate and feature).
 */
const BLOCK_WORK_SHARE = 1 / 4;

/**
 * The `k` best candidates by the sum of `features` (accumulated in the order given),
 * the same documents, order and bit-identical scores as scoring every candidate, but
 * without scoring every one (a term-at-a-time MaxScore):
 *
 * 1. Features are added in decreasing order of their bound (the most one can add to a
 *    score, Bm25f.ceiling) into partial scores, which are lower bounds of the full scores
 *    (every feature adds ≥ 0). θ is the k-th best partial score; a candidate whose
 *    partial score plus the bounds of the features not yet added stays below θ cannot
 *    enter the top k: k others already score at least θ.
 * 2. The survivors alone are scored in full, features in their given order, exactly as
 *    exhaustive scoring would (Bm25f.accumulate gives each document the same sum
 *    whatever the other candidates), and ranked with `topK` (ties to the lower document).
 *
 * `exhaustive` scores every candidate instead: the reference the tests compare against.
 * Each feature added is a checkpoint of `deadline` (see deadline.ts). With `phase`, what the
 * block phase works out whatever k is (block ceilings, the sample scored) is kept there and
 * taken from there by a later call on the same features and candidates (see BlockPhase).
 */
export function rankTopK(bm25f: Bm25f, features: readonly Feature[], candidates: Uint32Array, k: number, exhaustive = false, deadline?: Deadline, phase?: BlockPhase): Ranked {
  // Pruning needs partial scores to be lower bounds: no negative weights.
  const prunable = !exhaustive && k > 0 && candidates.length > k && features.every((f) => f.weight >= 0);
  let survivors = candidates;
  if (prunable) {
    const blocks = blockSurvivors(bm25f, features, candidates, k, deadline, phase);
    survivors = prune(bm25f, features, blocks.survivors, k, blocks.theta, deadline);
  }
  const scores = zeroed((scoresScratch = roomFor(scoresScratch, survivors.length)), survivors.length);
  for (const { hits, weight, flat, docFreq = hits.docs.length } of features) {
    deadline?.checkpoint();
    // A feature read in part is read for the survivors only: their entries are what scoring them reads of it.
    const read = isPartial(hits) ? hits.among(survivors) : hits;
    // Read whole (too many survivors for reading in part to pay): its largest contribution bounds it from now on.
    if (isPartial(hits) && hits.key !== undefined && read.docs.length === hits.docs.length) bm25f.notePartial(hits.key, read, flat);
    bm25f.accumulate(scores, survivors, read, weight, flat, docFreq);
  }
  const best = topK(scores, survivors, k);
  const position = survivors === candidates ? (i: number) => i : indexIn(candidates, survivors);
  return { positions: best.map(position), scores: best.map((i) => scores[i]) };
}

/**
 * Scratch of rankTopK reused from query to query (a common word's tier is most of the
 * documents; fresh arrays per query were a tenth of a literal pass's ArrayBuffers): block
 * ceilings and bounds of candidates (blockSurvivors), partial scores and survivors (prune), and scores.
 * None leaves rankTopK, which runs to the end before another starts, but the block ceilings,
 * which a BlockPhase may point to until the next call writes them again (ceilingsWritten).
 */
let ceilingsScratch: Float64Array = new Float64Array(0);
/** How many times block ceilings were written into ceilingsScratch (a BlockPhase keeps them only until they are written again). */
let ceilingsWritten = 0;
let boundsScratch: Float64Array = new Float64Array(0);
let partialScratch: Float64Array = new Float64Array(0);
let survivorsScratch: Uint32Array = new Uint32Array(0);
let scoresScratch: Float64Array = new Float64Array(0);

/** `array` when it holds `size` values, else a larger one (twice as large at least: growing to n costs O(n) in all). */
function roomFor(array: Float64Array, size: number): Float64Array {
  return size <= array.length ? array : new Float64Array(Math.max(size, array.length * 2));
}

/** The first `size` values of `scratch`, set to zero. */
function zeroed(scratch: Float64Array, size: number): Float64Array {
  return scratch.subarray(0, size).fill(0);
}

/** The block ceilings of one set of features (see blockCeilings). */
interface Ceilings {
  /** Each block's ceiling by the features not read in part (in ceilingsScratch), or undefined when working them out would not pay. */
  ceilings?: Float64Array;
  /** What the features read in part add at most to any score. */
  partial: number;
}

/** Ceilings kept by a BlockPhase. */
interface KeptCeilings extends Ceilings {
  ceilings: Float64Array;
  /** The count of ceilingsWritten when they were: they are still in the scratch while it has not moved. */
  written: number;
}

/** The candidates of the highest bounds, and their scores by the features not read in part (see BlockPhase). */
interface Sample {
  /** The candidates they were drawn from. */
  of: Uint32Array;
  docs: Uint32Array;
  scores: Float64Array;
}

/**
 * What rankTopK's block phase worked out for one query's features that does not depend on
 * k: the block ceilings (every entry of every feature's list scanned: the block phase's
 * cost), which do not depend on the candidates either, and, for one set of candidates,
 * the sample scored in full (while its size, max(SAMPLE, 4k), stays the same). A query's
 * tiers share its features, and Searcher.rank asks a tier again for more (deeperAsk) when
 * copies of one article fold into one hit: each call after the first starts from here.
 * Used only for the very arrays it was worked out for, which no call changes.
 */
export class BlockPhase {
  private features?: readonly Feature[];
  private ceilings?: KeptCeilings;
  private sample?: Sample;

  /** The ceilings worked out for these features, if any (and still in the scratch). */
  ceilingsOf(features: readonly Feature[]): KeptCeilings | undefined {
    const known = features === this.features ? this.ceilings : undefined;
    return known?.written === ceilingsWritten ? known : undefined;
  }

  /** Keeps the ceilings of these features (and forgets a sample drawn with others). */
  keepCeilings(features: readonly Feature[], ceilings: KeptCeilings): void {
    if (features !== this.features) this.sample = undefined;
    this.features = features;
    this.ceilings = ceilings;
  }

  /** The sample of `size` drawn from these candidates with the features kept, if any. */
  sampleOf(candidates: Uint32Array, size: number): Sample | undefined {
    return this.sample?.of === candidates && this.sample.docs.length === size ? this.sample : undefined;
  }

  /** Keeps a sample drawn with the features whose ceilings are kept. */
  keepSample(sample: Sample): void {
    this.sample = sample;
  }
}

/**
 * Each block's ceiling (Bm25f.addBlockCeilings, summed over the features not read in part;
 * in ceilingsScratch, valid until blockCeilings runs again), and what the features read in part add at most; no ceilings when
 * working them out would cost more than BLOCK_WORK_SHARE of scoring every candidate.
 */
function blockCeilings(bm25f: Bm25f, features: readonly Feature[], candidates: Uint32Array, deadline?: Deadline): Ceilings {
  let work = 0;
  // What the features read in part add at most to any score, in every block (their entries are not read here).
  let partial = 0;
  for (const f of features) {
    if (isPartial(f.hits)) partial += partialBound(bm25f, f);
    else work += bm25f.blockCeilingsCost(f.hits);
  }
  if (work > candidates.length * features.length * BLOCK_WORK_SHARE) return { partial };
  ceilingsWritten++;
  const ceilings = zeroed((ceilingsScratch = roomFor(ceilingsScratch, bm25f.blockCount)), bm25f.blockCount);
  for (const { hits, weight, flat, docFreq } of features) {
    if (isPartial(hits)) continue;
    deadline?.checkpoint();
    bm25f.addBlockCeilings(ceilings, hits, weight, flat, docFreq);
  }
  return { ceilings, partial };
}

/**
 * The candidates that may still enter the top k by their block bounds (block-max pruning),
 * or `candidates` itself when working the bounds out would not pay:
 *
 * 1. Each candidate's bound is that of its block of 2^BLOCK_SHIFT documents: the sum over
 *    the features of the most each adds to a document of the block (Bm25f.addBlockCeilings;
 *    for a common list kept with the list, so a query pays a step per block, not per document).
 * 2. The SAMPLE candidates (at least 4k) of the highest bounds are scored in full: θ is
 *    their k-th best score, so at least k candidates score θ or more.
 * 3. A candidate whose bound stays below θ cannot enter the top k. Few blocks hold a
 *    document that scores near the best, so most candidates go without a look at their postings.
 */
function blockSurvivors(
  bm25f: Bm25f,
  features: readonly Feature[],
  candidates: Uint32Array,
  k: number,
  deadline?: Deadline,
  phase?: BlockPhase,
): { survivors: Uint32Array; theta: number } {
  // Whether working ceilings out pays depends on the candidates: a phase keeps only ceilings worked out.
  const known = phase?.ceilingsOf(features);
  const { ceilings, partial } = known ?? blockCeilings(bm25f, features, candidates, deadline);
  if (!ceilings) return { survivors: candidates, theta: 0 };
  if (!known) phase?.keepCeilings(features, { ceilings, partial, written: ceilingsWritten });
  const shift = BLOCK_SHIFT;
  const bounds = (boundsScratch = roomFor(boundsScratch, candidates.length)).subarray(0, candidates.length);
  for (let i = 0; i < candidates.length; i++) bounds[i] = ceilings[candidates[i] >> shift];
  // The sample: every candidate whose bound is above the m-th highest, then those at it, in document order.
  const m = Math.min(candidates.length, Math.max(SAMPLE, 4 * k));
  let sampled = phase?.sampleOf(candidates, m);
  if (!sampled) {
    const cut = kthLargest(bounds, m);
    let above = 0;
    for (let i = 0; i < bounds.length; i++) if (bounds[i] > cut) above++;
    const docs = new Uint32Array(m);
    for (let i = 0, n = 0, atCut = m - above; n < m; i++) {
      if (bounds[i] > cut || (bounds[i] === cut && atCut-- > 0)) docs[n++] = candidates[i];
    }
    const scored = new Float64Array(m);
    for (const feature of features) {
      if (isPartial(feature.hits)) continue;
      deadline?.checkpoint();
      addAll(bm25f, scored, docs, feature);
    }
    sampled = { of: candidates, docs, scores: scored };
    phase?.keepSample(sampled);
  }
  const { docs: sample, scores } = sampled;
  // The features read in part are read for the 4k of the sample that score best without them (each document read costs a block of the list).
  const inPart = features.filter((f) => isPartial(f.hits));
  const theta = inPart.length === 0 ? kthLargest(scores, k) * (1 - SLACK) : sampledTheta(bm25f, inPart, sample, scores, k, deadline);
  let kept = 0;
  for (let i = 0; i < bounds.length; i++) if ((bounds[i] + partial) * (1 + SLACK) >= theta) kept++;
  const survivors = new Uint32Array(kept);
  for (let i = 0, n = 0; n < kept; i++) if ((bounds[i] + partial) * (1 + SLACK) >= theta) survivors[n++] = candidates[i];
  return { survivors, theta };
}

/** Adds a feature to the scores of `docs` (ascending), reading one read in part for those documents alone. */
function addAll(bm25f: Bm25f, scores: Float64Array, docs: Uint32Array, { hits, weight, flat, docFreq = hits.docs.length }: Feature): void {
  bm25f.accumulate(scores, docs, isPartial(hits) ? hits.among(docs) : hits, weight, flat, docFreq);
}

/**
 * The candidates that may still enter the top k, by phase 1 of rankTopK. A pruned
 * candidate stays pruned: each further feature raises its partial score by at most the
 * bound it takes off the rest, while θ only grows.
 */
function prune(bm25f: Bm25f, features: readonly Feature[], candidates: Uint32Array, k: number, floor: number, deadline?: Deadline): Uint32Array {
  // The features read in part come last, bounded without reading them (partialBound), and are never added here.
  const order = features
    .map((f) => (isPartial(f.hits) ? { f, hits: undefined, bound: partialBound(bm25f, f) } : { f, hits: f.hits, bound: bm25f.ceiling(f.hits, f.weight, f.flat, f.docFreq) }))
    .sort((a, b) => Number(a.hits === undefined) - Number(b.hits === undefined) || b.bound - a.bound);
  // The candidates are the caller's: survivors are compacted, in place, into a copy (in scratch) made once.
  let survivors = candidates;
  let partial = zeroed((partialScratch = roomFor(partialScratch, candidates.length)), candidates.length);
  // The last feature is left to phase 2: adding it here would score the survivors twice.
  let step = 0;
  for (; step + 1 < order.length && survivors.length > Math.max(k, candidates.length * SURVIVING_SHARE); step++) {
    const hits = order[step].hits;
    if (hits === undefined) break;
    deadline?.checkpoint();
    const { weight, flat, docFreq } = order[step].f;
    bm25f.accumulate(partial, survivors, hits, weight, flat, docFreq);
    let rest = 0;
    for (let j = step + 1; j < order.length; j++) rest += order[j].bound;
    // θ from the block phase's sample (`floor`, every feature added) may be the higher.
    const theta = Math.max(floor, kthLargest(partial, k) * (1 - SLACK));
    const kept = survivors === candidates ? (survivorsScratch = withRoom(survivorsScratch, candidates.length)) : survivors;
    let n = 0;
    for (let i = 0; i < survivors.length; i++) {
      if ((partial[i] + rest) * (1 + SLACK) < theta) continue;
      kept[n] = survivors[i];
      partial[n++] = partial[i];
    }
    survivors = kept.subarray(0, n);
    partial = partial.subarray(0, n);
  }
  // Features read in part left, and no θ from the block phase: the partial scores' θ is below what those features can add,
  // so θ comes from scoring in full the 4k survivors of the best partial scores (the features left read for them alone).
  if (floor === 0 && step < order.length && order[order.length - 1].hits === undefined && survivors.length > 4 * k) {
    const theta = sampledTheta(bm25f, order.slice(step).map((o) => o.f), survivors, partial, k, deadline);
    let rest = 0;
    for (let j = step; j < order.length; j++) rest += order[j].bound;
    const kept = survivors === candidates ? (survivorsScratch = withRoom(survivorsScratch, candidates.length)) : survivors;
    let n = 0;
    for (let i = 0; i < survivors.length; i++) if ((partial[i] + rest) * (1 + SLACK) >= theta) kept[n++] = survivors[i];
    survivors = kept.subarray(0, n);
  }
  return survivors;
}

/**
 * A θ for pruning `candidates` (ascending) whose scores so far are `partial`: the k-th best
 * full score (less SLACK) of the 4k of them with the best partial scores, `rest` (the
 * features not added yet) added to those alone.
 */
function sampledTheta(bm25f: Bm25f, rest: readonly Feature[], candidates: Uint32Array, partial: Float64Array, k: number, deadline?: Deadline): number {
  const m = Math.min(candidates.length, 4 * k);
  const cut = kthLargest(partial, m);
  let above = 0;
  for (let i = 0; i < candidates.length; i++) if (partial[i] > cut) above++;
  const sample = new Uint32Array(m);
  const scores = new Float64Array(m);
  for (let i = 0, n = 0, atCut = m - above; n < m; i++) {
    if (partial[i] > cut || (partial[i] === cut && atCut-- > 0)) {
      sample[n] = candidates[i];
      scores[n++] = partial[i];
    }
  }
  for (const feature of rest) {
    deadline?.checkpoint();
    addAll(bm25f, scores, sample, feature);
  }
  return kthLargest(scores, k) * (1 - SLACK);
}

/** The most a feature read in part adds to any score, without reading it (Bm25f.partialCeiling). */
function partialBound(bm25f: Bm25f, { hits, weight, flat, docFreq = hits.docs.length }: Feature): number {
  return bm25f.partialCeiling(isPartial(hits) ? hits.key : undefined, weight, flat, docFreq);
}

/**
 * The `k`-th largest of `values` (k ≤ values.length): the k-th best score whatever the
 * ties, as topK would rank it, from a min-heap of values alone (most values fail the
 * one comparison with its root).
 */
function kthLargest(values: Float64Array, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (size < k) {
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (heap[parent] <= value) break;
        heap[at] = heap[parent];
        at = parent;
      }
      heap[at] = value;
    } else if (value > heap[0]) {
      let at = 0;
      for (;;) {
        const l = 2 * at + 1;
        if (l >= k) break;
        const child = l + 1 < k && heap[l + 1] < heap[l] ? l + 1 : l;
        if (heap[child] >= value) break;
        heap[at] = heap[child];
        at = child;
      }
      heap[at] = value;
    }
  }
  return heap[0];
}

/** Maps a position in `subset` to the position of the same document in `all` (both ascending, subset ⊆ all). */
function indexIn(all: Uint32Array, subset: Uint32Array): (i: number) => number {
  return (i) => {
    let lo = 0;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid] < subset[i]) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
