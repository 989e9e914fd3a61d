import * as fs from 'node:fs';
import * as path from 'node:path';

const CORPUS_DIR = path.resolve(__dirname, '../../../shared/corpus');

/** The value of a whole-number option `--name`, or `fallback` when it is not given; throws naming the option otherwise. */
export function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return n;
}

/** A --corpus value: an existing path, else a file in ../shared/corpus; throws when neither exists. */
export function corpusPath(value: string): string {
  const corpus = fs.existsSync(value) ? path.resolve(value) : path.join(CORPUS_DIR, value);
  if (!fs.existsSync(corpus)) throw new Error(`no corpus at ${corpus}`);
  return corpus;
}
