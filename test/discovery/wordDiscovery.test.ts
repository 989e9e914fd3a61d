import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hanRuns } from '../../src/discovery/hanText';
import { formatUserDictionary, lookUpWords } from '../../src/discovery/jiebaDictionary';
import { neighbourEntropy } from '../../src/discovery/ngramStats';
import { Discovery, WordCandidate, defaultMinCount, discoverWords, discoverWordsInDocuments } from '../../src/discovery/wordDiscovery';
import { main } from '../../src/cli';
import { DEMO_PAGE, demoDocuments } from '../helpers';

const ln = Math.log;

function find(discovery: Discovery, word: string): WordCandidate | undefined {
  return discovery.candidates.find((c) => c.word === word);
}

function rank(words: readonly WordCandidate[], word: string): number {
  return words.findIndex((c) => c.word === word) + 1;
}

describe('Han runs', () => {
  it('cuts at punctuation, spaces, digits and Latin letters', () => {
    expect(hanRuns('无主管楼院,“六小”门店 B1线路〇号')).toEqual(['无主管楼院', '六小', '门店', '线路〇号']);
    expect(hanRuns('abc 123')).toEqual([]);
  });
});

describe('neighbour entropy', () => {
  it('is the entropy of the neighbour counts, each run edge a neighbour of its own', () => {
    expect(neighbourEntropy(new Map([[0x4e00, 2], [0x4e01, 2]]), 0)).toBeCloseTo(ln(2), 12);
    expect(neighbourEntropy(new Map(), 3)).toBeCloseTo(ln(3), 12);
    expect(neighbourEntropy(new Map([[0x4e00, 2]]), 1)).toBeCloseTo(-(2 / 3) * ln(2 / 3) - (1 / 3) * ln(1 / 3), 12);
    expect(neighbourEntropy(new Map([[0x4e00, 5]]), 0)).toBe(0);
    expect(neighbourEntropy(new Map(), 0)).toBe(0);
  });
});

describe('discoverWords on a tiny text, by hand', () => {
  // Runs 甲乙丙 | 丁甲乙丙 | 甲乙丁 | 乙丙 | 丙: N = 13; 甲 3, 乙 4, 丙 4, 丁 2; 甲乙 3, 乙丙 3, 甲乙丙 2;
  // 丁甲, 乙丁 and every longer string occur once, below the least count of 2.
  const discovery = discoverWords(['甲乙丙', '丁甲乙丙。甲乙丁', '乙丙 丙'], { minCount: 2, minPmi: -Infinity, minEntropy: 0 });
  const lnTwoThirds = ln(3) - (2 / 3) * ln(2); // entropy of {x: 2, y: 1}

  it('counts Han characters only', () => {
    expect(discovery.characters).toBe(13);
    expect(discovery.candidates.map((c) => c.word)).toEqual(['甲乙', '乙丙', '甲乙丙']);
  });

  it('computes PMI as the minimum over the binary splits', () => {
    expect(find(discovery, '甲乙')!.pmi).toBeCloseTo(ln((3 * 13) / (3 * 4)), 12);
    expect(find(discovery, '乙丙')!.pmi).toBeCloseTo(ln((3 * 13) / (4 * 4)), 12);
    // 甲|乙丙: ln(2·13 / (3·3)) = 1.06; 甲乙|丙: ln(2·13 / (3·4)) = 0.77, the smaller.
    expect(find(discovery, '甲乙丙')!.pmi).toBeCloseTo(ln((2 * 13) / (3 * 4)), 12);
  });

  it('computes left and right entropy with run edges as distinct neighbours', () => {
    // 甲乙: left edge, 丁, edge; right 丙, 丙, 丁.
    expect(find(discovery, '甲乙')).toMatchObject({ count: 3, leftEntropy: expect.closeTo(ln(3), 12), rightEntropy: expect.closeTo(lnTwoThirds, 12) });
    // 乙丙: left 甲, 甲, edge; right edge ×3.
    expect(find(discovery, '乙丙')).toMatchObject({ count: 3, leftEntropy: expect.closeTo(lnTwoThirds, 12), rightEntropy: expect.closeTo(ln(3), 12) });
    // 甲乙丙: left edge, 丁; right edge ×2.
    expect(find(discovery, '甲乙丙')).toMatchObject({ count: 2, leftEntropy: expect.closeTo(ln(2), 12), rightEntropy: expect.closeTo(ln(2), 12) });
  });

  it('scores √count × PMI × min(left, right entropy)', () => {
    expect(find(discovery, '甲乙')!.score).toBeCloseTo(Math.sqrt(3) * ln(13 / 4) * lnTwoThirds, 12);
    expect(find(discovery, '甲乙丙')!.score).toBeCloseTo(Math.sqrt(2) * ln(13 / 6) * ln(2), 12);
  });

  it('applies the thresholds', () => {
    expect(discoverWords(['甲乙丙', '丁甲乙丙。甲乙丁', '乙丙 丙'], { minCount: 2, minPmi: 1, minEntropy: 0 }).candidates.map((c) => c.word)).toEqual(['甲乙']);
    expect(discoverWords(['甲乙丙', '丁甲乙丙。甲乙丁', '乙丙 丙'], { minCount: 2, minPmi: -Infinity, minEntropy: 0.65 }).candidates.map((c) => c.word)).toEqual(['甲乙丙']);
    expect(discoverWords(['甲乙丙', '丁甲乙丙。甲乙丁', '乙丙 丙'], { minCount: 3, minPmi: -Infinity, minEntropy: 0 }).candidates.map((c) => c.word)).toEqual(['甲乙', '乙丙']);
    expect(discoverWords(['甲乙丙', '丁甲乙丙。甲乙丁', '乙丙 丙']).candidates).toEqual([]);
  });
});

describe('defaultMinCount', () => {
  it('is 3 for a page and 5 per million characters for a big corpus', () => {
    expect(defaultMinCount(3828)).toBe(3);
    expect(defaultMinCount(600_000)).toBe(3);
    expect(defaultMinCount(600_001)).toBe(4);
    expect(defaultMinCount(12_344_768)).toBe(62);
  });
});

describe('discoverWords on the demo page', () => {
  const discovery = discoverWordsInDocuments(demoDocuments());
  const { known } = lookUpWords(discovery.candidates.map((c) => c.word));
  const unknown = discovery.candidates.filter((c) => !known.has(c.word));

  it('reads the normalized titles and paragraphs', () => {
    expect(discovery).toMatchObject({ characters: 3828, minCount: 3, minPmi: 3, minEntropy: 1 });
    expect(discovery.candidates).toHaveLength(126);
  });

  it('puts 楼院 and 无主管楼院 first among the words jieba lacks, both in the top 10 of all', () => {
    expect(unknown.slice(0, 3).map((c) => c.word)).toEqual(['楼院', '无主管楼院', '方特梦幻王国']);
    expect(rank(discovery.candidates, '楼院')).toBe(6);
    expect(rank(discovery.candidates, '无主管楼院')).toBe(8);
    expect(find(discovery, '楼院')).toMatchObject({ count: 27, pmi: expect.closeTo(4.85, 2) });
  });

  it('finds 六小 (which jieba knows) between quotation marks every time: entropy ln 7 on each side', () => {
    expect(known.get('六小')).toBe('jieba');
    expect(rank(discovery.candidates, '六小')).toBe(22);
    expect(find(discovery, '六小')).toMatchObject({ count: 7, leftEntropy: expect.closeTo(ln(7), 12), rightEntropy: expect.closeTo(ln(7), 12) });
  });

  it('does not list 方特 itself: on this page it is followed by 梦幻王国 six times out of seven', () => {
    expect(find(discovery, '方特')).toBeUndefined();
    const unfiltered = discoverWordsInDocuments(demoDocuments(), { minEntropy: 0 });
    expect(find(unfiltered, '方特')).toMatchObject({ count: 7, rightEntropy: expect.closeTo(-(6 / 7) * ln(6 / 7) - (1 / 7) * ln(1 / 7), 12) });
  });

  it('rejects the fragments of a longer word by their one-sided entropy', () => {
    for (const fragment of ['主管楼院', '管楼院', '无主管', '无主管楼', '梦幻王国']) expect(find(discovery, fragment)).toBeUndefined();
  });
});

describe('user dictionary output', () => {
  it('writes word, frequency on jieba\'s scale, and n', () => {
    expect(formatUserDictionary([{ word: '楼院', count: 3 }, { word: '方特', count: 1 }], 1000, 2_000_000)).toBe('楼院 6000 n\n方特 2000 n\n');
    expect(formatUserDictionary([{ word: '楼院', count: 1 }], 1e9, 60_000_000)).toBe('楼院 1 n\n');
    expect(formatUserDictionary([], 1000, 2_000_000)).toBe('');
  });

  it('looks words up in jieba\'s dictionary and a user dictionary', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-dict-'));
    try {
      const jieba = path.join(dir, 'jieba.txt');
      const user = path.join(dir, 'user.txt');
      fs.writeFileSync(jieba, 'AT&T 3 nz\n社区 20 n\n');
      fs.writeFileSync(user, '楼院\n社区 5 n\n');
      const lookup = lookUpWords(['社区', '楼院', '方特'], user, jieba);
      expect(lookup).toEqual({ known: new Map([['社区', 'jieba'], ['楼院', 'user']]), frequencyTotal: 23 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(lookUpWords(['六小', '楼院'])).toEqual({ known: new Map([['六小', 'jieba']]), frequencyTotal: 60_101_983 });
  });
});

describe('jiansuo words', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-words-'));
    fs.mkdirSync(path.join(tmp, 'nodict'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Runs the CLI in-process and captures stdout and stderr. */
  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const outSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
    const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true));
    try {
      return { code: await main(args), stdout, stderr };
    } finally {
      outSpy.mockRestore();
      errSpy.mockRestore();
    }
  }

  it('prints the candidates as an aligned table, marking what jieba knows', async () => {
    const { code, stdout, stderr } = await run(['words', '--source', DEMO_PAGE, '--dict', path.join(tmp, 'nodict'), '--top', '6']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      [
        '126 candidate words (32 new) in 3828 Han characters of 11 documents (count >= 3, PMI >= 3, entropy >= 1)',
        '',
        'rank  word  count   PMI  left H  right H  score  known',
        '   1  工作     21  4.67    2.31     2.33  49.39  jieba',
        '   2  社区     26  3.65    2.99     2.63  49.01  jieba',
        '   3  居民     15  5.19    2.52     2.40  48.16  jieba',
        '   4  服务     15  5.36    2.25     2.40  46.62  jieba',
        '   5  记者     13  5.05    2.46     2.56  44.73  jieba',
        '   6  楼院     27  4.85    1.74     2.58  43.84  new',
        '',
      ].join('\n'),
    );
  });

  it('--new-only prints the words no dictionary lists; --out writes the top new ones as a user dictionary', async () => {
    const file = path.join(tmp, 'new.dict.txt');
    const { code, stdout } = await run(['words', '--source', DEMO_PAGE, '--dict', path.join(tmp, 'nodict'), '--top', '3', '--new-only', '--out', file]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      [
        'rank  word          count   PMI  left H  right H  score  known',
        '   1  楼院             27  4.85    1.74     2.58  43.84  new',
        '   2  无主管楼院       15  4.85    2.34     1.90  35.66  new',
        '   3  方特梦幻王国      6  5.36    1.56     1.56  20.49  new',
      ].join('\n'),
    );
    expect(stdout).toMatch(new RegExp(`\nWrote 3 new words to ${file} \\(jieba user dictionary: word frequency n\\)\n$`));
    // 27 / 3828 of jieba's 60,101,983: 423,917.
    expect(fs.readFileSync(file, 'utf8')).toBe('楼院 423917 n\n无主管楼院 235509 n\n方特梦幻王国 94204 n\n');
  });

  it('counts words of the user dictionary in --dict as known', async () => {
    const dict = path.join(tmp, 'dict');
    fs.mkdirSync(dict);
    fs.writeFileSync(path.join(dict, 'user.dict.txt'), '楼院 3000 n\n');
    const { stdout } = await run(['words', '--source', DEMO_PAGE, '--dict', dict, '--top', '6']);
    expect(stdout).toContain('(31 new)');
    expect(stdout).toMatch(/^ {3}6 {2}楼院 {5}27 .* {2}user$/m);
  });

  it('--min-count overrides the scaled default', async () => {
    const { stdout } = await run(['words', '--source', DEMO_PAGE, '--dict', path.join(tmp, 'nodict'), '--min-count', '10', '--top', '1']);
    expect(stdout).toMatch(/^\d+ candidate words \(\d+ new\) in 3828 Han characters of 11 documents \(count >= 10,/);
  });

  it.each([
    ['--top 0', ['--top', '0']],
    ['--min-count x', ['--min-count', 'x']],
  ])('exits 2 for %s', async (_name, args) => {
    const { code, stdout } = await run(['words', '--source', DEMO_PAGE, ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
  });
});
