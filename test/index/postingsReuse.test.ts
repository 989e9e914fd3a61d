/**
 * The postings reader reuses the memory of evicted lists (spareArrays.ts) without changing
 * what any list reads: a list handed out during a search keeps its contents until the search
 * returns, however many lists are decoded after it; a list handed out outside a search keeps
 * them for good; and searches in a row on a cache far too small to hold their lists read
 * what a reader with room for everything reads, in one segment and in a view over segments
 * with deleted documents.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { bodyText, SearchDocument, titleText } from '../../src/document';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData, SegmentPart } from '../../src/index/data';
import { FieldCounts, PositionalPostings, PostingsReader } from '../../src/index/postings';
import { deletedTerms, viewSegments } from '../../src/index/segmentView';
import { MIN_SPARE_INTS, SpareArrays } from '../../src/index/spareArrays';
import { bigramCounts } from '../../src/search/features';
import { doc, seeded } from '../helpers';

const analyzer = new Analyzer();
const ALPHABET = '甲乙丙丁';

/** 1,200 documents of random runs over four characters: each character's list holds every document, each bigram's most of them. */
function corpus(): SearchDocument[] {
  const random = seeded(7);
  const run = (n: number): string => Array.from({ length: n }, () => ALPHABET[Math.floor(random() * 4)]).join('');
  return Array.from({ length: 1200 }, (_, i) => doc(`d${i}`, run(4), `${run(12)}\n${run(8)}`));
}

function build(documents: SearchDocument[]): IndexData {
  const builder = new IndexBuilder(analyzer);
  for (const document of documents) builder.add(document);
  return builder.finish();
}

const docs = corpus();
const oneSegment = build(docs);
const parts: SegmentPart[] = [
  { data: build(docs.slice(0, 700)), deleted: Uint32Array.of(0, 5, 130, 699) },
  { data: build(docs.slice(700)), deleted: Uint32Array.of(2, 10) },
];
const analysis = (d: SearchDocument) => ({ title: analyzer.analyzeField(titleText(d)), body: analyzer.analyzeField(bodyText(d)) });
const segmented = viewSegments(parts, deletedTerms(parts, analysis));

const code = (text: string, i = 0): number => text.charCodeAt(i);
const counts = (c: FieldCounts) => ({ docs: Array.from(c.docs), title: Array.from(c.title), body: Array.from(c.body) });
const positional = (p: PositionalPostings) => ({ docs: Array.from(p.docs), start: Array.from(p.start), positions: Array.from(p.positions) });

/** Room for five or so of the lists (a character's: 3 integers a document), and spares for many. */
const tinyReader = (data: IndexData): PostingsReader => new PostingsReader(data, 20_000, 1 << 20);
const PAIRS = [...ALPHABET].flatMap((a) => [...ALPHABET].map((b) => [code(a), code(b)] as const));

describe.each([
  ['one segment', oneSegment],
  ['a view over segments with deleted documents', segmented],
])('%s', (_, data) => {
  test('the lists are long enough for their memory to be reused', () => {
    const reference = new PostingsReader(data);
    expect(reference.char(code('甲')).docs.length * 3).toBeGreaterThan(MIN_SPARE_INTS);
    const bigram = reference.bigram(code('甲'), code('乙'))!;
    expect(bigram.docs.length * 2 + bigram.positions.length).toBeGreaterThan(MIN_SPARE_INTS);
  });

  test('a list evicted during a search keeps its contents until the search returns; a later search reuses its memory', () => {
    const reference = new PostingsReader(data);
    const reader = tinyReader(data);
    const held = reader.during(() => {
      const list = reader.char(code('甲'));
      // The bigrams' lists evict it, several times over: none goes into its memory meanwhile.
      for (const [a, b] of PAIRS) expect(reader.bigram(a, b)!.docs.buffer === list.docs.buffer).toBe(false);
      expect(counts(list)).toEqual(counts(reference.char(code('甲'))));
      return list;
    });
    expect(reader.spares.count).toBeGreaterThan(0);
    const next = reader.during(() => reader.char(code('丁')));
    expect(counts(next)).toEqual(counts(reference.char(code('丁'))));
    // 丁's list is the size of 甲's (every document holds both): the best fit among the spares is 甲's memory.
    expect(next.docs.buffer).toBe(held.docs.buffer);
  });

  test('a list handed out outside a search keeps its contents for good', () => {
    const reference = new PostingsReader(data);
    const reader = tinyReader(data);
    // 甲's list decoded during a search, then handed out again (from the cache) outside one; 乙's decoded outside one.
    reader.during(() => reader.char(code('甲')));
    const outside = [reader.char(code('甲')), reader.char(code('乙'))];
    const expected = outside.map((_, i) => counts(reference.char(code(ALPHABET[i]))));
    const buffers = outside.map((list) => list.docs.buffer);
    for (let round = 0; round < 4; round++) {
      reader.during(() => {
        for (const [a, b] of PAIRS) expect(buffers).not.toContain(reader.bigram(a, b)!.docs.buffer);
        for (const unit of ALPHABET) expect(buffers).not.toContain(reader.char(code(unit)).docs.buffer);
      });
      expect(outside.map(counts)).toEqual(expected);
    }
  });

  test('searches in a row on a tiny cache read what a reader with room for everything reads', () => {
    const reference = new PostingsReader(data);
    const reader = tinyReader(data);
    const random = seeded(31);
    const pick = (): string => ALPHABET[Math.floor(random() * 4)];
    const seen = new Set<ArrayBufferLike>();
    let reused = 0;
    for (let search = 0; search < 60; search++) {
      reader.during(() => {
        // Everything this search was handed, checked again when it ends.
        const checks: Array<() => void> = [];
        const note = (buffer: ArrayBufferLike): void => {
          if (seen.has(buffer)) reused++;
          seen.add(buffer);
        };
        for (let step = 0, steps = 1 + Math.floor(random() * 6); step < steps; step++) {
          const [a, b] = [pick(), pick()];
          const kind = Math.floor(random() * 4);
          if (kind === 0) {
            const got = reader.char(code(a));
            note(got.docs.buffer);
            const expected = counts(reference.char(code(a)));
            checks.push(() => expect(counts(got)).toEqual(expected));
          } else if (kind === 1) {
            const got = reader.bigram(code(a), code(b))!;
            note(got.docs.buffer);
            const expected = positional(reference.bigram(code(a), code(b))!);
            checks.push(() => expect(positional(got)).toEqual(expected));
          } else if (kind === 2) {
            const got = bigramCounts(reader, code(a), code(b))!;
            note(got.counts.title.buffer);
            const want = bigramCounts(reference, code(a), code(b))!;
            const expected = [counts(want.counts), counts(want.lead)];
            checks.push(() => expect([counts(got.counts), counts(got.lead)]).toEqual(expected));
          } else {
            // The blocks holding a few documents: what the reference's whole list says of each of them.
            const full = reference.bigram(code(a), code(b))!;
            const wanted = full.docs.filter((_, i) => i % 97 === 0);
            const got = reader.bigramHolding(code(a), code(b), wanted)!;
            const positionsOf = (p: PositionalPostings, d: number): number[] => {
              const i = p.docs.indexOf(d);
              return Array.from(p.positions.subarray(p.start[i], p.start[i + 1]));
            };
            const expected = Array.from(wanted, (d) => positionsOf(full, d));
            checks.push(() => expect(Array.from(wanted, (d) => positionsOf(got, d))).toEqual(expected));
          }
          checks[checks.length - 1]();
        }
        for (const check of checks) check();
      });
    }
    // The memory of evicted lists did go to lists decoded later.
    expect(reused).toBeGreaterThan(10);
  });
});

describe('SpareArrays', () => {
  test('a spare is reused for a request it fits closely, best fit first; short arrays are neither kept nor reused', () => {
    const spares = new SpareArrays(1 << 20);
    const big = new Uint32Array(4000);
    const bigger = new Uint32Array(4400);
    spares.give(bigger.buffer);
    spares.give(big.buffer);
    spares.give(new Uint32Array(100).buffer);
    expect(spares.count).toBe(2);
    const taken = spares.take(3900);
    expect(taken.buffer).toBe(big.buffer);
    expect(taken.length).toBe(3900);
    // 4,400 integers are more than a quarter over 3,000: a fresh array instead.
    expect(spares.take(3000).buffer === bigger.buffer).toBe(false);
    expect(spares.take(4300).buffer).toBe(bigger.buffer);
    expect(spares.count).toBe(0);
    expect(spares.take(10).length).toBe(10);
  });

  test('past its limit, the oldest spares are let go', () => {
    const spares = new SpareArrays(3 * 4096 * 4);
    const buffers = [1, 2, 3, 4].map(() => new Uint32Array(4096).buffer);
    for (const buffer of buffers) spares.give(buffer);
    expect(spares.count).toBe(3);
    expect(spares.bytes).toBe(3 * 4096 * 4);
    const taken = [spares.take(4096), spares.take(4096), spares.take(4096)].map((array) => array.buffer);
    for (const buffer of buffers.slice(1)) expect(taken).toContain(buffer);
    expect(taken).not.toContain(buffers[0]);
  });
});
