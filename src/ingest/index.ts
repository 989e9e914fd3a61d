/** Ingestion: newspaper pages and JSON Lines files into `SearchDocument`s, with problems reported per file and line. */
export { parsePage, type PageOptions } from './page';
export { readJsonl, type JsonlEntry } from './jsonl';
export { loadSources, listSourceFiles, streamSources, type LoadOptions, type LoadResult, type StreamedSources } from './sources';
export { formatProblem, type IngestProblem } from './problem';
export { uploadedDocuments } from './upload';
export { idProblem } from './id';
export { decodeUtf8 } from './utf8';
