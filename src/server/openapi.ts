import { FILTER_FIELDS, SORT_ORDERS } from '../search/types';
import { MAX_LIMIT, MAX_OFFSET } from './defaults';
import { MAX_FACETS, MAX_FILTERS, MAX_SUGGEST_LENGTH } from './params';
import { MAX_SUGGESTIONS } from './suggest';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_DOCUMENTS } from './admin';
import { MAX_ID_BYTES } from '../ingest/id';
import { RELATED_COUNT } from '../search/related';
import { ERROR_CODES } from './errorReasons';

/** A JSON value, as an OpenAPI document is made of. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const strings: Json = { type: 'array', items: { type: 'string' } };
const date: Json = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };
const kind: Json = { type: 'string', enum: ['article', 'photo'] };

function json(description: string, schema: Json): Json {
  return { description, content: { 'application/json': { schema } } };
}

/** A document id in a path: a string of at most MAX_ID_BYTES bytes, not only whitespace (400 otherwise). */
const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: `The document id, as in a hit: at most ${MAX_ID_BYTES} bytes of UTF-8, not only whitespace (400 otherwise).`,
  schema: { type: 'string', minLength: 1 },
};
const badRequest = json('A parameter is missing or wrong, or the query cannot be run; `error` says what to fix.', ref('Error'));
const internalError = json('Something failed on the server; the details are only in the server log.', ref('Error'));

function queryParameter(name: string, description: string, schema: Json, required = false): Json {
  return { name, in: 'query', required, description, schema };
}

const unauthorized = json('The admin token is missing or wrong.', ref('Error'));
const conflict = json('The index cannot take the change now: another process is writing it, or its user dictionary changed since it was built (rebuild first).', ref('Error'));
/** The refusal of a request while the event loop is too far behind (`serve --max-loop-delay`). */
const overloaded = json(
  'The server is overloaded (code `overloaded`): its event loop is more than `serve --max-loop-delay` milliseconds (1,000 by default) behind with the requests it received, so this one is refused at once rather than answered after its client gave up; retry after the seconds in Retry-After.',
  ref('Error'),
);

const unavailable = json('The index cannot be read, or the change was written to disk but cannot be served yet (the server is stopping, or the new index would not open); the message says which.', ref('Error'));

const facetValues: Json = { type: 'array', items: ref('FacetValue') };

/**
 * The OpenAPI 3.1 description of jiansuo's HTTP API, served at `/api/openapi.json`.
 * Its schemas are JSON Schema 2020-12; test/server/openapi.test.ts validates real
 * responses of every endpoint, errors included, against them.
 */
export const openApiDocument: Json = {
  openapi: '3.1.0',
  info: {
    title: 'jiansuo',
    version: '1',
    description:
      'Chinese full-text search over newspaper articles. Every string that occurs in an article finds it, and such literal matches ' +
      'always rank first: a short query returns exactly them (match "exact"), or when there are none falls back to jieba words ' +
      '("all-words", then "some-words"); a long query (match "ranked") returns them first, then every article relevant by its words. ' +
      'Copies of one article are folded into one hit (collapse=0 lists them). Errors are `{"error": "…", "code": "…"}`: the reason in ' +
      'Chinese when Accept-Language prefers it to English, else in English; the code the same in every language. ' +
      'Any request may also be refused before it reaches an endpoint: 400 (a URL that is not valid percent-encoded UTF-8), ' +
      '408 (a request that took too long to arrive), 413 (a body: the API takes none), 414 (a URL over 8 KB), ' +
      '429 (too many requests from one address; see Retry-After) or 431 (headers over 16 KB).',
  },
  paths: {
    '/api/search': {
      get: {
        summary: 'Search the index',
        parameters: [
          queryParameter('q', 'The query (see the README for the query language).', { type: 'string', minLength: 1 }, true),
          queryParameter('limit', 'Hits to return.', { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 10 }),
          queryParameter('offset', 'Hits to skip, for paging.', { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 }),
          {
            name: 'filter',
            in: 'query',
            description:
              `Keep only documents with this \`field:value\` (fields: ${FILTER_FIELDS.join(', ')}, file (the source file), or a field of the JSON Lines records such as category; ` +
              '`date:` takes a day, month, year or range: 2018-05-18, 2018-05, 2018, 2018-01..2018-06, ..2018-06). Repeat it: filters on one field are ORed, on different fields ANDed. ' +
              'A field no document has, or a date that is none, is a 400.',
            schema: { type: 'array', maxItems: MAX_FILTERS, items: { type: 'string', pattern: '^[\\p{L}\\p{N}_.-]{1,64}:.+$' } },
            style: 'form',
            explode: true,
            examples: { reporter: { value: ['reporter:孙志刚'] }, category: { value: ['category:体育', 'category:科技'] }, dates: { value: ['date:2018-01..2018-06'] } },
          },
          queryParameter('facets', 'Values to count per facet field (those `serve --facet` names, else those chosen from the documents: see `facets` in the result); 0 for none.', {
            type: 'integer',
            minimum: 0,
            maximum: MAX_FACETS,
            default: 10,
          }),
          queryParameter('collapse', 'Fold copies of one article into one hit (1), or list every copy (0).', { type: 'integer', enum: [0, 1], default: 1 }),
          queryParameter('sort', 'Hit order: relevance (literal matches first), or by date, newest or oldest first (undated documents last).', { type: 'string', enum: [...SORT_ORDERS], default: 'relevance' }),
          queryParameter('timeline', 'Also return `timeline`, the matching documents per month or year (1).', { type: 'integer', enum: [0, 1], default: 0 }),
          queryParameter(
            'correct',
            'When the query finds nothing and its "did you mean" spelling finds something, answer with that spelling\'s results and say so in `corrected_from` (1), or answer for the query as typed (0).',
            { type: 'integer', enum: [0, 1], default: 1 },
          ),
        ],
        responses: {
          '200': json('The ranked hits of one page, the total, and facet counts over all matching documents.', ref('SearchResult')),
          '400': badRequest,
          '500': internalError,
          '503': json(
            'The server is overloaded (code `overloaded`, see the 503 of /api/suggest), or busy (code `busy`): long or heavy queries run one at a time beside the others, and this one would have waited longer than the server allows (`serve --max-queue-wait`, 3 s by default, estimated from the queries ahead and their average time), or waited twice that by its turn; retry after the seconds in Retry-After, or with a shorter query. Over a cluster: it did not answer.',
            ref('Error'),
          ),
        },
      },
    },
    '/api/suggest': {
      get: {
        summary: 'Typeahead: titles and frequent words containing what was typed',
        parameters: [
          queryParameter('q', 'The text typed so far.', { type: 'string', minLength: 1, maxLength: MAX_SUGGEST_LENGTH }, true),
          queryParameter('limit', 'Suggestions to return.', { type: 'integer', minimum: 1, maximum: MAX_SUGGESTIONS, default: MAX_SUGGESTIONS }),
        ],
        responses: { '200': json('Suggestions, those starting with the text first.', ref('SuggestResult')), '400': badRequest, '500': internalError, '503': overloaded },
      },
    },
    '/api/doc/{id}': {
      get: {
        summary: 'One whole document, with the matches of a query highlighted',
        parameters: [
          idParameter,
          queryParameter('q', 'The query whose matches to highlight.', { type: 'string' }),
        ],
        responses: {
          '200': json('The document as stored, and its title, subtitle and paragraphs as escaped HTML with matches in <mark>.', ref('DocumentView')),
          '400': badRequest,
          '404': json('No document has this id.', ref('Error')),
          '500': internalError,
          '503': overloaded,
        },
      },
    },
    '/api/health': {
      get: {
        summary: 'Liveness and what is being served',
        responses: { '200': json('The server is up.', ref('Health')), '500': internalError },
      },
    },
    '/api/documents': {
      post: {
        summary: 'Add documents, or replace those with the same ids (only when serve was started with an admin token)',
        security: [{ adminToken: [] }],
        requestBody: {
          required: true,
          description: `One record or an array of at most ${MAX_UPLOAD_DOCUMENTS}, in the JSON Lines shape: \`id\`, \`title\`, \`body\` (paragraphs separated by newlines), \`date\` (YYYY-MM-DD), any other keys kept as fields. At most ${MAX_UPLOAD_BYTES} bytes.`,
          content: { 'application/json': { schema: { oneOf: [ref('Record'), { type: 'array', minItems: 1, maxItems: MAX_UPLOAD_DOCUMENTS, items: ref('Record') }] } } },
        },
        responses: {
          '200': json('The documents are on disk and being searched.', ref('UpdateResult')),
          '400': json(`A record is wrong, e.g. its id is not a string, blank or over ${MAX_ID_BYTES} bytes (nothing was changed), or the body is not JSON or not UTF-8.`, ref('Error')),
          '401': unauthorized,
          '409': conflict,
          '413': json('The body is larger than the server takes.', ref('Error')),
          '415': json('The body is not JSON.', ref('Error')),
          '500': internalError,
          '503': unavailable,
        },
      },
    },
    '/api/documents/{id}': {
      delete: {
        summary: 'Remove a document (only when serve was started with an admin token)',
        security: [{ adminToken: [] }],
        parameters: [idParameter],
        responses: {
          '200': json('The document is gone from disk and from searches.', ref('UpdateResult')),
          '400': json(`The id is blank or over ${MAX_ID_BYTES} bytes.`, ref('Error')),
          '401': unauthorized,
          '404': json('No document has this id; nothing was changed.', ref('Error')),
          '409': conflict,
          '500': internalError,
          '503': unavailable,
        },
      },
    },
    '/api/openapi.json': {
      get: {
        summary: 'This document',
        responses: {
          '200': json('The OpenAPI description of the API.', {
            type: 'object',
            required: ['openapi', 'info', 'paths'],
            properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' }, components: { type: 'object' } },
          }),
        },
      },
    },
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The token given to `jiansuo serve --admin-token-file` (or JIANSUO_ADMIN_TOKEN).' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'string',
            minLength: 1,
            description: 'What went wrong, and for client errors what to fix: in Chinese when the request\'s Accept-Language prefers Chinese to English, else in English.',
          },
          code: {
            type: 'string',
            enum: [...ERROR_CODES],
            description: 'What went wrong, the same in every language (present on the answers of the endpoints; not on refusals before routing: 408, 413, 414, 429, 431).',
          },
          unsupported: {
            type: 'string',
            enum: ['sort', 'timeline', 'facet', 'filter'],
            description: 'With code unsupported: the search option the backend (a Sphinx/Manticore cluster) cannot honour: ask again without it.',
          },
        },
        additionalProperties: false,
      },
      Hit: {
        type: 'object',
        required: ['id', 'title', 'title_html', 'score', 'literal', 'snippet', 'kind', 'reporters', 'source', 'correspondents'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          title_html: { type: 'string', description: 'The title, HTML-escaped, matches in <mark>, without direction controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).' },
          score: { type: 'number', description: 'Ranking score, 4 decimals; comparable within one tier of one result list (literal matches rank above the others whatever their score).' },
          literal: { type: 'boolean', description: 'Every query term occurs literally (after normalization) in the document.' },
          snippet: { type: 'string', description: 'Part of the body, HTML-escaped, matches in <mark>, without direction controls.' },
          kind,
          reporters: strings,
          source: { type: 'string', description: 'The source file (newspaper page).' },
          subtitle: { type: 'string' },
          subtitle_html: { type: 'string', description: 'The subtitle, HTML-escaped, matches in <mark> (the same rules as the title, the snippet and the article view).' },
          correspondents: strings,
          date,
          fields: { type: 'object', description: 'Other fields of a JSON Lines record.' },
          duplicates: { type: 'array', minItems: 1, items: ref('DuplicateRef'), description: 'Copies of this article that also match, folded into this hit.' },
        },
        additionalProperties: false,
      },
      DuplicateRef: {
        type: 'object',
        required: ['id', 'title'],
        properties: { id: { type: 'string' }, title: { type: 'string' } },
        additionalProperties: false,
      },
      RelatedRef: {
        type: 'object',
        required: ['id', 'title'],
        properties: { id: { type: 'string' }, title: { type: 'string' }, date },
        additionalProperties: false,
      },
      FacetValue: {
        type: 'object',
        required: ['value', 'count'],
        properties: { value: { type: 'string' }, count: { type: 'integer', minimum: 1 } },
        additionalProperties: false,
      },
      SearchResult: {
        type: 'object',
        required: ['query', 'total', 'exact_total', 'folded', 'took_ms', 'match', 'hits'],
        properties: {
          query: { type: 'string' },
          total: { type: 'integer', minimum: 0, description: 'Matching documents, after filters (all pages), copies of one article counted once.' },
          exact_total: { type: 'integer', minimum: 0, description: 'Of those, the literal matches: they come first.' },
          folded: { type: 'integer', minimum: 0, description: 'Matching documents folded into another hit as copies of the same article.' },
          took_ms: { type: 'number', minimum: 0, description: 'Everything the request did, "did you mean" and any wait for the slow-query lane included.' },
          timed_out: {
            type: 'boolean',
            const: true,
            description: 'Present when the search ran past its time limit and answered with what it had: the literal matches and the counts are complete, the ranking of the rest may not be.',
          },
          match: { type: 'string', enum: ['exact', 'all-words', 'some-words', 'ranked'] },
          hits: { type: 'array', items: ref('Hit') },
          expansions: {
            type: 'array',
            description: 'How query terms were widened: synonyms, and the words a pinyin term (or its initials) spells.',
            items: ref('Expansion'),
          },
          suggestion: { type: 'string', minLength: 1, description: 'A near form of the query that finds more ("did you mean"), when this one finds few or none.' },
          corrected_from: {
            type: 'string',
            minLength: 1,
            description: 'Present when the query as typed (this) found nothing and the hits are those of its "did you mean" spelling, which `query` then holds (correct=0 turns this off).',
          },
          partial: { type: 'boolean', const: true, description: 'Served from a cluster: some shards did not answer, their documents are missing from hits and counts.' },
          warnings: { type: 'array', items: { type: 'string' }, description: 'With partial: what went wrong with each missing shard.' },
          facets: {
            type: 'object',
            description:
              'Per facet field, in the order chosen (`serve --facet`, else from the documents: kind when both kinds occur, reporter for newspaper pages, source when it varies, ' +
              'record fields with 2–50 values in at least 5% of the documents, year and month when documents are dated), the values among all matching documents: ' +
              'most frequent first, dates newest first. Each field is counted without its own filters (disjunctive facets). Absent with facets=0.',
            additionalProperties: facetValues,
          },
          timeline: {
            type: 'array',
            description: 'With timeline=1: matching documents per month (YYYY-MM), or per year (YYYY) past 36 months, first to last dated match, empty periods at 0; counted without the date filters. Empty when no match is dated.',
            items: ref('TimelineBucket'),
          },
        },
        additionalProperties: false,
      },
      TimelineBucket: {
        type: 'object',
        required: ['period', 'count'],
        properties: { period: { type: 'string', pattern: '^\\d{4}(-\\d{2})?$' }, count: { type: 'integer', minimum: 0 } },
        additionalProperties: false,
      },
      Expansion: {
        type: 'object',
        required: ['term', 'via', 'words'],
        properties: {
          term: { type: 'string' },
          via: { type: 'string', enum: ['synonym', 'pinyin', 'initials'] },
          words: strings,
          readings: { type: 'array', items: { type: 'string' }, description: 'For pinyin: the reading of each word, in order.' },
        },
        additionalProperties: false,
      },
      SuggestResult: {
        type: 'object',
        required: ['query', 'suggestions'],
        properties: {
          query: { type: 'string' },
          suggestions: {
            type: 'array',
            maxItems: MAX_SUGGESTIONS,
            items: {
              type: 'object',
              required: ['text', 'kind'],
              properties: {
                text: { type: 'string', minLength: 1 },
                kind: { type: 'string', enum: ['title', 'word'] },
                reading: { type: 'string', description: 'For a word suggested because the text typed is its pinyin: the reading, e.g. "fang te".' },
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      Document: {
        type: 'object',
        required: ['id', 'title', 'paragraphs', 'kind', 'reporters', 'correspondents', 'source'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          subtitle: { type: 'string' },
          paragraphs: strings,
          kind,
          reporters: strings,
          correspondents: strings,
          source: { type: 'string' },
          date,
          fields: { type: 'object' },
        },
        additionalProperties: false,
      },
      DocumentView: {
        type: 'object',
        required: ['document', 'title_html', 'paragraphs_html', 'duplicates', 'related'],
        properties: {
          document: ref('Document'),
          title_html: { type: 'string' },
          subtitle_html: { type: 'string' },
          paragraphs_html: strings,
          duplicates: { type: 'array', items: ref('DuplicateRef'), description: 'Other copies of the same article in the index.' },
          related: {
            type: 'array',
            maxItems: RELATED_COUNT,
            items: ref('RelatedRef'),
            description: '相关报道: the articles most like this one by its distinctive words (its top words by TF-IDF run as one ranked query), best first; copies of this article left out.',
          },
        },
        additionalProperties: false,
      },
      Record: {
        type: 'object',
        required: ['id', 'body'],
        properties: {
          id: { type: 'string', minLength: 1, description: `At most ${MAX_ID_BYTES} bytes of UTF-8, not only whitespace; numbers are refused (write "7", not 7). Of records with the same id the last is kept.` },
          title: { type: 'string' },
          body: { type: 'string', minLength: 1 },
          date,
        },
      },
      UpdateResult: {
        type: 'object',
        required: ['added', 'replaced', 'removed', 'rejected', 'documents', 'segments', 'merged', 'took_ms', 'warnings'],
        properties: {
          added: { type: 'integer', minimum: 0, description: 'Documents whose id was new.' },
          replaced: { type: 'integer', minimum: 0, description: 'Documents that replaced one with the same id.' },
          removed: { type: 'integer', minimum: 0 },
          rejected: {
            type: 'array',
            description: 'Documents not indexed (too long), with why; a document they would replace stays.',
            items: { type: 'object', required: ['id', 'message'], properties: { id: { type: 'string' }, message: { type: 'string' } }, additionalProperties: false },
          },
          documents: { type: 'integer', minimum: 0, description: 'Documents in the index now.' },
          segments: { type: 'integer', minimum: 0, description: 'Segments of the index now.' },
          merged: { type: 'boolean', description: 'Whether this change merged segments (by the merge policy).' },
          took_ms: { type: 'number', minimum: 0, description: 'From the request\'s arrival to this answer: reading the body, indexing, and serving the result.' },
          warnings: { ...strings, description: 'Records kept with a remark, e.g. an invalid date dropped, or a duplicate id (the last record is kept).' },
        },
        additionalProperties: false,
      },
      Health: {
        type: 'object',
        required: ['status', 'documents', 'format_version', 'uptime_s'],
        properties: {
          status: { const: 'ok' },
          documents: { type: 'integer', minimum: 0 },
          format_version: { type: 'integer', minimum: 1, description: 'On-disk index format version.' },
          index_created_at: { type: 'string', description: 'When the served index was built (ISO 8601); absent for an index built in memory.' },
          uptime_s: { type: 'number', minimum: 0, description: 'Seconds since the server started.' },
        },
        additionalProperties: false,
      },
    },
  },
};
