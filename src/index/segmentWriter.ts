import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexBuilder } from './builder';
import { fsyncDir, writeFailure, writeFileSynced } from './generation';
import { SegmentStats, StagedSegment } from './manifest';
import { SegmentTables, segmentTableFiles } from './segmentFiles';

/**
 * Writing a segment's files as they are produced rather than from a segment held whole:
 * the postings and stored documents' blocks (STREAMED_FILES) go to files piece by piece
 * (a build's finished segment, a streamed merge), then the tables are written whole.
 */

/** A file written front to back, hashed as it goes, fsynced when closed. */
export class FileSink {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private closed = false;
  /** Bytes written so far. */
  bytes = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    this.hash.update(bytes);
    this.bytes += bytes.length;
  }

  /** Fsyncs and closes the file; its size and SHA-256. */
  close(): { bytes: number; sha256: string } {
    fs.fsyncSync(this.fd);
    this.closed = true;
    fs.closeSync(this.fd);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Closes the file without syncing it (the write failed and removes it). */
  abandon(): void {
    if (!this.closed) fs.closeSync(this.fd);
    this.closed = true;
  }
}

/**
 * Writes the files of a segment's `tables` (segmentTableFiles) into `outDir` (fsynced, as
 * is the directory) and returns their sizes and SHA-256.
 */
export function writeTableFiles(outDir: string, tables: SegmentTables): StagedSegment['files'] {
  const files: StagedSegment['files'] = {};
  for (const [file, bytes] of Object.entries(segmentTableFiles(tables))) {
    writeFileSynced(path.join(outDir, file), bytes);
    files[file] = { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  fsyncDir(outDir);
  return files;
}

/** A segment's stats for its manifest entry, from its tables and its files' sizes. */
export function stagedStats(tables: SegmentTables, files: StagedSegment['files']): SegmentStats {
  const postingsBytes = ['words', 'bigrams', 'chars'].reduce((sum, family) => sum + files[`${family}.postings`].bytes, 0);
  return { words: tables.wordTerms.length, bigrams: tables.bigramKeys.length, postingsBytes };
}

/**
 * Finishes the segment `builder` holds into the directory `outDir` (created; fsynced) as
 * stageSegment(…, builder.finish()) would write it, byte for byte, but writing its postings
 * and stored blocks as they are laid out (IndexBuilder.finishTo), so that finishing a
 * segment never holds them whole beside the pools they come from. Returns it staged for a
 * generation. On failure `outDir` is removed; a full disk is reported for `indexDir`.
 */
export function stageBuiltSegment(indexDir: string, outDir: string, name: string, builder: IndexBuilder): StagedSegment {
  const sinks = new Map<string, FileSink>();
  const documents = builder.documentCount;
  try {
    fs.mkdirSync(outDir, { recursive: true });
    const tables = builder.finishTo((file) => {
      const sink = new FileSink(path.join(outDir, file));
      sinks.set(file, sink);
      return (bytes) => sink.write(bytes);
    });
    const streamed = (file: string): StagedSegment['files'][string] => sinks.get(file)!.close();
    const blocks = streamed('documents.blocks');
    const [words, bigrams, chars] = [streamed('words.postings'), streamed('bigrams.postings'), streamed('chars.postings')];
    // Listed in stageSegment's order (segmentFiles'), as the manifest lists them.
    const files = { 'documents.blocks': blocks, ...writeTableFiles(outDir, tables), 'words.postings': words, 'bigrams.postings': bigrams, 'chars.postings': chars };
    return { dir: outDir, entry: { name, documents, deleted: 0, stats: stagedStats(tables, files) }, files };
  } catch (error) {
    for (const sink of sinks.values()) sink.abandon();
    fs.rmSync(outDir, { recursive: true, force: true });
    throw writeFailure(indexDir, error, [...sinks.values()].reduce((sum, sink) => sum + sink.bytes, 0));
  }
}
