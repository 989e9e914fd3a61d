import { EngineOptions, SearchEngine } from '../engine';
import { EmbeddedBackend } from './embedded';
import { SphinxBackend, SphinxOptions } from './sphinx/backend';
import { SearchBackend } from './types';

/**
 * The backend a command searches: the Sphinx cluster that `backend` (a sphinx:// URL)
 * names when given, else the embedded index saved in `indexDir`, its files read while jieba
 * loads (SearchEngine.openAsync: the quicker start for a command run once). Rejects with
 * BackendError when the cluster cannot be used, IndexError when the index cannot be opened.
 */
export async function openBackend(backend: string | undefined, indexDir: string, options: EngineOptions & SphinxOptions = {}): Promise<SearchBackend> {
  if (backend !== undefined) return SphinxBackend.open(backend, options);
  return new EmbeddedBackend(await SearchEngine.openAsync(indexDir, options));
}
