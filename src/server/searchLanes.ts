import { SearchInterrupted, ServerBusyError } from '../errors';
import { Deadline } from '../search/deadline';
import type { DocumentView, SearchOptions, SearchResult } from '../search/types';
import type { HeavyLane } from './heavyLane';
import type { EngineHolder, ServedEngine } from './holder';

/**
 * Milliseconds of CPU time a query may take on the event loop (Deadline.interrupting).
 * Simple queries take 1–15 ms on a news-dev server (README "Speed"); one still working
 * after this is interrupted and run again on the heavy lane, so that no request holds up
 * the others for longer.
 */
export const FAST_LANE_MS = 100;

/**
 * Queries longer than this (in UTF-16 units, spaces included) go to the heavy lane at
 * once when it is ready: every shape that stalled a server (a hundred characters or common
 * words separated by spaces, 250 characters without) is longer, while headlines and
 * questions are shorter.
 */
export const LONG_QUERY_UNITS = 64;

/** What SearchLanes needs of a heavy lane (tests pass stand-ins). */
export type HeavyRunner = Pick<HeavyLane, 'search' | 'documentView' | 'ready'>;

/**
 * Where a server runs its searches: a query longer than LONG_QUERY_UNITS runs on the heavy
 * lane, a worker thread (heavyLane.ts), when that is ready; any other first runs on the
 * event loop with an interrupting deadline of FAST_LANE_MS, and if it is not done by then,
 * again from the start on the heavy lane (which starts if it was not running), while the
 * event loop goes on answering others. A long query the full heavy lane refuses is only
 * parsed on the event loop: a 400 when it cannot be run, else the lane's 503. Without a heavy lane
 * (an app over an engine held in memory), every query runs on the event loop within its
 * own deadline. `took_ms` in a result is the whole time the request took, both tries and
 * the wait for the lane included.
 */
export class SearchLanes {
  constructor(
    private readonly holder: EngineHolder<ServedEngine>,
    private readonly heavy?: HeavyRunner,
  ) {}

  /** Runs a search (see SearchEngine.search); `signal` aborts when its client went away, dropping it from the heavy lane's queue. */
  async search(query: string, options: SearchOptions, signal?: AbortSignal): Promise<SearchResult> {
    const started = process.hrtime.bigint();
    const result = await this.twoLanes(
      query,
      (engine, deadline) => engine.search(query, options, deadline),
      (heavy, generation) => heavy.search(generation, query, options, signal),
    );
    return { ...result, took_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100 };
  }

  /** The document with `id` with the matches of `query` highlighted (see SearchEngine.documentView); `signal` as for search. */
  documentView(id: string, query?: string, signal?: AbortSignal): Promise<DocumentView | undefined> {
    return this.twoLanes(
      query ?? '',
      (engine, deadline) => engine.documentView(id, query, deadline),
      (heavy, generation) => heavy.documentView(generation, id, query, signal),
    );
  }

  private async twoLanes<T>(query: string, fast: (engine: ServedEngine, deadline?: Deadline) => T | Promise<T>, slow: (heavy: HeavyRunner, generation: string | undefined) => Promise<T>): Promise<T> {
    const { engine } = this.holder.current;
    // A cluster backend answers asynchronously: it has no heavy lane.
    if (!this.heavy) return fast(engine);
    const generation = async (): Promise<string | undefined> => (await engine.info()).createdAt;
    if (query.length > LONG_QUERY_UNITS && this.heavy.ready) {
      try {
        return await slow(this.heavy, await generation());
      } catch (error) {
        if (!(error instanceof ServerBusyError)) throw error;
        return this.refusedOnEventLoop(engine, fast, error);
      }
    }
    try {
      return fast(engine, Deadline.interrupting(FAST_LANE_MS));
    } catch (error) {
      if (!(error instanceof SearchInterrupted)) throw error;
      return slow(this.heavy, await generation());
    }
  }

  /**
   * What a query the full heavy lane refused gets: its parse on the event loop with no time
   * to search (a deadline of 0 ms, interrupted at its first checkpoint), so that a query that
   * cannot be run is told why (400) rather than that the server is busy; any other, `busy`.
   * Parsing costs the loop a fraction of a millisecond, searching nothing.
   */
  private refusedOnEventLoop<T>(engine: ServedEngine, fast: (engine: ServedEngine, deadline?: Deadline) => T | Promise<T>, busy: ServerBusyError): T | Promise<T> {
    try {
      return fast(engine, Deadline.interrupting(0));
    } catch (error) {
      throw error instanceof SearchInterrupted ? busy : error;
    }
  }
}
