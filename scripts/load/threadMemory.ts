/**
 * What a server's long-query thread adds to its memory: opens the index as `serve` does
 * (SearchEngine.openAsync), starts the heavy lane over its shared data, warms it up and runs
 * one pasted passage on it, and prints the process's RSS before and after (MiB, from /proc).
 * By default the thread borrows the event loop's jieba, as `serve` has it; `--own-jieba`
 * makes it load its own, as before it could borrow.
 *
 *   npx tsx scripts/load/threadMemory.ts --index DIR [--own-jieba]
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { SearchEngine } from '../../src/engine';
import { HeavyLane } from '../../src/server/heavyLane';

const PASSAGE = '郑州市经济发展与城市建设取得了新的成就，人民生活水平不断提高，各项社会事业全面进步，这是全市人民共同努力的结果';

function rssMiB(): number {
  return Math.round(Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { index: { type: 'string' }, 'own-jieba': { type: 'boolean', default: false } } });
  if (!values.index) throw new Error('usage: threadMemory.ts --index DIR [--own-jieba]');
  const dir = values.index;
  const engine = await SearchEngine.openAsync(dir);
  await engine.warmUpInSlices();
  const generation = engine.info().createdAt;
  const words = values['own-jieba'] ? undefined : { source: () => engine.analyzer.words, ofQuery: (query: string) => engine.wordsOfQuery(query) };
  const lane = new HeavyLane({ dir, sharedIndex: (asked) => (asked === generation ? engine.sharedIndex() : undefined), words });
  const before = rssMiB();
  await lane.warmUp(generation);
  await lane.search(generation, PASSAGE, {});
  const after = rssMiB();
  console.log(`${dir}: the long-query thread (${words ? 'borrowing jieba' : 'its own jieba'}) adds ${after - before} MiB: ${before} → ${after} MiB`);
  await lane.close();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
