/**
 * The shards' real-time index schema. Full-text fields hold only tokens jiansuo made
 * (tokens.ts); attributes hold what filters need and the stored document.
 * - `tbg`, `bbg`: the normalized title and body as overlapping character bigrams: a phrase
 *   of consecutive bigrams is an exact literal match;
 * - `tug`, `bug`: the same texts as single characters, for one-character terms;
 * - `tw`, `bw`: jieba's search-mode words of title and body, for BM25F ranking.
 */
export const FIELDS = ['tbg', 'bbg', 'tug', 'bug', 'tw', 'bw'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Attributes: `doc` is the whole SearchDocument (deflated JSON, base64: see
 * ARCHITECTURE.md "Scale-out" for why it lives on the shard); `gen` the time (ms) of the
 * build or update that wrote the row (a rebuild sweeps older rows away at its end); the
 * filter and facet fields as 52-bit hashes of their values (tokens.ts valueHash; 0: none);
 * `tlen`, `blen` the number of words in `tw` and `bw` (the collection's average field
 * lengths, which the head's re-rank needs: rerank.ts).
 */
export const ATTRIBUTES: ReadonlyArray<readonly [string, 'string' | 'uint' | 'bigint' | 'multi_64']> = [
  ['doc', 'string'],
  ['gen', 'bigint'],
  ['kind', 'bigint'],
  ['date', 'bigint'],
  ['source', 'bigint'],
  ['reporter', 'multi_64'],
  ['correspondent', 'multi_64'],
  ['tlen', 'uint'],
  ['blen', 'uint'],
];

/** The columns of an insert, in order: the document number, the fields, the attributes. */
export const COLUMNS = ['id', ...FIELDS, ...ATTRIBUTES.map(([name]) => name)];
