import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { AnalyzerSettings, fileSha256 } from '../analysis/analyzer';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { types } from 'node:util';
import { Worker } from 'node:worker_threads';
import { IndexError } from '../errors';
import { IndexData } from './data';
import { IndexFile, OpenedFiles } from './indexFile';
import { decodeDocMeta } from './docMeta';
import { withIndexLock } from './lock';
import { FORMAT_NAME, FORMAT_VERSION, GenerationInfo, GenerationSegment, Manifest, SegmentEntry, SegmentOnDisk, SourceFingerprint, StagedSegment, USER_DICT_COPY, rebuildHint, withoutHint } from './manifest';
import { workerScript } from './workerPool';
import { FileLoader, NO_DELETIONS, STREAMED_FILES, hasLexicon, readDeleted, readSegmentData, segmentFile, segmentFiles, segmentStats } from './segmentFiles';
import { u8 } from './tableFiles';

const CURRENT = 'CURRENT';
/** A generation directory's name: `gen-<milliseconds in base 36>-<random hex>`. */
const GENERATION = /^gen-[0-9a-z]+-[0-9a-f]+$/;

/** Writes `bytes` to `file` and fsyncs it. */
export function writeFileSynced(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `bytes` to `file` (writeFileSynced) and gives what a staged segment lists of it (StagedSegment.files): its size and SHA-256. */
export function writeListedFile(file: string, bytes: Uint8Array): StagedSegment['files'][string] {
  writeFileSynced(file, bytes);
  return { bytes: bytes.byteLength, sha256: sha256(bytes) };
}

/** Fsyncs the directory `dir` (its entries: files created or renamed in it). */
export function fsyncDir(dir: string): void {
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
 * Writes the files of segment `name` from `data` into `dir/name` (fsynced), to be moved
 * into a generation later (a `staged` PlannedSegment): `dir` must be on the index's file system.
 * `draft`: a build's draft segment (segmentFiles), without its lexicon and its table files compressed for a merge
 * (StagedSegment.withoutLexicon, draftTables), finished before it is committed, or never when a merge consumes it.
 */
export function stageSegment(dir: string, name: string, data: IndexData, draft = false): StagedSegment {
  const segmentDir = path.join(dir, name);
  const encoded = Object.entries(segmentFiles(data, draft));
  const files: StagedSegment['files'] = {};
  try {
    fs.mkdirSync(segmentDir, { recursive: true });
    for (const [file, bytes] of encoded) {
      files[file] = writeListedFile(path.join(segmentDir, file), bytes);
    }
    fsyncDir(segmentDir);
  } catch (error) {
    // A full disk is named with the index directory (the staging directory's parent) and what the segment needs.
    fs.rmSync(segmentDir, { recursive: true, force: true });
    throw writeFailure(path.dirname(dir), error, encoded.reduce((sum, [, bytes]) => sum + bytes.byteLength, 0));
  }
  return { dir: segmentDir, entry: { name, documents: data.documentCount, deleted: 0, stats: segmentStats(data) }, files, ...(draft ? { withoutLexicon: true, draftTables: true } : {}) };
}

/** How a write treats the generations already in the index directory. */
export interface WriteOptions {
  /**
   * Given when the generation CURRENT named failed its checks: after the switch, it and
   * every other older generation are moved into `damaged-<time>/` instead of being kept
   * (see setAside), and this is called with that folder.
   */
  setAsideDamaged?: (folder: string) => void;
  /** Run under the lock before anything is written, to refuse (by throwing) a write the index changed under. */
  beforeWrite?: () => void;
}

/** The files of a segment to write from data, with its manifest entry. */
interface SegmentFiles {
  name: string;
  files: Record<string, Uint8Array>;
  entry: SegmentEntry;
}

/**
 * Writes a new generation of the index in `dir` and makes it current, without ever
 * exposing a half-written one: the files go to a temporary directory inside `dir`, are
 * fsynced, renamed to a new generation directory, and only then does the one-line CURRENT
 * file switch to it (written to a temporary file and renamed over the old one, which is
 * atomic). Segments kept from the current generation are hard-linked, so an update costs
 * only what it adds. A process killed at any moment leaves the previous generation in
 * place. A write that fails (a full disk) removes what it created and says how much space
 * it needed; one that cannot fit is refused before writing. After the switch the previous
 * generation is kept, since readers may still be opening it, and older ones are removed
 * (see removeSuperseded). The caller holds the index lock (see lock.ts).
 */
export function writeGeneration(dir: string, segments: GenerationSegment[], info: GenerationInfo, nextSegment: number, options: WriteOptions = {}): Manifest {
  if (os.endianness() !== 'LE') throw new IndexError('jiansuo index files are little-endian; this machine is big-endian');
  fs.mkdirSync(dir, { recursive: true });
  options.beforeWrite?.();
  const current = currentGenerationName(dir);
  const currentDir = current && path.join(dir, current);
  // Read only when segments are kept: a full rebuild must also replace an index it cannot read (older format, damaged).
  const previous = currentDir && segments.some((segment) => 'kept' in segment) ? readManifestIn(dir, currentDir) : undefined;
  const written: SegmentFiles[] = segments.flatMap((segment) =>
    'data' in segment
      ? [{ name: segment.name, files: segmentFiles(segment.data), entry: { name: segment.name, documents: segment.data.documentCount, deleted: segment.deleted.length, stats: segmentStats(segment.data) } }]
      : [],
  );
  const unfinished = segments.find((segment) => 'staged' in segment && !hasLexicon(segment.staged.files));
  if (unfinished) throw new Error(`segment ${unfinished.name} was staged without its lexicon: it cannot enter a generation of the index at ${dir}`);
  const userDictCopy = info.userDictCopy;
  if (userDictCopy && sha256(userDictCopy) !== info.analyzer.userDictSha256) {
    throw new Error(`the copy of the user dictionary given for the index at ${dir} is not the one its analyzer settings record (${info.analyzer.userDict ?? 'none'})`);
  }
  const needed = spaceNeeded(written, segments, userDictCopy);
  checkSpace(dir, needed);
  const generation = `gen-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const tmp = path.join(dir, `.tmp-${generation}`);
  const pointer = path.join(dir, `.${CURRENT}.tmp`);
  let manifest: Manifest;
  try {
    fs.mkdirSync(tmp);
    const files: Manifest['files'] = {};
    if (userDictCopy) {
      writeFileSynced(path.join(tmp, USER_DICT_COPY), userDictCopy);
      files[USER_DICT_COPY] = { bytes: userDictCopy.byteLength, sha256: sha256(userDictCopy) };
    }
    const entries: SegmentEntry[] = [];
    for (const segment of segments) {
      if ('staged' in segment) fs.renameSync(segment.staged.dir, path.join(tmp, segment.name));
      else fs.mkdirSync(path.join(tmp, segment.name));
      const fromData = written.find((w) => w.name === segment.name);
      if (fromData) {
        for (const [name, bytes] of Object.entries(fromData.files)) {
          const file = `${segment.name}/${name}`;
          writeFileSynced(path.join(tmp, file), bytes);
          files[file] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
        }
        entries.push(fromData.entry);
      } else if ('kept' in segment) {
        if (!currentDir || !previous) throw new Error(`segment ${segment.name} cannot be kept: the index has no current generation`);
        for (const [file, info] of Object.entries(previous.files)) {
          if (!file.startsWith(`${segment.name}/`)) continue;
          linkOrCopy(path.join(currentDir, file), path.join(tmp, file));
          files[file] = info;
        }
        entries.push({ ...segment.kept, deleted: segment.deleted.length });
      } else if ('staged' in segment) {
        for (const [file, info] of Object.entries(segment.staged.files)) files[`${segment.name}/${file}`] = info;
        entries.push({ ...segment.staged.entry, deleted: segment.deleted.length });
      }
      fsyncDir(path.join(tmp, segment.name));
      if (segment.deleted.length > 0) {
        const file = `${segment.name}.deleted`;
        const bytes = u8(segment.deleted);
        writeFileSynced(path.join(tmp, file), bytes);
        files[file] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
      }
    }
    manifest = {
      format: FORMAT_NAME,
      version: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      documents: entries.reduce((sum, entry) => sum + entry.documents - entry.deleted, 0),
      analyzer: info.analyzer,
      ...(userDictCopy ? { userDictCopy: USER_DICT_COPY } : {}),
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
    writeFileSynced(pointer, new TextEncoder().encode(generation + '\n'));
    fs.renameSync(pointer, path.join(dir, CURRENT));
  } catch (error) {
    // Not switched: remove everything this write created (never anything else), so the next writer finds the index as it was.
    for (const created of [tmp, path.join(dir, generation), pointer]) fs.rmSync(created, { recursive: true, force: true });
    throw writeFailure(dir, error, needed);
  }
  fsyncDir(dir);
  removeSuperseded(dir, generation, current, options.setAsideDamaged);
  return manifest;
}

/**
 * Bytes the new generation takes on disk, about: the files written from data, the
 * deletion marks and the copy of the user dictionary, each rounded up to 4 KB blocks, and
 * the manifest (kept segments are hard-linked and cost nothing).
 */
function spaceNeeded(written: SegmentFiles[], segments: GenerationSegment[], userDictCopy: Uint8Array | undefined): number {
  const block = 4096;
  const rounded = (bytes: number): number => Math.ceil(bytes / block) * block;
  let bytes = block * (2 + segments.length) + (userDictCopy ? rounded(userDictCopy.byteLength) : 0);
  for (const segment of written) for (const file of Object.values(segment.files)) bytes += rounded(file.byteLength);
  for (const segment of segments) if (segment.deleted.length > 0) bytes += rounded(segment.deleted.byteLength);
  return bytes;
}

/** Free bytes for this user on the file system holding `dir`, or undefined where statfs is not available. */
function freeSpace(dir: string): number | undefined {
  try {
    const info = fs.statfsSync(dir);
    return info.bavail * info.bsize;
  } catch {
    return undefined;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Refuses, before anything is written, a generation that the file system holding `dir` has no room for. */
function checkSpace(dir: string, needed: number): void {
  const free = freeSpace(dir);
  if (free !== undefined && free < needed) {
    throw new IndexError(
      `Not enough disk space to write the index in ${dir}: the new generation needs about ${megabytes(needed)}, and the file system holding ${dir} has ${megabytes(free)} free. ` +
        'Free some space and try again; the index was not changed.',
    );
  }
}

/** The error to report for a failed write: a full disk (or quota) named with the directory and the space needed, anything else as it is. */
export function writeFailure(dir: string, error: unknown, needed: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  const free = freeSpace(dir);
  return new IndexError(
    `The disk holding ${dir} is full (${code} while writing the index): the new generation needs about ${megabytes(needed)}` +
      `${free === undefined ? '' : `, ${megabytes(free)} are free`}. What this write had created was removed and the index was not changed; free some space and try again.`,
  );
}

/** Writes `dir/CURRENT` to name `generation`, crash-safely (a temporary file renamed over it). The caller holds the index lock. */
export function switchCurrent(dir: string, generation: string): void {
  const pointer = path.join(dir, `.${CURRENT}.tmp`);
  try {
    writeFileSynced(pointer, new TextEncoder().encode(generation + '\n'));
    fs.renameSync(pointer, path.join(dir, CURRENT));
  } catch (error) {
    fs.rmSync(pointer, { force: true });
    throw writeFailure(dir, error, 4096);
  }
  fsyncDir(dir);
}

/**
 * Writes `data` as the whole index in `dir` (one segment), replacing whatever was there,
 * crash-safely (see writeGeneration). Takes the index lock.
 */
export function writeIndex(dir: string, data: IndexData, info: Omit<GenerationInfo, 'updates'>, options: WriteOptions = {}): Manifest {
  return withIndexLock(dir, () => writeGeneration(dir, [{ name: 'seg-0', data, deleted: NO_DELETIONS }], info, 1, options));
}

/** What saveIndexData records with the data. */
export interface SavedInfo {
  /** The settings of the analyzer the data were analyzed with. */
  analyzer: AnalyzerSettings;
  /** The content of its user dictionary, if any (kept in the index as its copy, see Manifest.userDictCopy). */
  userDictCopy?: Uint8Array;
  sources: SourceFingerprint[];
  /** The synonyms file (fingerprinted; read from its path when the index is opened). */
  synonymsFile?: string;
}

/**
 * Saves index data built without an engine (by `buildIndexData`, whose main thread has no
 * analyzer) to `dir` atomically, exactly as `SearchEngine.save` does: with the analyzer
 * settings and a copy of the user dictionary, the source fingerprints and a fingerprint of
 * the synonyms file, if any. `options` say what to do with the generations already there
 * (a rebuild's, see buildIndex).
 */
export function saveIndexData(dir: string, data: IndexData, info: SavedInfo, options?: WriteOptions): Manifest {
  const { analyzer, userDictCopy, sources, synonymsFile } = info;
  const synonyms = synonymsFile ? { path: path.resolve(synonymsFile), bytes: fs.statSync(synonymsFile).size, sha256: fileSha256(synonymsFile) } : undefined;
  return writeIndex(dir, data, { analyzer, ...(userDictCopy ? { userDictCopy } : {}), sources, synonyms }, options);
}

/** The generation directories in `dir`, newest first (by the time in their names). */
export function generationsNewestFirst(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return entries.filter((entry) => GENERATION.test(entry)).sort((a, b) => generationTime(b) - generationTime(a) || (a < b ? 1 : -1));
}

/** When a generation was written, from its name (`gen-<milliseconds in base 36>-<random>`). */
function generationTime(name: string): number {
  return Number.parseInt(name.split('-')[1], 36);
}

/**
 * Cleans up after a switch to `written`: removes the leftovers of interrupted writes
 * (`.tmp-gen-*`, `.CURRENT.tmp`: the lock is held, so nobody is writing them) and every
 * generation but `previous`, the one CURRENT named before (the others were superseded
 * by it, or written by a writer killed before its switch). `previous` is kept: a reader
 * that read CURRENT just before the switch may still be opening it; the next write removes
 * it. Nothing is removed when CURRENT named no generation (it was lost: those generations
 * may hold what nothing else does). With `setAsideDamaged`, `previous` and every other
 * generation are moved into `damaged-<time>/` instead.
 */
function removeSuperseded(dir: string, written: string, previous: string | undefined, setAsideDamaged: WriteOptions['setAsideDamaged']): void {
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.tmp-gen-') || entry === `.${CURRENT}.tmp`) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  const older = generationsNewestFirst(dir).filter((name) => name !== written);
  if (setAsideDamaged) {
    if (older.length > 0) setAsideDamaged(setAside(dir, older));
  } else if (previous && older.includes(previous)) {
    for (const name of older) if (name !== previous) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Moves generations of `dir` into a new `damaged-<time>/` folder inside it, where nothing
 * reads or removes them (for the user to inspect, salvage or delete), and returns that folder.
 */
export function setAside(dir: string, generations: string[]): string {
  const folder = path.join(dir, `damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(folder, { recursive: true });
  for (const name of generations) fs.renameSync(path.join(dir, name), path.join(folder, name));
  fsyncDir(dir);
  return folder;
}

/** The generation CURRENT names, or undefined when CURRENT is missing, unreadable or names no generation. */
export function currentGenerationName(dir: string): string | undefined {
  try {
    const generation = fs.readFileSync(path.join(dir, CURRENT), 'utf8').trim();
    return GENERATION.test(generation) && fs.existsSync(path.join(dir, generation)) ? generation : undefined;
  } catch {
    return undefined;
  }
}

/** What to do about a lost CURRENT: recover when generations are left, else rebuild. */
function lostPointerHint(dir: string): string {
  const left = generationsNewestFirst(dir);
  return left.length > 0
    ? `Its generations are still there (newest: ${left[0]}). Recover it with: npx jiansuo recover --index ${dir}`
    : rebuildHint(dir);
}

/** Reads the manifest of the current generation, or throws IndexError saying how to recover or rebuild. */
export function readManifest(dir: string): { manifest: Manifest; generationDir: string } {
  let generation: string;
  try {
    generation = fs.readFileSync(path.join(dir, CURRENT), 'utf8').trim();
  } catch {
    if (generationsNewestFirst(dir).length > 0) throw new IndexError(`The index at ${dir} has lost its CURRENT file. ${lostPointerHint(dir)}`);
    if (fs.existsSync(path.join(dir, 'manifest.json'))) {
      throw new IndexError(`The index at ${dir} is of an older format. ${rebuildHint(dir)}`);
    }
    throw new IndexError(`No index found at ${dir}. ${rebuildHint(dir, true)}`);
  }
  if (!GENERATION.test(generation)) throw new IndexError(`The index at ${dir} is damaged (CURRENT names "${generation}"). ${lostPointerHint(dir)}`);
  const generationDir = path.join(dir, generation);
  if (!fs.existsSync(generationDir)) throw new IndexError(`The index at ${dir} is damaged: CURRENT names ${generation}, which is not there. ${lostPointerHint(dir)}`);
  return { manifest: readManifestIn(dir, generationDir), generationDir };
}

/** Attempts at opening the current generation while writers keep switching CURRENT under the reader. */
const OPEN_ATTEMPTS = 4;

/**
 * Whether opening failed because a writer switched CURRENT meanwhile and removed what the
 * reader was reading (then it tries the new generation): never reported as damage. Throws
 * when CURRENT switched on every attempt.
 */
function switchedUnder(dir: string, error: unknown, before: string | undefined, attempt: number): boolean {
  if (!(error instanceof IndexError) || currentGenerationName(dir) === before) return false;
  if (attempt < OPEN_ATTEMPTS) return true;
  throw new IndexError(`The index at ${dir} changed ${OPEN_ATTEMPTS} times while it was being opened (updates under way); try again.`);
}

/**
 * Opens the current generation with `open`, again on the new one when a writer switched
 * CURRENT meanwhile (see switchedUnder): a reader never reports a generation that was
 * being superseded as damaged.
 */
function openCurrent<T>(dir: string, open: (manifest: Manifest, generationDir: string) => T): T {
  for (let attempt = 1; ; attempt++) {
    const before = currentGenerationName(dir);
    try {
      const { manifest, generationDir } = readManifest(dir);
      return open(manifest, generationDir);
    } catch (error) {
      if (!switchedUnder(dir, error, before, attempt)) throw error;
    }
  }
}

/** openCurrent for an asynchronous `open`. */
async function openCurrentAsync<T>(dir: string, open: (manifest: Manifest, generationDir: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const before = currentGenerationName(dir);
    try {
      const { manifest, generationDir } = readManifest(dir);
      return await open(manifest, generationDir);
    } catch (error) {
      if (!switchedUnder(dir, error, before, attempt)) throw error;
    }
  }
}

/** Reads and checks the manifest of the generation in `generationDir` (throws IndexError). */
export function readManifestIn(dir: string, generationDir: string): Manifest {
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

/** What is wrong with a file of a generation as read (`size` undefined: missing; `digest` gives its SHA-256), or undefined when it matches the manifest. */
function fileProblem(manifest: Pick<Manifest, 'files'>, name: string, size: number | undefined, digest: () => string): string | undefined {
  const expected = manifest.files[name];
  if (!expected) return `the manifest does not list ${name}`;
  if (size === undefined) return `${name} is missing`;
  if (size !== expected.bytes || digest() !== expected.sha256) return `${name} does not match its checksum`;
  return undefined;
}

/** Loads a generation's files through `read`, each checked against the manifest first (by `digestOf`'s SHA-256 when the reader already hashed it); a damaged one throws IndexError. */
function fileLoader(dir: string, manifest: Pick<Manifest, 'files'>, read: (name: string) => Uint8Array | undefined, digestOf?: (name: string) => string | undefined): FileLoader {
  return (name) => {
    const bytes = read(name);
    const problem = fileProblem(manifest, name, bytes?.byteLength, () => digestOf?.(name) ?? sha256(bytes!));
    if (problem || !bytes) throw new IndexError(`The index at ${dir} is damaged: ${problem}. ${rebuildHint(dir)}`);
    return bytes;
  };
}

/** A generation directory as found: its manifest when it reads, and what is wrong with it, if anything. */
export interface GenerationCheck {
  name: string;
  manifest?: Manifest;
  /** Undefined when the generation is complete: its manifest reads and every file it lists matches its size and SHA-256. */
  problem?: string;
}

/** Checks one generation of the index in `dir` in full: its manifest, and every file against its checksum. */
export function checkGeneration(dir: string, name: string): GenerationCheck {
  const generationDir = path.join(dir, name);
  let manifest: Manifest;
  try {
    manifest = readManifestIn(dir, generationDir);
  } catch (error) {
    if (!(error instanceof IndexError)) throw error;
    return { name, problem: withoutHint(error.message.replace(`The index at ${dir} is damaged: `, '')) };
  }
  const read = readFrom(generationDir);
  for (const file of Object.keys(manifest.files)) {
    const bytes = read(file);
    const problem = fileProblem(manifest, file, bytes?.byteLength, () => sha256(bytes!));
    if (problem) return { name, manifest, problem };
  }
  return { name, manifest };
}

/** A generation's copy of its user dictionary as read and checked (Manifest.userDictCopy). */
export interface UserDictCopy {
  /** The file in the generation directory (what jieba loads). */
  path: string;
  bytes: Uint8Array;
}

/**
 * The copy of the user dictionary the generation in `generationDir` holds (Manifest.userDictCopy),
 * read and checked against the manifest's size and SHA-256, which must be those of the
 * dictionary its analyzer settings record; undefined when the generation has none (no user
 * dictionary, or written before copies were kept). Throws IndexError naming the copy when it
 * is missing or damaged.
 */
export function readUserDictCopy(dir: string, manifest: Manifest, generationDir: string): UserDictCopy | undefined {
  const name = manifest.userDictCopy;
  if (name === undefined) return undefined;
  const damaged = (problem: string): IndexError => new IndexError(`The index at ${dir} is damaged: ${problem}. ${rebuildHint(dir)}`);
  if (name !== USER_DICT_COPY) throw damaged(`its manifest names ${JSON.stringify(name)} as its copy of the user dictionary`);
  if (manifest.files[name] && manifest.files[name].sha256 !== manifest.analyzer?.userDictSha256) {
    throw damaged(`its copy of the user dictionary (${name}) is listed with another SHA-256 than the dictionary its manifest records`);
  }
  const bytes = readFrom(generationDir)(name);
  const problem = fileProblem(manifest, name, bytes?.byteLength, () => sha256(bytes!));
  if (problem || !bytes) throw damaged(`${problem} (the index's copy of the user dictionary it was built with)`);
  return { path: path.join(generationDir, name), bytes };
}

/** A segment as read from disk. */
export interface LoadedSegment {
  entry: SegmentEntry;
  data: IndexData;
  deleted: Uint32Array;
  /**
   * The generation's files `data` and `deleted` are views of, by name: its postings (and
   * its documents.blocks, when held) and its deletion marks. The files read whole are
   * decompressed into tables of their own and not kept (on news-large 21 MiB a server held
   * for nothing).
   */
  files: ReadonlyMap<string, Uint8Array>;
}

/**
 * Opens the current generation in `dir` segment by segment: checks every file against
 * the size and SHA-256 in the manifest, so that a truncated or flipped byte is reported
 * (naming the file) instead of giving wrong answers.
 */
export function readSegments(dir: string): { manifest: Manifest; userDict?: UserDictCopy; segments: LoadedSegment[] } {
  return openCurrent(dir, (manifest, generationDir) => {
    const userDict = readUserDictCopy(dir, manifest, generationDir);
    return { manifest, ...(userDict ? { userDict } : {}), segments: loadSegments(dir, manifest, fileLoader(dir, manifest, readFrom(generationDir))) };
  });
}

/**
 * The segments of the current generation in `dir` as files on disk, with their deletion
 * marks (read and checked): what a merge streams (mergeSegmentsOnDisk checks the segments'
 * own files as it reads them). The caller holds the index lock, so that no write removes them.
 */
export function currentSegmentsOnDisk(dir: string): { manifest: Manifest; userDict?: UserDictCopy; segments: SegmentOnDisk[] } {
  const { manifest, generationDir } = readManifest(dir);
  const userDict = readUserDictCopy(dir, manifest, generationDir);
  const load = fileLoader(dir, manifest, readFrom(generationDir));
  const segments = manifest.segments.map((entry) => {
    const prefix = `${entry.name}/`;
    const files = Object.fromEntries(Object.entries(manifest.files).flatMap(([file, info]) => (file.startsWith(prefix) ? [[file.slice(prefix.length), info]] : [])));
    return { dir: path.join(generationDir, entry.name), entry, files, deleted: readDeleted(dir, load, entry) };
  });
  return { manifest, ...(userDict ? { userDict } : {}), segments };
}

/**
 * A FileLoader (names `<segment name>/<file>`) reading the files of segment `name` from its
 * directory `segmentDir`, each checked against `files` (its size and SHA-256 by name within
 * the segment, as a manifest or the staging recorded them); `dir` is the index directory
 * errors name.
 */
export function segmentDirLoader(dir: string, segmentDir: string, name: string, files: StagedSegment['files']): FileLoader {
  const named = Object.fromEntries(Object.entries(files).map(([file, info]) => [`${name}/${file}`, info]));
  const inSegment = readFrom(segmentDir);
  return fileLoader(dir, { files: named }, (file) => inSegment(file.slice(name.length + 1)));
}

/** The segments of `manifest` read through `load` (those in `reused` are taken as they are); `openedOf` gives a segment's STREAMED_FILES read from their files on demand, by name in the segment (undefined: loaded). */
function loadSegments(dir: string, manifest: Manifest, load: FileLoader, reused = new Map<string, LoadedSegment>(), openedOf?: (entry: SegmentEntry) => ReadonlyMap<string, IndexFile>): LoadedSegment[] {
  return manifest.segments.map((entry) => {
    const known = reused.get(entry.name);
    const files = new Map([...(known?.files ?? [])].filter(([name]) => name.startsWith(`${entry.name}/`)));
    const prefix = `${entry.name}/`;
    const recorded: FileLoader = (name) => {
      const bytes = load(name);
      if (!name.startsWith(prefix) || STREAMED_FILES.has(name.slice(prefix.length))) files.set(name, bytes);
      return bytes;
    };
    return { entry, data: known?.data ?? readSegmentData(dir, recorded, entry, openedOf?.(entry)), deleted: readDeleted(dir, recorded, entry), files };
  });
}

/**
 * The document ids of each segment of the current generation (from docmeta.jsonl, checked)
 * and its deleted ordinals: what an update needs to find the documents it replaces or
 * removes, without reading the postings.
 */
export function readSegmentIds(dir: string): { manifest: Manifest; userDict?: UserDictCopy; segments: Array<{ entry: SegmentEntry; ids: string[]; deleted: Uint32Array }> } {
  return openCurrent(dir, (manifest, generationDir) => {
    const userDict = readUserDictCopy(dir, manifest, generationDir);
    const load = fileLoader(dir, manifest, readFrom(generationDir));
    const decoder = new TextDecoder();
    const segments = manifest.segments.map((entry) => {
      const ids = decodeDocMeta(decoder.decode(segmentFile(dir, load, entry.name, 'docmeta.jsonl'))).map((row) => row[0]);
      if (ids.length !== entry.documents) throw new IndexError(`The index at ${dir} is damaged: ${entry.name}/docmeta.jsonl disagrees with the manifest. ${rebuildHint(dir)}`);
      return { entry, ids, deleted: readDeleted(dir, load, entry) };
    });
    return { manifest, ...(userDict ? { userDict } : {}), segments };
  });
}

/**
 * readSegments with the files read and hashed on another thread (readWorker.ts) while
 * `meanwhile` runs on this one (opening for `serve` or a search loads jieba meanwhile, a
 * few seconds, so a large index is read and hashed for free). Every file is checked
 * against the manifest's size and SHA-256 before a byte of it is used, as readSegments
 * does. Results and errors are readSegments'.
 */
export async function readSegmentsAsync(
  dir: string,
  meanwhile: (manifest: Manifest, userDict: UserDictCopy | undefined) => void,
  known?: { manifest: Manifest; segments: LoadedSegment[] },
): Promise<{ manifest: Manifest; userDict?: UserDictCopy; segments: LoadedSegment[] }> {
  return openCurrentAsync(dir, async (manifest, generationDir) => {
    // Read and checked here, before `meanwhile` has jieba load it (a few hundred bytes to a few MB).
    const userDict = readUserDictCopy(dir, manifest, generationDir);
    // Segments are immutable: one already read (same name, same files) is reused instead of read and checked again.
    const reused = new Map((known?.segments ?? []).filter((segment) => sameSegmentFiles(segment.entry.name, known!.manifest, manifest)).map((s) => [s.entry.name, s]));
    const wanted = Object.keys(manifest.files).filter((name) => name !== USER_DICT_COPY && !reused.has(name.slice(0, name.indexOf('/'))));
    // Stored documents and postings are read from their files when wanted (indexFile.ts): opened here, hashed through the same descriptor, not held.
    const onDemand = new OpenedFiles(generationDir, wanted.filter((name) => STREAMED_FILES.has(name.slice(name.indexOf('/') + 1))));
    try {
      const reads = readInThread({ generationDir, names: wanted, hashOnly: onDemand.descriptors() });
      meanwhile(manifest, userDict);
      const files = await reads;
      const load = fileLoader(dir, manifest, (name) => files.get(name)?.bytes, (name) => files.get(name)?.sha256);
      const openedOf = (entry: SegmentEntry): Map<string, IndexFile> => {
        const opened = new Map<string, IndexFile>();
        for (const file of STREAMED_FILES) {
          const name = `${entry.name}/${file}`;
          const read = files.get(name);
          const problem = fileProblem(manifest, name, read?.size, () => read!.sha256);
          if (problem) throw new IndexError(`The index at ${dir} is damaged: ${problem}. ${rebuildHint(dir)}`);
          opened.set(file, onDemand.take(name, read!.size)!);
        }
        return opened;
      };
      return { manifest, ...(userDict ? { userDict } : {}), segments: loadSegments(dir, manifest, load, reused, openedOf) };
    } finally {
      onDemand.closeRest();
    }
  });
}

/** What readWorker.ts is asked: which files of which generation directory to read, and which of them to hash only, through a descriptor this thread opened (by name). */
export interface ReadRequest {
  generationDir: string;
  names: string[];
  hashOnly: Record<string, number>;
}

/** A file as readWorker.ts read it: its size, its SHA-256 (hex) and, unless it was to be hashed only, its bytes, in shared memory. */
export interface ReadFile {
  bytes?: Uint8Array;
  size: number;
  sha256: string;
}

/**
 * The files `request` names, each read whole into a SharedArrayBuffer (so that a server's
 * long-query thread searches the very bytes its event loop does, see sharedIndexOf) and
 * hashed, on a thread of its own; a file that cannot be read is absent (the manifest check
 * names it missing).
 */
async function readInThread(request: ReadRequest): Promise<Map<string, ReadFile>> {
  // A reopen that reuses every segment reads nothing: no thread.
  if (request.names.length === 0) return new Map();
  const { file, execArgv } = workerScript(__dirname, 'readWorker');
  const worker = new Worker(file, { workerData: request, execArgv });
  try {
    const [read] = (await once(worker, 'message')) as [Array<readonly [string, ReadFile | undefined]>];
    // Buffers arrive as plain Uint8Arrays: viewed as Buffers again (the same shared bytes), as a file read here is.
    return new Map(read.flatMap(([name, got]) => (got ? [[name, { ...got, ...(got.bytes ? { bytes: Buffer.from(got.bytes.buffer, got.bytes.byteOffset, got.bytes.byteLength) } : {}) }] as const] : [])));
  } finally {
    await worker.terminate();
  }
}

/** An opened generation's files in shared memory, with its manifest: what another thread searches the same index from (with the data opened from them) without reading or copying it. */
export interface SharedIndex {
  manifest: Manifest;
  /** The files the segments' data are views of (LoadedSegment.files), by name in the generation, each over a SharedArrayBuffer. */
  files: Map<string, Uint8Array>;
}

/** The segments' files as a SharedIndex, when every one was read into shared memory (readSegmentsAsync does so); else undefined. */
export function sharedIndexOf(manifest: Manifest, segments: readonly LoadedSegment[]): SharedIndex | undefined {
  const files = new Map(segments.flatMap((segment) => [...segment.files]));
  return [...files.values()].every((bytes) => types.isSharedArrayBuffer(bytes.buffer)) ? { manifest, files } : undefined;
}

/** Whether the segment `name` has the same files, with the same sizes and checksums, in both manifests. */
function sameSegmentFiles(name: string, before: Manifest, after: Manifest): boolean {
  const files = (manifest: Manifest): string[] => Object.keys(manifest.files).filter((file) => file.startsWith(`${name}/`));
  const now = files(after);
  return now.length > 0 && now.length === files(before).length && now.every((file) => before.files[file]?.sha256 === after.files[file].sha256 && before.files[file].bytes === after.files[file].bytes);
}
