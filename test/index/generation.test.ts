import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { IndexError } from '../../src/errors';
import { readManifest } from '../../src/index/generation';
import { FORMAT_VERSION } from '../../src/index/manifest';
import { demoDocuments } from '../helpers';

const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-store-'));
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function currentGeneration(dir: string): string {
  return path.join(dir, fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim());
}

describe('index on disk', () => {
  const built = SearchEngine.build(demoDocuments());

  test('save then open gives the same answers', () => {
    const dir = tempDir();
    const manifest = built.save(dir, [{ path: 'p.txt', bytes: 1, sha256: 'ab' }]);
    expect(manifest).toMatchObject({ format: 'jiansuo-index', version: FORMAT_VERSION, documents: 11, sources: [{ path: 'p.txt' }] });
    expect(manifest.analyzer.normalization).toBe('nfkc-lower-t2s-fold/1');
    const opened = SearchEngine.open(dir);
    expect(opened.documentCount).toBe(11);
    for (const q of ['方特', '的', '楼院 -惠济区', '梦幻王国方特', '"红色物业"', 'title:治理', '没有这个词']) {
      const a = built.search(q, { limit: 20 });
      const b = opened.search(q, { limit: 20 });
      expect({ ...b, took_ms: 0 }).toEqual({ ...a, took_ms: 0 });
    }
  });

  test('a missing index says how to build one', () => {
    const dir = path.join(tempDir(), 'nothing');
    expect(() => SearchEngine.open(dir)).toThrow(IndexError);
    expect(() => SearchEngine.open(dir)).toThrow(`No index found at ${dir}. Build one with: npx jiansuo index --source <files or directories of your archive> --out ${dir}`);
  });

  test('an index of another format version (7: words and chars postings in bit-packed blocks) is refused with a rebuild hint', () => {
    const dir = tempDir();
    built.save(dir);
    const manifestFile = path.join(currentGeneration(dir), 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: 7 }));
    expect(() => SearchEngine.open(dir)).toThrow(/has format version 7; this jiansuo reads version 8\. Rebuild it with: npx jiansuo index/);
    // The rebuild it asks for replaces the unreadable index.
    built.save(dir);
    expect(SearchEngine.open(dir).documentCount).toBe(11);
  });

  test.each(['bigrams.postings', 'words.terms', 'documents.blocks', 'chars.table'])('a flipped byte in %s is detected, naming the file', (file) => {
    const dir = tempDir();
    built.save(dir);
    const target = path.join(currentGeneration(dir), 'seg-0', file);
    const bytes = fs.readFileSync(target);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    fs.writeFileSync(target, bytes);
    expect(() => SearchEngine.open(dir)).toThrow(`The index at ${dir} is damaged: seg-0/${file} does not match its checksum.`);
  });

  test('a truncated file or a missing manifest is detected', () => {
    const dir = tempDir();
    built.save(dir);
    const gen = currentGeneration(dir);
    fs.truncateSync(path.join(gen, 'seg-0', 'words.postings'), 3);
    expect(() => SearchEngine.open(dir)).toThrow(/seg-0\/words\.postings does not match its checksum/);
    fs.rmSync(path.join(gen, 'manifest.json'));
    expect(() => SearchEngine.open(dir)).toThrow(/damaged: cannot read .*manifest\.json/);
  });

  test('an interrupted build leaves the previous index intact; the next build cleans up, keeping the generation before it for readers', () => {
    const dir = tempDir();
    built.save(dir);
    const before = readManifest(dir).manifest.createdAt;
    // What a build killed before its switch leaves behind: a half-written temporary generation.
    fs.mkdirSync(path.join(dir, '.tmp-gen-zzz-00000000'));
    fs.writeFileSync(path.join(dir, '.tmp-gen-zzz-00000000', 'words.postings'), 'partial');
    fs.writeFileSync(path.join(dir, '.CURRENT.tmp'), 'gen-half');
    expect(readManifest(dir).manifest.createdAt).toBe(before);
    expect(SearchEngine.open(dir).search('方特').total).toBe(1);
    const first = currentGeneration(dir);
    built.save(dir);
    const second = currentGeneration(dir);
    // The generation before stays (a reader may still be opening it); the leftovers are gone.
    expect(fs.readdirSync(dir).sort()).toEqual(['CURRENT', path.basename(first), path.basename(second)].sort());
    built.save(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['CURRENT', path.basename(second), path.basename(currentGeneration(dir))].sort());
    expect(fs.existsSync(first)).toBe(false);
    expect(SearchEngine.open(dir).search('方特').total).toBe(1);
  });
});
