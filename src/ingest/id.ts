import { typeName } from './problem';

/**
 * Longest document id, in UTF-8 bytes. Ids travel in URLs (`GET /api/doc/:id`, `DELETE
 * /api/documents/:id`): a longer one could be stored but never looked up or removed.
 */
export const MAX_ID_BYTES = 512;

/**
 * What is wrong with a document id given by a user (a JSON record's `id`, an id to remove
 * or look up), or undefined when it is fine: it must be a string — a JSON number would
 * collide with the string of its digits (`1` and `"1"`), lose digits past 2^53 or turn
 * `-0` into `"0"` — not empty or only whitespace, and at most MAX_ID_BYTES bytes.
 */
export function idProblem(id: unknown): string | undefined {
  if (typeof id === 'number') return `"id" must be a string, got the number ${JSON.stringify(id)}: write it in quotes, e.g. "id": "${String(id)}"`;
  if (typeof id !== 'string') return `"id" must be a string, got ${typeName(id)}`;
  if (id.trim() === '') return `"id" ${JSON.stringify(id)} is empty or only whitespace: give each document an id with a visible character`;
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes > MAX_ID_BYTES) return `"id" is ${bytes} bytes long: ids are at most ${MAX_ID_BYTES} bytes (UTF-8)`;
  return undefined;
}
