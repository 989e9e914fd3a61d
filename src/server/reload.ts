import * as fs from 'node:fs';
import { SearchEngine } from '../engine';
import { AppEngine, EngineHolder } from './holder';

export interface ReloaderOptions {
  /** The index directory being served. */
  dir: string;
  /** Where the served engine is swapped. */
  holder: EngineHolder;
  /**
   * Opens the index in `dir` completely, checking every file it has not already read for
   * `previous`, the engine served now, when given (SearchEngine.openAsync with the serve
   * options). A forced reload (SIGHUP) gives none: everything is read and checked again.
   */
  open: (previous?: AppEngine) => SearchEngine | Promise<SearchEngine>;
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
  /** The reload under way, if any: reloads run one after another. */
  private running: Promise<unknown> = Promise.resolve();
  /** Aborted by close: a reload under way stops between slices, later ones do nothing. */
  private readonly closing = new AbortController();

  constructor(private readonly options: ReloaderOptions) {}

  /** Starts following the index directory's CURRENT pointer; when the system cannot watch it, says so (SIGHUP still works). */
  watch(): void {
    const { dir, log, debounceMs = 200 } = this.options;
    const stopped = (error: Error): void => {
      log(`Not watching ${dir} for new index builds (${error.message}); send SIGHUP to reload.`);
      this.stopWatching();
    };
    try {
      this.watcher = fs.watch(dir, (_event, file) => {
        if (file !== 'CURRENT') return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload('CURRENT changed'), debounceMs);
      });
    } catch (error) {
      stopped(error as Error);
      return;
    }
    this.watcher.on('error', stopped);
  }

  /**
   * Opens the current generation and serves it. Unless `force`, does nothing when it is
   * the one already served (same write time in its manifest). The new index's groups
   * of copies are worked out in slices before it is swapped in, the old one answering
   * meanwhile (its typeahead, pinyin and speller read what the index stores). Resolves with whether the served index was replaced; a failure is
   * logged, never thrown. Reloads asked for while one runs wait for it. After close, a
   * reload does nothing, says nothing and resolves false.
   */
  reload(reason: string, force = false): Promise<boolean> {
    return this.queue(async () => (await this.reloadNow(reason, force)) === 'reloaded');
  }

  /**
   * Serves the current generation unless it is the one already served (a reload for a
   * CURRENT change may have come first): what an update the server wrote itself waits
   * for. Resolves with whether the current generation is served now; false when it could
   * not be opened (logged) or the reloader was closed.
   */
  catchUp(reason: string): Promise<boolean> {
    return this.queue(async () => {
      const outcome = await this.reloadNow(reason, false);
      return outcome === 'reloaded' || outcome === 'current';
    });
  }

  /** Runs `job` after the reloads already asked for. */
  private queue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.running.then(job);
    this.running = next;
    return next;
  }

  private async reloadNow(reason: string, force: boolean): Promise<'reloaded' | 'current' | 'failed' | 'stopped'> {
    const { dir, holder, open, log } = this.options;
    const { signal } = this.closing;
    const served = holder.current.engine.info();
    try {
      if (signal.aborted) return 'stopped';
      if (!force && SearchEngine.liveGenerationWrittenAt(dir) === served.createdAt) return 'current';
      const started = performance.now();
      const engine = await open(force ? undefined : holder.current.engine);
      await engine.warmUpInSlices(signal);
      holder.replace(engine);
      const ms = Math.round(performance.now() - started);
      log(`Reloaded the index (${reason}): ${engine.documentCount} documents, written ${engine.info().createdAt}, opened in ${ms} ms.`);
      const warning = engine.dictionaryWarning();
      if (warning) log(`warning: ${warning}`);
      const note = engine.dictionaryNote();
      if (note) log(`note: ${note}`);
      return 'reloaded';
    } catch (error) {
      if (signal.aborted) return 'stopped';
      log(`Not reloading the index (${reason}): ${(error as Error).message} Still serving the previous index (${served.documents} documents).`);
      return 'failed';
    }
  }

  /** Whether close was called: reloads no longer happen. */
  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /**
   * Stops watching and reloading: pending reloads are dropped and one under way stops
   * between slices without serving or logging anything. Resolves once it has stopped.
   */
  async close(): Promise<void> {
    this.stopWatching();
    this.closing.abort();
    await this.running;
  }

  private stopWatching(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
