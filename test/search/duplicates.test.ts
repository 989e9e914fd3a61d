/** Copies of one article fold into one hit; different articles never do. */
import { SearchDocument } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { FingerprintBuilder, fingerprintHex, parseFingerprint } from '../../src/index/fingerprint';
import { DuplicateGroups, deeperAsk } from '../../src/search/duplicates';
import { demoDocuments, doc } from '../helpers';

const demo = demoDocuments();
const fangte = demo.find((d) => d.title === '郑州方特开启暑期亲子游')!;
const copies: SearchDocument[] = [
  ...demo,
  // The same article filed again, word for word.
  { ...fangte, id: 'same-text' },
  // Syndicated: another headline and a credit line added.
  { ...fangte, id: 'near-copy', title: '方特暑期亲子游开启', paragraphs: [...fangte.paragraphs, '（责任编辑：王五）'] },
  // Short notices that differ by one character are different notices.
  doc('notice-1', '通知', '明天停水。'),
  doc('notice-2', '通知', '明天停电。'),
  doc('notice-3', '通知', '明天停水。'),
];
const engine = SearchEngine.build(copies);

test('copies fold into the best-ranked hit; total counts articles, folded counts copies', () => {
  const result = engine.search('方特');
  expect(result).toMatchObject({ match: 'exact', total: 1, exact_total: 1, folded: 2 });
  expect(result.hits).toHaveLength(1);
  const listed = [{ id: result.hits[0].id, title: result.hits[0].title }, ...result.hits[0].duplicates!].sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(listed).toEqual(
    [
      { id: fangte.id, title: fangte.title },
      { id: 'near-copy', title: '方特暑期亲子游开启' },
      { id: 'same-text', title: fangte.title },
    ].sort((a, b) => (a.id < b.id ? -1 : 1)),
  );
});

test('collapse: false lists every copy as a hit of its own', () => {
  const result = engine.search('方特', { collapse: false });
  expect(result).toMatchObject({ total: 3, exact_total: 3, folded: 0 });
  expect(result.hits.every((h) => h.duplicates === undefined)).toBe(true);
});

test('short texts fold only when they are the same text', () => {
  const result = engine.search('明天停');
  expect(result).toMatchObject({ total: 2, folded: 1 });
  const water = result.hits.find((h) => h.id === 'notice-1' || h.id === 'notice-3')!;
  expect(water.duplicates?.map((d) => d.id)).toEqual([water.id === 'notice-1' ? 'notice-3' : 'notice-1']);
  expect(result.hits.find((h) => h.id === 'notice-2')?.duplicates).toBeUndefined();
});

test('different articles of one page never fold', () => {
  const result = engine.search('郑州', { limit: 50 });
  const ids = result.hits.flatMap((h) => [h.id, ...(h.duplicates ?? []).map((d) => d.id)]);
  expect(result.folded).toBe(ids.length - result.hits.length);
  expect(result.hits.filter((h) => h.duplicates).map((h) => h.title)).toEqual(result.hits.filter((h) => h.id === fangte.id || h.id === 'same-text' || h.id === 'near-copy').map((h) => h.title));
  expect(result.total).toBe(demo.filter((d) => (d.title + d.paragraphs.join('')).includes('郑州')).length);
});

test('the article view lists the other copies', () => {
  expect(engine.documentView('near-copy')?.duplicates.map((d) => d.id).sort()).toEqual([fangte.id, 'same-text'].sort());
  expect(engine.documentView('notice-2')?.duplicates).toEqual([]);
});

describe('a page filed five times over', () => {
  // Every article has four copies: a tier's best k documents hold about k / 5 articles, so ranking asks the tier again for more.
  const fivefold = SearchEngine.build([0, 1, 2, 3, 4].flatMap((copy) => demo.map((d) => ({ ...d, id: `${d.id}~${copy}` }))));
  const article = (id: string): string => id.replace(/~\d$/, '');

  test.each([1, 3, 7, 12])('the best %i articles are the first of the unfolded ranking, one hit each, with their four copies', (limit) => {
    for (const query of ['郑州', '方特', '文化旅游', '市民']) {
      const all = fivefold.search(query, { collapse: false, limit: 1000 });
      const firsts: string[] = [];
      for (const hit of all.hits) if (!firsts.some((id) => article(id) === article(hit.id))) firsts.push(hit.id);
      const folded = fivefold.search(query, { limit });
      expect(folded.total).toBe(firsts.length);
      expect(folded.folded).toBe(4 * firsts.length);
      expect(folded.hits.map((h) => h.id)).toEqual(firsts.slice(0, limit));
      for (const hit of folded.hits) expect(hit.duplicates!.map((d) => article(d.id))).toEqual([0, 1, 2, 3].map(() => article(hit.id)));
    }
  });
});

test.each([
  // asked, new articles found among them, articles missing → next ask
  [10, 2, 10, 63], // five copies each: 10 × 10 / 2 × 1.25, in one step where doubling took three
  [10, 9, 10, 20], // a copy or two: at least twice as many
  [20, 0, 10, 40], // nothing new (copies of articles taken from a tier above): twice as many
  [7, 1, 7, 62], // ceil(7 × 7 / 1 × 1.25)
])('deeperAsk(%i asked, %i found, %i missing) = %i', (asked, found, missing, next) => {
  expect(deeperAsk(asked, found, missing)).toBe(next);
});

describe('fingerprints', () => {
  const builder = new FingerprintBuilder();
  /** The fingerprint of a document with this body and no title. */
  const print = (body: string): string => {
    const seen = new Set<number>();
    for (let i = 0; i + 1 < body.length; i++) {
      const key = ((body.charCodeAt(i) << 16) | body.charCodeAt(i + 1)) >>> 0;
      builder.add(key, !seen.has(key));
      seen.add(key);
    }
    return fingerprintHex(builder.finish(), 0);
  };
  const body = fangte.paragraphs.join('\n');

  test('are 48 hex digits that read back, the same for the same text and the builder starts over', () => {
    const first = print(body);
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(print(body)).toBe(first);
    const parsed = parseFingerprint(first)!;
    expect(parsed.sketch).toHaveLength(16);
    expect(parsed.distinct).toBe(new Set([...body].slice(1).map((c, i) => body[i] + c)).size);
    expect(parseFingerprint('zz')).toBeUndefined();
    expect(parseFingerprint(undefined)).toBeUndefined();
  });

  test('group documents by text and by sketch agreement, ignoring documents without a fingerprint', () => {
    const groups = DuplicateGroups.fromFingerprints([print(body), print(body + '（责任编辑：王五）'), print('明天停水。'), undefined, print(demo[0].paragraphs.join('\n'))]);
    expect(groups.groupCount).toBe(1);
    expect(groups.membersOf(0)).toEqual([0, 1]);
    expect(groups.groupOf(2)).toBeUndefined();
    expect(groups.groupOf(3)).toBeUndefined();
    expect(groups.distinct([Uint32Array.from([0, 1, 2, 3, 4])])).toBe(4);
  });

  test('count articles whether a list is galloped through from one grouped document to the next or read whole', () => {
    const groups = DuplicateGroups.of(1000, [[3, 500], [10, 11, 12], [998, 999]]);
    const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
    const all = Uint32Array.from(range(0, 1000));
    // Over 16 times as long as the 7 grouped documents (galloped through): each group counts once.
    expect(groups.distinct([all])).toBe(996);
    // Shorter (read whole).
    expect(groups.distinct([Uint32Array.from([3, 10])])).toBe(2);
    expect(groups.distinct([Uint32Array.from([10, 11]), Uint32Array.from([12, 500])])).toBe(2);
    expect(groups.distinct([Uint32Array.from([]), Uint32Array.from([7])])).toBe(1);
    // A group with a document before counts no more.
    expect(groups.distinctBeyond([Uint32Array.from([11, 500, 600])], [Uint32Array.from([3, 10])])).toBe(1);
    expect(groups.distinctBeyond([Uint32Array.from(range(0, 1000).filter((d) => d !== 3))], [Uint32Array.from([3])])).toBe(995);
    expect(groups.distinctBeyond([], [all])).toBe(0);
  });

  test('built in slices beside a server, the groups are those built at once; an aborted build rejects', async () => {
    const prints = demo.flatMap((d) => [print(d.paragraphs.join('\n')), print(d.paragraphs.join('\n') + '（完）')]);
    const atOnce = DuplicateGroups.fromFingerprints(prints);
    expect(atOnce.groupCount).toBeGreaterThan(5);
    expect((await DuplicateGroups.fromFingerprintsInSlices(prints)).groups()).toEqual(atOnce.groups());
    const stop = new AbortController();
    stop.abort();
    await expect(DuplicateGroups.fromFingerprintsInSlices(prints, stop.signal)).rejects.toThrow();
  });
});
