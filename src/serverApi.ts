/**
 * jiansuo's HTTP server as a library (the package entry `jiansuo/server`): an Express app
 * serving the search page and `/api/search` for an engine or an EngineHolder. AppOptions:
 * `logger` (pino to stdout), `rateLimit` (off unless given), `admin` (none: no upload
 * endpoints), `suggester` (built from the engine). `jiansuo serve` runs it with signals,
 * reloads and warm-up (src/server/run.ts).
 */
export { createApp } from './server/app';
export type { AppOptions } from './server/app';
export { EngineHolder } from './server/holder';
export type { AppEngine } from './server/holder';
export type { AdminOptions } from './server/admin';
