import { Dictionaries } from '../analysis/dictionaries';
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
