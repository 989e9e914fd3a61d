import { RequestHandler } from 'express';
import { isLoopback } from './address';

export interface RateLimitOptions {
  /** Requests one client address may make per minute, on average. */
  perMinute: number;
  /** Requests it may make at once after a pause. Default: ten seconds' worth (at least 1). */
  burst?: number;
  /** Limit loopback clients (this machine) too. Default false: a proxy or a load test on this machine is not throttled. */
  limitLoopback?: boolean;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

/** Addresses tracked at most: past that, the longest-idle ones are forgotten (they start again with a full allowance). */
const MAX_TRACKED = 100_000;
/** How often buckets that have filled up again are dropped. */
const SWEEP_MS = 60_000;

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * Limits requests per client address with a token bucket: each address may make
 * `burst` requests at once and `perMinute` per minute on average; past that it gets
 * 429 `{"error": …}` with a Retry-After header saying when to come back. The address
 * is Express's `request.ip` (the socket's peer unless "trust proxy" is set). Memory
 * stays bounded: idle addresses are dropped once a minute, and at most MAX_TRACKED
 * are kept.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const { perMinute, limitLoopback = false, now = Date.now } = options;
  if (!(perMinute > 0)) throw new RangeError(`rateLimit: perMinute must be positive, got ${perMinute}`);
  const burst = options.burst ?? Math.max(1, Math.ceil(perMinute / 6));
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();

  const sweep = (time: number): void => {
    for (const [address, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.updated) * perMs >= burst) buckets.delete(address);
    }
    // Still too many: forget the least recently seen (a Map iterates in insertion order; seen ones are re-inserted).
    for (const address of buckets.keys()) {
      if (buckets.size <= MAX_TRACKED) break;
      buckets.delete(address);
    }
    lastSweep = time;
  };

  return (request, response, next) => {
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    if (!limitLoopback && isLoopback(address)) return next();
    const time = now();
    if (time - lastSweep >= SWEEP_MS || buckets.size > MAX_TRACKED) sweep(time);
    const bucket = buckets.get(address) ?? { tokens: burst, updated: time };
    bucket.tokens = Math.min(burst, bucket.tokens + (time - bucket.updated) * perMs);
    bucket.updated = time;
    buckets.delete(address);
    buckets.set(address, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    const retrySeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    response.set('Retry-After', String(retrySeconds));
    response.status(429).json({ error: `too many requests from your address (at most ${perMinute} per minute): retry in ${retrySeconds} s` });
  };
}
