import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fieldUnits, type SearchDocument } from '../document';
import { IngestError } from '../errors';
import { isValidDate } from './date';
import { documentOfLine, jsonlLines, readJsonl } from './jsonl';
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

/**
 * A document of a JSON Lines file handed on as its line's bytes, to be made into its document
 * (documentOfLine) where it is used: a build's main thread only splits the lines and passes
 * them on to its worker threads, which parse them.
 */
export interface DocumentLine {
  file: string;
  line: number;
  /** The line, as read (UTF-8, without its end). */
  bytes: Uint8Array;
  /** Its document's fieldUnits, counted when it was first read. */
  units: number;
}

/** A document to index, or a JSON Lines document still as its line (DocumentLine). */
export type SourceDocument = SearchDocument | DocumentLine;

/** Whether `document` is a line still to be parsed (documentOfLine). */
export function isDocumentLine(document: SourceDocument): document is DocumentLine {
  return 'bytes' in document;
}

/** The document of `document`: itself, or, for a line, the document parsed from it (documentOfLine). */
export function documentOf(document: SourceDocument): SearchDocument {
  return isDocumentLine(document) ? documentOfLine(document.bytes, document.file, document.line) : document;
}

/** What {@link streamSources} found on its first reading, and the documents to read again. */
export interface StreamedSources {
  /**
   * The documents loadSources would return, in its order, read from the files a second time as
   * they are iterated (once): those of JSON Lines files as their lines (DocumentLine), the
   * version of a repeated id that stands where it first occurred and the pages' as documents.
   */
  documents: AsyncIterable<SourceDocument>;
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
 * (a repeated id stands where it first occurred, with its last version); the second reading
 * of a JSON Lines file only splits it into lines and hands on those the first one took a
 * document from. The files must not change between the two readings (a build fingerprints
 * them before). Throws as loadSources does.
 */
export async function streamSources(paths: string[], options: LoadOptions = {}): Promise<StreamedSources> {
  checkDate(options.date);
  const problems: IngestProblem[] = [];
  const files = await sourceFiles(paths, problems);
  // Each document read, by its ordinal in this first reading: its file (an index into `files`), line (0 on a page) and units.
  const fileOf: number[] = [];
  const lineOf: number[] = [];
  const unitsOf: number[] = [];
  const where = (at: number): string => (lineOf[at] === 0 ? files[fileOf[at]] : `${files[fileOf[at]]}:${lineOf[at]}`);
  /** Each id's latest version, by ordinal. */
  const latest = new Map<string, number>();
  /** Where a repeated id first occurred (an ordinal), its last version; and the ordinals of its later versions, dropped. */
  const replaced = new Map<number, SearchDocument>();
  const firstOf = new Map<string, number>();
  const dropped = new Set<number>();
  for await (const { document, file, line } of readDocuments(files, options.date, problems)) {
    const at = fileOf.length;
    fileOf.push(files.indexOf(file, fileOf.length > 0 ? fileOf[at - 1] : 0));
    lineOf.push(line ?? 0);
    unitsOf.push(fieldUnits(document));
    const earlier = latest.get(document.id);
    if (earlier !== undefined) {
      problems.push(duplicateProblem(document.id, where(earlier), file, line));
      const first = firstOf.get(document.id) ?? earlier;
      firstOf.set(document.id, first);
      replaced.set(first, document);
      dropped.add(at);
    }
    latest.set(document.id, at);
    options.onDocument?.(document);
  }
  const count = latest.size;
  latest.clear();
  firstOf.clear();
  if (count === 0) throw new IngestError(nothingReadMessage(paths, problems));
  async function* again(): AsyncGenerator<SourceDocument> {
    let at = 0;
    /** The document read first at ordinal `at`, `read` again: the version that stands there, or none. */
    const standing = (read: () => SourceDocument): SourceDocument | undefined => (dropped.has(at) ? undefined : (replaced.get(at) ?? read()));
    for (let f = 0; f < files.length; f++) {
      const file = files[f];
      if (isPage(file)) {
        for (const document of await readPage(file, options.date, [])) {
          const kept = standing(() => document);
          at++;
          if (kept) yield kept;
        }
      } else {
        let line = 0;
        try {
          for await (const lines of jsonlLines(file)) {
            for (const bytes of lines) {
              line++;
              if (at >= fileOf.length || fileOf[at] !== f || lineOf[at] !== line) continue;
              const kept = standing(() => ({ file, line, bytes, units: unitsOf[at] }));
              at++;
              if (kept) yield kept;
            }
          }
        } catch {
          // Read the first time, the file cannot be read now: it changed (see above); the build gets the documents read.
        }
      }
      while (at < fileOf.length && fileOf[at] === f) at++;
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
