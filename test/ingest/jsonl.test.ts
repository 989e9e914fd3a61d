import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { SearchDocument } from '../../src/document';
import * as readline from 'node:readline';
import { readJsonl, type IngestProblem, type JsonlEntry } from '../../src/ingest';
import { jsonlLines } from '../../src/ingest/jsonl';

const FIXTURE = path.resolve(__dirname, '../fixtures/ingest/records.jsonl');
const CORPUS = path.resolve(__dirname, '../../../shared/corpus/news-dev.jsonl.gz');

async function readAll(file: string): Promise<{ documents: SearchDocument[]; lines: number[]; problems: IngestProblem[] }> {
  const entries: JsonlEntry[] = [];
  for await (const entry of readJsonl(file)) entries.push(entry);
  return {
    documents: entries.flatMap((entry) => ('document' in entry ? [entry.document] : [])),
    lines: entries.flatMap((entry) => ('document' in entry ? [entry.line] : [])),
    problems: entries.flatMap((entry) => ('problem' in entry ? [entry.problem] : [])),
  };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-jsonl-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readJsonl', () => {
  it('reads the good records of a file with bad lines', async () => {
    const { documents, lines } = await readAll(FIXTURE);
    expect(lines).toEqual([1, 6, 10]);
    expect(documents[0]).toEqual({
      id: 'a1',
      title: '第一条',
      paragraphs: ['第一段', '第二段'],
      kind: 'article',
      reporters: [],
      correspondents: [],
      source: 'records.jsonl',
      date: '2020-07-04',
      fields: { category: '体育', source: 'fixture' },
    });
    expect(documents.slice(1).map((document) => [document.id, document.title, document.paragraphs])).toEqual([
      ['records-6', '没有编号', ['正文']],
      ['a11', '坏日期', ['正文']],
    ]);
    for (const document of documents.slice(1)) {
      expect(document).not.toHaveProperty('fields');
      expect(document).not.toHaveProperty('date');
    }
  });

  it.each([
    [2, /^not valid JSON/],
    [3, /^expected a JSON object .*got an array$/],
    [5, /^"id" must be a string, got the number 7: write it in quotes, e.g. "id": "7"$/],
    [7, /^"title" must be a string, got a number$/],
    [8, /^"body" is missing/],
    [9, /^"body" must be a string, got a number$/],
    [10, /^"date" "2020-02-30" is not a real YYYY-MM-DD date; the record is kept/],
  ])('reports line %d', async (line, message) => {
    const { problems } = await readAll(FIXTURE);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3, 5, 7, 8, 9, 10]);
    const problem = problems.find((candidate) => candidate.line === line);
    expect(problem?.file).toBe(FIXTURE);
    expect(problem?.message).toMatch(message);
  });

  it('refuses ids that are not strings, blank or longer than 512 bytes, and keeps one of 512', async () => {
    const file = path.join(tmp, 'ids.jsonl');
    const records = [123456789012345678901234567890, -0, 1, '  ', '', '\t\n', '字'.repeat(171), '字'.repeat(170) + 'ab', null, ['a']].map((id) => ({ id, title: 't', body: 'b' }));
    fs.writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n').replace('"id":0', '"id":-0'));
    const { documents, problems } = await readAll(file);
    expect(documents.map((document) => document.id)).toEqual(['字'.repeat(170) + 'ab']);
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [1, '"id" must be a string, got the number 1.2345678901234568e+29: write it in quotes, e.g. "id": "1.2345678901234568e+29"'],
      [2, '"id" must be a string, got the number 0: write it in quotes, e.g. "id": "0"'],
      [3, '"id" must be a string, got the number 1: write it in quotes, e.g. "id": "1"'],
      [4, '"id" "  " is empty or only whitespace: give each document an id with a visible character'],
      [5, '"id" "" is empty or only whitespace: give each document an id with a visible character'],
      [6, '"id" "\\t\\n" is empty or only whitespace: give each document an id with a visible character'],
      [7, '"id" is 513 bytes long: ids are at most 512 bytes (UTF-8)'],
      [9, '"id" must be a string, got null'],
      [10, '"id" must be a string, got an array'],
    ]);
  });

  it('reads gzip-compressed files, CRLF line ends and a BOM', async () => {
    const file = path.join(tmp, 'news.jsonl.gz');
    const text = '\uFEFF{"id":"x1","title":"甲","body":"一\\r\\n二"}\r\n{"id":"x2","title":"乙","body":"三"}\r\n';
    fs.writeFileSync(file, zlib.gzipSync(Buffer.from(text, 'utf8')));
    const { documents, problems } = await readAll(file);
    expect(problems).toEqual([]);
    expect(documents.map((document) => [document.id, document.paragraphs, document.source])).toEqual([
      ['x1', ['一', '二'], 'news.jsonl.gz'],
      ['x2', ['三'], 'news.jsonl.gz'],
    ]);
  });

  it('names the generated id after the stem of a .jsonl.gz file', async () => {
    const file = path.join(tmp, 'noid.jsonl.gz');
    fs.writeFileSync(file, zlib.gzipSync('\n{"title":"无","body":"文"}\n'));
    const { documents } = await readAll(file);
    expect(documents.map((document) => document.id)).toEqual(['noid-2']);
  });

  it('reports a line that is not UTF-8 and reads on', async () => {
    const file = path.join(tmp, 'mixed.jsonl');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('{"id":"u1","title":"好","body":"文"}\n{"id":"u2","title":"'),
        Buffer.from([0xff, 0xfe, 0x00]),
        Buffer.from('","body":"x"}\n{"id":"u3","title":"也好","body":"文"}\n'),
      ]),
    );
    const { documents, problems } = await readAll(file);
    expect(documents.map((document) => document.id)).toEqual(['u1', 'u3']);
    expect(problems).toEqual([{ file, line: 2, message: expect.stringMatching(/not valid UTF-8/) }]);
  });

  it.each([
    ['empty.jsonl', Buffer.alloc(0), /^file is empty/],
    ['blank.jsonl', Buffer.from('\n  \n\n'), /^file is empty/],
    ['broken.jsonl.gz', Buffer.from('this is not gzip data'), /^cannot read: /],
    ['truncated.jsonl.gz', zlib.gzipSync('{"id":"t1","title":"","body":"文"}\n'.repeat(50)).subarray(0, 40), /^cannot read/],
  ])('reports %s as a whole', async (name, bytes, message) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, bytes);
    const { problems } = await readAll(file);
    expect(problems).toEqual([{ file, message: expect.stringMatching(message) }]);
  });

  it('reports a missing file', async () => {
    const file = path.join(tmp, 'missing.jsonl');
    const { problems } = await readAll(file);
    expect(problems).toEqual([{ file, message: expect.stringMatching(/^cannot read: ENOENT/) }]);
  });

  it('gives up on a file that is mostly not JSON Lines', async () => {
    const file = path.join(tmp, 'prose.jsonl');
    fs.writeFileSync(file, 'not json\n'.repeat(500));
    const { problems } = await readAll(file);
    expect(problems).toHaveLength(101);
    expect(problems[100]).toEqual({ file, message: expect.stringMatching(/^gave up after 100 problems/) });
  });

  it('streams the first records of the news-dev corpus (../shared/corpus must be present)', async () => {
    expect(fs.existsSync(CORPUS)).toBe(true);
    const documents: SearchDocument[] = [];
    for await (const entry of readJsonl(CORPUS)) {
      if ('problem' in entry) throw new Error(entry.problem.message);
      documents.push(entry.document);
      if (documents.length === 100) break;
    }
    expect(documents).toHaveLength(100);
    for (const document of documents) {
      expect(document.id).toMatch(/^sina2018-[0-9a-f]{12}$/);
      expect(document.title.length).toBeGreaterThan(0);
      expect(document.paragraphs.length).toBeGreaterThan(0);
      expect(document).toMatchObject({ kind: 'article', reporters: [], correspondents: [], source: 'news-dev.jsonl.gz' });
      expect(['体育', '科技', '教育', '娱乐', '时尚', '健康']).toContain(document.fields?.category);
      expect(document.fields?.source).toBe('sina-news-2018');
      expect(document).not.toHaveProperty('date');
    }
    expect(new Set(documents.map((document) => document.id)).size).toBe(100);
  });

  it('reads a lone CR as a line end, and lines of whitespace bytes (NBSP, VT, FF) as blank lines', async () => {
    const file = path.join(tmp, 'returns.jsonl');
    const nbsp = Buffer.from([0x20, 0xa0, 0x0b, 0x0c, 0x09]);
    fs.writeFileSync(file, Buffer.concat([Buffer.from('{"id":"r1","body":"一"}\r{"id":"r2","body":"二"}\n'), nbsp, Buffer.from('\r\n{"id":"r3","body":"三"}')]));
    const { documents, lines, problems } = await readAll(file);
    expect(problems).toEqual([]);
    expect(documents.map((document) => document.id)).toEqual(['r1', 'r2', 'r3']);
    expect(lines).toEqual([1, 2, 4]);
  });
});

describe('jsonlLines', () => {
  /** The lines of `file` as Node's readline splits it read as latin1 (what readJsonl read before jsonlLines). */
  async function readlineLines(file: string): Promise<string[]> {
    const lines: string[] = [];
    const input = fs.createReadStream(file).setEncoding('latin1');
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) lines.push(line);
    return lines;
  }

  async function splitLines(file: string): Promise<string[]> {
    const lines: string[] = [];
    for await (const chunk of jsonlLines(file)) for (const line of chunk) lines.push(line.toString('latin1'));
    return lines;
  }

  it('splits as readline does, CR LF across two chunks of the file included', async () => {
    const file = path.join(tmp, 'split.jsonl');
    // 64 KB chunks: a CR ends the first and its LF starts the second; a line spans the second and third.
    const first = Buffer.alloc(64 * 1024, 0x61);
    first[first.length - 1] = 0x0d;
    const second = Buffer.alloc(64 * 1024, 0x62);
    second[0] = 0x0a;
    second[100] = 0x0d;
    fs.writeFileSync(file, Buffer.concat([first, second, Buffer.from('c\n\nd')]));
    const lines = await splitLines(file);
    expect(lines.map((line) => line.length)).toEqual([64 * 1024 - 1, 99, 64 * 1024 - 101 + 1, 0, 1]);
    expect(lines).toEqual(await readlineLines(file));
  });

  it('splits random bytes of line ends, blanks and text as readline does', async () => {
    const alphabet = [0x0a, 0x0d, 0x20, 0xa0, 0x61, 0x7b, 0xe4];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 40; round++) {
      const file = path.join(tmp, `random-${round}.jsonl`);
      const bytes = Buffer.alloc(random(3) === 0 ? random(40) : 64 * 1024 + random(70 * 1024));
      for (let i = 0; i < bytes.length; i++) bytes[i] = alphabet[random(alphabet.length)];
      fs.writeFileSync(file, bytes);
      expect(await splitLines(file)).toEqual(await readlineLines(file));
    }
  });
});

