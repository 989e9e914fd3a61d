import { BackendError } from '../../errors';

/** A SphinxQL address. */
export interface SqlAddress {
  host: string;
  port: number;
}

/** What a `sphinx://` backend URL names. */
export interface SphinxUrl {
  /** The searchd holding the distributed index (SphinxQL port): every search goes there. */
  head: SqlAddress;
  /** The distributed index; shard k holds `<index>_k`. */
  index: string;
  /** The shards' SphinxQL addresses (`?shards=host:port,…`), needed to write: index, add, remove. */
  shards: SqlAddress[];
}

const EXAMPLE = 'sphinx://127.0.0.1:9306/jiansuo?shards=127.0.0.1:9312,127.0.0.1:9314';

function address(text: string, what: string): SqlAddress {
  const match = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : 0;
  if (!match || port < 1 || port > 65535) throw new BackendError(`The ${what} "${text}" must be host:port with a port from 1 to 65535, e.g. ${EXAMPLE}`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/** Parses `sphinx://host:port/index[?shards=host:port,…]`; throws BackendError saying what is wrong. */
export function parseSphinxUrl(text: string): SphinxUrl {
  const match = /^sphinx:\/\/([^/?#]+)\/([^/?#]*)(?:\?([^#]*))?$/.exec(text);
  if (!match) throw new BackendError(`The backend "${text}" is not a sphinx:// URL; give one like ${EXAMPLE}`);
  const index = match[2];
  if (!/^[a-z][a-z0-9_]*$/.test(index)) throw new BackendError(`The backend URL must name the distributed index after the address (lower-case letters, digits, _), e.g. ${EXAMPLE}`);
  const params = new URLSearchParams(match[3] ?? '');
  for (const key of params.keys()) if (key !== 'shards') throw new BackendError(`Unknown backend URL parameter "${key}": only shards=host:port,… is understood.`);
  const shards = (params.get('shards') ?? '').split(',').filter((s) => s !== '').map((s) => address(s, 'shard address'));
  return { head: address(match[1], 'backend address'), index, shards };
}
