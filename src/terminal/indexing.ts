import { Dictionaries } from '../analysis/dictionaries';
import { ClusterLoadOptions, ClusterLoadSummary, loadIntoCluster } from '../backend/sphinx/writes';
import { BuildSummary, buildIndex } from '../build';
import { formatProblem } from '../ingest';
import { formatBuildSummary } from './format';
import { err, out } from './output';
import { progressDisplay } from './progress';

/**
 * Builds the index, drawing progress on stderr when it is a terminal; prints problems to stderr and the summary to stdout.
 * Used by `jiansuo index` and by `serve --ensure-index`.
 */
export async function runIndex(sources: string[], outDir: string, dictionaries: Dictionaries, date?: string, threads?: number, force?: boolean, memoryMB?: number): Promise<void> {
  const progress = process.stderr.isTTY ? progressDisplay(process.stderr) : undefined;
  let summary: BuildSummary;
  try {
    summary = await buildIndex({ sources, out: outDir, date, dictionaries, threads, force, memoryMB, onProgress: progress && ((p) => progress.update(p)) });
  } finally {
    progress?.stop();
  }
  for (const problem of summary.problems) err(`${formatProblem(problem)}\n`);
  for (const rejected of summary.rejected) err(`${rejected.id}: not indexed: ${rejected.message}\n`);
  out(formatBuildSummary(summary, outDir));
}

/** `index|add --backend`: writes the sources' documents to the cluster, drawing progress on stderr when it is a terminal. */
export async function runClusterLoad(url: string, sources: string[], rebuild: boolean, options: ClusterLoadOptions): Promise<void> {
  const progress = process.stderr.isTTY ? progressDisplay(process.stderr) : undefined;
  let summary: ClusterLoadSummary;
  try {
    summary = await loadIntoCluster(url, sources, rebuild, { ...options, onProgress: progress && ((p) => progress.update(p)) });
  } finally {
    progress?.stop();
  }
  for (const problem of summary.problems) err(`${formatProblem(problem)}\n`);
  const removed = summary.removed > 0 ? `, removed ${summary.removed} no longer in the sources` : '';
  out(`Wrote ${summary.written} documents to the ${summary.shards} shards of ${url}${removed} (${(summary.ms / 1000).toFixed(1)} s)\n`);
}
