import { SearchDocument } from '../../document';
import { FACET_FIELDS, FacetField, FacetValue, SearchFilter } from '../../search/types';
import { filterConditions } from './query';
import { decodeDocument } from './rows';
import { valueHash } from './tokens';

/** One facet group as the cluster returns it: the hash of the value, its count, and a document holding it. */
export interface FacetRow {
  g: string | number;
  c: string | number;
  doc: string;
}

/** The value of `field` in `doc` whose hash is `hash` (several for reporters). */
function valueOf(doc: SearchDocument, field: FacetField, hash: number): string | undefined {
  const values = field === 'kind' ? [doc.kind] : field === 'reporter' ? doc.reporters : field === 'source' ? [doc.source] : doc.date ? [doc.date] : [];
  return values.find((value) => valueHash(value) === hash);
}

/** Groups asked for per field and match: enough that ties at the cut are sorted as the embedded engine sorts them (by value). */
const GROUPS = 1000;

/**
 * The statements counting each facet field's values among the documents of `matches`
 * (disjoint match levels) after the filters: Sphinx GROUP BY over the distributed index,
 * one statement per field and level, to run as one batch.
 */
export function facetStatements(index: string, matches: string[], filters: readonly SearchFilter[] | undefined): string[] {
  return matches.flatMap((match) =>
    FACET_FIELDS.map(
      (field) =>
        `SELECT GROUPBY() AS g, COUNT(*) AS c, doc FROM ${index} WHERE MATCH('${match}')${filterConditions(filters)} GROUP BY ${field} ORDER BY c DESC LIMIT ${GROUPS} OPTION max_matches=${GROUPS}`,
    ),
  );
}

/**
 * The top `top` values of each facet field from the rows of facetStatements (in its
 * order), counts summed over the levels, most frequent first, ties by value: as the
 * embedded engine's facets. Documents without a value (no date) form no group.
 */
export function facetsFromRows(rows: FacetRow[][], levels: number, top: number): Record<FacetField, FacetValue[]> {
  const result = {} as Record<FacetField, FacetValue[]>;
  FACET_FIELDS.forEach((field, f) => {
    const counts = new Map<string, number>();
    for (let level = 0; level < levels; level++) {
      for (const row of rows[level * FACET_FIELDS.length + f]) {
        const value = valueOf(decodeDocument(row.doc), field, Number(row.g));
        if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + Number(row.c));
      }
    }
    result[field] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, top);
  });
  return result;
}
