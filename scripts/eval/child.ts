/**
 * One engine in one process (started by run.ts): for each index kind the sets need, bodies only
 * (titles emptied) and then titles and bodies, build a fresh index and rank every query of the
 * sets asked against it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SearchDocument } from '../../src/document';
import { readDocuments } from '../bench/corpus';
import { engineNamed } from '../bench/engines';
import { collectGarbage } from '../bench/memory';
import { outcomes } from './metrics';
import { EVAL_FILES, EvalReport, EvalTask, WorkSets } from './protocol';
import { INDEX_OF, IndexKind, SET_NAMES } from './sets';

const KINDS: readonly IndexKind[] = ['bodies', 'full'];

function documentsFor(kind: IndexKind, docs: readonly SearchDocument[]): SearchDocument[] {
  return kind === 'full' ? [...docs] : docs.map((doc) => ({ ...doc, title: '', subtitle: undefined }));
}

async function evaluate(task: EvalTask): Promise<EvalReport> {
  const docs = readDocuments(path.join(task.workDir, EVAL_FILES.documents));
  const sets = JSON.parse(fs.readFileSync(path.join(task.workDir, EVAL_FILES.queries), 'utf8')) as WorkSets;
  const report: EvalReport = { kind: 'eval', buildSeconds: {}, outcomes: {}, msPerQuery: {} };
  for (const kind of KINDS) {
    const names = SET_NAMES.filter((name) => INDEX_OF[name] === kind && sets[name]);
    if (names.length === 0) continue;
    collectGarbage();
    const engine = engineNamed(task.engine).create();
    let start = performance.now();
    await engine.build(documentsFor(kind, docs));
    report.buildSeconds[kind] = (performance.now() - start) / 1000;
    for (const name of names) {
      const queries = sets[name]!;
      start = performance.now();
      report.outcomes[name] = outcomes(queries, (text) => engine.rank(text, task.k));
      report.msPerQuery[name] = (performance.now() - start) / Math.max(1, queries.length);
    }
  }
  return report;
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2]) as EvalTask;
  let message: EvalReport | { kind: 'error'; message: string };
  try {
    message = await evaluate(task);
  } catch (error) {
    message = { kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send!(message, () => process.exit(message.kind === 'error' ? 1 : 0));
}

void main();
