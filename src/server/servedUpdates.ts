import { UnservedUpdateError } from '../errors';
import type { IndexChange, UpdateSummary } from '../update';
import { updateIndexOffThread } from '../updateThread';
import type { IndexReloader } from './reload';

/**
 * How `serve --admin-token` applies an upload or a deletion: the update runs on a worker
 * thread (analysis, merge, writing: see updateIndexOffThread), then the new generation is
 * opened beside the served one and swapped in (IndexReloader.catchUp), so that searches
 * keep answering from the old index until the new one is ready, and the next search after
 * the answer sees the change. Changes run one after another, in the order they came: two
 * at once would contend for the index's write lock. Rejects with the update's error, or
 * an UnservedUpdateError when the written index could not be served.
 */
export function servedUpdates(dir: string, reloader: Pick<IndexReloader, 'catchUp' | 'closed'>): (change: IndexChange) => Promise<UpdateSummary> {
  let previous: Promise<unknown> = Promise.resolve();
  return (change) => {
    const next = previous.then(async () => {
      const summary = await updateIndexOffThread(dir, change);
      if (!(await reloader.catchUp('documents updated'))) {
        if (reloader.closed) throw new UnservedUpdateError(`the update of ${dir} was written, but the server is stopping: it will be served from the next start`);
        throw new UnservedUpdateError(`the update of ${dir} was written but the new index could not be opened (see the log above)`);
      }
      return summary;
    });
    previous = next.catch(() => undefined);
    return next;
  };
}
