// The repository compiles with `moduleResolution: node`, which ignores package `exports`, so
// TypeScript cannot find this subpath's own declarations (dist/commonjs/mandarin.d.ts);
// Node resolves it at run time through the exports map. This repeats that declaration.
declare module '@orama/tokenizers/mandarin' {
  import type { DefaultTokenizer, DefaultTokenizerConfig } from '@orama/orama';
  /** Orama's Mandarin tokenizer: Intl.Segmenter('zh-CN', word granularity), word-like segments only. */
  export function createTokenizer(config?: DefaultTokenizerConfig & { language: 'mandarin' }): DefaultTokenizer;
}
