/**
 * A one-character query reads its character's list in part: its documents alone
 * (PostingsReader.charDocs) for the literal tiers and the total, and its counts
 * (PostingsReader.charAmong) only for the documents its ranking scores (topk.ts
 * PartialCounts). Checked here: the readers give what the whole list has, in one segment and
 * in a view over segments with deleted documents; rankTopK with features read in part ranks
 * as scoring every candidate with the whole lists does, reading few of their entries; and
 * whole searches of single characters answer as exhaustive scoring does, also with an
 * analyzer whose words are not in the text (a character's word list holding documents
 * where the character is not).
 */
import { Analyzer, WordSource } from '../../src/analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { IndexBuilder } from '../../src/index/builder';
import { IndexData, SegmentPart } from '../../src/index/data';
import { FieldCounts, PostingsReader } from '../../src/index/postings';
import { deletedTerms, viewSegments } from '../../src/index/segmentView';
import { Bm25f, DEFAULT_RANKING } from '../../src/search/ranking';
import { Feature, PartialCounts, rankTopK } from '../../src/search/topk';
import { doc, seeded } from '../helpers';

/** Characters the documents are made of; 的 and 年 common, 甲 rare. */
const ALPHABET = '的的的的年年和国中甲';

/**
 * Words of one character each, as a document's and a query's; a document's also get 国
 * whatever its text when `lying` (a word that is not in the text: 国's word list then holds
 * documents without the character).
 */
function charWords(lying: boolean): WordSource {
  const chars = (normalized: string): string[] => [...normalized].filter((c) => /[\p{L}\p{N}]/u.test(c));
  return { queryWords: chars, searchWords: (normalized) => (lying ? [...chars(normalized), '国'] : chars(normalized)) };
}

/** 3,000 documents of random characters (titles of 0–6, bodies of 5–80). */
function documents(): SearchDocument[] {
  const rand = seeded(7);
  const text = (n: number): string => Array.from({ length: n }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join('');
  return Array.from({ length: 3000 }, (_, g) => doc(`d${g}`, text(Math.floor(rand() * 7)), text(5 + Math.floor(rand() * 76))));
}

function build(analyzer: Analyzer, docs: SearchDocument[]): IndexData {
  const builder = new IndexBuilder(analyzer);
  for (const d of docs) builder.add(d);
  return builder.finish();
}

/** One segment, and a view over two segments with deleted documents, of the same documents. */
function indexes(lying: boolean): Array<{ name: string; data: IndexData; analyzer: Analyzer; live: SearchDocument[] }> {
  const analyzer = new Analyzer({ words: charWords(lying) });
  const docs = documents();
  const parts: SegmentPart[] = [
    { data: build(analyzer, docs.slice(0, 1700)), deleted: Uint32Array.of(0, 5, 130, 131, 1000, 1699) },
    { data: build(analyzer, docs.slice(1700)), deleted: Uint32Array.of(2, 10, 600) },
  ];
  const analysis = (d: SearchDocument) => ({ title: analyzer.analyzeField(titleText(d)), body: analyzer.analyzeField(bodyText(d)) });
  const deleted = new Set([0, 5, 130, 131, 1000, 1699, 1702, 1710, 2300]);
  return [
    { name: 'one segment', data: build(analyzer, docs), analyzer, live: docs },
    { name: 'a view over two segments with deleted documents', data: viewSegments(parts, deletedTerms(parts, analysis)), analyzer, live: docs.filter((_, g) => !deleted.has(g)) },
  ];
}

/** The entries of `counts` as [document, title, body] triples. */
function entries(counts: FieldCounts): number[][] {
  return Array.from(counts.docs, (d, i) => [d, counts.title[i], counts.body[i]]);
}

describe.each(indexes(false))('reading a character in part: $name', ({ data }) => {
  test("charDocs lists every document of each character's whole list", () => {
    for (const unit of data.charKeys) {
      const whole = new PostingsReader(data).char(unit).docs;
      expect(whole.length).toBeGreaterThan(0);
      expect(Array.from(new PostingsReader(data).charDocs(unit))).toEqual(Array.from(whole));
    }
  });

  test('charAmong gives the whole list’s entries of the documents wanted, few (blocks read) or many (the whole list)', () => {
    const rand = seeded(11);
    for (const ch of '的年甲') {
      const unit = ch.charCodeAt(0);
      const whole = new PostingsReader(data).char(unit);
      for (const share of [0.002, 0.01, 0.5]) {
        const wanted = Uint32Array.from({ length: data.documentCount }, (_, d) => d).filter(() => rand() < share);
        const wantedSet = new Set(wanted);
        const expected = entries(whole).filter(([d]) => wantedSet.has(d));
        const read = entries(new PostingsReader(data).charAmong(unit, wanted)).filter(([d]) => wantedSet.has(d));
        expect(read).toEqual(expected);
      }
    }
  });

  test('a cached whole list serves charDocs and charAmong', () => {
    const reader = new PostingsReader(data);
    const whole = reader.during(() => reader.char('的'.charCodeAt(0)));
    expect(reader.during(() => reader.charDocs('的'.charCodeAt(0)))).toBe(whole.docs);
    expect(reader.during(() => reader.charAmong('的'.charCodeAt(0), Uint32Array.of(3)))).toBe(whole);
  });
});

describe('rankTopK with features read in part', () => {
  const rand = seeded(99);
  const documentCount = 20000;
  const titleWords = Uint32Array.from({ length: documentCount }, () => 1 + Math.floor(rand() * 20));
  const bodyWords = Uint32Array.from({ length: documentCount }, () => 20 + Math.floor(rand() * 800));
  const list = (share: number, most: number): FieldCounts => {
    const docs: number[] = [];
    for (let d = 0; d < documentCount; d++) if (rand() < share) docs.push(d);
    return { docs: Uint32Array.from(docs), title: Uint32Array.from(docs, () => Math.floor(rand() * rand() * 3)), body: Uint32Array.from(docs, () => 1 + Math.floor(rand() * rand() * most)) };
  };
  /** A list read in part: only the entries of the documents wanted are handed out; `asked` counts the documents asked for. */
  const inPart = (whole: FieldCounts, key?: string): PartialCounts & { asked: number } => {
    const part = {
      docs: whole.docs,
      asked: 0,
      key,
      among(wanted: Uint32Array): FieldCounts {
        part.asked += wanted.length;
        const keep: number[] = [];
        for (let i = 0, w = 0; i < whole.docs.length && w < wanted.length; i++) {
          while (w < wanted.length && wanted[w] < whole.docs[i]) w++;
          if (wanted[w] === whole.docs[i]) keep.push(i);
        }
        return { docs: Uint32Array.from(keep, (i) => whole.docs[i]), title: Uint32Array.from(keep, (i) => whole.title[i]), body: Uint32Array.from(keep, (i) => whole.body[i]) };
      },
    };
    return part;
  };
  // A character (the literal, read in part) and its word: both in most documents; a rare word that decides more.
  const char = list(0.9, 30);
  const word = list(0.6, 20);
  const rare = list(0.02, 4);
  const every = Uint32Array.from({ length: documentCount }, (_, d) => d);

  test('the same positions and scores as every candidate scored with the whole lists, the lists read in part for few documents', () => {
    for (const candidates of [every, word.docs, every.filter((d) => d % 3 === 0)]) {
      for (const k of [1, 3, 10, 50]) {
        for (const weights of [[1, 1, 0], [1, 1, 0.5], [0.2, 3, 0]]) {
          const bm25f = new Bm25f({ documentCount, titleWords, bodyWords }, DEFAULT_RANKING);
          const whole: Array<Feature<FieldCounts>> = [
            { hits: char, weight: weights[0] },
            { hits: word, weight: weights[1] },
            { hits: rare, weight: weights[2] },
          ];
          const part = inPart(char);
          const expected = rankTopK(bm25f, whole, candidates, k, true);
          expect(rankTopK(bm25f, [{ hits: part, weight: weights[0], docFreq: char.docs.length }, ...whole.slice(1)], candidates, k)).toEqual(expected);
          expect(expected.positions).toHaveLength(k);
          // The word decides the order where it weighs more: the character's entries are read for a few hundred documents at most.
          if (weights[1] > 2 * weights[0]) expect(part.asked).toBeLessThan(1000);
        }
      }
    }
  });

  test('a list read whole once is bounded by its largest contribution for later rankings (Bm25f.partialCeiling), with the same results', () => {
    const bm25f = new Bm25f({ documentCount, titleWords, bodyWords }, DEFAULT_RANKING);
    const bound = bm25f.bound(char, 1, char.docs.length);
    expect(bm25f.partialCeiling('char', 1, false, char.docs.length)).toBe(bound);
    // Every candidate asked for: read whole, and its largest contribution kept.
    const first = inPart(char, 'char');
    const all = rankTopK(bm25f, [{ hits: first, weight: 1, docFreq: char.docs.length }, { hits: word, weight: 1 }], every, every.length);
    expect(all.positions).toHaveLength(every.length);
    const ceiling = bm25f.partialCeiling('char', 1, false, char.docs.length);
    expect(ceiling).toBe(bm25f.ceiling(char, 1, false, char.docs.length));
    expect(ceiling).toBeLessThan(bound);
    const added = new Float64Array(every.length);
    bm25f.accumulate(added, every, char, 1, false, char.docs.length);
    expect(Math.max(...added)).toBeLessThanOrEqual(ceiling * (1 + 1e-12));
    for (const k of [1, 10, 50]) {
      const later = inPart(char, 'char');
      const expected = rankTopK(bm25f, [{ hits: char, weight: 1 }, { hits: word, weight: 1 }], every, k, true);
      expect(rankTopK(bm25f, [{ hits: later, weight: 1, docFreq: char.docs.length }, { hits: word, weight: 1 }], every, k)).toEqual(expected);
    }
  });
});

describe.each([false, true])('single characters searched, words a document does not hold given to it: %s', (lying) => {
  test.each(indexes(lying))('$name: the answers of exhaustive scoring, totals as counted in the text', ({ data, analyzer, live }) => {
    const pruned = SearchEngine.fromData(data, analyzer);
    const exhaustive = SearchEngine.fromData(data, analyzer, { exhaustiveScoring: true });
    for (const ch of [...'的年和国中甲', '乙']) {
      for (const options of [{ limit: 10 }, { limit: 3, offset: 2 }, { limit: 0 }, { limit: 10, collapse: false }]) {
        const { took_ms: _a, ...got } = pruned.search(ch, options);
        const { took_ms: _b, ...expected } = exhaustive.search(ch, options);
        expect(got).toEqual(expected);
        // Copies of one article count once unless not collapsed: then every document holding the character.
        if (options.collapse === false) expect(got.total).toBe(live.filter((d) => titleText(d).includes(ch) || bodyText(d).includes(ch)).length);
      }
    }
    // 国 as a word: everywhere when the words lie, so its word-aligned tier is still its literal matches only.
    const guo = pruned.search('国', { limit: 5000 });
    expect(guo.hits.every((h) => h.literal)).toBe(true);
  });
});
