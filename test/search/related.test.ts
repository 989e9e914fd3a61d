import * as path from 'node:path';
import { SearchDocument } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { readJsonl } from '../../src/ingest';
import { RELATED_COUNT, distinctiveWords, relatedFrom, relatedQuery } from '../../src/search/related';
import { SearchHit } from '../../src/search/types';
import { CORPUS_DIR, doc } from '../helpers';

/** Every `step`-th record of news-dev: a few hundred articles of all six categories (the file is sorted by category). */
async function newsSample(step: number): Promise<SearchDocument[]> {
  const docs: SearchDocument[] = [];
  let n = 0;
  for await (const entry of readJsonl(path.join(CORPUS_DIR, 'news-dev.jsonl.gz'))) {
    if ('document' in entry && n++ % step === 0) docs.push(entry.document);
  }
  return docs;
}

const category = (doc: SearchDocument | undefined): unknown => doc?.fields?.category;

describe('相关报道 on real news (news-dev, every 30th article)', () => {
  let docs: SearchDocument[];
  let engine: SearchEngine;
  let byId: Map<string, SearchDocument>;
  /** The first sports article, and two reprints of it under other ids. */
  let original: SearchDocument;
  const copyIds = ['copy-1', 'copy-2'];

  beforeAll(async () => {
    const sample = await newsSample(30);
    original = sample.find((d) => category(d) === '体育')!;
    docs = [...sample, ...copyIds.map((id) => ({ ...original, id }))];
    byId = new Map(docs.map((d) => [d.id, d]));
    engine = SearchEngine.build(docs);
  }, 600_000);

  it('lists articles of the same subject: mostly the same category, for sports articles and overall', () => {
    const share = { sport: [0, 0], all: [0, 0] };
    for (const doc of docs) {
      const related = engine.documentView(doc.id)!.related;
      expect(related.length).toBeLessThanOrEqual(RELATED_COUNT);
      const same = related.filter((r) => category(byId.get(r.id)) === category(doc)).length;
      share.all[0] += same;
      share.all[1] += related.length;
      if (category(doc) === '体育') {
        share.sport[0] += same;
        share.sport[1] += related.length;
      }
    }
    // Measured: 89% for sports, 80% over all six categories (a random pick would give about 17%).
    expect(share.sport[1]).toBeGreaterThan(300);
    expect(share.sport[0] / share.sport[1]).toBeGreaterThan(0.8);
    expect(share.all[0] / share.all[1]).toBeGreaterThan(0.7);
  });

  it('leaves out the article itself and its copies, which the view lists as copies instead', () => {
    const view = engine.documentView(original.id)!;
    expect(view.duplicates.map((d) => d.id).sort()).toEqual(copyIds);
    expect(view.related).toHaveLength(RELATED_COUNT);
    const ids = view.related.map((r) => r.id);
    for (const id of [original.id, ...copyIds]) expect(ids).not.toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    // A copy's own view leaves out the original and the other copy alike.
    const fromCopy = engine.documentView('copy-1')!.related.map((r) => r.id);
    for (const id of [original.id, ...copyIds]) expect(fromCopy).not.toContain(id);
  });

  it('queries with the words that set the article apart: its names and subjects, not words every article has', () => {
    const words = distinctiveWords(original, engine['analyzer'], engine['searcher'].data, copyIds.length);
    expect(words.length).toBeGreaterThan(5);
    expect(words.slice(0, 8)).toEqual(expect.arrayContaining(['上港', '英超', '豪门']));
    for (const common of ['记者', '表示', '我们']) expect(words).not.toContain(common);
  });
});

describe('relatedFrom', () => {
  const hit = (id: string, date?: string): SearchHit => ({ id, title: `标题${id}`, title_html: '', score: 1, literal: false, snippet: '', kind: 'article', reporters: [], source: 'x', correspondents: [], ...(date ? { date } : {}) });

  it.each([
    ['keeps the order and the dates', [hit('a', '2018-10-01'), hit('b')], [], [{ id: 'a', title: '标题a', date: '2018-10-01' }, { id: 'b', title: '标题b' }]],
    ['leaves out the excluded ids', [hit('self'), hit('a'), hit('copy')], ['self', 'copy'], [{ id: 'a', title: '标题a' }]],
    ['lists at most five', ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => hit(id)), [], ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, title: `标题${id}` }))],
  ])('%s', (_name, hits, excluded, expected) => {
    expect(relatedFrom(hits, new Set(excluded))).toEqual(expected);
  });
});

describe('relatedQuery', () => {
  it.each([
    ['all words when they fit', ['女排', '朱婷', '世锦赛'], 256, '女排 朱婷 世锦赛'],
    ['the most distinctive ones that fit, spaces not counted', ['女排', '朱婷', '世锦赛'], 5, '女排 朱婷'],
    ['nothing when the first does not fit', ['世锦赛'], 2, ''],
  ])('%s', (_name, words, max, expected) => {
    expect(relatedQuery(words, max)).toBe(expected);
  });

  it('keeps an article view working under a short query limit', () => {
    const engine = SearchEngine.build(
      [doc('a', '女排朱婷', '女排队长朱婷在世锦赛上得分最多。'), doc('b', '朱婷当选最佳', '世锦赛结束，朱婷当选最有价值球员，女排获得季军。'), doc('c', '地铁开通', '地铁新线开通。')],
      { maxQueryLength: 5 },
    );
    expect(engine.documentView('a')!.related.map((r) => r.id)).toEqual(['b']);
  });
});
