import pino, { Logger } from 'pino';
import { AppEngine, AppOptions, createApp } from '../../src/server/app';
import { EngineHolder } from '../../src/server/holder';

/** The app with a logger that writes nothing. */
export function quietApp(engine: AppEngine | EngineHolder, options: AppOptions = {}): ReturnType<typeof createApp> {
  return createApp(engine, { logger: pino({ level: 'silent' }), ...options });
}

/** A logger that keeps its lines, parsed, in `lines`. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({}, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** An engine whose every look-up fails, as a broken disk would make it (titles and words are read at start-up). */
export function brokenEngine(): AppEngine {
  const fail = (): never => {
    throw new Error('disk on fire');
  };
  return { search: fail, documentView: fail, getDocument: fail, info: fail, titles: () => [], frequentWords: () => [], pinyinCompletions: fail };
}
