/**
 * Writes news-large five times over, with distinct ids, as one gzipped JSON Lines file:
 * the 5× corpus of the build-memory benchmark (docs/performance.md, "Build memory and where build time goes"). Copy k of a
 * document has the id `<id>~k` (the first copy keeps its id), the text unchanged.
 * Never commit the output: write it outside the repository.
 *
 *   npx tsx scripts/corpus/fivefold.ts [out]   (default: news-large-5x.jsonl.gz in the system's temporary directory)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const COPIES = 5;
const SOURCE = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'news-large.jsonl.gz');

async function* copies(): AsyncGenerator<string> {
  for (let k = 0; k < COPIES; k++) {
    const lines = readline.createInterface({ input: fs.createReadStream(SOURCE).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as { id: string };
      if (k > 0) record.id = `${record.id}~${k}`;
      yield JSON.stringify(record) + '\n';
    }
  }
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? path.join(os.tmpdir(), 'news-large-5x.jsonl.gz');
  await pipeline(copies(), createGzip({ level: 1 }), fs.createWriteStream(out));
  console.log(`wrote ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB gzipped)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
