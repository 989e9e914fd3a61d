import * as fs from 'node:fs';
import { Analyzer, analyzerChanges, analyzerSettingsOf, bytesSha256 } from './analysis/analyzer';
import { RejectedDocument, SearchDocument } from './document';
import { IndexError, UpdateError } from './errors';
import { IndexBuilder, addOrReject } from './index/builder';
import { withIndexLock } from './index/lock';
import { MergePolicyOptions, findMerges, segmentSize } from './index/mergePolicy';
import { UserDictCopy, currentSegmentsOnDisk, readManifest, readSegmentIds, writeGeneration } from './index/generation';
import { GenerationInfo, GenerationSegment, Manifest, PlannedSegment, SegmentEntry } from './index/manifest';
import { NO_DELETIONS } from './index/segmentFiles';
import { SegmentStaging } from './index/segmentStaging';

export interface IndexChange {
  /** Documents to add; a document whose id is already in the index replaces it (so does a later one with the same id in this list). */
  add?: SearchDocument[];
  /** Ids of documents to remove. Every id must be in the index, or nothing is changed. */
  remove?: string[];
}

export interface UpdateSummary {
  /** Documents added whose id was new. */
  added: number;
  /** Documents added that replaced one with the same id. */
  replaced: number;
  /** Documents removed by id. */
  removed: number;
  /** Documents left out (too long to index), with why; a replaced document stays as it was. */
  rejected: RejectedDocument[];
  /** Live documents in the index afterwards. */
  documents: number;
  /** Segments of the index afterwards. */
  segments: number;
  /** Whether this update merged segments (as the merge policy plans: see mergeByPolicy). */
  merged: boolean;
  ms: number;
}

/**
 * Adds, replaces and removes documents in the index in `dir` without rebuilding it: the
 * new documents are analyzed into a new segment, the ones they replace and the removed
 * ones are marked deleted in theirs, and a new generation is written and switched to
 * crash-safely (a process killed at any moment leaves either the old index or the new
 * one, never a mix; see writeGeneration). Then segments are merged as the merge policy
 * plans (`mergePolicy`, DEFAULT_MERGE_POLICY for what is not given; see mergeByPolicy), each merge
 * loading only its own segments and written as a generation of its own. Documents are
 * analyzed as the index was built: with the index's copy of its user dictionary, whatever
 * became of the file it was copied from (an index written before copies were kept: the
 * file at the path its manifest records, which must be unchanged). Throws UpdateError
 * (changing nothing) for unknown ids or, in such an older index, a changed or missing
 * dictionary; IndexError for a missing or damaged index (its copy of the dictionary
 * included) or one being written by another process.
 */
export function updateIndex(dir: string, change: IndexChange, mergePolicy: Partial<MergePolicyOptions> = {}): UpdateSummary {
  const started = performance.now();
  readManifest(dir); // a missing or unreadable index is reported before anything is created or locked
  return withIndexLock(dir, () => {
    const { manifest, userDict, segments } = readSegmentIds(dir);
    const where = new Map<string, { segment: number; ordinal: number }>();
    const deleted = segments.map(({ deleted: marks }) => new Set(marks));
    segments.forEach(({ ids }, segment) => ids.forEach((id, ordinal) => deleted[segment].has(ordinal) || where.set(id, { segment, ordinal })));

    const missing = (change.remove ?? []).filter((id) => !where.has(id));
    if (missing.length > 0) {
      const shown = missing.slice(0, 5).map((id) => JSON.stringify(id)).join(', ');
      throw new UpdateError(`no document with id ${shown}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} in the index at ${dir}; nothing was changed`, missing);
    }
    const remove = (id: string): void => {
      const at = where.get(id);
      if (!at) return;
      deleted[at.segment].add(at.ordinal);
      where.delete(id);
    };
    const removeIds = new Set(change.remove ?? []);
    removeIds.forEach(remove);

    const rejected: RejectedDocument[] = [];
    const adding = lastOfEachId(change.add ?? []);
    let added = 0;
    let replaced = 0;
    const planned: PlannedSegment[] = [];
    let nextSegment = manifest.nextSegment;
    if (adding.length > 0) {
      const builder = new IndexBuilder(analyzerOf(manifest, dir, userDict));
      for (const doc of adding) {
        if (!addOrReject(doc.id, rejected, () => builder.add(doc))) continue;
        if (where.has(doc.id)) {
          replaced++;
          remove(doc.id);
        } else added++;
      }
      if (builder.documentCount > 0) planned.push({ name: `seg-${nextSegment++}`, data: builder.finish(), deleted: new Uint32Array(0) });
    }
    const summary = { added, replaced, removed: removeIds.size, rejected };
    if (added + replaced + removeIds.size === 0) {
      return { ...summary, merged: false, documents: manifest.documents, segments: segments.length, ms: elapsed(started) };
    }
    const kept: PlannedSegment[] = segments
      .map(({ entry }, s) => ({ name: entry.name, kept: entry, deleted: Uint32Array.from([...deleted[s]].sort((a, b) => a - b)) }))
      .filter((segment) => segment.deleted.length < segment.kept.documents);
    const plan = [...kept, ...planned];
    const info = { ...generationInfo(manifest, userDict), updates: (manifest.updates ?? 0) + 1 };
    const updated = writeGeneration(dir, plan, info, nextSegment);
    const { manifest: written, merges } = mergeByPolicy(dir, updated, new Map(plan.map((segment) => [segment.name, segment.deleted])), info, mergePolicy);
    return { ...summary, merged: merges > 0, documents: written.documents, segments: written.segments.length, ms: elapsed(started) };
  });
}

/**
 * Merges segments of the index in `dir`, whose current generation is `manifest`, as the
 * merge policy plans (findMerges over the segments' sizes and deletions), one merge at a
 * time, each streamed from its segments' files (mergeSegmentsOnDisk: memory bounded
 * whatever their size) into a staging directory and written as a new generation of its
 * own, the other segments hard-linked with their deletion marks (`deleted`, by segment
 * name), so a process killed during or between merges leaves a complete index (and a
 * staging directory the next writer removes). Returns the last generation written and the
 * number of merges. The caller holds the index lock.
 */
function mergeByPolicy(
  dir: string,
  manifest: Manifest,
  deleted: Map<string, Uint32Array>,
  info: GenerationInfo,
  policy: Partial<MergePolicyOptions>,
): { manifest: Manifest; merges: number } {
  let current = manifest;
  let merges = 0;
  for (;;) {
    const [merge] = findMerges(current.segments.map((entry) => segmentSize(current, entry)), policy);
    if (!merge) return { manifest: current, merges };
    const { segments } = currentSegmentsOnDisk(dir);
    const name = `seg-${current.nextSegment}`;
    const written = withStaging(dir, (staging) => {
      const merged = staging.merge(segments.slice(merge.start, merge.end), name);
      const plan: GenerationSegment[] = [
        ...current.segments.slice(0, merge.start).map((entry) => keptSegment(entry, deleted)),
        { name, staged: merged, deleted: NO_DELETIONS },
        ...current.segments.slice(merge.end).map((entry) => keptSegment(entry, deleted)),
      ];
      return writeGeneration(dir, plan, info, current.nextSegment + 1);
    });
    current = written;
    merges++;
  }
}

/** Runs `write` with a staging directory in the index directory `dir`, removed afterwards (whatever `write` did not move into a generation). */
function withStaging<T>(dir: string, write: (staging: SegmentStaging) => T): T {
  const staging = new SegmentStaging(dir);
  try {
    return write(staging);
  } finally {
    staging.discard();
  }
}

/** A segment of the current generation kept as it is, with its deletion marks. */
function keptSegment(entry: SegmentEntry, deleted: Map<string, Uint32Array>): PlannedSegment {
  return { name: entry.name, kept: entry, deleted: deleted.get(entry.name) ?? new Uint32Array(0) };
}

/**
 * Merges every segment of the index in `dir` into one, without its deleted documents
 * (`jiansuo optimize`): the same index a fresh build of its documents would give, found
 * by opening one segment instead of merging several in memory. Streamed from the segments'
 * files like the merges of builds and updates (mergeSegmentsOnDisk), so its memory does not
 * grow with the index. Does nothing for an index that is already one segment without deletions.
 */
export function optimizeIndex(dir: string): { documents: number; segmentsBefore: number; deletedBefore: number; ms: number } {
  const started = performance.now();
  readManifest(dir);
  return withIndexLock(dir, () => {
    const { manifest, userDict, segments } = currentSegmentsOnDisk(dir);
    const deletedBefore = segments.reduce((sum, s) => sum + s.deleted.length, 0);
    if (segments.length <= 1 && deletedBefore === 0) {
      return { documents: manifest.documents, segmentsBefore: segments.length, deletedBefore, ms: elapsed(started) };
    }
    const name = `seg-${manifest.nextSegment}`;
    const written = withStaging(dir, (staging) =>
      writeGeneration(dir, [{ name, staged: staging.merge(segments, name), deleted: NO_DELETIONS }], generationInfo(manifest, userDict), manifest.nextSegment + 1),
    );
    return { documents: written.documents, segmentsBefore: segments.length, deletedBefore, ms: elapsed(started) };
  });
}

/** The documents with, for each id, only its last occurrence (where it stands). */
function lastOfEachId(documents: SearchDocument[]): SearchDocument[] {
  const last = new Map<string, number>();
  documents.forEach((doc, i) => last.set(doc.id, i));
  return documents.filter((doc, i) => last.get(doc.id) === i);
}

/**
 * The analyzer the index was built with: segmenting with `copy`, the index's copy of its
 * user dictionary (read and checked), when it has one; else with the file at the path its
 * manifest records, refusing when that is gone or changed.
 */
function analyzerOf(manifest: Manifest, dir: string, copy: UserDictCopy | undefined): Analyzer {
  if (copy) return Analyzer.ofCopy(copy.path, copy.bytes, manifest.analyzer.userDict);
  const { userDict } = manifest.analyzer;
  const bytes = userDict ? readIfThere(userDict) : undefined;
  if (userDict && (!bytes || analyzerChanges(manifest.analyzer, analyzerSettingsOf(userDict, bytes)).includes('userDictSha256'))) {
    throw new UpdateError(
      `the user dictionary ${userDict} ${bytes ? 'changed' : 'is gone'} since the index at ${dir} was built: ` +
        'new documents would be segmented unlike the others. Rebuild the index (npx jiansuo index) first.',
      [],
    );
  }
  return new Analyzer({ userDict, userDictBytes: bytes });
}

/** A file's bytes, or undefined when it cannot be read. */
function readIfThere(file: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * What a generation written by an update or a merge keeps from the current one: its
 * analyzer settings, sources, synonyms and update count, and the copy of its user
 * dictionary (`copy`). A generation without one whose manifest records a dictionary
 * (written before copies were kept) gets one from the file at the recorded path when that
 * file still has the recorded SHA-256, that is, is the very dictionary its documents were
 * segmented with: from then on the index no longer needs the file.
 */
function generationInfo(manifest: Manifest, copy: UserDictCopy | undefined): GenerationInfo {
  const { userDict, userDictSha256 } = manifest.analyzer;
  const recorded = !copy && userDict ? readIfThere(userDict) : undefined;
  const userDictCopy = copy?.bytes ?? (recorded && bytesSha256(recorded) === userDictSha256 ? recorded : undefined);
  return {
    analyzer: manifest.analyzer,
    ...(userDictCopy ? { userDictCopy } : {}),
    sources: manifest.sources,
    ...(manifest.synonyms ? { synonyms: manifest.synonyms } : {}),
    ...(manifest.updates ? { updates: manifest.updates } : {}),
  };
}

/**
 * How many updates the index in `dir` holds since it was built from its sources (0 when
 * none, or when it cannot be read): a rebuild from the sources would drop their documents.
 */
export function updatesSinceBuild(dir: string): number {
  try {
    return readManifest(dir).manifest.updates ?? 0;
  } catch (error) {
    if (error instanceof IndexError) return 0;
    throw error;
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
