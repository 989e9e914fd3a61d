/**
 * What an index costs on disk, file by file and per character of text, and inside the
 * postings what each part of an entry costs (doc gaps, frequencies, positions, block headers) and how much
 * goes to terms of each document frequency: the table the on-disk format is chosen by
 * (README "Index size").
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
import { readManifest, readSegments } from '../src/index/generation';
import { PACKED_RUN, readPacked } from '../src/index/bitPacking';
import { BLOCKED_MIN_DF } from '../src/index/bigramEntry';
import { PACKED_MIN_DF, readBlockHeader } from '../src/index/postingsBlocks';
import { ByteReader } from '../src/index/varint';

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

/** Bytes of the varint just read. */
function readCost(reader: ByteReader): [number, number] {
  const from = reader.pos;
  const value = reader.readVarint();
  return [value, reader.pos - from];
}

const PARTS = {
  positional: ['lists under 128 documents (one bit string each)', 'blocks of 128 documents (one bit string each)', 'block headers (last doc, length)'],
  counts: ['doc gaps', 'heads (body tf + title flag)', 'title tf', 'block headers (last doc, length)'],
};

/** Adds the bytes of a short counts list's varint entries (countsEntry.ts) to the parts they code. */
function varintEntryCosts(reader: ByteReader, df: number, parts: number[]): void {
  for (let i = 0; i < df; i++) {
    parts[0] += readCost(reader)[1];
    const [head, headBytes] = readCost(reader);
    parts[1] += headBytes;
    if ((head & 1) === 1) parts[2] += readCost(reader)[1];
  }
}

/** Adds the bytes of a long list's blocks (postingsBlocks.ts) to the parts they code: a bigram block's body is one bit string (bigramEntry.ts). */
function blockCosts(bytes: Uint8Array, from: number, to: number, df: number, positional: boolean, parts: number[]): void {
  const values = new Uint32Array(PACKED_RUN);
  const header = { lastDoc: -1, end: 0 };
  let pos = from;
  for (let first = 0; first < df; first += PACKED_RUN) {
    const size = Math.min(PACKED_RUN, df - first);
    const body = readBlockHeader(bytes, pos, to, header);
    parts[positional ? 2 : 3] += body - pos;
    pos = body;
    if (positional) parts[1] += header.end - pos;
    else {
      const part = (k: number, count: number): void => {
        const after = readPacked(bytes, pos, header.end, count, values, 0);
        parts[k] += after - pos;
        pos = after;
      };
      part(0, size);
      part(1, size);
      let titled = 0;
      for (let i = 0; i < size; i++) titled += values[i] & 1;
      part(2, titled);
    }
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
  const out = bands.map(() => ({ terms: 0, entries: 0, bytes: 0 }));
  for (let term = 0; term < family.df.length; term++) {
    const df = family.df[term];
    const band = out[bands.findIndex((high) => df <= high)];
    band.terms++;
    band.entries += df;
    band.bytes += family.offsets[term + 1] - family.offsets[term];
    if (positional && df < BLOCKED_MIN_DF) sums[0] += family.offsets[term + 1] - family.offsets[term];
    else if (df < PACKED_MIN_DF) varintEntryCosts(new ByteReader(family.postings, family.offsets[term], family.offsets[term + 1]), df, sums);
    else blockCosts(family.postings, family.offsets[term], family.offsets[term + 1], df, positional, sums);
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
