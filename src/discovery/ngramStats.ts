import { HanText, RUN_SEPARATOR } from './hanText';

const SEPARATOR_UNIT = RUN_SEPARATOR.charCodeAt(0);

/** The characters seen on each side of a string's occurrences, and how often it touched a run's edge. */
export interface Neighbours {
  /** Left neighbour (UTF-16 unit) → occurrences. */
  left: Map<number, number>;
  /** Right neighbour (UTF-16 unit) → occurrences. */
  right: Map<number, number>;
  /** Occurrences at the start of a run: after punctuation, a digit, a Latin letter or the start of a text. */
  leftEdges: number;
  /** Occurrences at the end of a run. */
  rightEdges: number;
}

/**
 * The entropy (natural log) of a neighbour distribution. Each run edge counts as a
 * neighbour of its own, seen once: punctuation is where words end, so a string met
 * between quotation marks every time (“六小”) is as free as one met beside ever different
 * characters, not bound to the quotation mark. A string seen n times has at most ln n.
 */
export function neighbourEntropy(chars: ReadonlyMap<number, number>, edges: number): number {
  let total = edges;
  for (const count of chars.values()) total += count;
  if (total === 0) return 0;
  let entropy = (edges * Math.log(total)) / total;
  for (const count of chars.values()) entropy -= (count / total) * Math.log(count / total);
  return entropy;
}

/**
 * Counts of the frequent character n-grams of a corpus's Han text, and the neighbours of
 * chosen ones. Only n-grams seen at least `minCount` times are counted: an n-gram is
 * counted at a position only when both of its (n−1)-grams there are frequent (apriori),
 * which keeps memory proportional to what survives rather than to all n-grams (news-dev,
 * 12.3 M Han characters: about 20 s and under 1.2 GB for the whole discovery).
 */
export class NgramStatistics {
  /** Every frequent n-gram of 1 to `maxLength` characters → occurrences. */
  readonly counts = new Map<string, number>();

  /** For each position of the text, the length of the longest frequent n-gram starting there (0: none; so `maxLength` ≤ 255). */
  private readonly extent: Uint8Array;

  constructor(
    private readonly corpus: HanText,
    readonly maxLength: number,
    readonly minCount: number,
  ) {
    this.extent = new Uint8Array(corpus.text.length);
    this.countCharacters();
    for (let n = 2; n <= maxLength; n++) this.countLength(n);
  }

  /** Occurrences of `gram`; 0 for one seen fewer than `minCount` times. */
  count(gram: string): number {
    return this.counts.get(gram) ?? 0;
  }

  /** The neighbours of every occurrence of each of `words` (frequent n-grams of 2 to `maxLength` characters). */
  neighbours(words: ReadonlySet<string>): Map<string, Neighbours> {
    const found = new Map<string, Neighbours>();
    for (const word of words) found.set(word, { left: new Map(), right: new Map(), leftEdges: 0, rightEdges: 0 });
    const { text } = this.corpus;
    for (let i = 1; i < text.length; i++) {
      const longest = this.extent[i];
      for (let n = 2; n <= longest; n++) {
        const stats = found.get(text.slice(i, i + n));
        if (!stats) continue;
        const before = text.charCodeAt(i - 1);
        const after = text.charCodeAt(i + n);
        if (before === SEPARATOR_UNIT) stats.leftEdges++;
        else stats.left.set(before, (stats.left.get(before) ?? 0) + 1);
        if (after === SEPARATOR_UNIT) stats.rightEdges++;
        else stats.right.set(after, (stats.right.get(after) ?? 0) + 1);
      }
    }
    return found;
  }

  private countCharacters(): void {
    const { text } = this.corpus;
    const counts = new Int32Array(0x10000);
    for (let i = 0; i < text.length; i++) counts[text.charCodeAt(i)]++;
    counts[SEPARATOR_UNIT] = 0;
    for (let i = 0; i < text.length; i++) if (counts[text.charCodeAt(i)] >= this.minCount) this.extent[i] = 1;
    for (let unit = 0; unit < counts.length; unit++) {
      if (counts[unit] >= this.minCount) this.counts.set(String.fromCharCode(unit), counts[unit]);
    }
  }

  /** Counts the n-grams of length `n` whose two (n−1)-grams are frequent, keeps the frequent ones. */
  private countLength(n: number): void {
    const { text } = this.corpus;
    const { extent } = this;
    const pass = new Map<string, number>();
    const last = text.length - n;
    for (let i = 0; i <= last; i++) {
      if (extent[i] < n - 1 || extent[i + 1] < n - 1) continue;
      const gram = text.slice(i, i + n);
      pass.set(gram, (pass.get(gram) ?? 0) + 1);
    }
    for (let i = 0; i <= last; i++) {
      if (extent[i] < n - 1 || extent[i + 1] < n - 1) continue;
      if (pass.get(text.slice(i, i + n))! >= this.minCount) extent[i] = n;
    }
    for (const [gram, count] of pass) if (count >= this.minCount) this.counts.set(gram, count);
  }
}
