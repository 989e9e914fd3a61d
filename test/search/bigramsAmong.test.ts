/**
 * A query with few literal matches counts its bigram features only for the documents it
 * ranks (features.ts bigramCounts with `among`): the entries of those documents, from the
 * reader's cached list or from the blocks that may hold them, not every entry of a whole
 * list. Checked here, in one segment and in a view over two segments with deleted documents,
 * on documents where the literal's bigrams also stand apart (co-occurring without the
 * phrase): the counts are the whole list's for those documents, and whole searches rank as
 * features counted over whole lists rank.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { normalize } from '../../src/analysis/normalize';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData, SegmentPart } from '../../src/index/data';
import { FieldCounts, PostingsReader } from '../../src/index/postings';
import { deletedTerms, viewSegments } from '../../src/index/segmentView';
import { BigramCounts, bigramCounts, queryBigrams, queryFeatures } from '../../src/search/features';
import { SKIP_FACTOR } from '../../src/search/literal';
import { QueryMatches } from '../../src/search/matches';
import { parseQuery } from '../../src/search/parser';
import { Bm25f, DEFAULT_RANKING } from '../../src/search/ranking';
import { selectTiers } from '../../src/search/tiers';
import { Feature, rankTopK } from '../../src/search/topk';
import { doc, seeded } from '../helpers';

const analyzer = new Analyzer();
const COUNT = 1400;

/**
 * Titles and bodies of random runs over 甲乙丙丁 (each of their bigrams in most documents,
 * lists of several blocks). Near one another (a few of the lists' blocks): every 10th body of
 * documents 200–259 and 1100–1129 holds 戊甲乙丙丁己 (the phrase), every 10th from the 5th
 * holds 戊甲 and 乙丙丁己 apart (every bigram of 戊甲乙丙 and of 戊甲乙丙丁己, not the phrase),
 * and the titles of 270, 280 and 290 hold 戊甲乙.
 */
function corpus(): SearchDocument[] {
  const random = seeded(41);
  const run = (n: number): string => Array.from({ length: n }, () => '甲乙丙丁'[Math.floor(random() * 4)]).join('');
  const near = (i: number): boolean => (i >= 200 && i < 260) || (i >= 1100 && i < 1130);
  return Array.from({ length: COUNT }, (_, i) => {
    const marked = near(i) && i % 10 === 0 ? `庚戊甲乙丙丁己庚${run(3)}` : near(i) && i % 10 === 5 ? `庚戊甲庚${run(4)}庚乙丙丁己庚` : '';
    const title = i >= 270 && i < 300 && i % 10 === 0 ? `${run(2)}庚戊甲乙庚${run(2)}` : run(5);
    return doc(`d${i}`, title, `${run(12)}${marked}${run(20)}\n${run(30)}`);
  });
}

function build(documents: SearchDocument[]): IndexData {
  const builder = new IndexBuilder(analyzer);
  for (const document of documents) builder.add(document);
  return builder.finish();
}

const docs = corpus();
/** Deleted: a phrase document, a co-occurring one, and others, in either segment. */
const DELETED = [0, 7, 210, 215, 300, 999, 1000, 1110, 1250];

function indexes(): Array<{ name: string; data: IndexData; live: SearchDocument[] }> {
  const parts: SegmentPart[] = [
    { data: build(docs.slice(0, 1000)), deleted: Uint32Array.from(DELETED.filter((g) => g < 1000)) },
    { data: build(docs.slice(1000)), deleted: Uint32Array.from(DELETED.filter((g) => g >= 1000), (g) => g - 1000) },
  ];
  const analysis = (d: SearchDocument) => ({ title: analyzer.analyzeField(titleText(d)), body: analyzer.analyzeField(bodyText(d)) });
  return [
    { name: 'one segment', data: build(docs), live: docs },
    { name: 'a view over two segments with deleted documents', data: viewSegments(parts, deletedTerms(parts, analysis)), live: docs.filter((_, g) => !DELETED.includes(g)) },
  ];
}

const code = (text: string, o = 0): [number, number] => [text.charCodeAt(o), text.charCodeAt(o + 1)];

/** The entries of `counts` and of its lead as [document, title, body, lead] rows, of the documents of `among` only (all when not given). */
function rows(counts: BigramCounts, among?: Uint32Array): number[][] {
  const wanted = among && new Set(among);
  const out: number[][] = [];
  counts.counts.docs.forEach((d, i) => {
    if (!wanted || wanted.has(d)) out.push([d, counts.counts.title[i], counts.counts.body[i], counts.lead.body[i], counts.lead.title[i]]);
  });
  return out;
}

/** The documents (live numbers) whose normalized title or body holds `text`. */
function holding(live: SearchDocument[], text: string): Uint32Array {
  const found: number[] = [];
  live.forEach((d, n) => {
    if (normalize(titleText(d)).includes(text) || normalize(bodyText(d)).includes(text)) found.push(n);
  });
  return Uint32Array.from(found);
}

describe.each(indexes())('bigram counts among a few documents: $name', ({ data, live }) => {
  test('the bigrams are long lists (several blocks) and the phrase documents few', () => {
    const reader = new PostingsReader(data);
    for (const bigram of ['甲乙', '乙丙', '丙丁']) expect(reader.bigramDocFreq(...code(bigram))).toBeGreaterThan(3 * 128 * 2);
    const phrase = holding(live, '戊甲乙丙');
    expect(phrase.length).toBeGreaterThan(5);
    expect(phrase.length * SKIP_FACTOR).toBeLessThan(reader.bigramDocFreq(...code('乙丙')));
    // Documents with every bigram of the phrase but not the phrase.
    expect(holding(live, '戊甲').length).toBeGreaterThan(phrase.length + 5);
  });

  test("give the whole list's entries of those documents: read in blocks, from a cached list, or counted whole before", () => {
    const rand = seeded(5);
    const every = Uint32Array.from({ length: data.documentCount }, (_, d) => d);
    const sets = [
      holding(live, '戊甲乙丙'),
      holding(live, '戊甲'),
      // Few random documents (some without the bigram), the first and the last document.
      every.filter(() => rand() < 0.01),
      Uint32Array.of(0, data.documentCount - 1),
    ];
    for (const bigram of ['甲乙', '乙丙', '丁己', '戊甲']) {
      const whole = bigramCounts(new PostingsReader(data), ...code(bigram))!;
      for (const among of sets) {
        const expected = rows(whole, among);
        // Blocks of its own.
        const fresh = bigramCounts(new PostingsReader(data), ...code(bigram), among)!;
        expect(rows(fresh, among)).toEqual(expected);
        // The reader's cached list.
        const cached = new PostingsReader(data);
        cached.bigram(...code(bigram));
        expect(rows(bigramCounts(cached, ...code(bigram), among)!, among)).toEqual(expected);
        // Counted whole first (kept with the list): those counts.
        const counted = new PostingsReader(data);
        bigramCounts(counted, ...code(bigram));
        expect(rows(bigramCounts(counted, ...code(bigram), among)!, among)).toEqual(expected);
      }
    }
  });

  test('whole searches: the literal matches a scan finds, ranked as the whole lists rank them', () => {
    const bm25f = new Bm25f(data, DEFAULT_RANKING);
    const engine = SearchEngine.fromData(data, analyzer);
    const tierOptions = { minWordShare: 0.1, rankedMinChars: 10, rankedMinWords: 3 };
    for (const query of ['戊甲乙丙', '戊甲乙丙丁己', '戊甲乙', '甲乙丙丁己', '戊甲 丙丁']) {
      const result = engine.search(query, { limit: 50, collapse: false, snippetLength: 0 });
      if (!query.includes(' ')) expect(result.exact_total).toBe(holding(live, query).length);
      // The reference: every bigram read whole, every candidate scored.
      const parsed = parseQuery(query, analyzer);
      const matches = new QueryMatches(new PostingsReader(data), undefined, queryBigrams(parsed));
      const { tiers } = selectTiers(parsed, matches, data.documentCount, tierOptions);
      const features: Feature[] = queryFeatures(parsed, matches, bm25f);
      const expected: Array<[string, number]> = [];
      for (const tier of tiers) {
        const best = rankTopK(bm25f, features, tier, 50 - expected.length, true);
        best.positions.forEach((p, i) => expected.push([live[tier[p]].id, Math.round(best.scores[i] * 1e4) / 1e4]));
      }
      expect(expected.length).toBeGreaterThan(3);
      expect([query, result.hits.map((h) => [h.id, h.score])]).toEqual([query, expected]);
    }
  });
});

/** The rows of a feature's hits of the documents of `among`, for comparing features read whole and in part. */
function entriesOf(hits: Feature['hits'], among: Uint32Array): number[][] {
  if ('among' in hits) throw new Error('no feature of these queries is read in part');
  const counts: FieldCounts = hits;
  const wanted = new Set(among);
  return Array.from(counts.docs, (d, i) => [d, counts.title[i], counts.body[i]]).filter(([d]) => wanted.has(d));
}

describe.each(indexes())('features of a query among its literal matches: $name', ({ data }) => {
  test('the same entries for its matches and the same ranking as features counted whole, fewer entries counted', () => {
    const bm25f = new Bm25f(data, DEFAULT_RANKING);
    for (const query of ['戊甲乙丙', '戊甲乙丙丁己', '甲乙丙丁己', '戊甲乙']) {
      const parsed = parseQuery(query, analyzer);
      const whole = new QueryMatches(new PostingsReader(data), undefined, queryBigrams(parsed));
      // The bigrams read whole by the literal matching (as a short query does), then counted among its matches.
      const among = new QueryMatches(new PostingsReader(data), undefined, queryBigrams(parsed));
      const candidates = among.literal(query, 'all').docs;
      expect(Array.from(candidates)).toEqual(Array.from(whole.literal(query, 'all').docs));
      expect(candidates.length * SKIP_FACTOR).toBeLessThan(data.documentCount);
      const expected = queryFeatures(parsed, whole, bm25f);
      const got = queryFeatures(parsed, among, bm25f, undefined, candidates);
      expect(got.map((f) => [f.weight, f.docFreq])).toEqual(expected.map((f) => [f.weight, f.docFreq]));
      got.forEach((f, i) => expect(entriesOf(f.hits, candidates)).toEqual(entriesOf(expected[i].hits, candidates)));
      expect(rankTopK(bm25f, got, candidates, 10)).toEqual(rankTopK(bm25f, expected, candidates, 10, true));
      const entries = (features: Feature[]): number => features.reduce((sum, f) => sum + f.hits.docs.length, 0);
      expect(entries(got)).toBeLessThan(entries(expected) / 2);
    }
  });
});
