/**
 * What an index costs on disk, file by file and per character of text, and inside the
 * postings what each part of an entry costs (doc gaps, frequencies, positions, block headers) and how much
 * goes to terms of each document frequency: the table the on-disk format is chosen by
 * (docs/performance.md "Index size").
 *
 *   npx tsx scripts/indexSize.ts --index DIR [--json]
 *
 * DIR is an index directory; every segment of its current generation is counted (one
 * segment after `jiansuo optimize` gives the clearest figures). The text is the stored
 * documents' title and body fields (UTF-8 bytes, as the benchmark counts them, and characters).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SearchDocument, bodyText, titleText } from '../src/document';
import { IndexData, PostingsFamily } from '../src/index/data';
import { DocStoreReader } from '../src/index/docStore';
import { wholeBytes } from '../src/index/indexFile';
import { readManifest, readSegments } from '../src/index/generation';
import { gammaAt, gammaLength, riceAt, riceLength } from '../src/index/bitCodes';
import { BLOCKED_MIN_DF } from '../src/index/bigramEntry';
import { PACKED_MIN_DF, PACKED_RUN, readBlockHeader } from '../src/index/postingsBlocks';

const MB = 1e6;
/** Upper bounds of the document-frequency bands the postings are split into. */
const DF_BANDS = [1, 10, 100, 1000, 10_000, Infinity];

interface TextSize {
  bytes: number;
  chars: number;
}

function textSize(data: IndexData): TextSize {
  const reader = new DocStoreReader(data.documents);
  const decoder = new TextDecoder();
  let bytes = 0;
  let chars = 0;
  for (let n = 0; n < reader.documentCount; n++) {
    const doc = JSON.parse(decoder.decode(reader.get(n))) as SearchDocument;
    for (const text of [titleText(doc), bodyText(doc)]) {
      bytes += Buffer.byteLength(text);
      chars += [...text].length;
    }
  }
  return { bytes, chars };
}

interface FamilyCosts {
  /** Bytes by part of an entry. */
  parts: Record<string, number>;
  /** Per document-frequency band: terms, entries (documents) and bytes. */
  bands: Array<{ terms: number; entries: number; bytes: number }>;
}

const PARTS = {
  positional: ['lists under 128 documents (one bit string each)', 'blocks of 128 documents (one bit string each)', 'block headers (last doc, length)'],
  counts: ['doc gaps (and their Rice parameter)', 'body tf', 'title tf (count, index gaps, counts)', 'padding to a byte', 'block headers (last doc, length)'],
};

/** Adds the bytes of one counts bit string (countsEntry.ts's writeRun) of `size` documents at `bytes[from…)` to the parts they code, in fractions of a byte. */
function countsRunCosts(bytes: Uint8Array, from: number, size: number, parts: number[]): number {
  const b = bytes[from] & 31;
  let bit = from * 8 + 5;
  const start = bit;
  for (let i = 0; i < size; i++) bit += riceLength(riceAt(bytes, bit, b), b);
  parts[0] += (bit - start + 5) / 8;
  const titleStart = bit;
  const titled = gammaAt(bytes, bit) - 1;
  bit += gammaLength(titled + 1);
  const g = titled > 0 ? Math.min(24, Math.max(0, 31 - Math.clz32(Math.floor(size / titled)) - 1)) : 0;
  for (let t = 0; t < titled; t++) {
    bit += riceLength(riceAt(bytes, bit, g), g);
    bit += gammaLength(gammaAt(bytes, bit));
  }
  parts[2] += (bit - titleStart) / 8;
  const bodyStart = bit;
  for (let i = 0; i < size; i++) bit += gammaLength(gammaAt(bytes, bit));
  parts[1] += (bit - bodyStart) / 8;
  const end = (bit + 7) >>> 3;
  parts[3] += end - bit / 8;
  return end;
}

/** Adds the bytes of a long list's blocks (postingsBlocks.ts) to the parts they code: a block's body is one bit string (bigramEntry.ts, countsEntry.ts). */
function blockCosts(bytes: Uint8Array, from: number, to: number, df: number, positional: boolean, parts: number[]): void {
  const header = { lastDoc: -1, end: 0 };
  let pos = from;
  for (let first = 0; first < df; first += PACKED_RUN) {
    const size = Math.min(PACKED_RUN, df - first);
    const body = readBlockHeader(bytes, pos, to, header);
    parts[positional ? 2 : 4] += body - pos;
    pos = body;
    if (positional) parts[1] += header.end - pos;
    else countsRunCosts(bytes, pos, size, parts);
    pos = header.end;
  }
}

/**
 * Walks a family's postings list by list (short lists entry by entry, long ones block by
 * block), attributing each byte to the part of an entry it codes.
 */
function familyCosts(family: PostingsFamily, positional: boolean, bands: readonly number[]): FamilyCosts {
  const keys = positional ? PARTS.positional : PARTS.counts;
  const sums = keys.map(() => 0);
  const postings = wholeBytes(family.postings);
  const out = bands.map(() => ({ terms: 0, entries: 0, bytes: 0 }));
  for (let term = 0; term < family.df.length; term++) {
    const df = family.df[term];
    const band = out[bands.findIndex((high) => df <= high)];
    band.terms++;
    band.entries += df;
    band.bytes += family.offsets[term + 1] - family.offsets[term];
    if (positional && df < BLOCKED_MIN_DF) sums[0] += family.offsets[term + 1] - family.offsets[term];
    else if (df === 0) continue;
    else if (df < PACKED_MIN_DF) countsRunCosts(postings, family.offsets[term], df, sums);
    else blockCosts(postings, family.offsets[term], family.offsets[term + 1], df, positional, sums);
  }
  return { parts: Object.fromEntries(keys.map((key, i) => [key, sums[i]])), bands: out };
}

function bandName(index: number): string {
  const low = index === 0 ? 1 : DF_BANDS[index - 1] + 1;
  const high = DF_BANDS[index];
  if (low === high) return `df ${low}`;
  return high === Infinity ? `df ≥ ${low.toLocaleString('en')}` : `df ${low.toLocaleString('en')}–${high.toLocaleString('en')}`;
}

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

function main(): void {
  const { values } = parseArgs({ options: { index: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (!values.index) throw new Error('usage: npx tsx scripts/indexSize.ts --index DIR [--json]');
  const dir = path.resolve(values.index);
  const { manifest } = readManifest(dir);
  const { segments } = readSegments(dir);
  const text = segments.map((s) => textSize(s.data)).reduce((a, b) => ({ bytes: a.bytes + b.bytes, chars: a.chars + b.chars }));

  // Files by their name within a segment, summed over segments; the manifest and deletions apart.
  const files = new Map<string, number>();
  for (const [name, { bytes }] of Object.entries(manifest.files)) {
    const key = name.includes('/') ? name.slice(name.indexOf('/') + 1) : name.replace(/^seg-\d+/, '<segment>');
    files.set(key, (files.get(key) ?? 0) + bytes);
  }
  const total = [...files.values()].reduce((a, b) => a + b, 0);

  const families: Array<[string, (data: IndexData) => PostingsFamily, boolean]> = [
    ['bigrams', (d) => d.bigrams, true],
    ['words', (d) => d.words, false],
    ['chars', (d) => d.chars, false],
  ];
  const costs = families.map(([name, pick, positional]) => {
    const parts = segments.map((s) => familyCosts(pick(s.data), positional, DF_BANDS));
    const sum = parts.reduce((a, b) => ({
      parts: Object.fromEntries(Object.keys(a.parts).map((k) => [k, a.parts[k] + b.parts[k]])),
      bands: a.bands.map((band, i) => ({ terms: band.terms + b.bands[i].terms, entries: band.entries + b.bands[i].entries, bytes: band.bytes + b.bands[i].bytes })),
    }));
    return { name, ...sum };
  });

  if (values.json) {
    console.log(JSON.stringify({ dir, segments: segments.length, text, total, files: Object.fromEntries(files), postings: costs }, null, 2));
    return;
  }
  console.log(`${dir}: ${segments.length} segment(s), ${manifest.documents} documents; text ${(text.bytes / MB).toFixed(1)} MB UTF-8, ${(text.chars / MB).toFixed(2)} M characters`);
  console.log(`index ${(total / MB).toFixed(1)} MB = ${(total / text.bytes).toFixed(2)}× the text\n`);
  console.log(row(['file', 'MB', 'bytes / character', '× text', 'share']));
  console.log(row(['---', '---:', '---:', '---:', '---:']));
  for (const [name, bytes] of [...files].sort((a, b) => b[1] - a[1])) {
    console.log(row([name, (bytes / MB).toFixed(2), (bytes / text.chars).toFixed(3), (bytes / text.bytes).toFixed(3), `${((100 * bytes) / total).toFixed(1)}%`]));
  }
  console.log(row(['**all**', (total / MB).toFixed(2), (total / text.chars).toFixed(3), (total / text.bytes).toFixed(3), '100%']));
  for (const family of costs) {
    const bytes = Object.values(family.parts).reduce((a, b) => a + b, 0);
    console.log(`\n${family.name}.postings by part of an entry (${(bytes / MB).toFixed(2)} MB):\n`);
    console.log(row(['part', 'MB', 'bytes / character', 'share']));
    console.log(row(['---', '---:', '---:', '---:']));
    for (const [part, b] of Object.entries(family.parts)) console.log(row([part, (b / MB).toFixed(2), (b / text.chars).toFixed(3), `${((100 * b) / bytes).toFixed(1)}%`]));
    console.log(`\n${family.name}.postings by document frequency:\n`);
    console.log(row(['band', 'terms', 'entries', 'MB', 'share', 'bytes / entry']));
    console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
    family.bands.forEach((band, i) => {
      if (band.terms === 0) return;
      console.log(row([bandName(i), band.terms.toLocaleString('en'), band.entries.toLocaleString('en'), (band.bytes / MB).toFixed(2), `${((100 * band.bytes) / bytes).toFixed(1)}%`, (band.bytes / band.entries).toFixed(2)]));
    });
  }
}

main();
