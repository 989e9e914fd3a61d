/**
 * The load test's upload phase: an admin upload of many records (`POST /api/documents`)
 * while simple searches run at a few connections, to show what an upload costs the
 * searches served meanwhile (the server indexes uploads on a worker thread and keeps
 * answering from the old index until the new one is ready).
 */
import autocannon from 'autocannon';
import { SearchDocument } from '../../src/document';
import { LoadRequest } from './queries';

/** Longest body of an uploaded record, in characters: 10,000 records stay within the upload limit (32 MB). */
const UPLOAD_BODY_CHARS = 600;

/** What the upload phase measured. */
export interface UploadReport {
  records: number;
  /** HTTP status of the upload, and the server's own account of its time. */
  status: number;
  took_ms: number | undefined;
  /** Wall time from sending the upload to its answer, as the client saw it. */
  wall_ms: number;
  /** Simple searches answered while the upload ran, and their latency. */
  searches: number;
  search_latency_ms: { p50: number; p99: number; max: number };
  search_errors: number;
  search_non_2xx: number;
}

/** `count` upload records made from corpus documents (cycled, bodies cut to UPLOAD_BODY_CHARS), with ids no index holds. */
export function uploadRecords(documents: SearchDocument[], count: number): Array<{ id: string; title: string; body: string }> {
  return Array.from({ length: count }, (_, i) => {
    const doc = documents[i % documents.length];
    return { id: `load-upload-${i + 1}`, title: doc.title, body: doc.paragraphs.join('\n').slice(0, UPLOAD_BODY_CHARS) };
  });
}

/**
 * Posts `records` to `url` with the admin token while autocannon runs `searches` (simple
 * ones) at `connections` connections, stopping them when the upload has answered.
 */
export async function uploadDuringSearches(url: string, token: string, records: object[], searches: LoadRequest[], connections: number): Promise<UploadReport> {
  let next = 0;
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    const options = {
      url,
      connections,
      duration: 3600,
      timeout: 10,
      requests: [{ method: 'GET' as const, setupRequest: (request: autocannon.Request) => ({ ...request, path: searches[next++ % searches.length].path }) }],
    };
    instance = autocannon(options, (error, result) => (error ? reject(error as Error) : resolve(result)));
  });
  const started = performance.now();
  let status = 0;
  let tookMs: number | undefined;
  try {
    const response = await fetch(`${url}/api/documents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(records),
    });
    status = response.status;
    tookMs = ((await response.json()) as { took_ms?: number }).took_ms;
  } finally {
    instance?.stop();
  }
  const wallMs = Math.round(performance.now() - started);
  const result = await finished;
  return {
    records: records.length,
    status,
    took_ms: tookMs,
    wall_ms: wallMs,
    searches: result.requests.total,
    search_latency_ms: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    search_errors: result.errors + result.timeouts,
    search_non_2xx: result.non2xx,
  };
}
