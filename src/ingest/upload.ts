import { SearchDocument } from '../document';
import { recordDocument } from './jsonl';

/**
 * The documents of an upload: one record `{id, title, body, date?, …}` or an array of
 * them, each with its own id (see idProblem); or what is wrong. Of two records with the
 * same id the later is kept (as updateIndex does), with a warning. More than `maxRecords`
 * records are refused. Used by the admin API (`POST /api/documents`).
 */
export function uploadedDocuments(body: unknown, maxRecords: number): { documents: SearchDocument[]; warnings: string[] } | { error: string } {
  const records = Array.isArray(body) ? body : [body];
  if (records.length === 0) return { error: 'the body is an empty array: send one record {"id", "title", "body"} or an array of them' };
  if (records.length > maxRecords) return { error: `too many records in one request: at most ${maxRecords}` };
  const documents: SearchDocument[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const seen = new Map<string, number>();
  records.forEach((record: unknown, i) => {
    const where = `record ${i + 1}`;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      errors.push(`${where}: expected a JSON object like {"id": …, "title": …, "body": …}`);
      return;
    }
    const { id } = record as { id?: unknown };
    if (id === undefined) {
      errors.push(`${where}: "id" is missing: documents sent over HTTP need their own id`);
      return;
    }
    const result = recordDocument(record as Record<string, unknown>, { source: 'api', stem: 'api', line: i + 1 });
    if (!result.document) errors.push(...result.problems.map((problem) => `${where}: ${problem}`));
    else {
      const earlier = seen.get(result.document.id);
      if (earlier !== undefined) warnings.push(`${where}: duplicate id ${JSON.stringify(result.document.id)} (also record ${earlier}): this later record is kept`);
      seen.set(result.document.id, i + 1);
      documents.push(result.document);
      warnings.push(...result.problems.map((problem) => `${where}: ${problem}`));
    }
  });
  if (errors.length > 0) {
    return { error: `${errors.slice(0, 5).join('; ')}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}. Nothing was changed.` };
  }
  return { documents, warnings };
}
