import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino, { Logger } from 'pino';
import { SearchDocument } from '../../src/document';
import { SearchEngine } from '../../src/engine';
import { Deadline } from '../../src/search/deadline';
import { SearchOptions } from '../../src/search/types';
import { demoEngine } from '../helpers';
import { AdminOptions } from '../../src/server/admin';
import { IndexChange, UpdateSummary, updateIndex } from '../../src/update';
import { AppOptions, createApp } from '../../src/server/app';
import type { AppEngine, ServedEngine } from '../../src/server/holder';
import { EngineHolder } from '../../src/server/holder';

/** The app with a logger that writes nothing. */
export function quietApp(engine: AppEngine | EngineHolder<ServedEngine>, options: AppOptions = {}): ReturnType<typeof createApp> {
  return createApp(engine, { logger: pino({ level: 'silent' }), ...options });
}

/** A logger that keeps its lines, parsed, in `lines`. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({}, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** An engine whose every look-up fails, as a broken disk would make it (frequent words are read at start-up). */
export function brokenEngine(): AppEngine {
  const fail = (): never => {
    throw new Error('disk on fire');
  };
  return { search: fail, documentView: fail, getDocument: fail, info: fail, titlesContaining: fail, frequentWords: () => [], pinyinCompletions: fail };
}

/** A token long enough for --admin-token. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * An app serving an index saved in a fresh temporary directory, with the admin endpoints
 * wired as `serve --admin-token` wires them: each change is written to disk, then the
 * index is opened again and served. `cleanup` removes the directory.
 */
export function adminApp(documents: SearchDocument[], options: Partial<AdminOptions> = {}): { app: ReturnType<typeof createApp>; holder: EngineHolder; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-admin-'));
  SearchEngine.build(documents).save(dir);
  const holder = new EngineHolder(SearchEngine.open(dir));
  const update = (change: IndexChange): UpdateSummary => {
    const summary = updateIndex(dir, change);
    holder.replace(SearchEngine.open(dir));
    return summary;
  };
  const app = quietApp(holder, { rateLimit: false, admin: { token: ADMIN_TOKEN, update, ...options } });
  return { app, holder, dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The demo engine, but every search runs past its interrupting deadline on the event loop. */
export function slowEngine(): ReturnType<typeof demoEngine> {
  const engine = demoEngine();
  return {
    ...Object.fromEntries((['documentView', 'getDocument', 'info', 'titlesContaining', 'frequentWords', 'pinyinCompletions'] as const).map((name) => [name, engine[name].bind(engine)])),
    search: (query: string, options?: SearchOptions, deadline?: Deadline) => {
      deadline?.checkpoint();
      Deadline.interrupting(0).checkpoint();
      return engine.search(query, options);
    },
  } as unknown as typeof engine;
}
