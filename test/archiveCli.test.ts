import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_DICT_DIR, dictionariesIn } from '../src/analysis/dictionaries';
import { SearchEngine } from '../src/engine';
import { SearchResult } from '../src/search/types';
import { ARCHIVE } from './archive';
import { run } from './cliRun';

let tmp: string;
let index: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-archive-cli-'));
  index = path.join(tmp, 'index');
  // Built with the dictionaries `search` reads by default, so that it has nothing to warn about.
  SearchEngine.build(ARCHIVE, dictionariesIn(DEFAULT_DICT_DIR)).save(index);
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function json(args: string[]): Promise<SearchResult> {
  const { code, stdout, stderr } = await run(['search', '--index', index, '--json', ...args]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as SearchResult;
}

describe('jiansuo search on a JSON Lines archive', () => {
  it('filters by record fields and dates, sorts by date', async () => {
    const result = await json(['新闻', '--filter', 'category:体育', '--filter', 'category:科技', '--date', '2018-03', '--sort', 'oldest']);
    expect(result.hits.map((h) => h.id)).toEqual(['r2', 'r3']);
    expect((await json(['新闻', 'date:..2018-01', '--sort', 'newest'])).hits.map((h) => h.id)).toEqual(['r1', 'r5']);
  });

  it('prints the values of the --facet fields, each counted without its own filters', async () => {
    const { code, stdout } = await run(['search', '--index', index, '新闻', '--facet', 'category', '--facet', 'year', '--filter', 'category:教育', '--limit', '1']);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').slice(-2)).toEqual(['category: 体育 (2) · 科技 (2) · 教育 (1)', 'year: 2017 (1)']);
  });

  it.each([
    ['a date that is none', ['--date', '2018-02-30'], /argument '2018-02-30' is invalid\. "2018-02-30" is not a real year \(YYYY\), month \(YYYY-MM\) or day \(YYYY-MM-DD\)/],
    ['a backwards range', ['--filter', 'date:2018-06..2018-01'], /the date range "2018-06\.\.2018-01" ends before it starts/],
    ['a filter without a value', ['--filter', 'category'], /Expected field:value, e\.g\. category:体育/],
    ['an unknown sort', ['--sort', 'random'], /argument 'random' is invalid\. Allowed choices are relevance, newest, oldest/],
    ['a facet that is no name', ['--facet', 'a b'], /Expected a field name/],
  ])('exits 2 for %s', async (_name, args, message) => {
    const { code, stdout, stderr } = await run(['search', '--index', index, '新闻', ...args]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
  });

  it('exits 1 naming the fields there are for a facet no document has', async () => {
    const { code, stderr } = await run(['search', '--index', index, '新闻', '--facet', 'colour']);
    expect(code).toBe(1);
    expect(stderr).toBe('error: no document has a field "colour" to facet by: the fields are kind, reporter, correspondent, source, date, file, year, month, category\n');
  });
});
