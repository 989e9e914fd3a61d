/**
 * Simple searches at a few connections while something else happens (an upload, heavy
 * queries): what that costs the searches served meanwhile.
 */
import autocannon from 'autocannon';
import { LoadRequest } from './queries';

/** The simple searches answered while the action ran. */
export interface MeanwhileSearches {
  searches: number;
  search_latency_ms: { p50: number; p99: number; max: number };
  /** Searches that failed without an answer, those that timed out included (autocannon counts them among its errors). */
  search_errors: number;
  search_timeouts: number;
  search_non_2xx: number;
}

/**
 * Runs `action` while autocannon sends `searches` to `url` at `connections` connections,
 * each allowed `timeoutSeconds`, stopping them when the action has finished; resolves with
 * its result and the searches'.
 */
export async function duringSearches<T>(url: string, searches: LoadRequest[], connections: number, timeoutSeconds: number, action: () => Promise<T>): Promise<{ result: T; meanwhile: MeanwhileSearches }> {
  let next = 0;
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    const options = {
      url,
      connections,
      duration: 3600,
      timeout: timeoutSeconds,
      requests: [{ method: 'GET' as const, setupRequest: (request: autocannon.Request) => ({ ...request, path: searches[next++ % searches.length].path }) }],
    };
    instance = autocannon(options, (error, result) => (error ? reject(error as Error) : resolve(result)));
  });
  let result: T;
  try {
    result = await action();
  } finally {
    instance?.stop();
  }
  const searched = await finished;
  return {
    result,
    meanwhile: {
      searches: searched.requests.total,
      search_latency_ms: { p50: searched.latency.p50, p99: searched.latency.p99, max: searched.latency.max },
      search_errors: searched.errors,
      search_timeouts: searched.timeouts,
      search_non_2xx: searched.non2xx,
    },
  };
}
