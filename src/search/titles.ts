import { normalize } from '../analysis/normalize';
import { DocumentTable } from './documentTable';
import { PostingsReader } from '../index/postings';
import { seek } from '../index/sortedDocs';

/** A title as typeahead offers it: its text, its key (see compactText) and its document's number. */
export interface TitleEntry {
  text: string;
  key: string;
  order: number;
}

/** A text normalized the way the index normalizes, white space removed: what typeahead matches on. */
export function compactText(text: string): string {
  return normalize(text).replace(/\s+/gu, '');
}

/**
 * The titles that contain a typed text, found through the index's postings of single
 * UTF-16 units: the documents whose title field holds every unit of the text, then those
 * whose title (normalized, white space removed) contains it whole. Nothing is built
 * ahead: a title's key is worked out the first time it is a candidate, and kept.
 */
export class TitleFinder {
  private readonly keys: Array<string | undefined> = [];

  constructor(
    private readonly reader: PostingsReader,
    private readonly documents: DocumentTable,
  ) {}

  /** Titles (trimmed) whose key contains `key` (already compact), in document order. */
  containing(key: string): TitleEntry[] {
    if (key.length === 0) return [];
    const units = [...new Set(Array.from({ length: key.length }, (_, i) => key.charCodeAt(i)))];
    const lists = units.map((unit) => this.reader.char(unit)).sort((a, b) => a.docs.length - b.docs.length);
    let candidates: number[] = [];
    lists[0].docs.forEach((doc, i) => lists[0].title[i] > 0 && candidates.push(doc));
    // The other lists looked up by each candidate (both ascending), rather than a set of each list's documents: for a
    // common character that set held tens of thousands, and titles' sets were 6% of a loaded server's allocation.
    for (let l = 1; l < lists.length && candidates.length > 0; l++) {
      const { docs, title } = lists[l];
      let at = 0;
      candidates = candidates.filter((doc) => {
        at = seek(docs, doc, at);
        return at < docs.length && docs[at] === doc && title[at] > 0;
      });
    }
    const meta = this.documents.meta();
    const found: TitleEntry[] = [];
    for (const doc of candidates) {
      const title = meta[doc][1];
      const titleKey = (this.keys[doc] ??= compactText(title));
      if (titleKey.includes(key)) found.push({ text: title.trim(), key: titleKey, order: doc });
    }
    return found;
  }
}
