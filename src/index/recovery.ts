import { counted } from '../counted';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IndexError } from '../errors';
import { withIndexLock } from './lock';
import { checkGeneration, currentGenerationName, generationsNewestFirst, setAside, switchCurrent } from './generation';
import { Manifest } from './manifest';

/** A generation that passed every check, with its manifest. */
export interface CompleteGeneration {
  generation: string;
  manifest: Manifest;
}

/**
 * The state of an index directory, its generations checked in full (manifest, and every
 * file against its SHA-256): `none` (nothing there), `intact` (CURRENT names a complete
 * generation), `pointerLost` (CURRENT is missing or names nothing, and the newest
 * generation is complete: it is what CURRENT named), or `damaged`, with what is wrong,
 * how many updates the damaged generation holds (undefined: cannot tell), and the newest
 * complete generation left, if any.
 */
export type IndexCondition =
  | { state: 'none' }
  | ({ state: 'intact' } & CompleteGeneration)
  | ({ state: 'pointerLost' } & CompleteGeneration)
  | { state: 'damaged'; generation: string; problem: string; updates: number | undefined; fallback?: CompleteGeneration };

/** Checks the index in `dir` (see IndexCondition). Reads every file of the generation CURRENT names, and of the others when that one is damaged. */
export function inspectIndex(dir: string): IndexCondition {
  const generations = generationsNewestFirst(dir);
  const current = currentGenerationName(dir);
  const first = current ?? generations[0];
  if (first === undefined) return { state: 'none' };
  const check = checkGeneration(dir, first);
  if (!check.problem && check.manifest) {
    const found = { generation: first, manifest: check.manifest };
    return current ? { state: 'intact', ...found } : { state: 'pointerLost', ...found };
  }
  let fallback: CompleteGeneration | undefined;
  for (const name of generations) {
    if (name === first) continue;
    const other = checkGeneration(dir, name);
    if (!other.problem && other.manifest) {
      fallback = { generation: name, manifest: other.manifest };
      break;
    }
  }
  const problem = current ? check.problem! : `its CURRENT file is lost, and its newest generation ${first} is damaged: ${check.problem}`;
  return { state: 'damaged', generation: first, problem, updates: heldUpdates(dir, first), fallback };
}

/**
 * How many updates (add/remove, admin API) since its build the generation holds, from its
 * manifest even where that fails other checks; when the manifest cannot be read at all, 0
 * if the generation holds only a build's segment, else undefined (it may hold some).
 */
export function heldUpdates(dir: string, generation: string): number | undefined {
  const generationDir = path.join(dir, generation);
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(generationDir, 'manifest.json'), 'utf8')) as Partial<Manifest>;
    return typeof manifest.updates === 'number' ? manifest.updates : 0;
  } catch {
    const entries = fs.readdirSync(generationDir).filter((entry) => entry.startsWith('seg-'));
    return entries.length === 1 && entries[0] === 'seg-0' ? 0 : undefined;
  }
}


/** What rebuilding from the sources would lose, said as a sentence (empty when nothing). */
function updatesAtStake(updates: number | undefined): string {
  if (updates === 0) return '';
  const held = updates === undefined ? 'Its manifest cannot be read, so it may hold updates' : `It holds ${counted(updates, 'update')}`;
  return ` ${held} (add/remove, admin API) that a rebuild from the sources would lose.`;
}

/**
 * The message for a damaged index: what is damaged, what a rebuild would lose, then the
 * commands to recover or to rebuild anyway, each on a line of its own (`note` goes before them).
 */
export function damageReport(dir: string, condition: Extract<IndexCondition, { state: 'damaged' }>, note = ''): string {
  const aside = `keeping the damaged files in ${path.join(dir, 'damaged-<time>')}${path.sep}`;
  const back = condition.fallback
    ? `\n  To go back to ${condition.fallback.generation} (written ${condition.fallback.manifest.createdAt}, ${counted(condition.fallback.manifest.documents, 'document')}; ` +
      `what was written after it is lost), ${aside}:\n    npx jiansuo recover --index ${dir}`
    : ' No complete generation is left to go back to.';
  return (
    `The index at ${dir} is damaged: ${condition.problem}.${updatesAtStake(condition.updates)}${note}${back}` +
    `\n  To rebuild it from the sources anyway, ${aside}:\n    npx jiansuo index --force --out ${dir}`
  );
}

/** What recoverIndex did. */
export interface Recovery extends CompleteGeneration {
  /** `none`: the index was intact; `pointer`: CURRENT was rewritten to name its newest generation; `fallback`: CURRENT now names an older complete generation. */
  action: 'none' | 'pointer' | 'fallback';
  /** The damaged generations moved aside, and where to (`fallback` only). */
  setAside?: { generations: string[]; folder: string; problem: string };
}

/**
 * Makes the index in `dir` usable again without losing what can be kept, under the index
 * lock: a lost CURRENT is written again to name the newest generation when that one is
 * complete; a damaged current generation is moved into `damaged-<time>/` together with any
 * newer one, and CURRENT switched to the newest complete generation. Never removes
 * anything. Throws IndexError when there is no index, or no complete generation to go
 * back to (saying what is damaged and how to rebuild).
 */
export function recoverIndex(dir: string): Recovery {
  if (!fs.existsSync(dir)) throw new IndexError(`No index found at ${dir}.`);
  return withIndexLock(dir, () => {
    const condition = inspectIndex(dir);
    if (condition.state === 'none') throw new IndexError(`No index found at ${dir}: there is no generation to recover. Build one with: npx jiansuo index --out ${dir}`);
    if (condition.state === 'intact') return { action: 'none', generation: condition.generation, manifest: condition.manifest };
    if (condition.state === 'pointerLost') {
      switchCurrent(dir, condition.generation);
      return { action: 'pointer', generation: condition.generation, manifest: condition.manifest };
    }
    const { fallback } = condition;
    if (!fallback) throw new IndexError(damageReport(dir, condition));
    const all = generationsNewestFirst(dir);
    const newer = all.slice(0, all.indexOf(fallback.generation));
    const generations = newer.includes(condition.generation) ? newer : [condition.generation, ...newer];
    const folder = setAside(dir, generations);
    switchCurrent(dir, fallback.generation);
    return { action: 'fallback', ...fallback, setAside: { generations, folder, problem: condition.problem } };
  });
}

/** A lost CURRENT written again when the newest generation is complete (recoverIndex's safe case); undefined when the index is not in that state. */
export function recoverLostPointer(dir: string): Recovery | undefined {
  if (currentGenerationName(dir) !== undefined || generationsNewestFirst(dir).length === 0) return undefined;
  const condition = inspectIndex(dir);
  return condition.state === 'pointerLost' ? recoverIndex(dir) : undefined;
}

/** What a rebuild over the index in `dir` will do to what is there. */
export interface RebuildPlan {
  /** Updates held by the index replaced (dropped: the rebuild was forced). */
  droppedUpdates: number;
  /** The current generation is damaged: the write moves it aside instead of keeping it. */
  setAsideDamaged: boolean;
  /** The generation CURRENT named when the plan was made. */
  generation?: string;
}

/**
 * Decides, before a rebuild from the sources, whether it may replace the index in `dir`:
 * a lost CURRENT is recovered first (recoverLostPointer); an index holding updates
 * (add/remove, admin API), intact or damaged, is refused with an IndexError saying what a
 * rebuild would lose and what to run instead, unless `force`. A damaged generation is
 * moved aside by the write, never removed.
 */
export function planRebuild(dir: string, force: boolean): RebuildPlan {
  recoverLostPointer(dir);
  const condition = inspectIndex(dir);
  if (condition.state === 'none') return { droppedUpdates: 0, setAsideDamaged: false };
  if (condition.state === 'damaged') {
    if (condition.updates !== 0 && !force) throw new IndexError(damageReport(dir, condition, ' Nothing was changed.'));
    return { droppedUpdates: condition.updates ?? 0, setAsideDamaged: true, generation: condition.generation };
  }
  const updates = condition.manifest.updates ?? 0;
  if (updates > 0 && !force) throw new IndexError(updatesRefusal(dir, updates));
  return { droppedUpdates: updates, setAsideDamaged: false, generation: condition.generation };
}

function updatesRefusal(dir: string, updates: number): string {
  return (
    `Not rebuilding the index at ${dir}: it holds ${counted(updates, 'update')} (add/remove, admin API) since its build that a rebuild from the sources would lose; nothing was changed.` +
    `\n  To rebuild it anyway, run the build again with --force:\n    npx jiansuo index --force --out ${dir}`
  );
}

/**
 * Refuses (under the lock, just before a rebuild writes) when an update was written while
 * the rebuild ran: the plan made at its start no longer holds. Forced rebuilds go ahead.
 */
export function checkRebuildPlan(dir: string, plan: RebuildPlan, force: boolean): void {
  const current = currentGenerationName(dir);
  if (force || current === plan.generation || current === undefined) return;
  const updates = heldUpdates(dir, current) ?? 1;
  if (updates > plan.droppedUpdates) throw new IndexError(updatesRefusal(dir, updates));
}
