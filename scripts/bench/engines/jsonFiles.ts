import * as fs from 'node:fs';
import * as path from 'node:path';

/** How a value too long for one JSON string was split: its keys, each written under `<dir>/<name>/`. */
interface Shape {
  array: boolean;
  keys: string[];
}

const SHAPE_FILE = '.shape.json';

/**
 * Writes `value` as `<dir>/<name>.json`. V8 strings hold at most about 2^29 characters, so
 * a value whose JSON is longer (Orama's saved index of news-large) is written key by key
 * into the directory `<dir>/<name>/` instead, recursively, with its shape beside the keys.
 */
export function writeJsonFiles(dir: string, name: string, value: unknown): void {
  try {
    fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(value));
    return;
  } catch (error) {
    if (!(error instanceof RangeError) || !isPlainContainer(value)) throw error;
  }
  const object = value as Record<string, unknown>;
  // Keys JSON would leave out stay out.
  const keys = Object.keys(object).filter((key) => object[key] !== undefined && typeof object[key] !== 'function');
  const shape: Shape = { array: Array.isArray(value), keys };
  const sub = path.join(dir, name);
  fs.mkdirSync(sub);
  fs.writeFileSync(path.join(sub, SHAPE_FILE), JSON.stringify(shape));
  for (const key of shape.keys) writeJsonFiles(sub, encodeURIComponent(key), object[key]);
}

/** An array or a plain object without toJSON: splitting it by key gives the same JSON. */
function isPlainContainer(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value);
}

/** Reads back what `writeJsonFiles(dir, name, value)` wrote. */
export function readJsonFiles(dir: string, name: string): unknown {
  const file = path.join(dir, `${name}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const sub = path.join(dir, name);
  const shape = JSON.parse(fs.readFileSync(path.join(sub, SHAPE_FILE), 'utf8')) as Shape;
  const object: Record<string, unknown> = shape.array ? ([] as unknown as Record<string, unknown>) : {};
  for (const key of shape.keys) object[key] = readJsonFiles(sub, encodeURIComponent(key));
  return object;
}
