import { RequestHandler } from 'express';
import { sendError } from './errorReasons';

/** How often the event loop's timers note that they ran (LoopDelay). */
const TICK_MS = 100;

/**
 * How far behind a server's event loop is: its timers run once a turn, so a timer due
 * every TICK_MS that last ran long ago means the loop has been working through what came
 * in since then (requests read from their sockets in one batch, each waiting for those
 * before it). A request handled now has waited about that long before anything of it ran:
 * Node cannot see a request sitting in its socket, and this is the part of that wait it can
 * see. `start` runs the timer (unref'd: it keeps no process alive); tests call `tick`
 * themselves with a clock they move.
 */
export class LoopDelay {
  private lastTick: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly clock: () => number = () => performance.now()) {
    this.lastTick = clock();
  }

  /** Starts noting each turn's timers. */
  start(): void {
    this.tick();
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  /** Notes that the timers ran now. */
  tick(): void {
    this.lastTick = this.clock();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Milliseconds the loop is behind: since its timers last ran, less the TICK_MS they wait between two runs. */
  lateMs(): number {
    return Math.max(0, this.clock() - this.lastTick - TICK_MS);
  }
}

/**
 * Refuses requests with 503 (`overloaded`, Retry-After: 5) while the event loop is more
 * than `maxMs` behind (LoopDelay), before any search is done for them: under more load
 * than the machine can serve, the requests that are answered are answered within a few
 * seconds and the others are told so at once, instead of all waiting until their clients
 * give up (as @fastify/under-pressure refuses on event loop delay). A refusal costs a
 * fraction of a millisecond, a search several: refusing is what lets the loop catch up.
 */
export function refuseWhenLate(delay: Pick<LoopDelay, 'lateMs'>, maxMs: number): RequestHandler {
  return (request, response, next) => {
    const late = delay.lateMs();
    if (late <= maxMs) return next();
    response.set('Retry-After', '5');
    sendError(request, response, 503, 'overloaded', `the server is overloaded: it is ${Math.round(late)} ms behind with the requests it received; try again in a few seconds`);
  };
}
