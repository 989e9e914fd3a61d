/**
 * PostingsReader.wordHolding tells which of the documents wanted hold a word, and
 * PostingsReader.wordAmong gives their entries (documents and counts) as the whole list has
 * them, the same whichever way they read them: the blocks that may hold a few wanted
 * documents, the whole list for many, or the list the cache already has; in one segment and
 * in a view over segments with deleted documents.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { bodyText, SearchDocument, titleText } from '../../src/document';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData, SegmentPart } from '../../src/index/data';
import { FieldCounts, PostingsReader } from '../../src/index/postings';
import { deletedTerms, viewSegments } from '../../src/index/segmentView';
import { doc } from '../helpers';

const analyzer = new Analyzer();

/**
 * 1,200 documents: document g is about 上海 when g % 3 is 1, about 北京 otherwise (800
 * documents, 7 blocks of its list); 北京 stands 1 + g % 4 times in its body, and once in its
 * title when g % 5 is 0.
 */
const documents: SearchDocument[] = Array.from({ length: 1200 }, (_, g) =>
  g % 3 === 1 ? doc(`d${g}`, `第${g}篇`, '上海的天气') : doc(`d${g}`, `第${g}篇${g % 5 === 0 ? '北京' : ''}`, '北京的天气。'.repeat(1 + (g % 4))),
);

function build(docs: SearchDocument[]): IndexData {
  const builder = new IndexBuilder(analyzer);
  for (const d of docs) builder.add(d);
  return builder.finish();
}

/**
 * Two segments: documents 0–699 with 0, 5, 130 and 699 deleted (the view's 0–695: view 1–3
 * are 2–4, 4–127 are 6–129, 128 on are 131 on), and 700–1199 with 702 and 710 deleted (the
 * view's 696–1193: 696 and 697 are 700 and 701, 698 is 703, 1000 is 1006, 1193 is 1199).
 */
const parts: SegmentPart[] = [
  { data: build(documents.slice(0, 700)), deleted: Uint32Array.of(0, 5, 130, 699) },
  { data: build(documents.slice(700)), deleted: Uint32Array.of(2, 10) },
];
const analysis = (d: SearchDocument) => ({ title: analyzer.analyzeField(titleText(d)), body: analyzer.analyzeField(bodyText(d)) });

/** The entries of `counts` as [document, title, body] triples. */
function entries(counts: FieldCounts): number[][] {
  return Array.from(counts.docs, (d, i) => [d, counts.title[i], counts.body[i]]);
}

describe.each([
  {
    index: 'one segment',
    data: build(documents),
    df: 800,
    // 0 (title too), 2, 599 (599 % 3 = 2) and 1199 are about 北京; 1 and 1000 about 上海.
    few: { wanted: [0, 1, 2, 599, 1000, 1199], held: [0, 2, 599, 1199] },
    among: { wanted: [0, 1, 2, 599, 1000, 1199], found: [[0, 1, 1], [2, 0, 3], [599, 0, 4], [1199, 0, 4]] },
  },
  {
    index: 'a view over two segments with deleted documents',
    data: viewSegments(parts, deletedTerms(parts, analysis)),
    // 800 less the deleted 0, 5, 699, 702 and 710 (130 is about 上海).
    df: 795,
    // View 1, 4, 695, 697, 1193 are documents 2, 6, 698, 701, 1199 (北京); view 3, 696, 698, 1000 are 4, 700, 703, 1006 (上海).
    few: { wanted: [1, 3, 4, 695, 696], held: [1, 4, 695] },
    // View 132 is document 135 (title too), 1193 is 1199.
    among: { wanted: [1, 132, 695, 696, 697, 1193], found: [[1, 0, 3], [132, 1, 4], [695, 0, 3], [697, 0, 2], [1193, 0, 4]] },
  },
])('$index', ({ data, df, few, among }) => {
  const reader = (): PostingsReader => new PostingsReader(data);
  const whole = (): number[] => Array.from(reader().word('北京').docs);

  test('the word is in the documents described', () => {
    expect(reader().wordDocFreq('北京')).toBe(df);
    expect(whole().length).toBe(df);
  });

  test('a few documents wanted (fewer than the blocks of the list): those that hold the word', () => {
    expect(few.wanted.length * 128).toBeLessThan(df);
    expect(Array.from(reader().wordHolding('北京', Uint32Array.from(few.wanted)))).toEqual(few.held);
  });

  test('the same from a list the cache holds', () => {
    const cached = reader();
    cached.word('北京');
    expect(Array.from(cached.wordHolding('北京', Uint32Array.from(few.wanted)))).toEqual(few.held);
  });

  test('every document wanted: the documents of the whole list', () => {
    const every = Uint32Array.from({ length: data.documentCount }, (_, d) => d);
    expect(Array.from(reader().wordHolding('北京', every))).toEqual(whole());
  });

  test('a word the index does not hold, or none wanted: none', () => {
    expect(Array.from(reader().wordHolding('广州', Uint32Array.of(0, 1, 2)))).toEqual([]);
    expect(Array.from(reader().wordHolding('北京', Uint32Array.of()))).toEqual([]);
    expect(entries(reader().wordAmong('广州', Uint32Array.of(0, 1, 2)))).toEqual([]);
    expect(entries(reader().wordAmong('北京', Uint32Array.of()))).toEqual([]);
  });

  test('wordAmong, a few documents wanted: their entries alone, as the whole list has them', () => {
    expect(among.wanted.length * 128).toBeLessThan(df);
    const found = entries(reader().wordAmong('北京', Uint32Array.from(among.wanted)));
    expect(found).toEqual(among.found);
    const all = new Map(entries(reader().word('北京')).map((entry) => [entry[0], entry]));
    expect(found).toEqual(among.wanted.filter((d) => all.has(d)).map((d) => all.get(d)));
  });

  test('wordAmong from a list the cache holds, or for many documents wanted: the whole list', () => {
    const cached = reader();
    cached.word('北京');
    const list = entries(reader().word('北京'));
    expect(entries(cached.wordAmong('北京', Uint32Array.from(among.wanted)))).toEqual(list);
    expect(entries(reader().wordAmong('北京', Uint32Array.from({ length: 7 }, (_, i) => i * 100)))).toEqual(list);
  });
});

test('in the view, the second segment\'s documents are found too', () => {
  const view = new PostingsReader(viewSegments(parts, deletedTerms(parts, analysis)));
  expect(Array.from(view.wordHolding('北京', Uint32Array.of(697, 698, 1000, 1193)))).toEqual([697, 1193]);
});
