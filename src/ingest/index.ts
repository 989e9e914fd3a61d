/** Ingestion: newspaper pages and JSON Lines files into `SearchDocument`s, with problems reported per file and line. */
export { parsePage, type PageOptions } from './page';
export { documentOfLine, readJsonl, type JsonlEntry } from './jsonl';
export {
  documentOf,
  isDocumentLine,
  loadSources,
  listSourceFiles,
  streamSources,
  type DocumentLine,
  type LoadOptions,
  type LoadResult,
  type SourceDocument,
  type StreamedSources,
} from './sources';
export { formatProblem, type IngestProblem } from './problem';
export { uploadedDocuments } from './upload';
export { idProblem } from './id';
export { decodeUtf8 } from './utf8';
