import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { SearchDocument } from '../document';
import { IngestError } from '../errors';
import { isValidDate } from './date';
import { errorMessage, type IngestProblem, typeName } from './problem';
import { idProblem } from './id';
import { decodeUtf8 } from './utf8';

/** One result of reading a JSON Lines file: a document (with its line) or a problem. */
export type JsonlEntry = { document: SearchDocument; line: number } | { problem: IngestProblem };

/** After this many problems a file is abandoned: it is probably not JSON Lines at all. */
const MAX_PROBLEMS_PER_FILE = 100;
/** Record keys that map to document properties rather than to `fields`. */
const OWN_KEYS = new Set(['id', 'title', 'body', 'date']);

/**
 * Reads a JSON Lines file (`.jsonl`, or gzip-compressed `.jsonl.gz`) one line at a time,
 * so files of hundreds of megabytes need little memory; stop iterating to stop reading.
 * Each record `{id, title, body, date?, …}` becomes an `article` whose paragraphs are the
 * non-empty lines of `body`; other keys go to `fields`. A bad line yields a problem naming
 * its line and reading goes on; an unreadable or empty file yields a problem.
 */
export async function* readJsonl(file: string): AsyncGenerator<JsonlEntry, void, undefined> {
  const { source, stem } = fileContext(file);
  let line = 0;
  let records = 0;
  let problems = 0;
  try {
    for await (const lines of jsonlLines(file)) {
      for (const raw of lines) {
        line++;
        if (isBlank(raw)) continue;
        records++;
        const result = toDocument(raw, { source, stem, line });
        for (const message of result.problems) {
          yield { problem: { file, line, message } };
          if (++problems >= MAX_PROBLEMS_PER_FILE) {
            yield { problem: { file, message: `gave up after ${problems} problems: is this a JSON Lines file (one JSON object per line)?` } };
            return;
          }
        }
        if (result.document) yield { document: result.document, line };
      }
    }
  } catch (error) {
    yield { problem: { file, message: `cannot read${line ? ` past line ${line}` : ''}: ${errorMessage(error)}` } };
    return;
  }
  if (records === 0) yield { problem: { file, message: 'file is empty: expected one JSON object per line' } };
}

/**
 * The lines of a JSON Lines file (`.gz`: decompressed) as bytes, a chunk's worth at a time,
 * split as Node's readline splits them: a line ends at `\n`, `\r\n` or a lone `\r`, and the
 * last one counts when it is not empty. Each line is a view of the chunk it lies in, or a
 * copy when it spans chunks. Throws when the file cannot be read.
 */
export async function* jsonlLines(file: string): AsyncGenerator<Buffer[], void, undefined> {
  const input = openBytes(file);
  let carried: Buffer[] = [];
  let afterReturn = false;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (chunk.length === 0) continue;
      let start = afterReturn && chunk[0] === LF ? 1 : 0;
      afterReturn = false;
      const lines: Buffer[] = [];
      let nextReturn = chunk.indexOf(CR, start);
      for (;;) {
        if (nextReturn >= 0 && nextReturn < start) nextReturn = chunk.indexOf(CR, start);
        let end = chunk.indexOf(LF, start);
        if (nextReturn >= 0 && (end < 0 || nextReturn < end)) end = nextReturn;
        if (end < 0) break;
        const piece = chunk.subarray(start, end);
        lines.push(carried.length === 0 ? piece : Buffer.concat([...carried, piece]));
        carried = [];
        start = end + 1;
        if (chunk[end] === CR) {
          if (end + 1 === chunk.length) afterReturn = true;
          else if (chunk[end + 1] === LF) start++;
        }
      }
      if (start < chunk.length) carried.push(chunk.subarray(start));
      if (lines.length > 0) yield lines;
    }
  } finally {
    input.destroy();
  }
  if (carried.length > 0) yield [Buffer.concat(carried)];
}

const LF = 0x0a;
const CR = 0x0d;

/** Whether a line holds nothing but whitespace: what String.trim removes of a line read as latin1 (one character a byte). */
function isBlank(line: Uint8Array): boolean {
  for (let i = 0; i < line.length; i++) {
    const byte = line[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0b && byte !== 0x0c && byte !== 0xa0 && byte !== LF && byte !== CR) return false;
  }
  return true;
}

/**
 * The file's bytes, decompressed when the name ends in `.gz` (in 64 KB pieces: fewer
 * callbacks than zlib's 16 KB default, and fewer lines spanning two pieces).
 */
function openBytes(file: string): Readable {
  const bytes = fs.createReadStream(file);
  if (!/\.gz$/i.test(file)) return bytes;
  const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
  bytes.on('error', (error) => gunzip.destroy(error));
  return bytes.pipe(gunzip);
}

/** What the lines of `file` share: their documents' source (the file's name) and the stem their generated ids start with. */
function fileContext(file: string): Omit<LineContext, 'line'> {
  const source = path.basename(file);
  return { source, stem: source.replace(/\.jsonl(?:\.gz)?$/i, '') };
}

/**
 * The document of line `line` of `file`, whose bytes are `bytes`, as readJsonl reads it: what
 * a build's worker thread makes of a line that the build's first reading accepted
 * (streamSources). Throws an IngestError when the line holds no document (the file changed
 * since it was first read).
 */
export function documentOfLine(bytes: Uint8Array, file: string, line: number): SearchDocument {
  const { document, problems } = toDocument(bytes, { ...fileContext(file), line });
  if (document) return document;
  throw new IngestError(`${file}:${line} no longer holds the document first read from it (${problems[0]}): was the file changed during the build?`);
}

/** Where a record comes from: its document's `source`, and what makes its id when it has none (`<stem>-<line>`). */
export interface LineContext {
  source: string;
  stem: string;
  line: number;
}

/** Converts one line's bytes into a document, or explains what is wrong. */
function toDocument(raw: Uint8Array, context: LineContext): { document?: SearchDocument; problems: string[] } {
  const decoded = decodeUtf8(raw);
  if (!decoded.ok) return { problems: ['not valid UTF-8: save the file as UTF-8'] };
  let record: unknown;
  try {
    record = JSON.parse(decoded.text);
  } catch (error) {
    return { problems: [`not valid JSON (${errorMessage(error)})`] };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { problems: [`expected a JSON object like {"id": …, "title": …, "body": …}, got ${typeName(record)}`] };
  }
  return recordDocument(record as Record<string, unknown>, context);
}

/**
 * Checks a JSON Lines record's fields (`{id, title, body, date?, …}`) and builds its
 * document, or says what is wrong; an invalid date is dropped with a problem. A record
 * without `id` gets `<stem>-<line>`; a given id must pass idProblem (a string, not blank,
 * at most MAX_ID_BYTES bytes). The HTTP API takes records of the same shape.
 */
export function recordDocument(record: Record<string, unknown>, context: LineContext): { document?: SearchDocument; problems: string[] } {
  const { id, title = '', body, date } = record;
  if (typeof body !== 'string') {
    return { problems: [body === undefined ? '"body" is missing: every record needs a string "body"' : `"body" must be a string, got ${typeName(body)}`] };
  }
  if (typeof title !== 'string') return { problems: [`"title" must be a string, got ${typeName(title)}`] };
  const badId = id === undefined ? undefined : idProblem(id);
  if (badId) return { problems: [badId] };
  const paragraphs = body.split('\n').map((text) => text.replace(/\r$/, '')).filter((text) => text.trim());
  if (paragraphs.length === 0) return { problems: ['"body" has no text'] };
  const problems: string[] = [];
  const validDate = typeof date === 'string' && isValidDate(date) ? date : undefined;
  if (date !== undefined && validDate === undefined) {
    problems.push(`"date" ${JSON.stringify(date)} is not a real YYYY-MM-DD date; the record is kept without a date`);
  }
  const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !OWN_KEYS.has(key)));
  const document: SearchDocument = {
    id: typeof id === 'string' ? id : `${context.stem}-${context.line}`,
    title,
    paragraphs,
    kind: 'article',
    reporters: [],
    correspondents: [],
    source: context.source,
    ...(validDate ? { date: validDate } : {}),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
  };
  return { document, problems };
}
