import { AnalyzedField } from './analyzer';

/**
 * Analyzed fields packed for a `postMessage` between threads. A structured clone of one
 * string[] per field costs a message entry per word (millions in a build); here all the
 * words of a batch travel as one string and their lengths as a transferable Uint32Array.
 * Lengths rather than a separator, because normalized text (and so a word) may hold any
 * character, NUL and newlines included.
 */
export interface PackedFields {
  /** Each field's normalized text. */
  normalized: string[];
  /** Every word of every field, in order, concatenated. */
  words: string;
  /** The UTF-16 length of each word in `words`. */
  wordLengths: Uint32Array;
  /** How many words each field has. */
  wordCounts: Uint32Array;
}

/** Packs analyzed fields for sending; post with `transferList(packed)` so the arrays move rather than copy. */
export function packFields(fields: AnalyzedField[]): PackedFields {
  let total = 0;
  for (const field of fields) total += field.words.length;
  const wordLengths = new Uint32Array(total);
  const wordCounts = new Uint32Array(fields.length);
  const all: string[] = [];
  let k = 0;
  fields.forEach((field, i) => {
    wordCounts[i] = field.words.length;
    for (const word of field.words) {
      wordLengths[k++] = word.length;
      all.push(word);
    }
  });
  return { normalized: fields.map((field) => field.normalized), words: all.join(''), wordLengths, wordCounts };
}

/** The buffers of a packed batch, to transfer rather than copy. */
export function transferList(packed: PackedFields): ArrayBuffer[] {
  return [packed.wordLengths.buffer as ArrayBuffer, packed.wordCounts.buffer as ArrayBuffer];
}

/** The analyzed fields of a packed batch, exactly as they were packed. */
export function unpackFields(packed: PackedFields): AnalyzedField[] {
  const { words, wordLengths, wordCounts } = packed;
  let at = 0;
  let k = 0;
  return packed.normalized.map((normalized, i) => {
    const fieldWords = new Array<string>(wordCounts[i]);
    for (let j = 0; j < fieldWords.length; j++) {
      const end = at + wordLengths[k++];
      fieldWords[j] = words.substring(at, end);
      at = end;
    }
    return { normalized, words: fieldWords };
  });
}

/**
 * What a segmentation worker is sent: a batch number and the field texts to analyze, or
 * `release` when the build is done (the worker frees jieba's memory and ends).
 */
export type AnalysisRequest = { id: number; texts: string[] } | { release: true };

/** What a segmentation worker answers: the batch number and its fields, packed. */
export interface AnalysisReply {
  id: number;
  packed: PackedFields;
}
