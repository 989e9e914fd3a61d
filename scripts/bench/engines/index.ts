import { flexsearchCjk, flexsearchJieba } from './flexsearch';
import { jiansuo } from './jiansuo';
import { lunrJieba } from './lunr';
import { minisearchJieba } from './minisearch';
import { oramaMandarin } from './orama';
import { EngineEntry } from './types';

/** Every engine the benchmark knows, in the order the table lists them. */
export const ENGINES: readonly EngineEntry[] = [jiansuo, flexsearchCjk, flexsearchJieba, minisearchJieba, lunrJieba, oramaMandarin];

/** The engine called `name`; throws with the list of names for an unknown one. */
export function engineNamed(name: string): EngineEntry {
  const entry = ENGINES.find((e) => e.name === name);
  if (!entry) throw new Error(`unknown engine "${name}": choose from ${ENGINES.map((e) => e.name).join(', ')}`);
  return entry;
}
