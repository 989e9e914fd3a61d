import { IndexError } from '../errors';

/**
 * A byte code for UTF-16 text by the frequency of its code units, which the stored documents
 * are deflated in (docStore.ts, format version 8): the 128 most frequent units of a sample
 * take one byte each, the next 32,512 two, any other three. A Chinese character is two bytes
 * in UTF-16 whose high byte deflate's Huffman codes spend 3–4 bits on; coded by rank, the
 * common ones are one byte, and deflate still finds the same repeats (news-dev's stored
 * documents: 18.16 MB deflated from UTF-16, 15.85 MB from this code with a table from 256 of
 * its documents, the same blocks; a throwaway script). The idea is SCSU's and BOCU's
 * (Unicode's compression schemes for small texts), with a table of the text's own units.
 *
 * Bytes: r < 0x80 is rank r; 0x80 ≤ b < 0xFF starts rank 0x80 + (b − 0x80) × 256 + the next
 * byte; 0xFF is followed by the unit itself (little endian).
 */

const ONE_BYTE = 0x80;
const ESCAPE = 0xff;
/** Ranks a table can give: one-byte ranks and two-byte ranks. */
export const MAX_UNITS = ONE_BYTE + (ESCAPE - ONE_BYTE) * 256;

/** The code of a table: encodes UTF-16 texts into it and decodes them back. */
export class UnitCode {
  /** Per code unit: its rank + 1 (0: not in the table). */
  private readonly rankOf = new Uint16Array(65536);

  /** `units`: the table, code units by rank (at most MAX_UNITS, no repeats). */
  constructor(readonly units: Uint16Array) {
    if (units.length > MAX_UNITS) throw new Error(`a unit code takes at most ${MAX_UNITS} units, not ${units.length}`);
    units.forEach((unit, rank) => (this.rankOf[unit] = rank + 1));
  }

  /** The table of the units of `texts` (UTF-16 little endian), most frequent first (ties: lower unit first). */
  static of(texts: Uint8Array[]): UnitCode {
    const counts = new Float64Array(65536);
    for (const text of texts) for (let i = 0; i + 1 < text.length; i += 2) counts[text[i] | (text[i + 1] << 8)]++;
    const seen: number[] = [];
    counts.forEach((count, unit) => count > 0 && seen.push(unit));
    seen.sort((a, b) => counts[b] - counts[a] || a - b);
    return new UnitCode(Uint16Array.from(seen.slice(0, MAX_UNITS)));
  }

  /** `text` (UTF-16 little endian) in this code. */
  encode(text: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe((text.length >>> 1) * 3);
    let o = 0;
    for (let i = 0; i + 1 < text.length; i += 2) {
      const unit = text[i] | (text[i + 1] << 8);
      const rank = this.rankOf[unit] - 1;
      if (rank < 0) {
        out[o++] = ESCAPE;
        out[o++] = text[i];
        out[o++] = text[i + 1];
      } else if (rank < ONE_BYTE) out[o++] = rank;
      else {
        out[o++] = ONE_BYTE + ((rank - ONE_BYTE) >>> 8);
        out[o++] = (rank - ONE_BYTE) & 0xff;
      }
    }
    return out.subarray(0, o);
  }

  /**
   * The text that `coded` encodes; a code cut short or naming a rank past the table is damage
   * (IndexError). One byte or two are told apart without a branch: a branch between them,
   * mispredicted on about every other unit of Chinese text, took twice the time (news-dev's
   * blocks, 30–33 against 14–17 µs a block, a throwaway script). The units are decoded into
   * memory reused from one call to the next and made into a string: a new array per stored
   * document read was about 8 KB a hit's snippet, 60 MiB a loaded minute of a news-large
   * server's event loop.
   */
  decode(coded: Uint8Array): string {
    if (decodeScratch.length < coded.length) decodeScratch = new Uint16Array(Math.max(coded.length, decodeScratch.length * 2));
    const out = decodeScratch;
    const units = this.units;
    const size = units.length;
    const last = coded.length - 1;
    let o = 0;
    let i = 0;
    while (i < last) {
      const b = coded[i];
      if (b === ESCAPE) {
        if (i + 2 > last) throw damagedCode();
        out[o++] = coded[i + 1] | (coded[i + 2] << 8);
        i += 3;
        continue;
      }
      const two = b >>> 7;
      const rank = (b & (two - 1)) | ((ONE_BYTE + ((b - ONE_BYTE) << 8) + coded[i + 1]) & -two);
      if (rank >= size) throw damagedCode();
      out[o++] = units[rank];
      i += 1 + two;
    }
    if (i === last) {
      if (coded[i] >= ONE_BYTE || coded[i] >= size) throw damagedCode();
      out[o++] = units[coded[i]];
    }
    return Buffer.from(out.buffer, 0, o * 2).toString('utf16le');
  }
}

/** What UnitCode.decode decodes into, grown as needed (each text is made into a string before the next is decoded). */
let decodeScratch = new Uint16Array(4096);

/** What a block whose code cannot be read raises. */
function damagedCode(): IndexError {
  return new IndexError('The stored documents are damaged: a block names a character past its table or ends inside one. Rebuild it with: npx jiansuo index');
}
