import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { SearchDocument } from '../document';
import { IngestError } from '../errors';
import { isValidDate } from './date';
import { readJsonl } from './jsonl';
import { parsePage } from './page';
import { errorMessage, formatProblem, type IngestProblem } from './problem';
import { decodeUtf8 } from './utf8';


/** Options of {@link loadSources}. */
export interface LoadOptions {
  /** Issue date `YYYY-MM-DD` for every newspaper page (JSON Lines records carry their own). */
  date?: string;
  /** Called with each accepted document as soon as it is read, e.g. to show progress. */
  onDocument?: (document: SearchDocument) => void;
}

/** What {@link loadSources} found. */
export interface LoadResult {
  /** Accepted documents, in file order then file position; ids are unique. */
  documents: SearchDocument[];
  /** Everything skipped or suspicious, in the order met. */
  problems: IngestProblem[];
  /** Number of source files read (including those that yielded nothing). */
  files: number;
}

/** At most this many problems are listed in the error thrown when nothing could be read. */
const PROBLEMS_IN_ERROR = 20;
const SUPPORTED = 'supported files are .txt (newspaper pages), .jsonl and .jsonl.gz (JSON Lines)';

/**
 * Reads source files (newspaper pages `.txt`, JSON Lines `.jsonl` / `.jsonl.gz`) and
 * directories of them (walked recursively in name order; hidden entries and other files
 * skipped) into documents. Problems with single files or lines are collected, not thrown,
 * so one bad input does not stop a large import; a document whose id was already seen
 * replaces the earlier one (the last wins, as with `add`) and is reported. Throws IngestError if `options.date` is not a real date, or if no
 * document at all could be read, listing the problems.
 */
export async function loadSources(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  checkDate(options.date);
  const problems: IngestProblem[] = [];
  const documents: SearchDocument[] = [];
  // Of two documents with the same id the later one is kept, where the earlier one stood: as a later `add` replaces.
  const seen = new Map<string, { at: number; where: string }>();
  const files = await sourceFiles(paths, problems);
  for await (const { document, file, line } of readDocuments(files, options.date, problems)) {
    const where = line === undefined ? file : `${file}:${line}`;
    const earlier = seen.get(document.id);
    if (earlier !== undefined) {
      problems.push(duplicateProblem(document.id, earlier.where, file, line));
      documents[earlier.at] = document;
      earlier.where = where;
    } else {
      seen.set(document.id, { at: documents.length, where });
      documents.push(document);
    }
    options.onDocument?.(document);
  }
  if (documents.length === 0) throw new IngestError(nothingReadMessage(paths, problems));
  return { documents, problems, files: files.length };
}

/** What {@link streamSources} found on its first reading, and the documents to read again. */
export interface StreamedSources {
  /** The documents loadSources would return, in its order, read from the files a second time as they are iterated (once). */
  documents: AsyncIterable<SearchDocument>;
  /** Their number. */
  count: number;
  problems: IngestProblem[];
  files: number;
}

/**
 * loadSources without holding every document: the files are read once to count the
 * documents, report problems and find repeated ids (only the last version of a repeated
 * id is kept in memory), then read again as `documents` is iterated, so that a build
 * holds only the documents in flight. The documents and their order are loadSources'
 * (a repeated id stands where it first occurred, with its last version). The files must
 * not change between the two readings (a build fingerprints them before). Throws as
 * loadSources does.
 */
export async function streamSources(paths: string[], options: LoadOptions = {}): Promise<StreamedSources> {
  checkDate(options.date);
  const problems: IngestProblem[] = [];
  const files = await sourceFiles(paths, problems);
  const firstSeen = new Map<string, string>();
  const lastVersion = new Map<string, SearchDocument>();
  for await (const { document, file, line } of readDocuments(files, options.date, problems)) {
    const where = line === undefined ? file : `${file}:${line}`;
    const earlier = firstSeen.get(document.id);
    if (earlier !== undefined) {
      problems.push(duplicateProblem(document.id, earlier, file, line));
      lastVersion.set(document.id, document);
    }
    firstSeen.set(document.id, where);
    options.onDocument?.(document);
  }
  const count = firstSeen.size;
  firstSeen.clear();
  if (count === 0) throw new IngestError(nothingReadMessage(paths, problems));
  async function* again(): AsyncGenerator<SearchDocument> {
    const done = new Set<string>();
    for await (const { document } of readDocuments(files, options.date, [])) {
      const replacement = lastVersion.get(document.id);
      if (replacement === undefined) yield document;
      else if (!done.has(document.id)) {
        done.add(document.id);
        yield replacement;
      }
    }
  }
  return { documents: again(), count, problems, files: files.length };
}

function checkDate(date: string | undefined): void {
  if (date !== undefined && !isValidDate(date)) {
    throw new IngestError(`invalid date "${date}": expected a real date as YYYY-MM-DD, e.g. 2020-07-04`);
  }
}

function duplicateProblem(id: string, earlier: string, file: string, line: number | undefined): IngestProblem {
  return { file, line, message: `duplicate id "${id}" (also at ${earlier}): this later document replaces the earlier one` };
}

/** Every document of `files` in order, with where it was read; problems are added to `problems`. */
async function* readDocuments(files: string[], date: string | undefined, problems: IngestProblem[]): AsyncGenerator<{ document: SearchDocument; file: string; line?: number }> {
  for (const file of files) {
    if (isPage(file)) {
      for (const document of await readPage(file, date, problems)) yield { document, file };
      continue;
    }
    for await (const entry of readJsonl(file)) {
      if ('problem' in entry) problems.push(entry.problem);
      else yield { document: entry.document, file, line: entry.line };
    }
  }
}

/**
 * The source files {@link loadSources} reads for `paths`, in the same order: lets the
 * index fingerprint its sources and tell later whether one was added, removed or changed.
 * Paths that cannot be read are left out (loadSources reports them as problems).
 */
export async function listSourceFiles(paths: string[]): Promise<string[]> {
  return sourceFiles(paths, []);
}

/** The documents of one newspaper page file (none when it cannot be read: problems say why). */
async function readPage(file: string, date: string | undefined, problems: IngestProblem[]): Promise<SearchDocument[]> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    problems.push({ file, message: `cannot read: ${errorMessage(error)}` });
    return [];
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    problems.push({ file, line: decoded.line, message: 'not valid UTF-8: convert the page to UTF-8 (e.g. iconv -f GBK -t UTF-8)' });
  } else if (!decoded.text.trim()) {
    problems.push({ file, message: 'file is empty' });
  } else {
    const documents = parsePage(decoded.text, { source: file, date });
    if (documents.length === 0) problems.push({ file, message: 'no article or photo caption found on this page' });
    return documents;
  }
  return [];
}

/**
 * The files to read, in order and without repeats: named files as given, directories
 * expanded. Missing paths, unsupported named files and directories without sources are
 * reported as problems.
 */
async function sourceFiles(paths: string[], problems: IngestProblem[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const key = path.resolve(file);
    if (!seen.has(key)) files.push(file);
    seen.add(key);
  };
  for (const given of paths) {
    let stats;
    try {
      stats = await fs.stat(given);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      problems.push({ file: given, message: missing ? 'no such file or directory' : `cannot read: ${errorMessage(error)}` });
      continue;
    }
    if (stats.isDirectory()) {
      const found = await walk(given, new Set([await fs.realpath(given)]));
      if (found.length === 0) problems.push({ file: given, message: `no source files in this directory (${SUPPORTED})` });
      found.forEach(add);
    } else if (isSupported(given)) {
      add(given);
    } else {
      problems.push({ file: given, message: `unsupported file type: ${SUPPORTED}` });
    }
  }
  return files;
}

/**
 * Supported files under `directory`, depth first in name order, skipping hidden entries.
 * Symbolic links are followed, except back into a directory already being walked.
 */
async function walk(directory: string, ancestors: Set<string>): Promise<string[]> {
  const entries = (await fs.readdir(directory, { withFileTypes: true }))
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    const stats = entry.isSymbolicLink() ? await fs.stat(full).catch(() => undefined) : entry;
    if (stats?.isDirectory()) {
      const real = await fs.realpath(full);
      if (!ancestors.has(real)) files.push(...(await walk(full, new Set([...ancestors, real]))));
    } else if (stats?.isFile() && isSupported(full)) {
      files.push(full);
    }
  }
  return files;
}

/** Whether the file name has an extension ingestion reads. */
function isSupported(file: string): boolean {
  return isPage(file) || /\.jsonl(?:\.gz)?$/i.test(file);
}

/** Whether the file is a newspaper page (plain text). */
function isPage(file: string): boolean {
  return /\.txt$/i.test(file);
}

/** The IngestError message when no document could be read: what was tried and what went wrong. */
function nothingReadMessage(paths: string[], problems: IngestProblem[]): string {
  if (paths.length === 0) return 'no source given: name page files (.txt), JSON Lines files (.jsonl, .jsonl.gz) or directories';
  const listed = problems.slice(0, PROBLEMS_IN_ERROR).map((problem) => `  ${formatProblem(problem)}`);
  if (problems.length > PROBLEMS_IN_ERROR) listed.push(`  … and ${problems.length - PROBLEMS_IN_ERROR} more problems`);
  return [`no documents found in ${paths.join(', ')}:`, ...listed].join('\n');
}
