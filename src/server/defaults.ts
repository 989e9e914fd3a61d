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

/**
 * How far, in percent, V8 lets the JavaScript heap of a server's threads grow past what its
 * last full collection left alive before it collects again (`serve --heap-growth`,
 * limitHeapGrowth). V8's own choice on a machine with a few GB of memory is 300 (four times
 * what is alive): on news-large the event loop's heap then held 133–357 MiB at the end of a
 * loaded minute for 79–86 MiB alive, that garbage most of what the server's RSS then held
 * beyond what a full collection leaves. At 60 (a factor of 1.6, what `--max-old-space-size=1024`
 * would give) its old generation held 98–166 MiB at the minute's end against 98–232 (RSS
 * 763–846 against 767–940), for 5–7 major collections a minute instead of 2–5 and no more
 * CPU per request that the loaded machine could show (docs/performance.md, "Serving
 * memory", 2026-12-04 evening). 30 (1.3) kept it smaller still, with 9 a minute. Once facets and
 * typeahead allocated a third as much per request (2026-12-04 night), 40 (1.4) cost the idle
 * machine's event loop 17–20 major collections a minute (326–330 ms) against 11–14 at 60 and
 * 23–27 for the code before at 60, no CPU per request that showed (5.1–6.0 ms against 5.9–6.7),
 * and held 15–20 MiB less RSS over the loaded minute on average (763–765 against 779–784).
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 40;
