import { QueryError } from '../errors';
import type { DocMetaRow } from '../index/data';
import { parseDateRange } from './dateRange';
import { FILTER_FIELDS, SearchFilter } from './types';

/**
 * The fields of a document that filters and facets read, by name:
 * - `kind`, `reporter`, `correspondent`: what the newspaper page splitter found;
 * - `source`: where the document comes from: a JSON Lines record's own `source` field when
 *   it has one (e.g. `sina-news-2018`), else the source file (a newspaper page's file name);
 * - `file`: the source file itself, always (what a Sphinx/Manticore cluster calls `source`);
 * - `date` (the day), `year` and `month` (its first 4 and 7 characters: `2018`, `2018-05`);
 * - any other name: a JSON Lines record's field of that name (`category`), when its value is
 *   a string, number or boolean, or a list of them. Record fields named like a built-in
 *   field above are read through the built-in.
 */
export type FieldName = string;

/** Facets grouping the date by period: a facet value of one is a date filter's value (`2018`, `2018-05`). */
export const DATE_FACETS = ['year', 'month'] as const;

/** Every name a built-in field answers to. */
export const BUILT_IN_FIELDS: readonly string[] = [...FILTER_FIELDS, 'file', ...DATE_FACETS];

/** A field name a user may write: letters, digits, `_`, `-` and `.`, at most 64 characters. */
export const FIELD_NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

/** The filter field that a facet's values filter (`year` and `month` filter `date`). */
export function filterFieldOf(facet: FieldName): FieldName {
  return (DATE_FACETS as readonly string[]).includes(facet) ? 'date' : facet;
}

/** A scalar record value as a facet value, or undefined for what is not one. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The document's `source`: its record's own `source` field when that is a facet value, else its source file. */
function sourceOf(row: DocMetaRow): string {
  return (row[8] ? scalar(row[8].source) : undefined) ?? row[5];
}

/**
 * Calls `visit` with each value the document of docmeta `row` has for `field` (see FieldName;
 * none when it lacks the field), a value the row repeats once, without building a list of them:
 * facets and filters read every candidate of a search, tens of thousands of rows, and on
 * news-large under load such lists were 14% of what the server's event loop allocated (a
 * sampling heap profile). Stops at the first value for which `visit` answers true and answers
 * whether there was one.
 */
export function someFieldValue(row: DocMetaRow, field: FieldName, visit: (value: string) => boolean): boolean {
  switch (field) {
    case 'kind':
      return visit(row[2]);
    case 'reporter':
      return someDistinct(row[3], visit);
    case 'correspondent':
      return someDistinct(row[4], visit);
    case 'source':
      return visit(sourceOf(row));
    case 'file':
      return visit(row[5]);
    case 'date':
      return row[6] !== null && visit(row[6]);
    case 'year':
      return row[6] !== null && visit(row[6].slice(0, 4));
    case 'month':
      return row[6] !== null && visit(row[6].slice(0, 7));
    default:
      return row[8] ? someRecordValue(row[8][field], visit) : false;
  }
}

/** someFieldValue over a list of strings, each value once. */
function someDistinct(values: readonly string[], visit: (value: string) => boolean): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0 && values.indexOf(value) < i) continue;
    if (visit(value)) return true;
  }
  return false;
}

/** someFieldValue over a record field's value (one scalar, or each scalar of a list), each value once. */
function someRecordValue(value: unknown, visit: (value: string) => boolean): boolean {
  if (!Array.isArray(value)) {
    const one = scalar(value);
    return one !== undefined && visit(one);
  }
  for (let i = 0; i < value.length; i++) {
    const one = scalar(value[i]);
    if (one === undefined || repeats(value, i, one)) continue;
    if (visit(one)) return true;
  }
  return false;
}

/** Whether an element of `list` before `end` has `value` as its scalar. */
function repeats(list: readonly unknown[], end: number, value: string): boolean {
  for (let i = 0; i < end; i++) if (scalar(list[i]) === value) return true;
  return false;
}

/** A record field becomes a facet when it has at most this many distinct values in the index … */
export const MAX_FACET_VALUES = 50;
/** … and at least 2 (one value filters nothing) … */
const MIN_FACET_VALUES = 2;
/** … and documents holding it make at least this share of the index (news-large: `category` 13.8%) … */
export const MIN_FACET_SHARE = 0.05;
/** … and its values are short labels, not text. */
const MAX_FACET_VALUE_LENGTH = 40;

/** Whether the document of `row` comes from a JSON Lines file rather than a newspaper page. */
function fromRecordFile(row: DocMetaRow): boolean {
  return /\.jsonl(\.gz)?$/i.test(row[5]);
}

/**
 * The facets of an index, chosen from its documents when no facet is named (`--facet`),
 * in the order the page shows them:
 * - `kind`, when the index holds both articles and photos;
 * - `reporter`, when newspaper pages name reporters;
 * - `source`, when it has more than one value (pages, or records' own `source` fields);
 * - every record field with 2–MAX_FACET_VALUES distinct values, each at most 40 characters,
 *   present in at least MIN_FACET_SHARE of the documents (Sina news: `category`), by name;
 * - `year` and `month`, when documents have dates.
 * Facets with one value carry nothing a reader could filter by, and a record field with many
 * values (an author, a title) is a search term rather than a facet.
 */
export function chooseFacets(rows: readonly DocMetaRow[]): FieldName[] {
  const kinds = new Set<string>();
  const sources = new Set<string>();
  let reporters = false;
  let dated = false;
  const recordFields = new Map<string, { docs: number; values: Set<string> | undefined }>();
  for (const row of rows) {
    kinds.add(row[2]);
    if (sources.size <= MIN_FACET_VALUES) sources.add(sourceOf(row));
    if (row[3].length > 0 && !fromRecordFile(row)) reporters = true;
    if (row[6] !== null) dated = true;
    for (const [name, value] of Object.entries(row[8] ?? {})) {
      if (BUILT_IN_FIELDS.includes(name)) continue;
      const values: string[] = [];
      someRecordValue(value, (v) => {
        values.push(v);
        return false;
      });
      if (values.length === 0) continue;
      let seen = recordFields.get(name);
      if (!seen) recordFields.set(name, (seen = { docs: 0, values: new Set() }));
      seen.docs++;
      if (!seen.values) continue;
      for (const v of values) seen.values.add(v);
      if (seen.values.size > MAX_FACET_VALUES || values.some((v) => v.length > MAX_FACET_VALUE_LENGTH)) seen.values = undefined;
    }
  }
  const chosen: FieldName[] = [];
  if (kinds.size >= MIN_FACET_VALUES) chosen.push('kind');
  if (reporters) chosen.push('reporter');
  if (sources.size >= MIN_FACET_VALUES) chosen.push('source');
  const shared = [...recordFields]
    .filter(([, seen]) => seen.values !== undefined && seen.values.size >= MIN_FACET_VALUES && seen.docs >= rows.length * MIN_FACET_SHARE)
    .map(([name]) => name)
    .sort();
  chosen.push(...shared);
  if (dated) chosen.push(...DATE_FACETS);
  return chosen;
}

/** The names of every field some document has (built-in ones always): what filters and `--facet` may name. */
export function knownFields(rows: readonly DocMetaRow[]): Set<FieldName> {
  const names = new Set<FieldName>(BUILT_IN_FIELDS);
  for (const row of rows) for (const name of Object.keys(row[8] ?? {})) names.add(name);
  return names;
}

/**
 * Reads a filter written `field:value` (`reporter:孙志刚`, `category:体育`,
 * `date:2018-01..2018-06`), as `filter=` and `--filter` take them: the filter, undefined
 * when the text does not have that shape (a field name, a colon, a value; `kind` article or
 * photo), or the QueryError message for a date that is not one. Only the first colon
 * separates: values may contain colons. Whether some document has the field is the
 * engine's to say.
 */
export function parseFilterText(text: string): SearchFilter | string | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const field = text.slice(0, colon);
  const value = text.slice(colon + 1).trim();
  if (!FIELD_NAME.test(field) || value.length === 0) return undefined;
  if (field === 'kind' && value !== 'article' && value !== 'photo') return undefined;
  if (field === 'date') {
    try {
      parseDateRange(value);
    } catch (error) {
      if (error instanceof QueryError) return error.message;
      throw error;
    }
  }
  return { field, value };
}
