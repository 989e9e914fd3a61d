import { AnalyzerSettings } from '../analysis/analyzer';
import type { IndexData } from './data';

/**
 * Version of the on-disk format described in ARCHITECTURE.md. Bump on any change to the
 * segment files (segmentFiles.ts) or the manifest that a reader of the previous version
 * would misread. (Not bumped for Manifest.userDictCopy: a reader without it ignores the copy
 * and reads the dictionary from its recorded path, as before; a writer without it writes
 * a generation without the copy, which this version reads the same way.)
 */
export const FORMAT_VERSION = 8;
/** What manifest.json's `format` says: a jiansuo index. */
export const FORMAT_NAME = 'jiansuo-index';

/** A source file the index was built from: lets `npm start` tell whether the index is stale. */
export interface SourceFingerprint {
  path: string;
  bytes: number;
  sha256: string;
}

/** Sizes of one segment's term tables. */
export interface SegmentStats {
  words: number;
  bigrams: number;
  postingsBytes: number;
}

/**
 * One segment of a generation: an immutable set of index files in the directory `name`
 * (written once, by a build, an `add` or a merge), and which of its documents were
 * deleted since (listed in `<name>.deleted` when any were).
 */
export interface SegmentEntry {
  name: string;
  /** Documents stored in the segment, deleted ones included. */
  documents: number;
  /** Of those, how many are deleted. */
  deleted: number;
  stats: SegmentStats;
}

/** manifest.json of one index generation. */
export interface Manifest {
  format: typeof FORMAT_NAME;
  version: number;
  /** When this generation was written (by a build, an update or a merge). */
  createdAt: string;
  /** Live documents: the segments' documents minus the deleted ones. */
  documents: number;
  analyzer: AnalyzerSettings;
  /**
   * The generation's copy of the user dictionary its documents were segmented with
   * (USER_DICT_COPY, listed in `files`; its SHA-256 is `analyzer.userDictSha256`), which
   * queries and new documents are segmented with, wherever the index was moved and whatever
   * became of the file at `analyzer.userDict`. Absent without a user dictionary, and in
   * indexes written before copies were kept (those read it from `analyzer.userDict`).
   */
  userDictCopy?: typeof USER_DICT_COPY;
  sources: SourceFingerprint[];
  /** The synonyms file in use when the index was built (applied to queries; recorded so `open` finds it again). */
  synonyms?: SourceFingerprint;
  /** The segments, oldest first: documents are numbered in this order. */
  segments: SegmentEntry[];
  /** Number for the next segment's name (segment names are never reused). */
  nextSegment: number;
  /** Updates (`add`, `remove`, uploads, deletions) since the index was built from its sources; absent after a build. */
  updates?: number;
  /** Every file of the generation (paths relative to it), with size and SHA-256. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** The name of a generation's copy of its user dictionary (Manifest.userDictCopy), beside manifest.json. */
export const USER_DICT_COPY = 'user.dict.txt';

/** What a generation records besides its segments. */
export interface GenerationInfo {
  analyzer: AnalyzerSettings;
  /** The user dictionary's content, kept in the generation as its copy (its SHA-256 must be `analyzer.userDictSha256`). */
  userDictCopy?: Uint8Array;
  sources: SourceFingerprint[];
  synonyms?: SourceFingerprint;
  /** Updates since the build (see Manifest.updates). */
  updates?: number;
}

/** A segment for a new generation: written from data, or kept from the current generation (hard-linked, not copied). */
export type PlannedSegment =
  | { name: string; data: IndexData; deleted: Uint32Array }
  | { name: string; kept: SegmentEntry; deleted: Uint32Array };

/** A segment's files already written (fsynced) into a directory of their own, e.g. by a build that writes segments as it goes. */
export interface StagedSegment {
  dir: string;
  entry: SegmentEntry;
  /** Bytes and SHA-256 of each file, by name within the segment. */
  files: Record<string, { bytes: number; sha256: string }>;
  /**
   * A build's segment staged without its lexicon's files (segmentFiles), or merged from one:
   * SegmentStaging.finishDrafts makes them before the segment can enter a generation (writeGeneration refuses it without them).
   */
  withoutLexicon?: boolean;
  /** A build's draft segment (segmentFiles), its table files compressed at DRAFT_TABLE_QUALITY: SegmentStaging.finishDrafts compresses them again as an index's. */
  draftTables?: boolean;
}

/** A segment's files on disk, as a merge streams them (streamingMerge.ts). */
export interface SegmentOnDisk {
  /** The segment's directory. */
  dir: string;
  entry: SegmentEntry;
  /** Bytes and SHA-256 of each of its files, by name within the segment, as its manifest or its staging recorded them. */
  files: StagedSegment['files'];
  /** Ordinals of its deleted documents, ascending. */
  deleted: Uint32Array;
  /** A staged segment without its lexicon (StagedSegment.withoutLexicon): merged into one without either. */
  withoutLexicon?: boolean;
}

/** What writeGeneration takes: planned segments, or segments staged beforehand (moved in, not copied). */
export type GenerationSegment = PlannedSegment | { name: string; staged: StagedSegment; deleted: Uint32Array };

/** How to rebuild (or, `missing`, to build): with --source, since without it `index` builds the demo page, not the user's archive. */
export function rebuildHint(dir: string, missing = false): string {
  return `${missing ? 'Build one' : 'Rebuild it'} with: npx jiansuo index --source <files or directories of your archive> --out ${dir}`;
}

/** An IndexError message without its closing advice ("Rebuild it with: …", "Build one with: …", "Recover it with: …"), for when something is being done about it. */
export function withoutHint(message: string): string {
  return message.replace(/\s*(Rebuild it|Build one|Recover it) with: .*$/s, '');
}
