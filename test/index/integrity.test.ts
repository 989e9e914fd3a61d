/**
 * Every file of an index generation is covered by the manifest's checksums: a flipped
 * byte or a truncation anywhere is refused at load, naming the file, never answered
 * from. (store.test.ts covers a few files in detail; this covers them all.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchEngine } from '../../src/engine';
import { IndexError } from '../../src/errors';
import { Manifest } from '../../src/index/manifest';
import { demoDocuments } from '../helpers';

// Saved when the file loads: the list of files names the tests below.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-integrity-'));
const manifest: Manifest = SearchEngine.build(demoDocuments()).save(dir);
const generation = path.join(dir, fs.readFileSync(path.join(dir, 'CURRENT'), 'utf8').trim());
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function escaped(file: string): string {
  return file.replace(/[./]/g, (c) => `\\${c}`);
}

/** Runs `damage` on a file, expects opening to fail naming it, then puts the file back. */
function expectRefused(file: string, damage: (bytes: Buffer) => Buffer, message: RegExp): void {
  const target = path.join(generation, file);
  const original = fs.readFileSync(target);
  fs.writeFileSync(target, damage(Buffer.from(original)));
  try {
    expect(() => SearchEngine.open(dir)).toThrow(IndexError);
    expect(() => SearchEngine.open(dir)).toThrow(message);
  } finally {
    fs.writeFileSync(target, original);
  }
}

it('lists every file of the generation, with its size and SHA-256', () => {
  const onDisk = (fs.readdirSync(generation, { recursive: true }) as string[])
    .filter((name) => name !== 'manifest.json' && fs.statSync(path.join(generation, name)).isFile())
    .map((name) => name.split(path.sep).join('/'))
    .sort();
  expect(Object.keys(manifest.files).sort()).toEqual(onDisk);
  expect(onDisk.length).toBeGreaterThanOrEqual(15);
  for (const info of Object.values(manifest.files)) expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
});

describe.each(Object.keys(manifest.files))('%s', (file) => {
  it('a flipped byte anywhere is refused, naming the file', () => {
    const size = manifest.files[file].bytes;
    for (const at of new Set([0, size >> 1, size - 1].filter((i) => i >= 0))) {
      expectRefused(
        file,
        (bytes) => {
          bytes[at] ^= 0x01;
          return bytes;
        },
        new RegExp(`damaged: ${escaped(file)} does not match its checksum`),
      );
    }
  });

  it('opened as a server or a command opens it (openAsync: read and hashed on another thread), a flipped byte is refused too', async () => {
    const target = path.join(generation, file);
    const original = fs.readFileSync(target);
    const damaged = Buffer.from(original);
    damaged[damaged.length >> 1] ^= 0x01;
    fs.writeFileSync(target, damaged);
    try {
      await expect(SearchEngine.openAsync(dir)).rejects.toThrow(new RegExp(`damaged: ${escaped(file)} does not match its checksum`));
    } finally {
      fs.writeFileSync(target, original);
    }
  });

  it('a truncated or grown file is refused, naming the file', () => {
    expectRefused(file, (bytes) => bytes.subarray(0, Math.max(0, bytes.length - 1)), new RegExp(`damaged: ${escaped(file)} does not match its checksum`));
    expectRefused(file, (bytes) => Buffer.concat([bytes, Buffer.from([0])]), new RegExp(`damaged: ${escaped(file)} does not match its checksum`));
  });
});

it('a missing file, a broken manifest or a CURRENT naming nothing is refused, saying how to rebuild or recover', () => {
  const postings = path.join(generation, 'seg-0', 'chars.postings');
  const saved = fs.readFileSync(postings);
  fs.rmSync(postings);
  expect(() => SearchEngine.open(dir)).toThrow(`The index at ${dir} is damaged: seg-0/chars.postings is missing. Rebuild it with: npx jiansuo index --source <files or directories of your archive> --out ${dir}`);
  fs.writeFileSync(postings, saved);

  const manifestFile = path.join(generation, 'manifest.json');
  const text = fs.readFileSync(manifestFile, 'utf8');
  fs.writeFileSync(manifestFile, text.slice(0, text.length >> 1));
  expect(() => SearchEngine.open(dir)).toThrow(/damaged: cannot read gen-[^/]+\/manifest\.json .*Rebuild it with/);
  fs.writeFileSync(manifestFile, text.replace('"documents": 11', '"documents": 12'));
  expect(() => SearchEngine.open(dir)).toThrow(/damaged: its manifest's document count disagrees with its segments/);
  fs.writeFileSync(manifestFile, text.replaceAll('"documents": 11', '"documents": 12'));
  expect(() => SearchEngine.open(dir)).toThrow(/damaged: seg-0 document tables disagree with the manifest/);
  fs.writeFileSync(manifestFile, text);

  const current = path.join(dir, 'CURRENT');
  const pointer = fs.readFileSync(current, 'utf8');
  fs.writeFileSync(current, 'gen-zzzz-0000\n');
  expect(() => SearchEngine.open(dir)).toThrow(
    `The index at ${dir} is damaged: CURRENT names gen-zzzz-0000, which is not there. Its generations are still there (newest: ${path.basename(generation)}). Recover it with: npx jiansuo recover --index ${dir}`,
  );
  fs.writeFileSync(current, '../../etc\n');
  expect(() => SearchEngine.open(dir)).toThrow(`The index at ${dir} is damaged (CURRENT names "../../etc").`);
  fs.writeFileSync(current, pointer);
  expect(SearchEngine.open(dir).search('方特').total).toBe(1);
});
