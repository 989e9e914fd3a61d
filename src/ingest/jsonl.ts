import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { SearchDocument } from '../document';
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
  const source = path.basename(file);
  const stem = source.replace(/\.jsonl(?:\.gz)?$/i, '');
  const input = openText(file);
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let records = 0;
  let problems = 0;
  try {
    for await (const raw of lines) {
      line++;
      if (!raw.trim()) continue;
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
  } catch (error) {
    yield { problem: { file, message: `cannot read${line ? ` past line ${line}` : ''}: ${errorMessage(error)}` } };
    return;
  } finally {
    lines.close();
    input.destroy();
  }
  if (records === 0) yield { problem: { file, message: 'file is empty: expected one JSON object per line' } };
}

/**
 * The file's bytes as a stream of latin1 strings, decompressed when the name ends in `.gz`.
 * latin1 maps bytes one to one, so each line can be checked for valid UTF-8 on its own.
 */
function openText(file: string): Readable {
  const bytes = fs.createReadStream(file);
  if (!/\.gz$/i.test(file)) return bytes.setEncoding('latin1');
  const gunzip = zlib.createGunzip();
  bytes.on('error', (error) => gunzip.destroy(error));
  return bytes.pipe(gunzip).setEncoding('latin1');
}

/** Where a record comes from: its document's `source`, and what makes its id when it has none (`<stem>-<line>`). */
export interface LineContext {
  source: string;
  stem: string;
  line: number;
}

/** Converts one line (latin1-decoded bytes) into a document, or explains what is wrong. */
function toDocument(raw: string, context: LineContext): { document?: SearchDocument; problems: string[] } {
  const decoded = decodeUtf8(Buffer.from(raw, 'latin1'));
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
