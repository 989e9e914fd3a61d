/**
 * The load test's upload phase: an admin upload of many records (`POST /api/documents`)
 * while simple searches run at a few connections, to show what an upload costs the
 * searches served meanwhile (the server indexes uploads on a worker thread and keeps
 * answering from the old index until the new one is ready).
 */
import { SearchDocument } from '../../src/document';
import { MeanwhileSearches, duringSearches } from './meanwhile';
import { LoadRequest } from './queries';

/** Longest body of an uploaded record, in characters: 10,000 records stay within the upload limit (32 MB). */
const UPLOAD_BODY_CHARS = 600;

/** What the upload phase measured, with the simple searches answered while the upload ran. */
export interface UploadReport extends MeanwhileSearches {
  records: number;
  /** HTTP status of the upload, and the server's own account of its time. */
  status: number;
  took_ms: number | undefined;
  /** Wall time from sending the upload to its answer, as the client saw it. */
  wall_ms: number;
}

/** `count` upload records made from corpus documents (cycled, bodies cut to UPLOAD_BODY_CHARS), with ids no index holds. */
export function uploadRecords(documents: SearchDocument[], count: number): Array<{ id: string; title: string; body: string }> {
  return Array.from({ length: count }, (_, i) => {
    const doc = documents[i % documents.length];
    return { id: `load-upload-${i + 1}`, title: doc.title, body: doc.paragraphs.join('\n').slice(0, UPLOAD_BODY_CHARS) };
  });
}

/**
 * Posts `records` to `url` with the admin token while simple `searches` run at
 * `connections` connections (each allowed `timeoutSeconds`), stopping them when the upload has answered.
 */
export async function uploadDuringSearches(url: string, token: string, records: object[], searches: LoadRequest[], connections: number, timeoutSeconds: number): Promise<UploadReport> {
  const started = performance.now();
  const { result, meanwhile } = await duringSearches(url, searches, connections, timeoutSeconds, async () => {
    const response = await fetch(`${url}/api/documents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(records),
    });
    return { status: response.status, tookMs: ((await response.json()) as { took_ms?: number }).took_ms, wallMs: Math.round(performance.now() - started) };
  });
  return { records: records.length, status: result.status, took_ms: result.tookMs, wall_ms: result.wallMs, ...meanwhile };
}
