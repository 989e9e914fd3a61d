import * as fs from 'fs';
import { SearchEngine } from '../engine';
import { readManifest } from '../index/store';
import { EngineHolder } from './holder';

export interface ReloaderOptions {
  /** The index directory being served. */
  dir: string;
  /** Where the served engine is swapped. */
  holder: EngineHolder;
  /** Opens the index in `dir` completely, checking every file (SearchEngine.open with the serve options). */
  open: () => SearchEngine;
  /** Where to say what happened, one line at a time. */
  log: (line: string) => void;
  /** Quiet time after the last change of CURRENT before reloading. Default 200 ms. */
  debounceMs?: number;
}

/**
 * Picks up a newly built index without a restart: `watch` follows the index directory
 * and reloads when its CURRENT pointer changes (debounced: a build renames it once);
 * `reload` does it on demand (SIGHUP). The new generation is opened in full — every
 * file checked against its checksum — before it replaces the served one; an index that
 * fails to open is refused with a message and the old one keeps serving.
 */
export class IndexReloader {
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: ReloaderOptions) {}

  /** Starts following the index directory's CURRENT pointer; when the system cannot watch it, says so (SIGHUP still works). */
  watch(): void {
    const { dir, log, debounceMs = 200 } = this.options;
    const stopped = (error: Error): void => {
      log(`Not watching ${dir} for new index builds (${error.message}); send SIGHUP to reload.`);
      this.close();
    };
    try {
      this.watcher = fs.watch(dir, (_event, file) => {
        if (file !== 'CURRENT') return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload('CURRENT changed'), debounceMs);
      });
    } catch (error) {
      stopped(error as Error);
      return;
    }
    this.watcher.on('error', stopped);
  }

  /**
   * Opens the current generation and serves it. Unless `force`, does nothing when it is
   * the one already served (same build time in its manifest). Returns whether the served
   * index was replaced; a failure is logged, never thrown.
   */
  reload(reason: string, force = false): boolean {
    const { dir, holder, open, log } = this.options;
    const served = holder.current.engine.info();
    try {
      if (!force && readManifest(dir).manifest.createdAt === served.createdAt) return false;
      const started = performance.now();
      const engine = open();
      engine.warmUp();
      holder.replace(engine);
      const ms = Math.round(performance.now() - started);
      log(`Reloaded the index (${reason}): ${engine.documentCount} documents, built ${engine.info().createdAt}, opened in ${ms} ms.`);
      const warning = engine.dictionaryWarning();
      if (warning) log(`warning: ${warning}`);
      return true;
    } catch (error) {
      log(`Not reloading the index (${reason}): ${(error as Error).message} Still serving the previous index (${served.documents} documents).`);
      return false;
    }
  }

  /** Stops watching (pending reloads are dropped). */
  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
