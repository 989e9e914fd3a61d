import { SearchDocument } from '../document';
import { DocMetaRow, IndexData } from '../index/data';
import { decodeDocMeta } from '../index/docMeta';
import { DocStoreReader } from '../index/docStore';
import { untimed } from './deadline';
import { DuplicateGroups } from './duplicates';
import { QueryError } from '../errors';
import { inDateRange, parseDateRange } from './dateRange';
import { DATE_FACETS, FIELD_NAME, FieldName, chooseFacets, filterFieldOf, knownFields, someFieldValue } from './fields';
import { timelineOf } from './timeline';
import { FacetValue, SearchFilter, TimelineBucket } from './types';

/**
 * The documents of an index as a search sees them: stored text by number, the short fields
 * of every document (docmeta, parsed once on first use), look-up by id, the groups of
 * copies of one article, filters, facets and the timeline.
 */
export class DocumentTable {
  private readonly store: DocStoreReader;
  private readonly decoder = new TextDecoder();
  private rows?: DocMetaRow[];
  /**
   * Each document's fingerprint, taken out of its row when the rows are parsed and held only
   * until the groups of copies are built from them: nothing else reads a fingerprint, and
   * keeping them in the rows held about 6 MiB per thread on news-large for nothing.
   */
  private prints?: Array<string | undefined>;
  private groups?: DuplicateGroups;
  private idToDoc?: Map<string, number>;
  private known?: Set<FieldName>;
  private chosen?: FieldName[];
  private days?: DayColumn;

  constructor(private readonly data: IndexData) {
    this.store = new DocStoreReader(data.documents);
  }

  /** The stored document with the given number. */
  document(doc: number): SearchDocument {
    return JSON.parse(this.store.text(doc)) as SearchDocument;
  }

  /** The short fields of every document, without their fingerprints (row[9], see `prints`). */
  meta(): DocMetaRow[] {
    if (!this.rows) {
      const rows = untimed(() => decodeDocMeta(this.decoder.decode(this.data.metaBytes)));
      this.prints = rows.map((row) => {
        const print = row[9];
        row.length = 9;
        return print;
      });
      this.rows = rows;
    }
    return this.rows;
  }

  /** The groups of copies of one article (built on first use from the fingerprints in docmeta). */
  duplicates(): DuplicateGroups {
    return this.groups ?? this.keep(untimed(() => DuplicateGroups.fromFingerprints(this.fingerprints())));
  }

  /** What duplicates() builds, in slices between which the event loop turns; rejects, keeping nothing half-built, once `signal` aborts. */
  async duplicatesInSlices(signal?: AbortSignal): Promise<DuplicateGroups> {
    if (this.groups) return this.groups;
    const groups = await DuplicateGroups.fromFingerprintsInSlices(this.fingerprints(), signal);
    return this.groups ?? this.keep(groups);
  }

  /** The fingerprints taken out of the rows: held from the rows' parsing until `keep` (called only while no groups are kept). */
  private fingerprints(): ReadonlyArray<string | undefined> {
    this.meta();
    return this.prints!;
  }

  /** Keeps `groups` as this table's groups of copies and lets go of the fingerprints they were built from. */
  private keep(groups: DuplicateGroups): DuplicateGroups {
    this.groups = groups;
    this.prints = undefined;
    return groups;
  }

  /** The number of the document with this id, or undefined. */
  findId(id: string): number | undefined {
    if (!this.idToDoc) {
      const map = new Map<string, number>();
      this.meta().forEach((row, n) => {
        if (!map.has(row[0])) map.set(row[0], n);
      });
      this.idToDoc = map;
    }
    return this.idToDoc.get(id);
  }

  /** The documents' days by number (built on first use from docmeta, as the rows are). */
  private dayColumn(): DayColumn {
    this.days ??= new DayColumn(this.meta());
    return this.days;
  }

  /** The names of every field the documents have (built-in ones always). */
  fieldNames(): Set<FieldName> {
    this.known ??= knownFields(this.meta());
    return this.known;
  }

  /** The facets chosen from the documents when none are named (see chooseFacets). */
  defaultFacets(): FieldName[] {
    this.chosen ??= chooseFacets(this.meta());
    return this.chosen;
  }

  /** `filters` ready to test documents; throws QueryError for a field no document has or a date that is not one. */
  filterSet(filters: readonly SearchFilter[]): FilterSet {
    return new FilterSet(filters, (field) => this.requireField(field, 'filter'));
  }

  /** Throws QueryError unless some document has `field` (built-in fields always count). */
  private requireField(field: FieldName, use: 'filter' | 'facet'): void {
    if (this.fieldNames().has(field)) return;
    const names = [...this.fieldNames()].filter((name) => FIELD_NAME.test(name));
    throw new QueryError(`no document has a field "${field}" to ${use} by: the fields are ${names.join(', ')}`, 'unknown_field');
  }

  /** The documents (ascending) that pass every filter: filters on one field are ORed, on different fields ANDed. */
  filter(docs: Uint32Array, filters: FilterSet): Uint32Array {
    const meta = this.meta();
    return docs.filter((doc) => filters.failing(meta[doc]) === PASSES);
  }

  /**
   * Counts over the matching documents, from the `candidates` before `filters`: the `top`
   * values of each of `fields` (years and months newest first; the others, days included,
   * most frequent first, ties by value), and with `timeline` the matches per month or year. Each
   * is counted over the documents passing every filter but those on its own field
   * (disjunctive facets, as Elasticsearch's post_filter with a filtered aggregation per
   * facet, or Algolia's disjunctive faceting): a document failing one field's filters counts
   * for that field alone, one failing two fields' counts nowhere.
   */
  counts(
    candidates: readonly Uint32Array[],
    filters: FilterSet,
    request: { fields: readonly FieldName[]; top: number; timeline: boolean },
  ): { facets?: Record<string, FacetValue[]>; timeline?: TimelineBucket[] } {
    for (const field of request.fields) this.requireField(field, 'facet');
    const meta = this.meta();
    const fields = request.top > 0 ? request.fields.map(facetCounter) : [];
    // The date facets and the timeline count each candidate's day by its number (DayColumn), and the periods are summed
    // from the days at the end: a year or month sliced off every candidate's date was a string per candidate and facet.
    const byValue = fields.filter((field) => field.filter !== 'date');
    const dated = request.timeline || byValue.length < fields.length ? this.dayColumn() : undefined;
    const dayCounts = dated?.zeroedCounts();
    for (let t = 0; t < candidates.length; t++) {
      const tier = candidates[t];
      for (let i = 0; i < tier.length; i++) {
        const doc = tier[i];
        const row = meta[doc];
        const failing = filters.failing(row);
        if (failing === FAILS_SEVERAL) continue;
        const only = failing === PASSES ? undefined : filters.fields[failing];
        for (let f = 0; f < byValue.length; f++) {
          const field = byValue[f];
          if (only === undefined || only === field.filter) someFieldValue(row, field.name, field.add);
        }
        if (dayCounts && (only === undefined || only === 'date')) dayCounts[dated!.of[doc]]++;
      }
    }
    for (const field of fields) if (field.filter === 'date') field.counts = dated!.sum(dayCounts!, field.name === 'date' ? dated!.days : field.name === 'year' ? dated!.years : dated!.months);
    const facets: Record<string, FacetValue[]> = {};
    for (const { name, counts } of fields) {
      const values = [...counts].map(([value, count]) => ({ value, count }));
      const byPeriod = (DATE_FACETS as readonly string[]).includes(name);
      facets[name] = (byPeriod ? values.sort((a, b) => compare(b.value, a.value)) : values.sort((a, b) => b.count - a.count || compare(a.value, b.value))).slice(0, request.top);
    }
    return { ...(request.top > 0 ? { facets } : {}), ...(request.timeline ? { timeline: timelineOf(dated!.sum(dayCounts!, dated!.months)) } : {}) };
  }
}

/**
 * The documents' dates (docmeta's day, row[6]) as numbers, for counting them without a string or a look-up
 * by string per candidate: `of[doc]` is 0 for an undated document, else 1 + the place of its day in `days`.
 * `years` and `months` hold each day's first 4 and 7 characters (one string for all the days of a period).
 * About 4 bytes a document and a few strings a distinct day.
 */
class DayColumn {
  readonly of: Uint32Array;
  readonly days: string[] = [];
  readonly years: string[] = [];
  readonly months: string[] = [];
  /** What zeroedCounts hands out: one array a thread, reused by every count (allocated per search it was 20 KB on news-large, a tenth of a loaded event loop's arrays). */
  private counts?: Uint32Array;

  constructor(rows: readonly DocMetaRow[]) {
    this.of = new Uint32Array(rows.length);
    const numbers = new Map<string, number>();
    const periods = new Map<string, string>();
    const period = (text: string): string => {
      const known = periods.get(text);
      if (known !== undefined) return known;
      periods.set(text, text);
      return text;
    };
    for (let doc = 0; doc < rows.length; doc++) {
      const day = rows[doc][6];
      if (day === null) continue;
      let n = numbers.get(day);
      if (n === undefined) {
        n = this.days.push(day);
        numbers.set(day, n);
        this.years.push(period(day.slice(0, 4)));
        this.months.push(period(day.slice(0, 7)));
      }
      this.of[doc] = n;
    }
  }

  /** An array of zeros to count by day number (index 0 the undated, then 1 + the place of each day in `days`), valid until the next call. */
  zeroedCounts(): Uint32Array {
    if (!this.counts) return (this.counts = new Uint32Array(this.days.length + 1));
    return this.counts.fill(0);
  }

  /** Counts by day number (`counts[0]`, the undated, left out) summed by `names[day - 1]` (days, years or months), the periods with none left out. */
  sum(counts: Uint32Array, names: readonly string[]): Map<string, number> {
    const sums = new Map<string, number>();
    for (let day = 1; day < counts.length; day++) {
      if (counts[day] === 0) continue;
      const name = names[day - 1];
      sums.set(name, (sums.get(name) ?? 0) + counts[day]);
    }
    return sums;
  }
}

/** What FilterSet.failing answers for a document passing every filter. */
export const PASSES = -1;
/** What FilterSet.failing answers for a document failing the filters of two fields or more. */
export const FAILS_SEVERAL = -2;

/** Filters grouped by field: the values of one field ORed, the fields ANDed. */
export class FilterSet {
  /** The fields filtered, in the order first given. */
  readonly fields: FieldName[] = [];
  private readonly tests: Array<(row: DocMetaRow) => boolean> = [];

  /** `check` throws for a field that cannot be filtered by; a date value must be a date or range (parseDateRange). */
  constructor(filters: readonly SearchFilter[], check: (field: FieldName) => void) {
    const byField = new Map<FieldName, string[]>();
    for (const { field, value } of filters) {
      if (!byField.has(field)) {
        check(field);
        byField.set(field, []);
      }
      byField.get(field)!.push(value);
    }
    for (const [field, values] of byField) {
      this.fields.push(field);
      if (field === 'date') {
        const ranges = values.map(parseDateRange);
        this.tests.push((row) => row[6] !== null && ranges.some((range) => inDateRange(row[6]!, range)));
      } else {
        const wanted = new Set(values);
        const isWanted = (value: string): boolean => wanted.has(value);
        this.tests.push((row) => someFieldValue(row, field, isWanted));
      }
    }
  }

  /** Whether there is no filter at all. */
  get empty(): boolean {
    return this.fields.length === 0;
  }

  /** PASSES, the index in `fields` of the one field whose filters the document fails, or FAILS_SEVERAL. */
  failing(row: DocMetaRow): number {
    let failed = PASSES;
    for (let i = 0; i < this.tests.length; i++) {
      if (this.tests[i](row)) continue;
      if (failed !== PASSES) return FAILS_SEVERAL;
      failed = i;
    }
    return failed;
  }
}

/** What `counts` counts one facet in: its counts by value and `add`, which counts a value (answering false, so that someFieldValue visits every value). */
function facetCounter(name: FieldName): { name: FieldName; filter: FieldName; counts: ReadonlyMap<string, number>; add: (value: string) => boolean } {
  const counts = new Map<string, number>();
  const add = (value: string): boolean => {
    counts.set(value, (counts.get(value) ?? 0) + 1);
    return false;
  };
  return { name, filter: filterFieldOf(name), counts, add };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
