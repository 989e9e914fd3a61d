/**
 * Reopening as a server does: the deleted documents' terms and the joined segments of a
 * view are the same whether computed at once or in slices between turns of the event
 * loop, an index with replaced documents opens to the same answers either way, and a
 * reopen after an update reuses the segments already read.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analyzer } from '../../src/analysis/analyzer';
import { bodyText, titleText } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { deletedTerms, deletedTermsInSlices, viewSegments, viewSegmentsInSlices } from '../../src/index/segmentView';
import { readSegments } from '../../src/index/generation';
import { updateIndex } from '../../src/update';
import { demoDocuments } from '../helpers';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-deleted-'));
  const docs = demoDocuments();
  SearchEngine.build(docs).save(dir);
  updateIndex(dir, { add: docs.slice(0, 4).map((doc) => ({ ...doc, paragraphs: [`改写：${doc.paragraphs[0]}`] })), remove: [docs[5].id] });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('counts the deleted documents and joins the segments the same in slices as at once', async () => {
  const { segments } = readSegments(dir);
  const analyzer = new Analyzer();
  const analysis = (doc: Parameters<Parameters<typeof deletedTerms>[1]>[0]) => ({ title: analyzer.analyzeField(titleText(doc)), body: analyzer.analyzeField(bodyText(doc)) });
  const atOnce = deletedTerms(segments, analysis);
  const sliced = await deletedTermsInSlices(segments, analysis);
  expect(atOnce.words.size).toBeGreaterThan(10);
  expect(sliced).toEqual(atOnce);
  expect(await viewSegmentsInSlices(segments, sliced)).toEqual(viewSegments(segments, atOnce));
});

it('opens an index with replaced and removed documents to the same answers with openAsync as with open', async () => {
  const opened = SearchEngine.open(dir);
  const openedAsync = await SearchEngine.openAsync(dir);
  expect(openedAsync.documentCount).toBe(10);
  for (const query of ['改写', '郑州', '方特', '楼院']) {
    const strip = (engine: SearchEngine) => engine.search(query).hits.map((hit) => [hit.id, hit.score]);
    expect(strip(openedAsync)).toEqual(strip(opened));
  }
});

it('reopens after an update reusing the segments it already read, checking only the new ones', async () => {
  const reopenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-reopen-'));
  try {
    SearchEngine.build(demoDocuments()).save(reopenDir);
    const before = await SearchEngine.openAsync(reopenDir);
    updateIndex(reopenDir, { add: [{ ...demoDocuments()[0], id: 'new-1', title: '鼋鼍新闻', paragraphs: ['鼋鼍出现在郑州。'] }] });
    // The first segment's postings, damaged in the new generation: only a reopen that reads them notices.
    const generation = path.join(reopenDir, fs.readFileSync(path.join(reopenDir, 'CURRENT'), 'utf8').trim());
    const postings = path.join(generation, 'seg-0', 'bigrams.postings');
    const bytes = fs.readFileSync(postings);
    fs.rmSync(postings);
    bytes[0] ^= 0xff;
    fs.writeFileSync(postings, bytes);
    await expect(SearchEngine.openAsync(reopenDir)).rejects.toThrow(/seg-0\/bigrams.postings does not match its checksum/);
    const after = await SearchEngine.openAsync(reopenDir, {}, before);
    expect(after.documentCount).toBe(12);
    expect(after.search('鼋鼍').hits.map((hit) => hit.id)).toEqual(['new-1']);
    expect(after.search('方特').total).toBe(before.search('方特').total);
  } finally {
    fs.rmSync(reopenDir, { recursive: true, force: true });
  }
});
