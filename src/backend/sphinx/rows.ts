import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Analyzer } from '../../analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../../document';
import { bigramTokens, documentNumber, unigramTokens, valueHash, wordToken } from './tokens';

/** The stored document as the `doc` attribute holds it: UTF-8 JSON, deflated, in base64 (only letters, digits, +/=: nothing to escape). */
export function encodeDocument(doc: SearchDocument): string {
  return deflateRawSync(Buffer.from(JSON.stringify(doc), 'utf8')).toString('base64');
}

/** The document a `doc` attribute holds. */
export function decodeDocument(stored: string): SearchDocument {
  return JSON.parse(inflateRawSync(Buffer.from(stored, 'base64')).toString('utf8')) as SearchDocument;
}

const hashes = (values: string[]): string => `(${[...new Set(values.map(valueHash))].join(',')})`;

/**
 * One document as the values of an insert (in COLUMNS order), analyzed by jiansuo's own
 * Analyzer exactly as the embedded index analyzes it: the normalized title and body as
 * bigram and unigram tokens, their search-mode jieba words as word tokens. Everything
 * but the document number is ASCII letters, digits and `+/=`, so nothing needs escaping.
 */
export function documentValues(doc: SearchDocument, analyzer: Analyzer, generation: number): string {
  const title = analyzer.analyzeField(titleText(doc));
  const body = analyzer.analyzeField(bodyText(doc));
  const fields = [
    bigramTokens(title.normalized),
    bigramTokens(body.normalized),
    unigramTokens(title.normalized),
    unigramTokens(body.normalized),
    title.words.map(wordToken),
    body.words.map(wordToken),
  ].map((tokens) => `'${tokens.join(' ')}'`);
  return [
    documentNumber(doc.id),
    ...fields,
    `'${encodeDocument(doc)}'`,
    generation,
    valueHash(doc.kind),
    doc.date ? valueHash(doc.date) : 0,
    valueHash(doc.source),
    hashes(doc.reporters),
    hashes(doc.correspondents),
    title.words.length,
    body.words.length,
  ].join(', ');
}
