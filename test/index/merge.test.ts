import { SearchDocument } from '../../src/document';
import { IndexData } from '../../src/index/data';
import { wholeBytes } from '../../src/index/indexFile';
import { DocStoreReader, compactDocuments, isJoined } from '../../src/index/docStore';
import { mergeSegments } from '../../src/index/merge';
import { buildData as build, corpusDocuments, demoDocuments, doc } from '../helpers';


/** Every array and blob of an IndexData, for a whole-structure comparison. */
function flat(data: IndexData): Record<string, unknown> {
  const stored = compactDocuments(data.documents);
  const family = (f: IndexData['words']): unknown[] => [Array.from(f.offsets), Array.from(f.df), Buffer.from(wholeBytes(f.postings)).toString('base64')];
  return {
    documentCount: data.documentCount,
    titleUnits: Array.from(data.titleUnits),
    titleWords: Array.from(data.titleWords),
    bodyWords: Array.from(data.bodyWords),
    documents: [wholeBytes(stored.blocks), stored.dictionary, stored.blockOffsets, stored.blockFirstDoc, stored.docOffsets].map((a) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
    ),
    meta: Buffer.from(data.metaBytes).toString('utf8'),
    wordTerms: data.wordTerms,
    words: family(data.words),
    bigramKeys: Array.from(data.bigramKeys),
    bigrams: family(data.bigrams),
    charKeys: Array.from(data.charKeys),
    chars: family(data.chars),
  };
}

describe('mergeSegments', () => {
  let news: SearchDocument[];
  beforeAll(async () => {
    news = await corpusDocuments('news-dev.jsonl.gz', 300);
  });

  it('gives, byte for byte, the index a fresh build of the live documents gives', () => {
    const [a, b, c] = [news.slice(0, 150), news.slice(150, 260), news.slice(260)];
    const deletedA = Uint32Array.of(0, 3, 77, 149);
    const deletedC = Uint32Array.of(5);
    const merged = mergeSegments([
      { data: build(a), deleted: deletedA },
      { data: build(b), deleted: new Uint32Array(0) },
      { data: build(c), deleted: deletedC },
    ]);
    const live = [...a.filter((_, i) => !deletedA.includes(i)), ...b, ...c.filter((_, i) => !deletedC.includes(i))];
    expect(merged.documentCount).toBe(300 - 5);
    expect(flat(merged)).toEqual(flat(build(live)));
  });

  it('drops terms that only deleted documents held', () => {
    const only = doc('x', '独一无二的标题', '鼋鼍蛟龙在此出没');
    const data = build([only, ...demoDocuments()]);
    expect(data.wordTerms).toContain('鼋');
    const merged = mergeSegments([{ data, deleted: Uint32Array.of(0) }]);
    expect(merged.wordTerms).not.toContain('鼋');
    expect(flat(merged)).toEqual(flat(build(demoDocuments())));
  });

  it('joins the stored documents for opening without compressing them again: the same documents, the same index once compacted', () => {
    const a = news.slice(0, 100);
    const b = news.slice(100, 140);
    const parts = [
      { data: build(a), deleted: Uint32Array.of(2, 50) },
      { data: build(b), deleted: Uint32Array.of(0) },
    ];
    const joined = mergeSegments(parts, { joinDocuments: true });
    expect(isJoined(joined.documents)).toBe(true);
    const reader = new DocStoreReader(joined.documents);
    const live = [...a.filter((_, i) => i !== 2 && i !== 50), ...b.slice(1)];
    expect(reader.documentCount).toBe(live.length);
    live.forEach((d, n) => expect(JSON.parse(Buffer.from(reader.get(n)).toString('utf8'))).toEqual(d));
    expect(flat(joined)).toEqual(flat(mergeSegments(parts)));
    expect(flat(joined)).toEqual(flat(build(live)));
  });

  it('returns a single segment without deletions as it is', () => {
    const data = build(demoDocuments());
    expect(mergeSegments([{ data, deleted: new Uint32Array(0) }])).toBe(data);
  });

  it('merges to an empty index when every document is deleted', () => {
    const data = build(demoDocuments().slice(0, 2));
    const merged = mergeSegments([{ data, deleted: Uint32Array.of(0, 1) }]);
    expect(merged.documentCount).toBe(0);
    expect(merged.wordTerms).toEqual([]);
    expect(merged.bigramKeys.length).toBe(0);
    expect(compactDocuments(merged.documents).docOffsets).toEqual(new Uint32Array(0));
  });
});
