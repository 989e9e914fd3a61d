import type * as http from 'node:http';
import { GrowthCollector, trimmingCollector } from './collectGarbage';

/** How long a server must have had no request under way before its event loop collects its garbage. */
const IDLE_COLLECT_MS = 2000;
/**
 * Heap and array buffers the event loop may hold beyond what was alive after its last
 * collection before an idle moment collects again (GrowthCollector): on news-large opening
 * and the start-up warm-up leave about 120 MiB of garbage; after a minute of load, what the
 * event loop holds is nearly all alive (caches), and is not collected again for nothing.
 */
const IDLE_COLLECT_SLACK = 64 * 1024 * 1024;

/** What collectWhenIdle gives back: `stop` ends it (the server is stopping). */
export interface IdleCollection {
  stop(): void;
}

/**
 * Collects the event loop's garbage (a full collection, GrowthCollector) once `server` has
 * had no request under way for `quietMs`, when it holds IDLE_COLLECT_SLACK bytes more than
 * were alive after the last collection (`collector` decides), and then hands what malloc
 * keeps freed back to the system (trimmingCollector). V8 collects a busy heap by itself, but lets it grow to
 * several times what is alive, and an idle server's heap is not collected at all: after
 * opening news-large and warming up, 190 MiB of heap were used, 70 MiB of it alive, for
 * as long as no request came. A collection pauses the event loop (100–200 ms on
 * news-large), so it runs only when nothing is asked: under steady load never, as V8's
 * own collections (mostly concurrent) then do. Starts counting now: called once the
 * server has warmed up, its first quiet moment collects what opening and the warm-up left.
 */
export function collectWhenIdle(server: http.Server, quietMs = IDLE_COLLECT_MS, collector = new GrowthCollector(IDLE_COLLECT_SLACK, trimmingCollector())): IdleCollection {
  let underWay = 0;
  let lastActivity = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = (): void => {
    timer = undefined;
    if (stopped || underWay > 0) return;
    const quiet = performance.now() - lastActivity;
    if (quiet < quietMs) {
      arm(quietMs - quiet);
      return;
    }
    collector.collectIfGrown();
  };
  const arm = (ms: number): void => {
    timer = setTimeout(check, ms);
    timer.unref();
  };
  const onRequest = (_request: http.IncomingMessage, response: http.ServerResponse): void => {
    underWay++;
    lastActivity = performance.now();
    response.once('close', () => {
      underWay--;
      lastActivity = performance.now();
      if (underWay === 0 && !timer && !stopped) arm(quietMs);
    });
  };
  server.on('request', onRequest);
  arm(quietMs);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      server.off('request', onRequest);
    },
  };
}
