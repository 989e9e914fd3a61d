import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { BackendError } from '../../errors';
import { FIELDS, ATTRIBUTES } from './schema';

/** One shard's searchd: a real-time index, SphinxQL for inserts, the SphinxAPI port the head's agents use. */
export interface ShardNode {
  name: string;
  /** SphinxQL (mysql41) port: inserts, deletes, keyword statistics. */
  sqlPort: number;
  /** SphinxAPI port: what the distributed index's agent lines connect to. */
  apiPort: number;
}

/** A local cluster as written by writeCluster: N shards and one head holding the distributed index. */
export interface ClusterLayout {
  dir: string;
  host: string;
  /** The distributed index on the head, and the prefix of every shard's index (`<index>_<k>`). */
  index: string;
  head: { sqlPort: number };
  shards: ShardNode[];
  /** Time the head waits for a shard before answering without it (agent_connect_timeout + agent_query_timeout), in ms. */
  agentTimeoutMs: number;
}

/** The `--backend` URL of a cluster: its head and distributed index, and the shards' SphinxQL addresses for writing. */
export function clusterUrl(layout: ClusterLayout): string {
  const shards = layout.shards.map((s) => `${layout.host}:${s.sqlPort}`).join(',');
  return `sphinx://${layout.host}:${layout.head.sqlPort}/${layout.index}?shards=${shards}`;
}

const LAYOUT_FILE = 'cluster.json';

/** A port nobody listens on now, chosen by the system on `host`. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The searchd section of one node: loopback (or `host`) only, its own log, pid file and binlog in its folder. */
function searchdSection(folder: string, listen: string[], timeoutMs: number): string {
  return [
    'searchd',
    '{',
    ...listen.map((l) => `  listen = ${l}`),
    `  log = ${path.join(folder, 'searchd.log')}`,
    `  query_log = ${path.join(folder, 'query.log')}`,
    `  pid_file = ${path.join(folder, 'searchd.pid')}`,
    `  binlog_path = ${path.join(folder, 'binlog')}`,
    '  workers = threads',
    `  read_timeout = ${Math.ceil(timeoutMs / 1000) + 5}`,
    '  max_packet_size = 32M',
    '}',
  ].join('\n');
}

/**
 * A shard's real-time index. Every token jiansuo writes is ASCII letters and digits (see
 * tokens.ts), so the charset table lists only those: nothing a document holds can be
 * cut or dropped by Sphinx's own tokenizer.
 */
function shardIndex(name: string, dataDir: string): string {
  return [
    `index ${name}`,
    '{',
    '  type = rt',
    `  path = ${path.join(dataDir, name)}`,
    '  rt_mem_limit = 256M',
    '  dict = keywords',
    '  charset_table = 0..9, a..z',
    '  min_word_len = 1',
    ...FIELDS.map((f) => `  rt_field = ${f}`),
    ...ATTRIBUTES.map(([name, type]) => `  rt_attr_${type} = ${name}`),
    '}',
  ].join('\n');
}

/** Config text of each node: the head's distributed index over `shards`, and each shard's RT index. */
function configs(layout: ClusterLayout): { head: string; shards: string[] } {
  const connect = Math.min(1000, Math.round(layout.agentTimeoutMs / 3));
  const head = [
    `index ${layout.index}`,
    '{',
    '  type = distributed',
    ...layout.shards.map((s) => `  agent = ${layout.host}:${s.apiPort}:${s.name}`),
    `  agent_connect_timeout = ${connect}`,
    `  agent_query_timeout = ${layout.agentTimeoutMs - connect}`,
    '}',
    searchdSection(path.join(layout.dir, 'head'), [`${layout.host}:${layout.head.sqlPort}:mysql41`], layout.agentTimeoutMs),
  ].join('\n');
  const shards = layout.shards.map((s) => {
    const folder = path.join(layout.dir, s.name);
    return [shardIndex(s.name, path.join(folder, 'data')), searchdSection(folder, [`${layout.host}:${s.sqlPort}:mysql41`, `${layout.host}:${s.apiPort}`], layout.agentTimeoutMs)].join('\n');
  });
  return { head, shards };
}

export interface ClusterOptions {
  shards: number;
  /** Index name (letters, digits, underscores). Default `jiansuo`. */
  index?: string;
  /** Address every node listens on. Default 127.0.0.1: keep searchd off public networks. */
  host?: string;
  /** Most time a query waits for a shard before the head answers without it. Default 3000 ms. */
  agentTimeoutMs?: number;
}

/**
 * Writes the configuration of a cluster of `shards` searchd processes plus a head (the
 * distributed index) into `dir`, on free ports, and records the layout in cluster.json.
 * Refuses a directory that already holds a cluster (stop it and choose another).
 */
export async function writeCluster(dir: string, options: ClusterOptions): Promise<ClusterLayout> {
  const index = options.index ?? 'jiansuo';
  if (!/^[a-z][a-z0-9_]*$/.test(index)) throw new BackendError(`The index name "${index}" must be lower-case letters, digits and underscores, starting with a letter.`);
  if (!Number.isInteger(options.shards) || options.shards < 1) throw new BackendError('A cluster needs at least one shard.');
  if (fs.existsSync(path.join(dir, LAYOUT_FILE))) throw new BackendError(`${dir} already holds a cluster (${LAYOUT_FILE}): start it, or choose another directory.`);
  const host = options.host ?? '127.0.0.1';
  const ports: number[] = [];
  // Distinct ports: the system may hand out a port again once its probe closed.
  while (ports.length < 1 + 2 * options.shards) {
    const port = await freePort(host);
    if (!ports.includes(port)) ports.push(port);
  }
  const layout: ClusterLayout = {
    dir: path.resolve(dir),
    host,
    index,
    head: { sqlPort: ports[0] },
    shards: Array.from({ length: options.shards }, (_, k) => ({ name: `${index}_${k}`, sqlPort: ports[1 + 2 * k], apiPort: ports[2 + 2 * k] })),
    agentTimeoutMs: options.agentTimeoutMs ?? 3000,
  };
  const text = configs(layout);
  fs.mkdirSync(path.join(layout.dir, 'head', 'binlog'), { recursive: true });
  fs.writeFileSync(path.join(layout.dir, 'head', 'sphinx.conf'), `${text.head}\n`);
  layout.shards.forEach((s, k) => {
    const folder = path.join(layout.dir, s.name);
    fs.mkdirSync(path.join(folder, 'data'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'binlog'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'sphinx.conf'), `${text.shards[k]}\n`);
  });
  fs.writeFileSync(path.join(layout.dir, LAYOUT_FILE), `${JSON.stringify(layout, null, 2)}\n`);
  return layout;
}

/** The layout recorded in `dir` by writeCluster. */
export function readCluster(dir: string): ClusterLayout {
  const file = path.join(dir, LAYOUT_FILE);
  if (!fs.existsSync(file)) throw new BackendError(`${dir} holds no cluster (no ${LAYOUT_FILE}): create one with scripts/sphinx-cluster.ts create ${dir} --shards N.`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterLayout;
}

/** The folders of every node, shards first, then the head. */
export function nodeFolders(layout: ClusterLayout): string[] {
  return [...layout.shards.map((s) => path.join(layout.dir, s.name)), path.join(layout.dir, 'head')];
}

/** Runs `searchd` with `args`; rejects with its output when it fails. */
function searchd(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('searchd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new BackendError(error.code === 'ENOENT' ? 'searchd is not installed: apt-get install sphinxsearch (or install Manticore Search).' : error.message)),
    );
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new BackendError(`searchd ${args.join(' ')} failed (exit ${code}):\n${output.trim()}`))));
  });
}

/** The pid in a node's pid file, when it has one and that process runs. */
export function runningPid(folder: string): number | undefined {
  const file = path.join(folder, 'searchd.pid');
  if (!fs.existsSync(file)) return undefined;
  const pid = Number(fs.readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Starts one node (a shard's or the head's folder) unless it runs already; resolves once it accepts connections. */
export async function startNode(folder: string): Promise<void> {
  if (runningPid(folder) !== undefined) return;
  await searchd(['--config', path.join(folder, 'sphinx.conf')]);
}

/** Stops one node and waits until it has exited (its RT data flushed); nothing when it does not run. */
export async function stopNode(folder: string): Promise<void> {
  if (runningPid(folder) === undefined) return;
  await searchd(['--config', path.join(folder, 'sphinx.conf'), '--stopwait']);
}

/** Starts every node of the cluster in `dir` (shards first, so that the head finds them). */
export async function startCluster(dir: string): Promise<ClusterLayout> {
  const layout = readCluster(dir);
  for (const folder of nodeFolders(layout)) await startNode(folder);
  return layout;
}

/** Stops every node of the cluster in `dir` that runs (head first); errors of one node do not keep the others running. */
export async function stopCluster(dir: string): Promise<void> {
  const layout = readCluster(dir);
  const failures: string[] = [];
  for (const folder of nodeFolders(layout).reverse()) {
    await stopNode(folder).catch((error: Error) => failures.push(error.message));
  }
  if (failures.length > 0) throw new BackendError(failures.join('\n'));
}
