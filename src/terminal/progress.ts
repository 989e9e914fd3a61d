import { SingleBar } from 'cli-progress';
import { BuildProgress } from '../build';

/** A build progress display: `update` for each BuildProgress, `stop` when done or failed. */
export interface ProgressDisplay {
  update(progress: BuildProgress): void;
  stop(): void;
}

/**
 * Draws build progress on `stream` (stderr) with cli-progress: a running count of the
 * documents read, then a bar while indexing. Call only when the stream is a TTY, so
 * that logs and pipes never receive cursor movements.
 */
export function progressDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  let bar: SingleBar | undefined;
  let phase: BuildProgress['phase'] | undefined;
  const start = (format: string, total: number): SingleBar => {
    bar?.stop();
    bar = new SingleBar({ stream, format, hideCursor: true, clearOnComplete: true, barsize: 30 });
    bar.start(total, 0);
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
          (changed ? start('indexing {bar} {value}/{total} documents', progress.total) : bar)?.update(progress.done);
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
