/**
 * The load test's heavy phase: the query shapes that once held a server for seconds
 * (queries.ts heavyQueries), several of each at once, while simple searches run at a few
 * connections — to show that the heavy ones wait on their own thread and the simple ones
 * do not wait for them.
 */
import { MeanwhileSearches, duringSearches } from './meanwhile';
import { LoadRequest } from './queries';

/** What the heavy phase measured. */
export interface HeavyReport extends MeanwhileSearches {
  /** Heavy queries sent at once, their statuses, and how many were cut short by their time limit. */
  heavy: number;
  heavy_status: Record<string, number>;
  heavy_timed_out: number;
  /** The slowest heavy answer as the client saw it, and the largest took_ms a server reported. */
  heavy_max_wall_ms: number;
  heavy_max_took_ms: number;
}

/** Sends each of `shapes` `repeats` times at once while `searches` run at `connections` connections (each allowed `timeoutSeconds`). */
export async function heavyDuringSearches(url: string, shapes: string[], repeats: number, searches: LoadRequest[], connections: number, timeoutSeconds: number): Promise<HeavyReport> {
  const { result, meanwhile } = await duringSearches(url, searches, connections, timeoutSeconds, () =>
    Promise.all(
      Array.from({ length: repeats }, () => shapes)
        .flat()
        .map(async (q) => {
          const started = performance.now();
          const response = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}`);
          const body = (await response.json()) as { took_ms?: number; timed_out?: boolean };
          return { status: response.status, wallMs: performance.now() - started, tookMs: body.took_ms ?? 0, timedOut: body.timed_out === true };
        }),
    ),
  );
  const status: Record<string, number> = {};
  for (const answer of result) status[answer.status] = (status[answer.status] ?? 0) + 1;
  return {
    heavy: result.length,
    heavy_status: status,
    heavy_timed_out: result.filter((answer) => answer.timedOut).length,
    heavy_max_wall_ms: Math.round(Math.max(...result.map((answer) => answer.wallMs))),
    heavy_max_took_ms: Math.round(Math.max(...result.map((answer) => answer.tookMs))),
    ...meanwhile,
  };
}
