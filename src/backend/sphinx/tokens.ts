import { createHash } from 'node:crypto';

/**
 * Tokens written to the shards, made of the letters and digits the index's charset
 * table lists, so that any character a document holds (punctuation, rare CJK, emoji,
 * control characters) survives Sphinx's tokenizer unchanged. Texts are taken in UTF-16
 * units, as the embedded engine's literal matching does.
 */

/** The four hex digits of every UTF-16 unit, made once (65,536 short strings): token building is a table look-up per unit. */
let HEX4: string[] | undefined;
const hex4 = (unit: number): string => (HEX4 ??= Array.from({ length: 0x10000 }, (_, u) => u.toString(16).padStart(4, '0')))[unit];

/** One UTF-16 unit: `u` and its four hex digits. */
export function unigramToken(unit: number): string {
  return `u${hex4(unit)}`;
}

/** Two consecutive UTF-16 units: `g` and their eight hex digits. */
export function bigramToken(first: number, second: number): string {
  return `g${hex4(first)}${hex4(second)}`;
}

/** The bigram tokens of a text in order (none for a text of one unit). */
export function bigramTokens(text: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i + 1 < text.length; i++) tokens.push(bigramToken(text.charCodeAt(i), text.charCodeAt(i + 1)));
  return tokens;
}

/** The unigram tokens of a text in order. */
export function unigramTokens(text: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < text.length; i++) tokens.push(unigramToken(text.charCodeAt(i)));
  return tokens;
}

const wordTokens = new Map<string, string>();
/** Bound on the cache of word tokens (a vocabulary of this size covers a large archive's words). */
const WORD_CACHE = 500_000;

/**
 * A jieba word as one token: `w` and 60 bits of its SHA-1 (words may be longer than Sphinx's
 * longest token; at a million distinct words two collide with odds of about 1 in 2 million).
 */
export function wordToken(word: string): string {
  let token = wordTokens.get(word);
  if (token === undefined) {
    token = `w${createHash('sha1').update(word).digest('hex').slice(0, 15)}`;
    if (wordTokens.size >= WORD_CACHE) wordTokens.clear();
    wordTokens.set(word, token);
  }
  return token;
}

/** A filter value (a reporter's name, a source file) as a 52-bit number, exact in a JavaScript number and a Sphinx bigint. */
export function valueHash(value: string): number {
  return parseInt(createHash('sha1').update(value).digest('hex').slice(0, 13), 16);
}

/** A document id as Sphinx's document number: 63 bits of its SHA-1, as a decimal string (never 0). */
export function documentNumber(id: string): string {
  const n = BigInt(`0x${createHash('sha1').update(id).digest('hex').slice(0, 16)}`) & 0x7fffffffffffffffn;
  return (n === 0n ? 1n : n).toString();
}

/** The shard of `shards` a document id lives on: its document number modulo the shard count, so a replace lands where the old version is. */
export function shardOf(id: string, shards: number): number {
  return Number(BigInt(documentNumber(id)) % BigInt(shards));
}
