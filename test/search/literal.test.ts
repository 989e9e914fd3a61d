/**
 * Literal matching gives exactly what a brute-force scan of the normalized title and body
 * gives, per document and field, for literals of common bigrams (long lists, read only in the
 * blocks holding the documents a rare bigram left) and rare ones, overlapping occurrences,
 * titles and bodies: in one segment, in a view over segments with deleted documents, and merged.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { normalize } from '../../src/analysis/normalize';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData, SegmentPart, bigramKey, findKey } from '../../src/index/data';
import { mergeSegments } from '../../src/index/merge';
import { FieldCounts, PostingsReader } from '../../src/index/postings';
import { PACKED_RUN } from '../../src/index/postingsBlocks';
import { bigramCounts } from '../../src/search/features';
import { QueryMatches } from '../../src/search/matches';
import { deletedTerms, viewSegments } from '../../src/index/segmentView';
import { matchLiteral } from '../../src/search/literal';
import { doc, seeded } from '../helpers';

const analyzer = new Analyzer();
const ALPHABET = '甲乙丙丁';
/** A character of document `i` found in no other (slot k of 4). */
const own = (i: number, k: number): string => String.fromCharCode(0x6000 + i * 4 + k);

/**
 * 400 documents: titles and bodies of random runs over four characters (so each of their 16
 * bigrams is in about half of the documents), between characters of the document's own
 * (rare bigrams); every tenth body holds 甲乙 between two of its own characters.
 */
function corpus(): SearchDocument[] {
  const random = seeded(14);
  const run = (n: number): string => Array.from({ length: n }, () => ALPHABET[Math.floor(random() * 4)]).join('');
  return Array.from({ length: 400 }, (_, i) => {
    const title = `${run(3)}${own(i, 0)}${run(2)}`;
    const body = `${run(8)}${own(i, 1)}${run(4)}\n${i % 10 === 0 ? `${own(i, 2)}甲乙${own(i, 3)}` : run(3)}${run(6)}`;
    return doc(`d${i}`, title, body);
  });
}

function build(documents: SearchDocument[]): IndexData {
  const builder = new IndexBuilder(analyzer);
  for (const document of documents) builder.add(document);
  return builder.finish();
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

/** What matchLiteral must give: per live document (numbered in order), its occurrences in the title and the body. */
function bruteForce(live: SearchDocument[], text: string): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  live.forEach((d, n) => {
    const title = occurrences(normalize(titleText(d)), text);
    const body = occurrences(normalize(bodyText(d)), text);
    if (title + body > 0) out.push([n, title, body]);
  });
  return out;
}

function matched(reader: PostingsReader, text: string): Array<[number, number, number]> {
  const hits = matchLiteral(reader, text);
  return Array.from(hits.docs, (d, i) => [d, hits.title[i], hits.body[i]]);
}

const docs = corpus();
/** Queries of every kind, and texts cut from the documents at every offset. */
const QUERIES = [
  ...['甲乙', '乙丙', '丙丙', '甲乙丙丁', '甲乙丙', '丁丁丁', '甲甲', '甲甲甲', '甲乙甲乙'],
  ...[0, 10, 20, 130].flatMap((i) => [`${own(i, 2)}甲乙${own(i, 3)}`, `甲乙${own(i, 3)}`, `${own(i, 2)}甲乙`, `${own(i, 2)}甲乙${own(i, 3)}丙`]),
  ...docs.slice(0, 40).flatMap((d, i) => {
    const text = i % 2 === 0 ? normalize(bodyText(d)) : normalize(titleText(d));
    return [2, 3, 4, 5, 7].map((length) => text.slice(i % 6, (i % 6) + length));
  }),
];

describe('one segment', () => {
  const reader = new PostingsReader(build(docs));

  test('the alphabet\'s bigrams are in packed lists of several blocks, the documents\' own ones in one', () => {
    const df = (text: string): number => reader.data.bigrams.df[findKey(reader.data.bigramKeys, bigramKey(text.charCodeAt(0), text.charCodeAt(1)))];
    for (const bigram of ['甲乙', '乙丙', '丁甲']) expect(df(bigram)).toBeGreaterThan(PACKED_RUN);
    expect(df(`${own(10, 2)}甲`)).toBe(1);
  });

  test.each(QUERIES)('%s: every document and field as a brute-force scan finds them', (text) => {
    expect(matched(reader, text)).toEqual(bruteForce(docs, text));
  });
});

/** The documents in two segments, six of them deleted: the segments, and the live documents in order. */
function segmented(): { parts: SegmentPart[]; live: SearchDocument[]; view: PostingsReader } {
  const parts: SegmentPart[] = [
    { data: build(docs.slice(0, 300)), deleted: Uint32Array.of(0, 5, 130, 299) },
    { data: build(docs.slice(300)), deleted: Uint32Array.of(2, 10) },
  ];
  const live = docs.filter((_, i) => ![0, 5, 130, 299, 302, 310].includes(i));
  const analysis = (d: SearchDocument) => ({ title: analyzer.analyzeField(titleText(d)), body: analyzer.analyzeField(bodyText(d)) });
  return { parts, live, view: new PostingsReader(viewSegments(parts, deletedTerms(parts, analysis))) };
}

describe('segments with deleted documents', () => {
  const { parts, live, view } = segmented();
  const merged = new PostingsReader(mergeSegments(parts));

  test.each(QUERIES)('%s: the view and the merged index find what a brute-force scan of the live documents finds', (text) => {
    const expected = bruteForce(live, text);
    expect(matched(view, text)).toEqual(expected);
    expect(matched(merged, text)).toEqual(expected);
  });
});

describe('a query\'s literal of two units', () => {
  const { live, view } = segmented();
  const readers: Array<[string, PostingsReader, SearchDocument[]]> = [
    ['one segment', new PostingsReader(build(docs)), docs],
    ['a view over segments', view, live],
  ];
  const pairs = [...new Set(QUERIES.filter((text) => text.length === 2))];
  const counted = (hits: FieldCounts): Array<[number, number, number]> => Array.from(hits.docs, (d, i) => [d, hits.title[i], hits.body[i]]);

  test.each(readers)('%s: is the bigram\'s counts, the occurrences a brute-force scan finds, in all fields and in titles', (_, reader, documents) => {
    expect(pairs.length).toBeGreaterThan(10);
    for (const text of pairs) {
      const matches = new QueryMatches(reader);
      const hits = matches.literal(text, 'all');
      expect(hits).toBe(bigramCounts(reader, text.charCodeAt(0), text.charCodeAt(1))!.counts);
      expect(counted(hits)).toEqual(bruteForce(documents, text));
      expect(counted(matches.literal(text, 'title'))).toEqual(bruteForce(documents, text).filter(([, title]) => title > 0).map(([d, title]) => [d, title, 0]));
    }
    expect(counted(new QueryMatches(reader).literal('戊己', 'all'))).toEqual([]);
  });
});

describe('bigrams the search reads whole anyway', () => {
  const one = build(docs);
  const { live, view } = segmented();
  // Fresh readers (nothing cached yet) of the same data.
  const readers: Array<[string, () => PostingsReader, SearchDocument[]]> = [
    ['one segment', () => new PostingsReader(one), docs],
    ['a view over segments', () => new PostingsReader(view.data), live],
  ];
  /** Each bigram of `text` as `first << 16 | second` (features.ts queryBigrams). */
  const bigramsOf = (text: string): Set<number> => new Set(Array.from({ length: text.length - 1 }, (_, o) => (text.charCodeAt(o) << 16) | text.charCodeAt(o + 1)));
  // A document's own characters leave one document, against the common bigrams' hundreds: read in part unless read whole.
  // (丙丁… occurs nowhere: its bigram 丁 + own(i, 2) is in no document, so nothing is read for it.)
  const selective = [10, 20, 130].flatMap((i) => [`${own(i, 2)}甲乙${own(i, 3)}丙`, `丙丁${own(i, 2)}甲乙`, `甲乙${own(i, 3)}`]);

  test.each(readers)('%s: are read whole, never in part, and the matches are what a brute-force scan finds', (_, fresh, documents) => {
    const reader = fresh();
    const holding = jest.spyOn(reader, 'bigramHolding');
    for (const text of selective) {
      const expected = bruteForce(documents, text);
      const hits = matchLiteral(reader, text, 'all', undefined, bigramsOf(text));
      expect([text, Array.from(hits.docs, (d, i) => [d, hits.title[i], hits.body[i]])]).toEqual([text, expected]);
    }
    expect(holding).not.toHaveBeenCalled();
    // Without them, a fresh reader reads the common bigrams of the same texts in part (what the first case avoids).
    const other = fresh();
    const decodes: Array<{ read: number; df: number }> = [];
    const inPart = jest.spyOn(other, 'bigramHolding').mockImplementation(function (this: PostingsReader, first, second, wanted) {
      const postings = PostingsReader.prototype.bigramHolding.call(this, first, second, wanted);
      decodes.push({ read: postings!.docs.length, df: this.bigramDocFreq(first, second) });
      return postings;
    });
    for (const text of selective) expect(matched(other, text)).toEqual(bruteForce(documents, text));
    expect(decodes.filter(({ read, df }) => read < df).length).toBeGreaterThan(0);
    inPart.mockRestore();
  });
});

describe('a rare bigram between two common ones', () => {
  // 甲戊 and 己乙 in every body, 戊己 where they meet (丙丁甲戊己乙丁丙) in every 20th and alone (丙戊己丁) in every 30th:
  // the bigrams at even offsets of 甲戊己乙 are common, the one between them rare.
  const random = seeded(29);
  const run = (n: number): string => Array.from({ length: n }, () => '甲乙丙丁'[Math.floor(random() * 4)]).join('');
  const documents = Array.from({ length: 300 }, (_, i) =>
    doc(`r${i}`, run(3), `${run(4)}甲戊${run(3)}己乙${run(2)}${i % 20 === 0 ? '丙丁甲戊己乙丁丙' : run(2)}${i % 30 === 0 ? '丙戊己丁' : ''}${run(3)}`),
  );
  // 戊己 at an odd offset, between the bigrams that cover the text (offsets 0, 2, 4, … and the last).
  const TEXTS = ['甲戊己乙', '甲戊己乙丁', '丙丁甲戊己乙', '丙丁甲戊己乙丁', '甲戊己乙丁丙'];

  test.each(TEXTS)('%s: the rare bigram anchors, and the matches are what a brute-force scan finds', (text) => {
    const reader = new PostingsReader(build(documents));
    const df = (o: number): number => reader.bigramDocFreq(text.charCodeAt(o), text.charCodeAt(o + 1));
    const junction = text.indexOf('戊己');
    expect(junction % 2).toBe(1);
    const covering = [...Array.from({ length: Math.floor(text.length / 2) }, (_, k) => 2 * k), text.length - 2];
    for (const offset of covering) expect(df(junction)).toBeLessThan(df(offset));
    const decoded = jest.spyOn(reader, 'bigram');
    const hits = matchLiteral(reader, text);
    expect(Array.from(hits.docs, (d, i) => [d, hits.title[i], hits.body[i]])).toEqual(bruteForce(documents, text));
    // The rarest bigram, though no covering one, is decoded first (the anchor).
    expect(decoded.mock.calls[0]).toEqual([text.charCodeAt(junction), text.charCodeAt(junction + 1)]);
    expect(hits.docs.length).toBeGreaterThan(0);
  });
});
