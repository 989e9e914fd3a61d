import { z } from 'zod';
import { parseFilterText } from '../search/fields';
import { FILTER_FIELDS, SORT_ORDERS, SearchFilter } from '../search/types';
import { MAX_LIMIT, MAX_OFFSET } from './defaults';
import { MAX_SUGGESTIONS } from './suggest';

/** Most values per facet field one search request may ask for. */
export const MAX_FACETS = 50;
/** Most filters one search request may give. */
export const MAX_FILTERS = 20;
/** Longest text the typeahead looks up, in characters. */
export const MAX_SUGGEST_LENGTH = 100;

/** A whole-number query parameter within [min, max], with a message saying what is allowed. */
function wholeNumber(name: string, min: number, max: number, fallback: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? message : `give ${name} only once`) })
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: message })
    .default(fallback);
}

/** The text to search for or complete: required, given once, not blank. */
function queryText(example: string, endpoint: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `q is required: the text to search for, e.g. ${endpoint}?q=${example}` : 'give q only once') })
    .trim()
    .min(1, { error: 'q must not be empty: give the text to search for' });
}

const filterMessage = `filter must be field:value with field one of ${FILTER_FIELDS.join(', ')} (kind: article or photo; date: a day, month, year or range, e.g. 2018-01..2018-06) or a field of the records (e.g. category), e.g. filter=reporter:孙志刚`;

const filters = z
  .union([z.string(), z.array(z.string())], { error: filterMessage })
  .optional()
  .transform((value, context) => {
    const texts = value === undefined ? [] : typeof value === 'string' ? [value] : value;
    if (texts.length > MAX_FILTERS) {
      context.addIssue({ code: 'custom', message: `give at most ${MAX_FILTERS} filters` });
      return z.NEVER;
    }
    const parsed: SearchFilter[] = [];
    for (const text of texts) {
      const filter = parseFilterText(text);
      if (typeof filter !== 'object') {
        // A string is what is wrong with a date filter: its code lets the reason be worded in Chinese too.
        if (typeof filter === 'string') context.addIssue({ code: 'custom', message: filter, params: { code: 'bad_date' } });
        else context.addIssue({ code: 'custom', message: `${filterMessage}; got "${text}"` });
        return z.NEVER;
      }
      parsed.push(filter);
    }
    return parsed;
  });

/** A choice among `values`, given once, with a message listing them. */
function oneOf<T extends string>(name: string, values: readonly [T, ...T[]], fallback: T) {
  const message = `${name} must be one of ${values.join(', ')}`;
  return z.enum(values, { error: (issue) => (Array.isArray(issue.input) ? `give ${name} only once` : message) }).default(fallback);
}

/** `GET /api/search`: q, limit, offset, any number of filter=field:value, facets (values per facet field; 0 for none), sort, timeline (0 or 1). */
export const searchParams = z.object({
  q: queryText('方特', '/api/search'),
  limit: wholeNumber('limit', 1, MAX_LIMIT, 10),
  offset: wholeNumber('offset', 0, MAX_OFFSET, 0),
  filter: filters,
  facets: wholeNumber('facets', 0, MAX_FACETS, 10),
  collapse: wholeNumber('collapse', 0, 1, 1).transform((value) => value === 1),
  sort: oneOf('sort', SORT_ORDERS, 'relevance'),
  timeline: wholeNumber('timeline', 0, 1, 0).transform((value) => value === 1),
  correct: wholeNumber('correct', 0, 1, 1).transform((value) => value === 1),
});

/** `GET /api/suggest`: the text typed so far, and how many suggestions to return. */
export const suggestParams = z.object({
  q: queryText('方', '/api/suggest').max(MAX_SUGGEST_LENGTH, { error: `q must be at most ${MAX_SUGGEST_LENGTH} characters` }),
  limit: wholeNumber('limit', 1, MAX_SUGGESTIONS, MAX_SUGGESTIONS),
});

/** `GET /api/doc/:id`: the query whose matches to highlight, if any (blank: none). */
export const docParams = z.object({
  q: z
    .string({ error: 'give q only once' })
    .trim()
    .optional()
    .transform((q) => (q ? q : undefined)),
});

/**
 * What is wrong with a query string that gives a parameter in an array or object form
 * (`limit[]=1`, `filter[0]=…`, `q[a]=…`), or undefined: such forms are refused rather
 * than ignored, so that a client never silently gets the defaults instead of what it meant.
 */
export function bracketedParameter(query: Record<string, unknown>): string | undefined {
  const name = Object.keys(query).find((key) => /[[\]]/.test(key));
  if (name === undefined) return undefined;
  return `"${name}" is not a parameter: give each one as name=value, e.g. limit=10 (repeat filter=field:value for several filters)`;
}

/** The error code of parameters that did not parse: the first issue's own (a bad date filter: bad_date), else bad_parameter. */
export function issueCode(error: z.ZodError): 'bad_date' | 'bad_parameter' {
  const issue = error.issues[0];
  return issue?.code === 'custom' && issue.params?.code === 'bad_date' ? 'bad_date' : 'bad_parameter';
}

/** The messages of a failed parse, joined: what the client must fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}
