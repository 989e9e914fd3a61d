import { SearchDocument } from '../document';
import { DocMetaRow, IndexData } from '../index/data';
import { decodeDocMeta } from '../index/docMeta';
import { DocStoreReader } from '../index/docStore';
import { untimed } from './deadline';
import { FACET_FIELDS, FacetField, FacetValue, FilterField, SearchFilter } from './types';

/**
 * The documents of an index as a search sees them: stored text by number, the short fields
 * of every document (docmeta, parsed once on first use), look-up by id, filters and facets.
 */
export class DocumentTable {
  private readonly store: DocStoreReader;
  private readonly decoder = new TextDecoder();
  private rows?: DocMetaRow[];
  private idToDoc?: Map<string, number>;

  constructor(private readonly data: IndexData) {
    this.store = new DocStoreReader(data.documents);
  }

  /** The stored document with the given number. */
  document(doc: number): SearchDocument {
    return JSON.parse(this.decoder.decode(this.store.get(doc))) as SearchDocument;
  }

  /** The short fields of every document. */
  meta(): DocMetaRow[] {
    this.rows ??= untimed(() => decodeDocMeta(this.decoder.decode(this.data.metaBytes)));
    return this.rows;
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

  /** The documents (ascending) that pass every filter: filters on one field are ORed, on different fields ANDed. */
  filter(docs: Uint32Array, filters: readonly SearchFilter[]): Uint32Array {
    const wanted = new Map<FilterField, Set<string>>();
    for (const { field, value } of filters) {
      if (!wanted.has(field)) wanted.set(field, new Set());
      wanted.get(field)!.add(value);
    }
    const meta = this.meta();
    return docs.filter((doc) => [...wanted].every(([field, values]) => fieldValues(meta[doc], field).some((v) => values.has(v))));
  }

  /** The `top` most frequent values of each facet field among `docs`, most frequent first (ties by value). */
  facets(docs: Iterable<number>, top: number): Record<FacetField, FacetValue[]> {
    const meta = this.meta();
    const counts = new Map<FacetField, Map<string, number>>(FACET_FIELDS.map((field) => [field, new Map()]));
    for (const doc of docs) {
      for (const field of FACET_FIELDS) {
        const values = counts.get(field)!;
        for (const value of new Set(fieldValues(meta[doc], field))) values.set(value, (values.get(value) ?? 0) + 1);
      }
    }
    const result = {} as Record<FacetField, FacetValue[]>;
    for (const field of FACET_FIELDS) {
      result[field] = [...counts.get(field)!]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, top);
    }
    return result;
  }
}

/** The values a document has for a filter or facet field. */
function fieldValues(row: DocMetaRow, field: FilterField): string[] {
  switch (field) {
    case 'kind':
      return [row[2]];
    case 'reporter':
      return row[3];
    case 'correspondent':
      return row[4];
    case 'source':
      return [row[5]];
    case 'date':
      return row[6] === null ? [] : [row[6]];
  }
}
