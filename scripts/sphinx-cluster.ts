/**
 * A local Sphinx/Manticore cluster in one command (see README "Scale-out"):
 *
 *   npx tsx scripts/sphinx-cluster.ts create <dir> --shards 2   # write configs on free loopback ports
 *   npx tsx scripts/sphinx-cluster.ts start <dir>                # start every searchd (pid files in <dir>)
 *   npx tsx scripts/sphinx-cluster.ts stop <dir>                 # stop them, waiting until they have exited
 *   npx tsx scripts/sphinx-cluster.ts url <dir>                  # the --backend URL
 *
 * `create --start` does the first two at once. Every node listens on 127.0.0.1 unless
 * `--host` says otherwise.
 */
import { Command } from 'commander';
import { clusterUrl, readCluster, startCluster, stopCluster, writeCluster } from '../src/backend/sphinx/cluster';

async function main(): Promise<void> {
  const cli = new Command('sphinx-cluster').description('write, start and stop a local cluster of searchd shards');
  cli
    .command('create <dir>')
    .option('--shards <n>', 'number of shards', (v) => Number(v), 2)
    .option('--index <name>', 'name of the distributed index', 'jiansuo')
    .option('--host <address>', 'address every searchd listens on', '127.0.0.1')
    .option('--timeout <ms>', 'most time a query waits for a shard', (v) => Number(v), 3000)
    .option('--start', 'start the cluster once written')
    .action(async (dir: string, options: { shards: number; index: string; host: string; timeout: number; start?: boolean }) => {
      const layout = await writeCluster(dir, { shards: options.shards, index: options.index, host: options.host, agentTimeoutMs: options.timeout });
      if (options.start) await startCluster(dir);
      console.log(`${options.start ? 'Started' : 'Wrote'} a cluster of ${layout.shards.length} shards in ${layout.dir}: --backend ${clusterUrl(layout)}`);
    });
  cli.command('start <dir>').action(async (dir: string) => {
    const layout = await startCluster(dir);
    console.log(`Started ${layout.shards.length} shards and the head: --backend ${clusterUrl(layout)}`);
  });
  cli.command('stop <dir>').action(async (dir: string) => {
    await stopCluster(dir);
    console.log(`Stopped the cluster in ${dir}`);
  });
  cli.command('url <dir>').action((dir: string) => console.log(clusterUrl(readCluster(dir))));
  await cli.parseAsync(process.argv);
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exitCode = 1;
});
