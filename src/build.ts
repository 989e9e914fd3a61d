import { counted } from './counted';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalyzerSettings, analyzerChanges, analyzerSettings, analyzerSettingsOf, fileSha256 } from './analysis/analyzer';
import { Dictionaries } from './analysis/dictionaries';
import { RejectedDocument } from './document';
import { IndexError, IngestError } from './errors';
import { DEFAULT_BUILD_MEMORY_MB, MemoryFlushPolicy } from './index/flushPolicy';
import { DEFAULT_MERGE_POLICY, MergePolicyOptions } from './index/mergePolicy';
import { buildSegments } from './index/parallelBuild';
import { checkRebuildPlan, planRebuild } from './index/recovery';
import { readManifest } from './index/generation';
import { Manifest, SourceFingerprint, withoutHint } from './index/manifest';
import { SegmentStaging } from './index/segmentStaging';
import { IngestProblem, listSourceFiles, streamSources } from './ingest';

export { DEFAULT_BUILD_MEMORY_MB };

/** Where a build is: reading sources (documents so far), indexing (done of total), or saving. */
export type BuildProgress =
  | { phase: 'reading'; documents: number }
  | { phase: 'indexing'; done: number; total: number }
  | { phase: 'saving' };

export interface BuildOptions {
  /** Source files and directories, as `loadSources` takes them. */
  sources: string[];
  /** The index directory to write. */
  out: string;
  /** Issue date `YYYY-MM-DD` for newspaper pages whose file name carries none. */
  date?: string;
  /** Called as the build advances, e.g. to draw a progress bar. */
  onProgress?: (progress: BuildProgress) => void;
  /** User dictionary and synonyms to build with. Default none. */
  dictionaries?: Dictionaries;
  /**
   * Rebuild even over an index holding updates (add/remove, admin API: dropped) or one
   * holding updates and damaged. Without it such an index is refused with an IndexError
   * saying what would be lost and what to run. A damaged generation is never removed:
   * it is moved into `damaged-<time>/` in `out` either way.
   */
  force?: boolean;
  /**
   * Worker threads segmenting documents while the main thread indexes them; 0 segments on
   * the main thread. Default: `os.availableParallelism()`. The index is the same either way.
   */
  threads?: number;
  /**
   * The peak memory (RSS, in MB of 10^6 bytes) the build aims to stay under: the index is
   * written in segments, each finished when the next would not fit (MemoryFlushPolicy).
   * Default DEFAULT_BUILD_MEMORY_MB. The segments answer exactly as one would.
   */
  memoryMB?: number;
  /**
   * How the segments written are merged at the end (findMerges; DEFAULT_MERGE_POLICY for
   * what is not given, except `maxMergeBytes`, which defaults to buildMergeBytes(memoryMB);
   * `maxMergeBytes: 0`: no merges). Merges stream their segments from disk
   * (mergeSegmentsOnDisk), so their postings fit in the memory the worker threads leave.
   */
  merge?: Partial<MergePolicyOptions>;
  /**
   * A build whose segments, once the merge policy has merged, total at most this many bytes
   * ends by merging them into one, as `jiansuo optimize` would; above it, they end in the fewest
   * runs of adjacent segments totalling at most this many bytes, each merged into one
   * (findFinalRuns: of those, the runs rewriting the fewest bytes). Each
   * segment keeps term tables and lexicons of its own: news-dev as 4 segments takes 1.59× its
   * text, as one 1.50×, and a search then reads one segment instead of gathering several.
   * Default: half of the merge policy's maxMergeBytes, the size above which it leaves a
   * segment as it is (150 MB at the default budget: news-dev's 68 MB is merged into one;
   * news-large's 220 MB is not, but the small segments the tiers leave beside its large ones
   * are; `merge: {maxMergeBytes: 0}` merges nothing); 0: never.
   */
  singleSegmentBytes?: number;
}

/**
 * The largest segment a build's merges write, for a memory budget of `memoryMB`: a third
 * of it. A streamed merge still holds its inputs' tables and builds the merged lexicon in
 * memory, which grows with the merged vocabulary: merging news-large into segments of up
 * to 266 MB peaked at 884 MB, and merging the 5× corpus without this cap (into segments up
 * to 2 GB) at 1,105 MB, over a 900 MB budget. `optimize`, asked for by the user, is not capped.
 */
export function buildMergeBytes(memoryMB: number): number {
  return (memoryMB * 1e6) / 3;
}

export interface BuildSummary {
  documents: number;
  /** Distinct jieba words indexed. */
  words: number;
  /** Distinct character bigrams indexed. */
  bigrams: number;
  /** Size of the index files written. */
  bytes: number;
  /** Segments of the index written, after merges (one unless the documents did not fit in the memory budget at once). */
  segments: number;
  /** Segments the build wrote as its memory budget required, before the merge policy merged some of them. */
  flushedSegments: number;
  /** The highest RSS of the process seen during the build, in bytes (sampled after each batch and segment). */
  peakRss: number;
  /** Source files read. */
  files: number;
  /** Wall-clock time of the whole build. */
  ms: number;
  /** Skipped or suspicious input, by file and line. */
  problems: IngestProblem[];
  /** Documents left out of the index (too long), with why. */
  rejected: RejectedDocument[];
  /** Updates (`add`, `remove`, uploads) the replaced index held since its own build (a forced rebuild): documents added that way are gone. */
  droppedUpdates: number;
  /** Where the damaged generations of the index replaced were moved, if it was damaged. */
  damagedKeptIn?: string;
}

/**
 * Builds the index in `out` from source files: reads them (twice, holding only the
 * documents in flight: streamSources; the first time while the worker threads start), indexes the documents in segments written as the
 * memory budget `memoryMB` requires (MemoryFlushPolicy, SegmentStaging) and commits them
 * as one generation with a fingerprint of every source file, so that `indexIsStale` can
 * later tell whether a rebuild is due. Sources are fingerprinted before they are read:
 * a file changed during the build makes the next check ask for another rebuild rather
 * than hide the change. Throws IngestError when no document could be indexed (the
 * previous index, if any, is then left as it was). Before anything is read, refuses to
 * replace an index holding updates unless `force`, and recovers a lost CURRENT (planRebuild);
 * the check is made again just before writing, in case an update landed meanwhile.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const { onProgress } = options;
  const force = options.force === true;
  const plan = planRebuild(options.out, force);
  const fingerprints: SourceFingerprint[] = [];
  for (const file of await listSourceFiles(options.sources)) fingerprints.push(await fingerprint(file));
  let read = 0;
  // Read a first time while buildSegments starts its worker threads (and they load jieba).
  const reading = streamSources(options.sources, {
    date: options.date,
    onDocument: onProgress && (() => onProgress({ phase: 'reading', documents: ++read })),
  });
  // Awaited through buildSegments; until then, a failure must not count as unhandled.
  reading.catch(() => undefined);
  let total = 0;
  const { userDict, synonyms } = options.dictionaries ?? {};
  const memoryMB = options.memoryMB ?? DEFAULT_BUILD_MEMORY_MB;
  const policy = new MemoryFlushPolicy(memoryMB * 1e6);
  const staging = new SegmentStaging(options.out);
  let documents = 0;
  try {
    // The dictionary is read once and copied into the staging directory, which the workers load it from:
    // the copy the index keeps is exactly what its documents were segmented with, even if the file is edited meanwhile.
    const userDictCopy = userDict === undefined ? undefined : staging.stageUserDict(userDict);
    const settings = analyzerSettingsOf(userDict, userDictCopy?.bytes);
    const documentsRead = reading.then((sources) => {
      total = sources.count;
      return sources.documents;
    });
    const { rejected, words, bigrams } = await buildSegments(documentsRead, {
      threads: options.threads,
      userDict: userDictCopy?.path,
      onIndexed: onProgress && ((done) => onProgress({ phase: 'indexing', done, total })),
      shouldFlush: (bytes) => policy.shouldFlush(bytes),
      onSegment: (data) => {
        documents += data.documentCount;
        if (data.documentCount > 0 || staging.segments === 0) staging.add(data);
        policy.segmentWritten();
      },
    });
    if (documents === 0) {
      throw new IngestError(`none of the ${total} documents found could be indexed: ${rejected[0]?.message ?? 'unknown reason'}`);
    }
    const loaded = await reading;
    onProgress?.({ phase: 'saving' });
    // The worker threads have ended and freed jieba; the merges stream their segments, in bounded memory.
    const flushedSegments = staging.segments;
    const mergePolicy = { ...DEFAULT_MERGE_POLICY, maxMergeBytes: buildMergeBytes(memoryMB), ...options.merge };
    staging.mergeByPolicy(mergePolicy, () => policy.sample());
    staging.mergeRunsUpTo(options.singleSegmentBytes ?? mergePolicy.maxMergeBytes / 2, mergePolicy.maxMergeAtOnce, () => policy.sample());
    // The segments kept get their lexicons and final table files (drafts: SegmentStaging.add).
    await staging.finishDrafts();
    policy.sample();
    let damagedKeptIn: string | undefined;
    const synonymsFile = synonyms ? { path: synonyms, bytes: fs.statSync(synonyms).size, sha256: fileSha256(synonyms) } : undefined;
    const manifest = staging.commit(
      { analyzer: settings, ...(userDictCopy ? { userDictCopy: userDictCopy.bytes } : {}), sources: fingerprints, ...(synonymsFile ? { synonyms: synonymsFile } : {}) },
      {
        beforeWrite: () => checkRebuildPlan(options.out, plan, force),
        ...(plan.setAsideDamaged ? { setAsideDamaged: (folder: string) => (damagedKeptIn = folder) } : {}),
      },
    );
    policy.sample();
    return {
      documents: manifest.documents,
      words,
      bigrams,
      bytes: Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0),
      segments: manifest.segments.length,
      flushedSegments,
      peakRss: policy.peakRss,
      files: loaded.files,
      ms: Math.round(performance.now() - started),
      problems: loaded.problems,
      rejected,
      droppedUpdates: plan.droppedUpdates,
      ...(damagedKeptIn ? { damagedKeptIn } : {}),
    };
  } finally {
    staging.discard();
  }
}

/**
 * Why the index in `out` should be rebuilt from `sources`, or undefined when it is up to
 * date: it is missing, of an older format or damaged; a source file was added, removed
 * or changed (by SHA-256); or the analyzer is not the one it was built with. Only the
 * manifest is read here: the index files' own checksums are verified when it is opened.
 */
export async function indexIsStale(out: string, sources: string[], dictionaries: Dictionaries = {}): Promise<string | undefined> {
  let manifest: Manifest;
  try {
    manifest = readManifest(out).manifest;
  } catch (error) {
    if (error instanceof IndexError) return withoutHint(error.message);
    throw error;
  }
  const analyzer = analyzerChange(manifest.analyzer, analyzerSettings(dictionaries.userDict));
  if (analyzer) return analyzer;
  if (dictionaries.synonyms !== manifest.synonyms?.path) return `the synonyms file changed (${manifest.synonyms?.path ?? 'none'} → ${dictionaries.synonyms ?? 'none'})`;
  const recorded = new Map((manifest.sources ?? []).map((source) => [source.path, source]));
  const current = (await listSourceFiles(sources)).map((file) => [sourcePath(file), file] as const);
  const added = current.filter(([key]) => !recorded.has(key)).map(([key]) => key);
  if (added.length > 0) return `${counted(added.length, 'source file')} added: ${listed(added)}`;
  const currentKeys = new Set(current.map(([key]) => key));
  const removed = [...recorded.keys()].filter((key) => !currentKeys.has(key));
  if (removed.length > 0) return `${counted(removed.length, 'source file')} removed: ${listed(removed)}`;
  const changed: string[] = [];
  for (const [key, file] of current) {
    const before = recorded.get(key);
    if (!before || fs.statSync(file).size !== before.bytes || (await fingerprint(file)).sha256 !== before.sha256) changed.push(key);
  }
  if (changed.length > 0) return `${counted(changed.length, 'source file')} changed: ${listed(changed)}`;
  return undefined;
}

/** Size and SHA-256 of a source file, under its path relative to the working directory. */
async function fingerprint(file: string): Promise<SourceFingerprint> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { path: sourcePath(file), bytes, sha256: hash.digest('hex') };
}

/** A source file's path as recorded in the manifest: relative to the working directory, with `/`. */
function sourcePath(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
}

/**
 * What changed in the analyzer settings, if anything. The user dictionary's path alone is
 * no change (the index keeps a copy of it, see Manifest.userDictCopy; a checkout moved or a
 * command run elsewhere finds the same dictionary under another path): its content is.
 */
function analyzerChange(built: AnalyzerSettings, now: AnalyzerSettings): string | undefined {
  const [change] = analyzerChanges(built, now).filter((key) => key !== 'userDict');
  if (change === undefined) return undefined;
  if (change === 'userDictSha256') {
    if (!now.userDict) return `the user dictionary it was built with (${built?.userDict}) is not given now`;
    return built?.userDict ? `the user dictionary ${now.userDict} changed` : `the user dictionary ${now.userDict} was added`;
  }
  return `the analyzer changed (${change}: ${built?.[change] ?? 'none'} → ${now[change] ?? 'none'})`;
}


/** The first few items of a list, for a one-line message. */
function listed(items: string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}
