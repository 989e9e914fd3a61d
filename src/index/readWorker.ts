/**
 * The thread that reads an index generation's files for readSegmentsAsync (generation.ts):
 * each file whole into a SharedArrayBuffer and its SHA-256, so that the event loop, loading
 * jieba meanwhile (about 2.5 s of CPU), neither waits for the reads nor hashes 270 MB
 * itself. It only reads and hashes: the event loop compares each digest with the manifest
 * before it uses a byte.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadFile, ReadRequest } from './generation';

const port = parentPort;
if (!port) throw new Error('readWorker runs as a worker thread of readSegmentsAsync, not on its own');
const { generationDir, names, hashOnly } = workerData as ReadRequest;
/** How much of a file hashed only is read at a time. */
const HASH_CHUNK = 1 << 20;

/** File `name` read whole into shared memory with its SHA-256, or undefined when it cannot be read (the manifest check then names it missing). */
function read(name: string): ReadFile | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path.join(generationDir, name), 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = fs.fstatSync(fd);
    const bytes = Buffer.from(new SharedArrayBuffer(size));
    let done = 0;
    while (done < size) {
      const bytesRead = fs.readSync(fd, bytes, done, size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    const whole = done === size ? bytes : bytes.subarray(0, done);
    return { bytes: whole, size: whole.length, sha256: createHash('sha256').update(whole).digest('hex') };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The size and SHA-256 of the file open as `fd` (opened by the event loop, which keeps it), read a piece at a time, without its bytes; undefined when it cannot be read. */
function hash(fd: number): ReadFile | undefined {
  try {
    const digest = createHash('sha256');
    const piece = Buffer.allocUnsafe(HASH_CHUNK);
    let size = 0;
    for (let got = fs.readSync(fd, piece, 0, HASH_CHUNK, 0); got > 0; got = fs.readSync(fd, piece, 0, HASH_CHUNK, size)) {
      digest.update(piece.subarray(0, got));
      size += got;
    }
    return { size, sha256: digest.digest('hex') };
  } catch {
    return undefined;
  }
}

port.postMessage(names.map((name) => [name, name in hashOnly ? hash(hashOnly[name]) : read(name)] as const));
