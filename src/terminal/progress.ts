import { SingleBar } from 'cli-progress';
import { BuildProgress } from '../build';

/** A build progress display: `update` for each BuildProgress, `stop` when done or failed. */
export interface ProgressDisplay {
  update(progress: BuildProgress): void;
  stop(): void;
}

/**
 * Draws build progress on `stream` (stderr) with cli-progress: a running count of the
 * documents read, then a bar while indexing with the documents per second and the time
 * left. Call only when the stream is a TTY, so that logs and pipes never receive cursor
 * movements.
 */
export function progressDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  let bar: SingleBar | undefined;
  let phase: BuildProgress['phase'] | undefined;
  let started = 0;
  const start = (format: string, total: number): SingleBar => {
    bar?.stop();
    bar = new SingleBar({ stream, format, hideCursor: true, clearOnComplete: true, barsize: 30 });
    bar.start(total, 0, { rate: 0, left: '?' });
    started = performance.now();
    return bar;
  };
  return {
    update(progress) {
      const changed = progress.phase !== phase;
      phase = progress.phase;
      switch (progress.phase) {
        case 'reading':
          (changed ? start('reading sources… {value} documents', 0) : bar)?.update(progress.documents);
          break;
        case 'indexing':
          (changed ? start('indexing {bar} {value}/{total} documents, {rate}/s, {left} left', progress.total) : bar)?.update(progress.done, rateAndTimeLeft(progress, started));
          break;
        case 'saving':
          if (changed) start('saving index…', 0);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Documents per second since `started`, and the time left at that rate (e.g. `1m05s`). */
function rateAndTimeLeft(progress: { done: number; total: number }, started: number): { rate: number; left: string } {
  const rate = (progress.done * 1000) / Math.max(1, performance.now() - started);
  const seconds = Math.ceil((progress.total - progress.done) / Math.max(rate, 1e-9));
  const left = seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
  return { rate: Math.round(rate), left };
}
