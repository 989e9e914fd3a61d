import { ChildProcess, SpawnOptions, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli.ts');
/** tsx's loader, by absolute URL: the child may run in any directory. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/**
 * Starts the `jiansuo` command as a child process, with `args` as on the command line (and
 * `nodeArgs` for Node itself, such as V8 flags NODE_OPTIONS does not take): from
 * the TypeScript sources (through tsx, so nothing needs compiling first), or the compiled
 * `bin` when given (a checkout's bin/jiansuo.js: as it ships, and loading sooner). Used by
 * the load test and by the tests that must kill or signal a real process.
 */
export function spawnJiansuo(args: string[], options: SpawnOptions = {}, bin?: string, nodeArgs: readonly string[] = []): ChildProcess {
  if (bin) return spawn(process.execPath, [...nodeArgs, bin, ...args], options);
  const program = `require(${JSON.stringify(CLI)}).main(process.argv.slice(1)).then((code) => { process.exitCode = code; })`;
  return spawn(process.execPath, [...nodeArgs, '--import', TSX, '--eval', program, ...args], options);
}
