/**
 * The unit of search: one article or photo caption from a newspaper page, or one
 * record of a JSON Lines file. Every ingester produces these; the index stores them
 * verbatim so that hits, snippets and the article view show the original characters.
 */
export interface SearchDocument {
  /** Stable identifier: `<file stem>-<ordinal>` for newspaper pages, the record's own `id` for JSON Lines. */
  id: string;
  /** Headline as printed (original characters, not normalized). May be empty. */
  title: string;
  /** Second title line of a newspaper article, if any. Searched and ranked as part of the title. */
  subtitle?: string;
  /** Body paragraphs in reading order, column breaks already joined. The searchable body is `paragraphs.join('\n')`. */
  paragraphs: string[];
  /** `photo` for a photo caption ("本报记者 XXX 摄"), otherwise `article`. */
  kind: 'article' | 'photo';
  /** Reporters named in the byline (记者 …, 本报记者 … 摄). */
  reporters: string[];
  /** Correspondents named in the byline (通讯员 …). */
  correspondents: string[];
  /** The source file's base name, e.g. `000_2cd9194f99e4ed8d.txt`. */
  source: string;
  /** Page or broadcast date as `YYYY-MM-DD`, when known. */
  date?: string;
  /** Other fields of a JSON Lines record (category, source, …), returned with the hit unchanged. */
  fields?: Record<string, unknown>;
}

/** The text of a document's body as the index sees it: paragraphs joined by newlines. */
export function bodyText(doc: SearchDocument): string {
  return doc.paragraphs.join('\n');
}

/** The text of a document's title field as the index sees it: title, then subtitle on its own line. */
export function titleText(doc: SearchDocument): string {
  return doc.subtitle ? `${doc.title}\n${doc.subtitle}` : doc.title;
}

/**
 * The UTF-16 units of a document's title, subtitle and paragraphs, one more for each paragraph:
 * what a build counts to close its batches of documents (parallelBuild.ts) and to hand on a
 * JSON Lines document as its line (DocumentLine).
 */
export function fieldUnits(doc: SearchDocument): number {
  let units = doc.title.length + (doc.subtitle?.length ?? 0);
  for (const paragraph of doc.paragraphs) units += paragraph.length + 1;
  return units;
}

/** A document that could not be indexed, and why. */
export interface RejectedDocument {
  id: string;
  message: string;
}
