import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { SearchDocument } from '../../src/document';
import { IngestError } from '../../src/errors';
import { type IngestProblem, type SourceDocument, documentOf, formatProblem, isDocumentLine, loadSources, streamSources } from '../../src/ingest';

const DEMO = path.resolve(__dirname, '../../index-data/sources/000_2cd9194f99e4ed8d.txt');
const RECORDS = path.resolve(__dirname, '../fixtures/ingest/records.jsonl');
const PAGE = '标题\n\n本报讯(记者 甲)正文。\n';

let tmp: string;
/** Writes `content` to `relative` under the temporary directory and returns its path. */
function write(relative: string, content: string | Uint8Array): string {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-sources-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('formatProblem', () => {
  it.each([
    [{ file: 'a/b.jsonl', line: 7, message: 'not valid JSON' }, 'a/b.jsonl:7: not valid JSON'],
    [{ file: 'a.txt', message: 'file is empty' }, 'a.txt: file is empty'],
  ])('formats %o', (problem, expected) => {
    expect(formatProblem(problem)).toBe(expected);
  });
});

describe('loadSources', () => {
  it('walks directories recursively in name order, reading supported files only', async () => {
    const dir = path.join(tmp, 'src');
    write('src/b/2020-07-04.txt', PAGE);
    write('src/a.jsonl', '{"id":"j1","title":"甲","body":"一"}\n');
    write('src/c/d/e.jsonl.gz', zlib.gzipSync('{"id":"g1","title":"乙","body":"二"}\n'));
    write('src/b/notes.md', '# not a source');
    write('src/.hidden.txt', PAGE);
    write('src/B.TXT', '大写扩展名\n\n本报讯(记者 乙)也是正文。');
    const result = await loadSources([dir]);
    expect(result.problems).toEqual([]);
    expect(result.files).toBe(4);
    expect(result.documents.map((document) => [document.id, document.source, document.date])).toEqual([
      ['B-01', 'B.TXT', undefined],
      ['j1', 'a.jsonl', undefined],
      ['2020-07-04-01', '2020-07-04.txt', '2020-07-04'],
      ['g1', 'e.jsonl.gz', undefined],
    ]);
  });

  it('reads the demo page and the fixture records together', async () => {
    const seen: SearchDocument[] = [];
    const result = await loadSources([DEMO, RECORDS], { date: '2020-07-04', onDocument: (document) => seen.push(document) });
    expect(result.files).toBe(2);
    expect(result.documents).toHaveLength(11 + 3);
    expect(seen).toEqual(result.documents);
    expect(result.documents.slice(0, 11).every((document) => document.date === '2020-07-04')).toBe(true);
    expect(result.documents[11]).toMatchObject({ id: 'a1', date: '2020-07-04' });
    expect(result.documents[12]).not.toHaveProperty('date');
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/records\.jsonl:2: not valid JSON/),
      expect.stringMatching(/records\.jsonl:3: expected a JSON object/),
      expect.stringMatching(/records\.jsonl:5: "id" must be a string, got the number 7/),
      expect.stringMatching(/records\.jsonl:7: "title" must be a string/),
      expect.stringMatching(/records\.jsonl:8: "body" is missing/),
      expect.stringMatching(/records\.jsonl:9: "body" must be a string/),
      expect.stringMatching(/records\.jsonl:10: "date" "2020-02-30" is not a real/),
    ]);
  });

  it('reports problems with files and goes on', async () => {
    const good = write('good.txt', PAGE);
    const latin = write('gbk.txt', Buffer.concat([Buffer.from('标题\n\n本报讯(记者 甲)'), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('。\n')]));
    const empty = write('empty.txt', '');
    const blank = write('blank.txt', ' \r\n\u3000\n');
    const doc = write('notes.doc', 'text');
    const missing = path.join(tmp, 'missing.txt');
    const emptyDir = path.join(tmp, 'nothing');
    fs.mkdirSync(emptyDir);
    const result = await loadSources([missing, doc, emptyDir, latin, empty, blank, good]);
    expect(result.documents.map((document) => document.id)).toEqual(['good-01']);
    expect(result.files).toBe(4);
    expect(result.problems).toEqual([
      { file: missing, message: 'no such file or directory' },
      { file: doc, message: expect.stringMatching(/^unsupported file type: supported files are \.txt/) },
      { file: emptyDir, message: expect.stringMatching(/^no source files in this directory/) },
      { file: latin, line: 3, message: expect.stringMatching(/^not valid UTF-8/) },
      { file: empty, message: 'file is empty' },
      { file: blank, message: 'file is empty' },
    ]);
  });

  it('keeps the last of documents with the same id, where the first stood, and reports each later one', async () => {
    const first = write('one.jsonl', '{"id":"same","title":"先","body":"一"}\n');
    const second = write('two.jsonl', '{"id":"other","title":"他","body":"二"}\n{"id":"same","title":"后","body":"三"}\n{"id":"same","title":"最后","body":"四"}\n');
    const result = await loadSources([first, second]);
    expect(result.documents.map((document) => document.title)).toEqual(['最后', '他']);
    expect(result.problems).toEqual([
      { file: second, line: 2, message: `duplicate id "same" (also at ${first}:1): this later document replaces the earlier one` },
      { file: second, line: 3, message: `duplicate id "same" (also at ${second}:2): this later document replaces the earlier one` },
    ]);
  });

  it('reads a file named twice only once', async () => {
    const page = write('pages/p.txt', PAGE);
    const result = await loadSources([page, path.join(tmp, 'pages')]);
    expect(result.files).toBe(1);
    expect(result.problems).toEqual([]);
  });

  it('throws an IngestError listing the problems when nothing could be read', async () => {
    const empty = write('empty.txt', '');
    const bad = write('bad.jsonl', '{"id":1}\n');
    const error = await loadSources([empty, bad, path.join(tmp, 'gone')]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).message.split('\n')).toEqual([
      `no documents found in ${empty}, ${bad}, ${path.join(tmp, 'gone')}:`,
      `  ${path.join(tmp, 'gone')}: no such file or directory`,
      `  ${empty}: file is empty`,
      `  ${bad}:1: "body" is missing: every record needs a string "body"`,
    ]);
  });

  it('throws an IngestError when given no paths', async () => {
    await expect(loadSources([])).rejects.toThrow(new IngestError('no source given: name page files (.txt), JSON Lines files (.jsonl, .jsonl.gz) or directories'));
  });

  it('throws an IngestError for an invalid date option', async () => {
    await expect(loadSources([DEMO], { date: '2020-13-01' })).rejects.toThrow(IngestError);
  });
});

describe('streamSources', () => {
  /** What streamSources hands on for `paths`: each document as such, or as its line; with the documents loadSources reads. */
  async function streamed(paths: string[]): Promise<{ items: SourceDocument[]; loaded: SearchDocument[]; count: number; problems: IngestProblem[] }> {
    const sources = await streamSources(paths);
    const items: SourceDocument[] = [];
    for await (const item of sources.documents) items.push(item);
    return { items, loaded: (await loadSources(paths)).documents, count: sources.count, problems: sources.problems };
  }

  it("hands on JSON Lines documents as their lines, and pages' as documents, in loadSources' order", async () => {
    const page = write('a/2020-07-04.txt', PAGE);
    const records = write('b.jsonl', '{"id":"j1","title":"甲","body":"一\\n\\n二"}\n\n not json\n{"title":"乙","body":"三"}\r\n{"id":"j3","body":"四"}');
    const { items, loaded, count } = await streamed([page, records]);
    expect(items.map((item) => (isDocumentLine(item) ? [item.file, item.line, Buffer.from(item.bytes).toString(), item.units] : item.id))).toEqual([
      loaded[0].id,
      [records, 1, '{"id":"j1","title":"甲","body":"一\\n\\n二"}', 1 + 2 + 2],
      [records, 4, '{"title":"乙","body":"三"}', 1 + 2],
      [records, 5, '{"id":"j3","body":"四"}', 2],
    ]);
    expect(items.map(documentOf)).toEqual(loaded);
    expect(count).toBe(4);
  });

  it('puts the last version of a repeated id where it first stood, as a document, and drops the later ones', async () => {
    const first = write('one.jsonl', '{"id":"same","title":"先","body":"一"}\n{"id":"x","title":"x","body":"x"}\n');
    const second = write('two.jsonl', '{"id":"other","title":"他","body":"二"}\n{"id":"same","title":"后","body":"三"}\n{"id":"same","title":"最后","body":"四"}\n');
    const { items, loaded, count, problems } = await streamed([first, second]);
    expect(items.map((item) => (isDocumentLine(item) ? `${path.basename(item.file)}:${item.line}` : item.title))).toEqual(['最后', 'one.jsonl:2', 'two.jsonl:1']);
    expect(items.map(documentOf)).toEqual(loaded);
    expect(count).toBe(3);
    expect(problems.map((problem) => problem.message)).toEqual([
      `duplicate id "same" (also at ${first}:1): this later document replaces the earlier one`,
      `duplicate id "same" (also at ${second}:2): this later document replaces the earlier one`,
    ]);
  });

  it('reads the news-dev corpus as loadSources does (../shared/corpus must be present)', async () => {
    const corpus = path.resolve(__dirname, '../../../shared/corpus/news-dev.jsonl.gz');
    const { items, loaded } = await streamed([corpus]);
    expect(items.length).toBe(loaded.length);
    expect(items.every(isDocumentLine)).toBe(true);
    expect(items.map(documentOf)).toEqual(loaded);
  });
});

describe('documentOf', () => {
  it('says which line no longer holds a document', () => {
    expect(() => documentOf({ file: 'a.jsonl', line: 3, bytes: Buffer.from('{"id":"a"}'), units: 1 })).toThrow(
      new IngestError('a.jsonl:3 no longer holds the document first read from it ("body" is missing: every record needs a string "body"): was the file changed during the build?'),
    );
  });
});
