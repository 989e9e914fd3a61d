import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IndexData } from './data';
import { alive, withIndexLock } from './lock';
import { WriteOptions, stageSegment, writeGeneration } from './generation';
import { GenerationInfo, Manifest, StagedSegment } from './manifest';

/** Staging directories are named `.tmp-build-<process id>-<random hex>` inside the index directory. */
const STAGING = /^\.tmp-build-(\d+)-[0-9a-f]+$/;
const NO_DELETIONS = new Uint32Array(0);

/**
 * The segments of a build written to disk as they are finished (see buildSegments), in a
 * staging directory inside the index directory, then moved into one new generation by
 * `commit`: until then nothing a reader sees changes, and a failed build leaves the
 * index as it was (`discard` removes the staging directory; one left by a killed build
 * is removed by the next build).
 */
export class SegmentStaging {
  private readonly dir: string;
  private readonly staged: StagedSegment[] = [];

  constructor(private readonly out: string) {
    fs.mkdirSync(out, { recursive: true });
    removeAbandonedStaging(out);
    this.dir = path.join(out, `.tmp-build-${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  /** Number of segments written so far. */
  get segments(): number {
    return this.staged.length;
  }

  /** Writes the next segment's files (fsynced). */
  add(data: IndexData): void {
    this.staged.push(stageSegment(this.dir, `seg-${this.staged.length}`, data));
  }

  /** Moves the segments into a new generation of the index and makes it current (see writeGeneration), under the index lock. */
  commit(info: GenerationInfo, options: WriteOptions = {}): Manifest {
    const segments = this.staged.map((staged) => ({ name: staged.entry.name, staged, deleted: NO_DELETIONS }));
    const manifest = withIndexLock(this.out, () => writeGeneration(this.out, segments, info, segments.length, options));
    this.discard();
    return manifest;
  }

  /** Removes what was staged and not committed. */
  discard(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Removes staging directories of builds whose process is gone (killed before committing). */
function removeAbandonedStaging(out: string): void {
  for (const entry of fs.readdirSync(out)) {
    const match = STAGING.exec(entry);
    if (match && !alive(Number(match[1]))) fs.rmSync(path.join(out, entry), { recursive: true, force: true });
  }
}
