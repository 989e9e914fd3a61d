import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors';
import { IndexData, Lexicon } from './data';
import { alive, withIndexLock } from './lock';
import { WriteOptions, fsyncDir, segmentDirLoader, stageSegment, writeFailure, writeGeneration, writeListedFile } from './generation';
import { FinishThread } from './finishThread';
import { STREAMED_FILES, lexiconFiles, segmentFile } from './segmentFiles';
import { compressTableFile, compressTableFiles } from './tableFiles';
import { GenerationInfo, Manifest, SegmentOnDisk, StagedSegment, USER_DICT_COPY } from './manifest';
import { MergePolicyOptions, SegmentSize, findFinalRuns, findMerges } from './mergePolicy';
import { StreamingMergeOptions, mergeSegmentsOnDisk } from './streamingMerge';

/** Staging directories are named `.tmp-build-<process id>-<random hex>` inside the index directory. */
const STAGING = /^\.tmp-build-(\d+)-[0-9a-f]+$/;
const NO_DELETIONS = new Uint32Array(0);

/**
 * The segments of a build written to disk as they are finished (see buildSegments), in a
 * staging directory inside the index directory, then moved into one new generation by
 * `commit`: until then nothing a reader sees changes, and a failed build leaves the
 * index as it was (`discard` removes the staging directory; one left by a killed build,
 * update or optimize is removed by the next of them). Updates and `optimize` stage their
 * merged segments here too (`merge`) before moving each into a generation.
 */
export class SegmentStaging {
  private readonly dir: string;
  private readonly staged: StagedSegment[] = [];
  /** Number for the next segment's name: a merged segment gets a new one, as in an index (names are never reused). */
  private next = 0;
  /** Whether this staging made `out`: a build that commits nothing then leaves no empty directory behind. */
  private readonly madeOut: boolean;

  constructor(private readonly out: string) {
    this.madeOut = !fs.existsSync(out);
    fs.mkdirSync(out, { recursive: true });
    removeAbandonedStaging(out);
    this.dir = path.join(out, `.tmp-build-${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  /** Number of segments written so far. */
  get segments(): number {
    return this.staged.length;
  }

  /**
   * Copies the user dictionary `file` into the staging directory (read once: a file edited
   * later changes nothing here) and returns the copy's path, for the build's workers to
   * load, and its bytes, for the generation to keep (GenerationInfo.userDictCopy).
   */
  stageUserDict(file: string): { path: string; bytes: Uint8Array } {
    const bytes = fs.readFileSync(file);
    fs.mkdirSync(this.dir, { recursive: true });
    const copy = path.join(this.dir, USER_DICT_COPY);
    fs.writeFileSync(copy, bytes);
    return { path: copy, bytes };
  }

  /**
   * Writes the next segment's files (fsynced). A segment whose lexicon is not made yet (one
   * IndexBuilder.finish flushed: IndexData.lexicon unset) is written as a draft (segmentFiles):
   * without its lexicon, its table files compressed for a merge. A merge of drafts writes no
   * lexicon either, and finishDrafts finishes each segment left unfinished, so
   * pinyin-pro is asked about the words of the segments kept only, and the tables of the
   * segments merged away are compressed cheaply (docs/performance.md, "Drafts: lexicons and
   * table files finished for the segments a build keeps").
   */
  add(data: IndexData): void {
    this.staged.push(stageSegment(this.dir, `seg-${this.next++}`, data, data.lexicon === undefined));
  }

  /**
   * Merges the staged segments as the merge policy plans (findMerges), one merge at a
   * time, each streamed from their files (mergeSegmentsOnDisk: bounded memory, whatever
   * their size) and replacing them by the merged one (the index of their documents, as a
   * build of them alone writes it); the plan is made again after each merge. Returns the
   * number of merges made.
   */
  mergeByPolicy(settings: Partial<MergePolicyOptions>, onMerge?: () => void): number {
    let merges = 0;
    for (;;) {
      const [merge] = findMerges(this.staged.map(stagedSize), settings);
      if (!merge) return merges;
      this.mergeRun(merge.start, merge.end);
      merges++;
      onMerge?.();
    }
  }

  /**
   * Merges each run of adjacent staged segments whose files total at most `maxBytes` into
   * one (findFinalRuns: all of them when they total that little, as `optimize` merges an
   * index), at most `maxMergeAtOnce` at a time (a merge holds the tables of each of its
   * segments). Returns the number of merges made.
   */
  mergeRunsUpTo(maxBytes: number, maxMergeAtOnce: number, onMerge?: () => void): number {
    let merges = 0;
    // From the last run back, so that the positions of the runs before stay as planned.
    const atOnce = Math.max(2, maxMergeAtOnce);
    for (const { start, end } of findFinalRuns(this.staged.map((staged) => stagedSize(staged).bytes), maxBytes).reverse()) {
      // The run's first segments merged into one, which the next merge joins to the segments after it.
      for (let left = end - start; left > 1; ) {
        const joined = Math.min(left, atOnce);
        this.mergeRun(start, start + joined);
        left -= joined - 1;
        merges++;
        onMerge?.();
      }
    }
    return merges;
  }

  /** Replaces the staged segments `[start, end)` by one merged from them, and removes their files. */
  private mergeRun(start: number, end: number): void {
    const inputs = this.staged.slice(start, end);
    const merged = this.merge(
      inputs.map((staged) => ({ dir: staged.dir, entry: staged.entry, files: staged.files, deleted: NO_DELETIONS, withoutLexicon: staged.withoutLexicon })),
      `seg-${this.next++}`,
    );
    this.staged.splice(start, inputs.length, merged);
    for (const staged of inputs) fs.rmSync(staged.dir, { recursive: true, force: true });
  }

  /**
   * Merges segments on disk (those of a generation, or staged here) into a segment named
   * `name` staged here (not listed among the build's segments): what an update or
   * `optimize` then moves into a generation of its own.
   */
  merge(inputs: SegmentOnDisk[], name: string, options: StreamingMergeOptions = {}): StagedSegment {
    return mergeSegmentsOnDisk(this.out, inputs, path.join(this.dir, name), name, options);
  }

  /**
   * Finishes each segment staged unfinished (a draft, or a merge of drafts): its table files
   * compressed again as an index's when they are a draft's (StagedSegment.draftTables), its
   * lexicon made from its words (words.terms) when it has none (StagedSegment.withoutLexicon).
   * Each lexicon is made on a FinishThread of its own, ended after it so that its heap goes
   * with it (made on this thread, some 150 MB per 200 K words stayed after it; one thread kept
   * for all of them grew by some 50–70 MB a segment, and took five times news-large's build to
   * 941 MiB, 105 above its flushes), and begun as soon as the one before has come back: this
   * thread compresses the table files and the lexicon already made meanwhile. The files are those of a segment staged finished, byte for byte, listed in the
   * same order (the lexicon's after `chars.table`); every file read is checked against its
   * SHA-256.
   */
  async finishDrafts(): Promise<void> {
    const unfinished = this.staged.filter((staged) => staged.withoutLexicon || staged.draftTables);
    const withoutLexicon = unfinished.filter((staged) => staged.withoutLexicon);
    let thread: FinishThread | undefined;
    let stopped = false;
    const lexicons: Array<Promise<Lexicon>> = [];
    withoutLexicon.forEach((staged, i) => {
      lexicons.push(
        (lexicons[i - 1] ?? Promise.resolve()).then(async () => {
          if (stopped) throw new BuildError('the build stopped before this lexicon was made');
          const { name } = staged.entry;
          const text = new TextDecoder().decode(segmentFile(this.out, segmentDirLoader(this.out, staged.dir, name, staged.files), name, 'words.terms'));
          thread = new FinishThread();
          try {
            return await thread.lexicon(text.length === 0 ? [] : text.split('\n'));
          } finally {
            await thread.close();
          }
        }),
      );
      // Awaited in turn below; until then, a failure must not count as unhandled.
      lexicons[i].catch(() => undefined);
    });
    try {
      for (const staged of unfinished) {
        const i = withoutLexicon.indexOf(staged);
        await finishStaged(this.out, staged, i < 0 ? undefined : lexicons[i]);
      }
    } finally {
      // A failure leaves no thread making a lexicon, nor any begun after it.
      stopped = true;
      await thread?.close();
    }
  }

  /**
   * Moves the segments into a new generation of the index and makes it current (see
   * writeGeneration), under the index lock. Segments staged unfinished must have been
   * finished (finishDrafts): writeGeneration refuses a segment without its lexicon.
   */
  commit(info: GenerationInfo, options: WriteOptions = {}): Manifest {
    const segments = this.staged.map((staged) => ({ name: staged.entry.name, staged, deleted: NO_DELETIONS }));
    const manifest = withIndexLock(this.out, () => writeGeneration(this.out, segments, info, this.next, options));
    this.discard();
    return manifest;
  }

  /** Removes what was staged and not committed, and `out` itself when this staging made it and it holds nothing. */
  discard(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    if (this.madeOut && fs.existsSync(this.out) && fs.readdirSync(this.out).length === 0) fs.rmdirSync(this.out);
  }
}

/**
 * Finishes the segment `staged` (see SegmentStaging.finishDrafts) with `lexicon`, its lexicon
 * being made, when it has none; `indexDir` names the index in errors.
 */
async function finishStaged(indexDir: string, staged: StagedSegment, lexicon: Promise<Lexicon> | undefined): Promise<void> {
  const { name } = staged.entry;
  const load = segmentDirLoader(indexDir, staged.dir, name, staged.files);
  const written: Record<string, Uint8Array> = {};
  if (staged.draftTables) {
    for (const file of Object.keys(staged.files)) if (!STREAMED_FILES.has(file)) written[file] = compressTableFile(segmentFile(indexDir, load, name, file));
  }
  const lexiconWritten = lexicon ? compressTableFiles(lexiconFiles(await lexicon)) : {};
  const listed: StagedSegment['files'] = {};
  const write = (file: string, bytes: Uint8Array): void => {
    listed[file] = writeListedFile(path.join(staged.dir, file), bytes);
  };
  try {
    for (const [file, info] of Object.entries(staged.files)) {
      if (written[file]) write(file, written[file]);
      else listed[file] = info;
      if (file === 'chars.table') for (const [lexiconFile, bytes] of Object.entries(lexiconWritten)) write(lexiconFile, bytes);
    }
    fsyncDir(staged.dir);
  } catch (error) {
    // A full disk is named with the index directory and what these files need (the build then removes its staging directory).
    throw writeFailure(indexDir, error, [...Object.values(written), ...Object.values(lexiconWritten)].reduce((sum, bytes) => sum + bytes.byteLength, 0));
  }
  staged.files = listed;
  staged.withoutLexicon = false;
  staged.draftTables = false;
}

/** A staged segment's size as the merge policy sees it: the bytes of all its files. */
function stagedSize(staged: StagedSegment): SegmentSize {
  return { bytes: Object.values(staged.files).reduce((sum, file) => sum + file.bytes, 0), documents: staged.entry.documents, deleted: 0 };
}

/** Removes staging directories of builds whose process is gone (killed before committing). */
function removeAbandonedStaging(out: string): void {
  for (const entry of fs.readdirSync(out)) {
    const match = STAGING.exec(entry);
    if (match && !alive(Number(match[1]))) fs.rmSync(path.join(out, entry), { recursive: true, force: true });
  }
}
