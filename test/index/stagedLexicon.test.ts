/** A build's segments staged as drafts (no lexicon, table files compressed for a merge): finished at commit for the segments kept, never for those merged away, and never let into a generation unfinished. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { analyzerSettingsOf } from '../../src/analysis/analyzer';
import { SearchDocument } from '../../src/document';
import { IndexData } from '../../src/index/data';
import { readManifest, stageSegment, writeGeneration } from '../../src/index/generation';
import { GenerationInfo } from '../../src/index/manifest';
import { lexiconOf } from '../../src/index/lexicon';
import { LEXICON_FILES, segmentFiles } from '../../src/index/segmentFiles';
import { SegmentStaging } from '../../src/index/segmentStaging';
import { DRAFT_TABLE_QUALITY, compressTableFile } from '../../src/index/tableFiles';
import { buildData as build, corpusDocuments } from '../helpers';

const INFO: GenerationInfo = { analyzer: analyzerSettingsOf(undefined, undefined), sources: [] };

let tmp: string;
let news: SearchDocument[];
let slices: SearchDocument[][];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-staged-lexicon-'));
  news = await corpusDocuments('news-dev.jsonl.gz', 240);
  slices = [news.slice(0, 100), news.slice(100, 170), news.slice(170)];
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The files of a directory, by name, as base64 (sorted by name). */
function filesIn(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]));
}

/** The files segmentFiles gives for `data` with its lexicon (what main staged for every segment), as filesIn reads them. */
function expectedFiles(data: IndexData): Record<string, string> {
  return Object.fromEntries(Object.entries(segmentFiles(data)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')]));
}

/** The staged segment directories of the one build staging in `out`, by segment name. */
function stagedDirs(out: string): Record<string, string[]> {
  const [staging] = fs.readdirSync(out).filter((entry) => entry.startsWith('.tmp-build-'));
  const dir = path.join(out, staging);
  return Object.fromEntries(fs.readdirSync(dir).sort().map((segment) => [segment, fs.readdirSync(path.join(dir, segment)).sort()]));
}

/** The files of each segment of the current generation in `out`, and the manifest's list of them, in its order. */
function committed(out: string): { files: Record<string, Record<string, string>>; listed: string[] } {
  const { manifest, generationDir } = readManifest(out);
  const files = Object.fromEntries(manifest.segments.map((segment) => [segment.name, filesIn(path.join(generationDir, segment.name))]));
  return { files, listed: Object.keys(manifest.files) };
}

describe('a build staging its segments as drafts', () => {
  it('stages a flushed segment (lexicon not made) as a draft, and finishDrafts finishes it: the files of a segment staged finished, byte for byte, listed in the same order', async () => {
    const out = path.join(tmp, 'kept');
    const staging = new SegmentStaging(out);
    const data = slices.map(build);
    for (const segment of data) {
      expect(segment.lexicon).toBeUndefined();
      staging.add(segment);
    }
    const staged = stagedDirs(out);
    expect(Object.keys(staged)).toEqual(['seg-0', 'seg-1', 'seg-2']);
    for (const files of Object.values(staged)) {
      expect(files).toContain('words.terms');
      for (const file of LEXICON_FILES) expect(files).not.toContain(file);
    }
    // A draft's table files: the same plain bytes, compressed at the draft's quality.
    const stagingDir = path.join(out, fs.readdirSync(out).find((entry) => entry.startsWith('.tmp-build-'))!, 'seg-0');
    const final = segmentFiles(build(slices[0]));
    for (const file of ['docmeta.jsonl', 'words.terms', 'bigrams.table']) {
      const draft = fs.readFileSync(path.join(stagingDir, file));
      const plain = brotliDecompressSync(final[file]);
      expect({ file, same: draft.equals(compressTableFile(plain, DRAFT_TABLE_QUALITY)) }).toEqual({ file, same: true });
      expect({ file, same: draft.equals(final[file]) }).toEqual({ file, same: false });
    }
    await staging.finishDrafts();
    staging.commit(INFO);
    const { files, listed } = committed(out);
    // segmentFiles with the lexicon (made now: staging did not make it) is what every segment was staged as before.
    data.forEach((segment, i) => expect(files[`seg-${i}`]).toEqual(expectedFiles(segment)));
    // The lexicon's files are listed where a segment staged with them lists them: after chars.table.
    const first = listed.filter((file) => file.startsWith('seg-0/')).map((file) => file.slice('seg-0/'.length));
    expect(first).toEqual(Object.keys(segmentFiles(data[0])));
  });

  it('merges drafts into a segment without lexicon, which finishDrafts completes as a one-segment build of their documents', async () => {
    const out = path.join(tmp, 'merged');
    const staging = new SegmentStaging(out);
    for (const slice of slices) staging.add(build(slice));
    expect(staging.mergeRunsUpTo(Infinity, 10)).toBe(1);
    const staged = stagedDirs(out);
    expect(Object.keys(staged)).toEqual(['seg-3']);
    for (const file of LEXICON_FILES) expect(staged['seg-3']).not.toContain(file);
    await staging.finishDrafts();
    staging.commit(INFO);
    expect(committed(out).files).toEqual({ 'seg-3': expectedFiles(build(news)) });
  });

  it('stages a segment whose lexicon is made as it is, and merges it with drafts into one finishDrafts completes', async () => {
    const out = path.join(tmp, 'mixed');
    const staging = new SegmentStaging(out);
    const withLexicon = build(slices[0]);
    lexiconOf(withLexicon);
    expect(withLexicon.lexicon).toBeDefined();
    staging.add(withLexicon);
    staging.add(build(slices[1]));
    staging.add(build(slices[2]));
    expect(stagedDirs(out)['seg-0']).toEqual(expect.arrayContaining([...LEXICON_FILES]));
    expect(staging.mergeRunsUpTo(Infinity, 2)).toBe(2);
    await staging.finishDrafts();
    staging.commit(INFO);
    expect(committed(out).files).toEqual({ 'seg-4': expectedFiles(build(news)) });
  });

  it('leaves a draft whose lexicon could not be made unfinished, and the build uncommitted, when each lexicon is begun as the one before comes back', async () => {
    const out = path.join(tmp, 'failed');
    const staging = new SegmentStaging(out);
    for (const slice of slices) staging.add(build(slice));
    // The third segment's words are damaged: its lexicon, begun as the second one comes back, fails there.
    const [stagingDir] = fs.readdirSync(out).filter((entry) => entry.startsWith('.tmp-build-'));
    const words = path.join(out, stagingDir, 'seg-2', 'words.terms');
    const bytes = fs.readFileSync(words);
    bytes[bytes.length - 1] ^= 0x01;
    fs.writeFileSync(words, bytes);
    await expect(staging.finishDrafts()).rejects.toThrow(/seg-2\/words.terms does not match its checksum/);
    // The first two were finished; the third is a draft still, which no generation takes.
    expect(stagedDirs(out)['seg-0']).toEqual(expect.arrayContaining([...LEXICON_FILES]));
    expect(stagedDirs(out)['seg-1']).toEqual(expect.arrayContaining([...LEXICON_FILES]));
    for (const file of LEXICON_FILES) expect(stagedDirs(out)['seg-2']).not.toContain(file);
    expect(() => staging.commit(INFO)).toThrow('segment seg-2 was staged without its lexicon');
    expect(fs.readdirSync(out).filter((entry) => !entry.startsWith('.tmp-build-'))).toEqual([]);
    staging.discard();
    expect(fs.existsSync(out)).toBe(false);
  });

  it('never lets a draft into a generation', () => {
    const out = path.join(tmp, 'refused');
    const staged = stageSegment(path.join(tmp, 'refused-staging'), 'seg-0', build(slices[0]), true);
    expect({ withoutLexicon: staged.withoutLexicon, draftTables: staged.draftTables }).toEqual({ withoutLexicon: true, draftTables: true });
    expect(() => writeGeneration(out, [{ name: 'seg-0', staged, deleted: new Uint32Array(0) }], INFO, 1)).toThrow('segment seg-0 was staged without its lexicon');
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    // Nor a staging committed before its drafts are finished.
    const staging = new SegmentStaging(out);
    staging.add(build(slices[1]));
    expect(() => staging.commit(INFO)).toThrow('segment seg-0 was staged without its lexicon');
    expect(fs.readdirSync(out).filter((entry) => !entry.startsWith('.tmp-build-'))).toEqual([]);
    staging.discard();
  });
});
