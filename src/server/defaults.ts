/**
 * The server's limits and defaults, in a module of their own so that the command line
 * can show them in `--help` without loading the server (Express, zod, pino) for commands
 * that never serve.
 */

/** Most hits one search returns. */
export const MAX_LIMIT = 100;
/** Deepest offset a search pages to. */
export const MAX_OFFSET = 10000;
/** Requests per minute one client address may make when no rate limit is given. */
export const DEFAULT_RATE_LIMIT = 600;
/** Time a client has to send a whole request (408 after it). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Shortest admin token accepted: a guessable one would open the index to anyone who can reach the server. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * How long a search may be expected to wait for the long-query thread before it is refused
 * with 503 and Retry-After (`serve --max-queue-wait`, HeavyLaneOptions.maxWaitMs): a few
 * seconds, well inside the 10 s a client (the load test, a person) waits, so that an
 * overloaded server says so at once instead of answering after the client gave up.
 */
export const DEFAULT_MAX_QUEUE_WAIT_MS = 3000;

/**
 * How far behind the event loop may be before `serve` refuses searches with 503
 * (`--max-loop-delay`, refuseWhenLate): a second, as @fastify/under-pressure is commonly set,
 * well above a loaded loop's turn (tens to a few hundred milliseconds) and well inside a
 * client's 10 s.
 */
export const DEFAULT_MAX_LOOP_DELAY_MS = 1000;
