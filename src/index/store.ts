import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalyzerSettings } from '../analysis/analyzer';
import { IndexError } from '../errors';
import { DocMetaRow, IndexData, PostingsFamily } from './data';
import { StoredDocuments, compactDocuments, storedDocumentsProblem } from './docStore';
import { withIndexLock } from './lock';
import { mergeSegments } from './merge';

/** Version of the on-disk format described in ARCHITECTURE.md. Bump on any change to the files below. */
export const FORMAT_VERSION = 3;
const FORMAT_NAME = 'jiansuo-index';
const CURRENT = 'CURRENT';
const NO_DELETIONS = new Uint32Array(0);

/** A source file the index was built from: lets `npm start` tell whether the index is stale. */
export interface SourceFingerprint {
  path: string;
  bytes: number;
  sha256: string;
}

/** Sizes of one segment's term tables. */
export interface SegmentStats {
  words: number;
  bigrams: number;
  postingsBytes: number;
}

/**
 * One segment of a generation: an immutable set of index files in the directory `name`
 * (written once, by a build, an `add` or a merge), and which of its documents were
 * deleted since (listed in `<name>.deleted` when any were).
 */
export interface SegmentEntry {
  name: string;
  /** Documents stored in the segment, deleted ones included. */
  documents: number;
  /** Of those, how many are deleted. */
  deleted: number;
  stats: SegmentStats;
}

/** manifest.json of one index generation. */
export interface Manifest {
  format: typeof FORMAT_NAME;
  version: number;
  /** When this generation was written (by a build, an update or a merge). */
  createdAt: string;
  /** Live documents: the segments' documents minus the deleted ones. */
  documents: number;
  analyzer: AnalyzerSettings;
  sources: SourceFingerprint[];
  /** The synonyms file in use when the index was built (applied to queries; recorded so `open` finds it again). */
  synonyms?: SourceFingerprint;
  /** The segments, oldest first: documents are numbered in this order. */
  segments: SegmentEntry[];
  /** Number for the next segment's name (segment names are never reused). */
  nextSegment: number;
  /** Updates (`add`, `remove`, uploads, deletions) since the index was built from its sources; absent after a build. */
  updates?: number;
  /** Every file of the generation (paths relative to it), with size and SHA-256. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** What a generation records besides its segments. */
export interface GenerationInfo {
  analyzer: AnalyzerSettings;
  sources: SourceFingerprint[];
  synonyms?: SourceFingerprint;
  /** Updates since the build (see Manifest.updates). */
  updates?: number;
}

/** A segment for a new generation: written from data, or kept from the current generation (hard-linked, not copied). */
export type PlannedSegment =
  | { name: string; data: IndexData; deleted: Uint32Array }
  | { name: string; kept: SegmentEntry; deleted: Uint32Array };

function u8(array: Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function u32(bytes: Uint8Array, name: string): Uint32Array {
  if (bytes.byteLength % 4 !== 0) throw new IndexError(`index file ${name} has a size that is not a multiple of 4`);
  // Buffers from readFile may be unaligned views into a shared pool: copy when they are.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

function fileList(view: IndexData): Record<string, Uint8Array> {
  // A view over several segments is written merged: one segment, as a fresh build would write it.
  const data = view.segmentParts ? mergeSegments(view.segmentParts) : view;
  const family = (name: string, f: PostingsFamily): Record<string, Uint8Array> => ({
    [`${name}.offsets`]: u8(f.offsets),
    [`${name}.df`]: u8(f.df),
    [`${name}.postings`]: f.postings,
  });
  const documents = compactDocuments(data.documents);
  return {
    'documents.blocks': documents.blocks,
    'documents.dict': documents.dictionary,
    'documents.table': u8(Uint32Array.from([...documents.blockOffsets, ...documents.blockFirstDoc])),
    'documents.offsets': u8(documents.docOffsets),
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

function stats(data: IndexData): SegmentStats {
  return {
    words: data.wordTerms.length,
    bigrams: data.bigramKeys.length,
    postingsBytes: data.words.postings.length + data.bigrams.postings.length + data.chars.postings.length,
  };
}

/** Hard-links `from` to `to` (same file system: no copy), or copies it where links are not allowed. */
function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
    const fd = fs.openSync(to, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Writes a new generation of the index in `dir` and makes it current, without ever
 * exposing a half-written one: the files go to a temporary directory inside `dir`, are
 * fsynced, renamed to a new generation directory, and only then does the one-line CURRENT
 * file switch to it (written to a temporary file and renamed over the old one, which is
 * atomic). Segments kept from the current generation are hard-linked, so an update costs
 * only what it adds. A process killed at any moment leaves the previous generation in
 * place; older generations and leftovers are removed afterwards. The caller holds the
 * index lock (see lock.ts).
 */
export function writeGeneration(dir: string, segments: PlannedSegment[], info: GenerationInfo, nextSegment: number): Manifest {
  if (os.endianness() !== 'LE') throw new IndexError('jiansuo index files are little-endian; this machine is big-endian');
  fs.mkdirSync(dir, { recursive: true });
  const current = currentGenerationDir(dir);
  const generation = `gen-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const tmp = path.join(dir, `.tmp-${generation}`);
  fs.mkdirSync(tmp);
  const files: Manifest['files'] = {};
  const entries: SegmentEntry[] = [];
  // Read only when segments are kept: a full rebuild must also replace an index it cannot read (older format, damaged).
  const previous = current && segments.some((segment) => 'kept' in segment) ? readManifestIn(dir, current) : undefined;
  for (const segment of segments) {
    fs.mkdirSync(path.join(tmp, segment.name));
    if ('data' in segment) {
      for (const [name, bytes] of Object.entries(fileList(segment.data))) {
        const file = `${segment.name}/${name}`;
        writeFileSynced(path.join(tmp, file), bytes);
        files[file] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
      }
      entries.push({ name: segment.name, documents: segment.data.documentCount, deleted: segment.deleted.length, stats: stats(segment.data) });
    } else {
      if (!current || !previous) throw new Error(`segment ${segment.name} cannot be kept: the index has no current generation`);
      for (const [file, info] of Object.entries(previous.files)) {
        if (!file.startsWith(`${segment.name}/`)) continue;
        linkOrCopy(path.join(current, file), path.join(tmp, file));
        files[file] = info;
      }
      entries.push({ ...segment.kept, deleted: segment.deleted.length });
    }
    fsyncDir(path.join(tmp, segment.name));
    if (segment.deleted.length > 0) {
      const file = `${segment.name}.deleted`;
      const bytes = u8(segment.deleted);
      writeFileSynced(path.join(tmp, file), bytes);
      files[file] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
    }
  }
  const manifest: Manifest = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    documents: entries.reduce((sum, entry) => sum + entry.documents - entry.deleted, 0),
    analyzer: info.analyzer,
    sources: info.sources,
    ...(info.synonyms ? { synonyms: info.synonyms } : {}),
    segments: entries,
    nextSegment,
    ...(info.updates ? { updates: info.updates } : {}),
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

/**
 * Writes `data` as the whole index in `dir` (one segment), replacing whatever was there,
 * crash-safely (see writeGeneration). Takes the index lock.
 */
export function writeIndex(dir: string, data: IndexData, info: Omit<GenerationInfo, 'updates'>): Manifest {
  return withIndexLock(dir, () => writeGeneration(dir, [{ name: 'seg-0', data, deleted: NO_DELETIONS }], info, 1));
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

/** The directory of the current generation, or undefined when CURRENT is missing or unreadable. */
function currentGenerationDir(dir: string): string | undefined {
  try {
    const generation = fs.readFileSync(path.join(dir, CURRENT), 'utf8').trim();
    return /^gen-[0-9a-z]+-[0-9a-f]+$/.test(generation) ? path.join(dir, generation) : undefined;
  } catch {
    return undefined;
  }
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
  return { manifest: readManifestIn(dir, generationDir), generationDir };
}

function readManifestIn(dir: string, generationDir: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(generationDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (error) {
    throw new IndexError(
      `The index at ${dir} is damaged: cannot read ${path.basename(generationDir)}/manifest.json (${(error as Error).message}). ${rebuildHint(dir)}`,
    );
  }
  if (manifest.format !== FORMAT_NAME) throw new IndexError(`${dir} does not hold a jiansuo index. ${rebuildHint(dir)}`);
  if (manifest.version !== FORMAT_VERSION) {
    throw new IndexError(`The index at ${dir} has format version ${manifest.version}; this jiansuo reads version ${FORMAT_VERSION}. ${rebuildHint(dir)}`);
  }
  if (!Array.isArray(manifest.segments) || typeof manifest.files !== 'object' || manifest.files === null) {
    throw new IndexError(`The index at ${dir} is damaged: its manifest lists no segments. ${rebuildHint(dir)}`);
  }
  if (manifest.documents !== manifest.segments.reduce((sum, entry) => sum + entry.documents - entry.deleted, 0)) {
    throw new IndexError(`The index at ${dir} is damaged: its manifest's document count disagrees with its segments. ${rebuildHint(dir)}`);
  }
  return manifest;
}

/** Reads one file of a generation, checked against the manifest's size and SHA-256. */
type FileLoader = (name: string) => Uint8Array;

/** Reads a file of the generation from disk; undefined when it cannot be read. */
function readFrom(generationDir: string): (name: string) => Uint8Array | undefined {
  return (name) => {
    try {
      return fs.readFileSync(path.join(generationDir, name));
    } catch {
      return undefined;
    }
  };
}

function fileLoader(dir: string, manifest: Manifest, read: (name: string) => Uint8Array | undefined): FileLoader {
  return (name) => {
    const expected = manifest.files[name];
    if (!expected) throw new IndexError(`The index at ${dir} is damaged: the manifest does not list ${name}. ${rebuildHint(dir)}`);
    const bytes = read(name);
    if (bytes === undefined) throw new IndexError(`The index at ${dir} is damaged: ${name} is missing. ${rebuildHint(dir)}`);
    if (bytes.byteLength !== expected.bytes || sha256(bytes) !== expected.sha256) {
      throw new IndexError(`The index at ${dir} is damaged: ${name} does not match its checksum. ${rebuildHint(dir)}`);
    }
    return bytes;
  };
}

/** The deleted ordinals of a segment (ascending, each below its document count). */
function readDeleted(dir: string, load: FileLoader, entry: SegmentEntry): Uint32Array {
  if (entry.deleted === 0) return NO_DELETIONS;
  const file = `${entry.name}.deleted`;
  const deleted = u32(load(file), file);
  const ascending = deleted.every((d, i) => d < entry.documents && (i === 0 || d > deleted[i - 1]));
  if (deleted.length !== entry.deleted || !ascending) {
    throw new IndexError(`The index at ${dir} is damaged: ${file} disagrees with the manifest. ${rebuildHint(dir)}`);
  }
  return deleted;
}

function readSegmentData(dir: string, load: FileLoader, entry: SegmentEntry): IndexData {
  const at = (name: string): Uint8Array => load(`${entry.name}/${name}`);
  const family = (name: string, terms: number): PostingsFamily => {
    const offsets = u32(at(`${name}.offsets`), `${name}.offsets`);
    const df = u32(at(`${name}.df`), `${name}.df`);
    const postings = at(`${name}.postings`);
    if (offsets.length !== terms + 1 || df.length !== terms || offsets[terms] !== postings.length) {
      throw new IndexError(`The index at ${dir} is damaged: ${entry.name}/${name} tables disagree in size. ${rebuildHint(dir)}`);
    }
    return { offsets, df, postings };
  };
  const n = entry.documents;
  const stats = u32(at('docstats.u32'), 'docstats.u32');
  if (stats.length !== 3 * n) throw new IndexError(`The index at ${dir} is damaged: ${entry.name} document tables disagree with the manifest. ${rebuildHint(dir)}`);
  const table = u32(at('documents.table'), 'documents.table');
  const documents: StoredDocuments = {
    blocks: at('documents.blocks'),
    dictionary: at('documents.dict'),
    blockOffsets: table.subarray(0, table.length >>> 1),
    blockFirstDoc: table.subarray(table.length >>> 1),
    docOffsets: u32(at('documents.offsets'), 'documents.offsets'),
  };
  const problem = storedDocumentsProblem(documents, n);
  if (problem) throw new IndexError(`The index at ${dir} is damaged: ${entry.name}: ${problem}. ${rebuildHint(dir)}`);
  const termsText = new TextDecoder().decode(at('words.terms'));
  const wordTerms = termsText.length === 0 ? [] : termsText.split('\n');
  const bigramKeys = u32(at('bigrams.keys'), 'bigrams.keys');
  const charKeys = u32(at('chars.keys'), 'chars.keys');
  return {
    documentCount: n,
    titleUnits: stats.subarray(0, n),
    titleWords: stats.subarray(n, 2 * n),
    bodyWords: stats.subarray(2 * n, 3 * n),
    documents,
    metaBytes: at('docmeta.jsonl'),
    wordTerms,
    words: family('words', wordTerms.length),
    bigramKeys,
    bigrams: family('bigrams', bigramKeys.length),
    charKeys,
    chars: family('chars', charKeys.length),
  };
}

/** A segment as read from disk. */
export interface LoadedSegment {
  entry: SegmentEntry;
  data: IndexData;
  deleted: Uint32Array;
}

/**
 * Opens the current generation in `dir` segment by segment: checks every file against
 * the size and SHA-256 in the manifest, so that a truncated or flipped byte is reported
 * (naming the file) instead of giving wrong answers.
 */
export function readSegments(dir: string): { manifest: Manifest; segments: LoadedSegment[] } {
  const { manifest, generationDir } = readManifest(dir);
  return { manifest, segments: loadSegments(dir, manifest, fileLoader(dir, manifest, readFrom(generationDir))) };
}

function loadSegments(dir: string, manifest: Manifest, load: FileLoader): LoadedSegment[] {
  return manifest.segments.map((entry) => ({ entry, data: readSegmentData(dir, load, entry), deleted: readDeleted(dir, load, entry) }));
}

/**
 * The document ids of each segment of the current generation (from docmeta.jsonl, checked)
 * and its deleted ordinals: what an update needs to find the documents it replaces or
 * removes, without reading the postings.
 */
export function readSegmentIds(dir: string): { manifest: Manifest; segments: Array<{ entry: SegmentEntry; ids: string[]; deleted: Uint32Array }> } {
  const { manifest, generationDir } = readManifest(dir);
  const load = fileLoader(dir, manifest, readFrom(generationDir));
  const decoder = new TextDecoder();
  const segments = manifest.segments.map((entry) => {
    const text = decoder.decode(load(`${entry.name}/docmeta.jsonl`));
    const ids = text.length === 0 ? [] : text.trimEnd().split('\n').map((line) => (JSON.parse(line) as DocMetaRow)[0]);
    if (ids.length !== entry.documents) throw new IndexError(`The index at ${dir} is damaged: ${entry.name}/docmeta.jsonl disagrees with the manifest. ${rebuildHint(dir)}`);
    return { entry, ids, deleted: readDeleted(dir, load, entry) };
  });
  return { manifest, segments };
}

/**
 * Opens the current index generation in `dir` as one IndexData: its segments, checked
 * file by file, merged in memory without their deleted documents (mergeSegments).
 */
export function readIndex(dir: string): { data: IndexData; manifest: Manifest } {
  const { manifest, segments } = readSegments(dir);
  return { data: mergeSegments(segments, { joinDocuments: true }), manifest };
}

/**
 * readSegments with the files read by the thread pool while `meanwhile` runs on this
 * thread (opening for `serve` loads jieba meanwhile, about a second, so a large index is
 * read for free). Checks and results are readSegments'.
 */
export async function readSegmentsAsync(
  dir: string,
  meanwhile: (manifest: Manifest) => void,
  known?: { manifest: Manifest; segments: LoadedSegment[] },
): Promise<{ manifest: Manifest; segments: LoadedSegment[] }> {
  const { manifest, generationDir } = readManifest(dir);
  // Segments are immutable: one already read (same name, same files) is reused instead of read and checked again.
  const reused = new Map((known?.segments ?? []).filter((segment) => sameSegmentFiles(segment.entry.name, known!.manifest, manifest)).map((s) => [s.entry.name, s.data]));
  const wanted = Object.keys(manifest.files).filter((name) => !reused.has(name.slice(0, name.indexOf('/'))));
  const reads = wanted.map(async (name) => [name, await fs.promises.readFile(path.join(generationDir, name)).catch(() => undefined)] as const);
  meanwhile(manifest);
  const files = new Map(await Promise.all(reads));
  const load = fileLoader(dir, manifest, (name) => files.get(name));
  const segments = manifest.segments.map((entry) => ({ entry, data: reused.get(entry.name) ?? readSegmentData(dir, load, entry), deleted: readDeleted(dir, load, entry) }));
  return { manifest, segments };
}

/** Whether the segment `name` has the same files, with the same sizes and checksums, in both manifests. */
function sameSegmentFiles(name: string, before: Manifest, after: Manifest): boolean {
  const files = (manifest: Manifest): string[] => Object.keys(manifest.files).filter((file) => file.startsWith(`${name}/`));
  const now = files(after);
  return now.length > 0 && now.length === files(before).length && now.every((file) => before.files[file]?.sha256 === after.files[file].sha256 && before.files[file].bytes === after.files[file].bytes);
}
