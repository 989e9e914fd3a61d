import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalyzerSettings } from '../analysis/analyzer';
import { IndexError } from '../errors';
import { IndexData, PostingsFamily } from './data';
import { StoredDocuments, storedDocumentsProblem } from './docStore';

/** Version of the on-disk format described in ARCHITECTURE.md. Bump on any change to the files below. */
export const FORMAT_VERSION = 2;
const FORMAT_NAME = 'jiansuo-index';
const CURRENT = 'CURRENT';

/** A source file the index was built from: lets `npm start` tell whether the index is stale. */
export interface SourceFingerprint {
  path: string;
  bytes: number;
  sha256: string;
}

/** manifest.json of one index generation. */
export interface Manifest {
  format: typeof FORMAT_NAME;
  version: number;
  createdAt: string;
  documents: number;
  analyzer: AnalyzerSettings;
  sources: SourceFingerprint[];
  /** The synonyms file in use when the index was built (applied to queries; recorded so `open` finds it again). */
  synonyms?: SourceFingerprint;
  stats: { words: number; bigrams: number; postingsBytes: number };
  files: Record<string, { bytes: number; sha256: string }>;
}

function u8(array: Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function u32(bytes: Uint8Array, name: string): Uint32Array {
  if (bytes.byteLength % 4 !== 0) throw new IndexError(`index file ${name} has a size that is not a multiple of 4`);
  // Buffers from readFile may be unaligned views into a shared pool: copy when they are.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

function fileList(data: IndexData): Record<string, Uint8Array> {
  const family = (name: string, f: PostingsFamily): Record<string, Uint8Array> => ({
    [`${name}.offsets`]: u8(f.offsets),
    [`${name}.df`]: u8(f.df),
    [`${name}.postings`]: f.postings,
  });
  return {
    'documents.blocks': data.documents.blocks,
    'documents.dict': data.documents.dictionary,
    'documents.table': u8(Uint32Array.from([...data.documents.blockOffsets, ...data.documents.blockFirstDoc])),
    'documents.offsets': u8(data.documents.docOffsets),
    'docmeta.jsonl': data.metaBytes,
    'docstats.u32': u8(Uint32Array.from([...data.titleUnits, ...data.titleWords, ...data.bodyWords])),
    'words.terms': new TextEncoder().encode(data.wordTerms.join('\n')),
    ...family('words', data.words),
    'bigrams.keys': u8(data.bigramKeys),
    ...family('bigrams', data.bigrams),
    'chars.keys': u8(data.charKeys),
    ...family('chars', data.chars),
  };
}

function writeFileSynced(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes an index to `dir` without ever exposing a half-written one: the files go to a
 * temporary directory inside `dir`, are fsynced, renamed to a new generation directory,
 * and only then does the one-line CURRENT file switch to it (written to a temporary file
 * and renamed over the old one, which is atomic). A build killed at any moment leaves the
 * previous index in place; older generations and leftovers are removed afterwards.
 */
export function writeIndex(
  dir: string,
  data: IndexData,
  info: { analyzer: AnalyzerSettings; sources: SourceFingerprint[]; synonyms?: SourceFingerprint },
): Manifest {
  if (os.endianness() !== 'LE') throw new IndexError('jiansuo index files are little-endian; this machine is big-endian');
  fs.mkdirSync(dir, { recursive: true });
  const generation = `gen-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const tmp = path.join(dir, `.tmp-${generation}`);
  fs.mkdirSync(tmp);
  const files: Manifest['files'] = {};
  for (const [name, bytes] of Object.entries(fileList(data))) {
    writeFileSynced(path.join(tmp, name), bytes);
    files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  const manifest: Manifest = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    documents: data.documentCount,
    analyzer: info.analyzer,
    sources: info.sources,
    ...(info.synonyms ? { synonyms: info.synonyms } : {}),
    stats: {
      words: data.wordTerms.length,
      bigrams: data.bigramKeys.length,
      postingsBytes: data.words.postings.length + data.bigrams.postings.length + data.chars.postings.length,
    },
    files,
  };
  writeFileSynced(path.join(tmp, 'manifest.json'), new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
  fsyncDir(tmp);
  fs.renameSync(tmp, path.join(dir, generation));
  const pointer = path.join(dir, `.${CURRENT}.tmp`);
  writeFileSynced(pointer, new TextEncoder().encode(generation + '\n'));
  fs.renameSync(pointer, path.join(dir, CURRENT));
  fsyncDir(dir);
  removeStaleGenerations(dir, generation);
  return manifest;
}

/** Removes generations other than the current one and temporary leftovers of interrupted builds. */
export function removeStaleGenerations(dir: string, keep: string): void {
  for (const entry of fs.readdirSync(dir)) {
    if (entry === keep || entry === CURRENT) continue;
    if (entry.startsWith('gen-') || entry.startsWith('.tmp-gen-') || entry === `.${CURRENT}.tmp`) {
      fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
}

function rebuildHint(dir: string): string {
  return `Rebuild it with: npx jiansuo index --out ${dir}`;
}

/** Reads the manifest of the current generation, or throws IndexError saying how to rebuild. */
export function readManifest(dir: string): { manifest: Manifest; generationDir: string } {
  let generation: string;
  try {
    generation = fs.readFileSync(path.join(dir, CURRENT), 'utf8').trim();
  } catch {
    if (fs.existsSync(path.join(dir, 'manifest.json'))) {
      throw new IndexError(`The index at ${dir} is of an older format. ${rebuildHint(dir)}`);
    }
    throw new IndexError(`No index found at ${dir}. ${rebuildHint(dir)}`);
  }
  if (!/^gen-[0-9a-z]+-[0-9a-f]+$/.test(generation)) throw new IndexError(`The index at ${dir} is damaged (CURRENT names "${generation}"). ${rebuildHint(dir)}`);
  const generationDir = path.join(dir, generation);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(generationDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (error) {
    throw new IndexError(`The index at ${dir} is damaged: cannot read ${generation}/manifest.json (${(error as Error).message}). ${rebuildHint(dir)}`);
  }
  if (manifest.format !== FORMAT_NAME) throw new IndexError(`${dir} does not hold a jiansuo index. ${rebuildHint(dir)}`);
  if (manifest.version !== FORMAT_VERSION) {
    throw new IndexError(`The index at ${dir} has format version ${manifest.version}; this jiansuo reads version ${FORMAT_VERSION}. ${rebuildHint(dir)}`);
  }
  return { manifest, generationDir };
}

/**
 * Opens the current index generation in `dir`: checks every file against the size and
 * SHA-256 in the manifest, so that a truncated or flipped byte is reported (naming the
 * file) instead of giving wrong answers.
 */
export function readIndex(dir: string): { data: IndexData; manifest: Manifest } {
  const { manifest, generationDir } = readManifest(dir);
  const load = (name: string): Uint8Array => {
    const expected = manifest.files?.[name];
    if (!expected) throw new IndexError(`The index at ${dir} is damaged: the manifest does not list ${name}. ${rebuildHint(dir)}`);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(path.join(generationDir, name));
    } catch {
      throw new IndexError(`The index at ${dir} is damaged: ${name} is missing. ${rebuildHint(dir)}`);
    }
    if (bytes.byteLength !== expected.bytes || sha256(bytes) !== expected.sha256) {
      throw new IndexError(`The index at ${dir} is damaged: ${name} does not match its checksum. ${rebuildHint(dir)}`);
    }
    return bytes;
  };
  const family = (name: string, terms: number): PostingsFamily => {
    const offsets = u32(load(`${name}.offsets`), `${name}.offsets`);
    const df = u32(load(`${name}.df`), `${name}.df`);
    const postings = load(`${name}.postings`);
    if (offsets.length !== terms + 1 || df.length !== terms || offsets[terms] !== postings.length) {
      throw new IndexError(`The index at ${dir} is damaged: ${name} tables disagree in size. ${rebuildHint(dir)}`);
    }
    return { offsets, df, postings };
  };
  const n = manifest.documents;
  const stats = u32(load('docstats.u32'), 'docstats.u32');
  if (stats.length !== 3 * n) throw new IndexError(`The index at ${dir} is damaged: document tables disagree with the manifest. ${rebuildHint(dir)}`);
  const table = u32(load('documents.table'), 'documents.table');
  const documents: StoredDocuments = {
    blocks: load('documents.blocks'),
    dictionary: load('documents.dict'),
    blockOffsets: table.subarray(0, table.length >>> 1),
    blockFirstDoc: table.subarray(table.length >>> 1),
    docOffsets: u32(load('documents.offsets'), 'documents.offsets'),
  };
  const problem = storedDocumentsProblem(documents, n);
  if (problem) throw new IndexError(`The index at ${dir} is damaged: ${problem}. ${rebuildHint(dir)}`);
  const termsText = new TextDecoder().decode(load('words.terms'));
  const wordTerms = termsText.length === 0 ? [] : termsText.split('\n');
  const bigramKeys = u32(load('bigrams.keys'), 'bigrams.keys');
  const charKeys = u32(load('chars.keys'), 'chars.keys');
  const data: IndexData = {
    documentCount: n,
    titleUnits: stats.subarray(0, n),
    titleWords: stats.subarray(n, 2 * n),
    bodyWords: stats.subarray(2 * n, 3 * n),
    documents,
    metaBytes: load('docmeta.jsonl'),
    wordTerms,
    words: family('words', wordTerms.length),
    bigramKeys,
    bigrams: family('bigrams', bigramKeys.length),
    charKeys,
    chars: family('chars', charKeys.length),
  };
  return { data, manifest };
}
