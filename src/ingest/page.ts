import * as path from 'node:path';
import type { SearchDocument } from '../document';
import { IngestError } from '../errors';
import { isLead, leadCredits, leadText, splitCaption } from './byline';
import { dateFromFileName, isValidDate } from './date';
import { charLength, isCloser, isSentenceEnd, isTerminated } from './punctuation';
import { deriveTitle } from './title';

/** Options of {@link parsePage}. */
export interface PageOptions {
  /** The page file's path or name; its base name becomes `source`, its stem the id prefix. */
  source: string;
  /** Issue date `YYYY-MM-DD`; defaults to a date in the file name. */
  date?: string;
}

/** A headline is at most this many characters. */
const MAX_TITLE_LENGTH = 40;
/** A paragraph opening that repeats the previous paragraph's end is at most this long. */
const MAX_REPEATED_FRAGMENT = 4;

/** A document being assembled; `derivedFrom` marks one whose title is not printed. */
type Draft = Pick<SearchDocument, 'title' | 'subtitle' | 'paragraphs' | 'kind' | 'reporters' | 'correspondents'> & {
  derivedFrom?: string;
};

interface Heading {
  title: string;
  subtitle?: string;
}

/**
 * Splits the text of one newspaper page into its articles and photo captions, in page
 * order. An article is a headline (one line, or two: title and subtitle) over a lead
 * paragraph beginning 本报讯(记者 … 通讯员 …); a caption is a paragraph ending 本报记者 XXX 摄.
 * Paragraphs cut by column breaks are rejoined, and text before the first headline (an
 * article continued from another page) is kept under a derived title, so no text is lost.
 * Throws IngestError if `options.date` is given but is not a real `YYYY-MM-DD` date.
 */
export function parsePage(text: string, options: PageOptions): SearchDocument[] {
  const source = path.basename(options.source);
  const date = options.date ?? dateFromFileName(source);
  if (date !== undefined && !isValidDate(date)) {
    throw new IngestError(`invalid date "${date}" for ${source}: expected a real date as YYYY-MM-DD, e.g. 2020-07-04`);
  }
  const stem = path.parse(source).name;
  return assemble(pageParagraphs(text)).map((draft, index) => ({
    id: `${stem}-${String(index + 1).padStart(2, '0')}`,
    title: draft.derivedFrom === undefined ? draft.title : deriveTitle(draft.derivedFrom),
    ...(draft.subtitle ? { subtitle: draft.subtitle } : {}),
    paragraphs: draft.paragraphs,
    kind: draft.kind,
    reporters: draft.reporters,
    correspondents: draft.correspondents,
    source,
    ...(date ? { date } : {}),
  }));
}

/** The non-blank lines of a page, trimmed of half- and full-width spaces and a BOM. */
function pageParagraphs(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Groups paragraphs into drafts, in page order (a draft's place is where it starts). */
function assemble(paragraphs: string[]): Draft[] {
  const headings = findHeadings(paragraphs);
  const drafts: Draft[] = [];
  let article: Draft | undefined;
  paragraphs.forEach((paragraph, index) => {
    if (headings.lines.has(index)) return;
    const caption = splitCaption(paragraph);
    if (caption) {
      drafts.push(photo(paragraph, caption.text, caption.photographers));
    } else if (isLead(paragraph)) {
      article = leadArticle(headings.byLead.get(index), paragraph);
      drafts.push(article);
    } else if (article) {
      appendParagraph(article.paragraphs, paragraph);
    } else {
      article = { title: '', derivedFrom: paragraph, paragraphs: [paragraph], kind: 'article', reporters: [], correspondents: [] };
      drafts.push(article);
    }
  });
  return drafts;
}

/** An article opened by a lead, under its printed heading or, lacking one, a derived title. */
function leadArticle(heading: Heading | undefined, lead: string): Draft {
  const body = { paragraphs: [lead], kind: 'article' as const, ...leadCredits(lead) };
  return heading ? { ...heading, ...body } : { title: '', derivedFrom: leadText(lead), ...body };
}

/**
 * The headlines of the page: for each lead, the one or two short unterminated lines right
 * above it (`byLead`, keyed by the lead's index), and the indexes of all headline lines.
 * A line above a one-line headline counts as a title (the headline line then being the
 * subtitle) only if the paragraph above it ends a sentence, so that the tail of a broken
 * paragraph is not mistaken for a title.
 */
function findHeadings(paragraphs: string[]): { byLead: Map<number, Heading>; lines: Set<number> } {
  const byLead = new Map<number, Heading>();
  const lines = new Set<number>();
  const isHeadline = (index: number): boolean =>
    index >= 0 && !lines.has(index) && looksLikeHeadline(paragraphs[index]);
  const endsCleanly = (index: number): boolean =>
    index < 0 || isTerminated(paragraphs[index]) || splitCaption(paragraphs[index]) !== undefined;
  paragraphs.forEach((paragraph, index) => {
    if (!isLead(paragraph) || !isHeadline(index - 1)) return;
    if (isHeadline(index - 2) && endsCleanly(index - 3)) {
      byLead.set(index, { title: paragraphs[index - 2], subtitle: paragraphs[index - 1] });
      lines.add(index - 2);
    } else {
      byLead.set(index, { title: paragraphs[index - 1] });
    }
    lines.add(index - 1);
  });
  return { byLead, lines };
}

/** A short line without sentence punctuation that is neither a lead nor a caption. */
function looksLikeHeadline(paragraph: string): boolean {
  return (
    charLength(paragraph) <= MAX_TITLE_LENGTH &&
    !isTerminated(paragraph) &&
    !paragraph.includes('。') &&
    !isLead(paragraph) &&
    splitCaption(paragraph) === undefined
  );
}

/** A photo caption as a document of its own, titled after its text. */
function photo(paragraph: string, text: string, photographers: string[]): Draft {
  return { title: '', derivedFrom: text, paragraphs: [paragraph], kind: 'photo', reporters: photographers, correspondents: [] };
}

/**
 * Adds a paragraph to an article's body: appended to the previous paragraph when that one
 * was cut off by a column break (no separator: the break fell inside a sentence or word),
 * else as a new paragraph without the sentence tail the break may have repeated.
 */
function appendParagraph(body: string[], paragraph: string): void {
  const last = body.length - 1;
  if (!isTerminated(body[last])) {
    body[last] += paragraph;
    return;
  }
  const rest = paragraph.slice(repeatedFragmentLength(body[last], paragraph));
  if (rest) body.push(rest);
}

/**
 * Length of a short opening fragment of `paragraph` (up to 4 characters, ending in
 * sentence-final punctuation, e.g. `民。`) that repeats the end of `previous` (`…惠及人民。`):
 * a column break printed it twice. 0 when there is none.
 */
function repeatedFragmentLength(previous: string, paragraph: string): number {
  const chars = [...paragraph];
  const end = chars.findIndex(isSentenceEnd);
  if (end < 1 || end >= MAX_REPEATED_FRAGMENT) return 0;
  let stop = end + 1;
  while (stop < chars.length && (isSentenceEnd(chars[stop]) || isCloser(chars[stop]))) stop++;
  const fragment = chars.slice(0, stop).join('');
  return charLength(fragment) <= MAX_REPEATED_FRAGMENT && previous.endsWith(fragment) ? fragment.length : 0;
}
