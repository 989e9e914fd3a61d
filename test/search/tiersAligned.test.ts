/**
 * Word-aligned literal matches (tiers.ts alignedDocs) found among long word lists: a few
 * literal matches of a query whose words are common are checked by reading only the blocks
 * of the words' lists that may hold them (PostingsReader.wordHolding), with the same tiers as
 * from the lists read whole, in one segment and in a view over segments with deleted documents.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { bodyText, SearchDocument, titleText } from '../../src/document';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData, SegmentPart } from '../../src/index/data';
import { PostingsReader } from '../../src/index/postings';
import { deletedTerms, viewSegments } from '../../src/index/segmentView';
import { QueryMatches } from '../../src/search/matches';
import { parseQuery } from '../../src/search/parser';
import { selectTiers } from '../../src/search/tiers';
import { doc } from '../helpers';

const analyzer = new Analyzer();
const QUERY = '乐园方特';

/**
 * 704 documents: 700 hold 方特 and 乐园 as words but not the query literally (方特|的|乐园);
 * four hold it literally: 0 as words (乐园|方特), 350 cut through words (欢乐|园方|特意|外),
 * 500 with 乐园 alone (新|乐园|方|特别), 703 with both words, 方特 elsewhere (aligned: the
 * index keeps no word positions).
 */
const SPECIAL: Record<number, string> = { 0: '乐园方特', 350: '欢乐园方特意外', 500: '新乐园方特别', 703: '新乐园方特别，方特' };
const documents: SearchDocument[] = Array.from({ length: 704 }, (_, d) => doc(`d${d}`, `第${d}篇`, SPECIAL[d] ?? '方特的乐园'));

function build(docs: SearchDocument[]): IndexData {
  const builder = new IndexBuilder(analyzer);
  for (const d of docs) builder.add(d);
  return builder.finish();
}

// Documents 0–399 with 10 and 350 deleted (view 0–397: 11–349 are 10–338, 351–399 are 339–387), 400–703 with 401 deleted (view 398–700: 500 is 497, 703 is 700).
const parts: SegmentPart[] = [
  { data: build(documents.slice(0, 400)), deleted: Uint32Array.of(10, 350) },
  { data: build(documents.slice(400)), deleted: Uint32Array.of(1) },
];
const analysis = (d: SearchDocument) => ({ title: analyzer.analyzeField(titleText(d)), body: analyzer.analyzeField(bodyText(d)) });
const options = { minWordShare: 0.1, rankedMinChars: 10, rankedMinWords: 3 };

describe.each([
  { index: 'one segment', data: build(documents), df: { 方特: 702, 乐园: 703 }, tiers: [[0, 703], [350, 500]] },
  { index: 'a view over two segments with deleted documents', data: viewSegments(parts, deletedTerms(parts, analysis)), df: { 方特: 700, 乐园: 701 }, tiers: [[0, 700], [497]] },
])('$index', ({ data, df, tiers }) => {
  const tiersOf = (reader: PostingsReader): number[][] => selectTiers(parseQuery(QUERY, analyzer), new QueryMatches(reader), data.documentCount, options).tiers.map((t) => Array.from(t));

  test('the words are common and the literal matches few: fewer than the blocks of the lists', () => {
    const reader = new PostingsReader(data);
    expect({ 方特: reader.wordDocFreq('方特'), 乐园: reader.wordDocFreq('乐园') }).toEqual(df);
    expect(tiers.flat().length * 128).toBeLessThan(df.方特);
  });

  test('aligned matches first, those cutting through words after', () => {
    expect(tiersOf(new PostingsReader(data))).toEqual(tiers);
  });

  test('the same with the word lists in the cache (read whole)', () => {
    const reader = new PostingsReader(data);
    reader.word('方特');
    reader.word('乐园');
    expect(tiersOf(reader)).toEqual(tiers);
  });
});
