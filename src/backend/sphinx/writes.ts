import { BuildProgress } from '../../build';
import { BackendError, IngestError } from '../../errors';
import { IngestProblem, loadSources } from '../../ingest';
import { ClusterWriteSummary, SphinxBackend, SphinxOptions } from './backend';

/** What `jiansuo index|add --backend` did: the write, and the documents' source problems. */
export interface ClusterLoadSummary extends ClusterWriteSummary {
  problems: IngestProblem[];
  shards: number;
}

export interface ClusterLoadOptions extends SphinxOptions {
  /** Issue date of newspaper pages whose file name carries none. */
  date?: string;
  /** The number of shards the user expects: refused when the cluster has another. */
  shards?: number;
  onProgress?: (progress: BuildProgress) => void;
}

/**
 * Reads the sources and writes every document to the cluster `url` names (its shards
 * listed in it). With `rebuild` (`jiansuo index --backend`), documents the cluster held
 * that the sources no longer have are removed at the end; without (`jiansuo add`), the
 * documents are added or replace those with the same id.
 */
export async function loadIntoCluster(url: string, sources: string[], rebuild: boolean, options: ClusterLoadOptions = {}): Promise<ClusterLoadSummary> {
  const backend = await SphinxBackend.open(url, options);
  try {
    const shards = backend.url.shards.length;
    if (options.shards !== undefined && options.shards !== shards) {
      throw new BackendError(`--shards ${options.shards} but the cluster has ${shards} shards: documents are routed by a hash of their id over the cluster's shards (create a cluster of ${options.shards} with scripts/sphinx-cluster.ts).`);
    }
    let read = 0;
    const loaded = await loadSources(sources, { date: options.date, onDocument: options.onProgress && (() => options.onProgress!({ phase: 'reading', documents: ++read })) });
    if (loaded.documents.length === 0) throw new IngestError(`no documents found in ${sources.join(', ')}; the cluster was not changed`);
    const total = loaded.documents.length;
    const summary = await backend.write(loaded.documents, { rebuild, onWritten: options.onProgress && ((done) => options.onProgress!({ phase: 'indexing', done, total })) });
    return { ...summary, problems: loaded.problems, shards };
  } finally {
    await backend.close();
  }
}

/** Removes documents from the cluster by id: all of them, or none (UpdateError) when it lacks some. */
export async function removeFromCluster(url: string, ids: string[], options: SphinxOptions = {}): Promise<ClusterWriteSummary> {
  const backend = await SphinxBackend.open(url, options);
  try {
    return await backend.remove(ids);
  } finally {
    await backend.close();
  }
}
