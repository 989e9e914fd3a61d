import { pinyin } from 'pinyin-pro';
import { SearchDocument, bodyText } from '../../src/document';
import { readJsonl } from '../../src/ingest';
import { seeded } from '../random';

/** What a request of the load mix stands for: real searches that find something or nothing, pinyin, long pasted text, the heaviest query shapes known, typeahead, and requests that must be refused. */
export type RequestKind = 'hit' | 'miss' | 'pinyin' | 'long' | 'heavy' | 'suggest' | 'bad';

/** Every kind, in the order reports list them. */
export const REQUEST_KINDS: readonly RequestKind[] = ['hit', 'miss', 'pinyin', 'long', 'heavy', 'suggest', 'bad'];

/** One request of the mix: its path (encoded) and what kind it is; `bad` ones must get a 4xx, all others 200. */
export interface LoadRequest {
  kind: RequestKind;
  path: string;
}

/** Share of each kind in the mix (out of 100). */
const MIX: ReadonlyArray<[RequestKind, number]> = [
  ['hit', 40],
  ['miss', 10],
  ['pinyin', 10],
  ['long', 13],
  ['heavy', 2],
  ['suggest', 15],
  ['bad', 10],
];

/** Requests a server must refuse with 4xx without ever failing: missing, empty, malformed, too long, out of range, unknown. */
const BAD: readonly string[] = [
  '/api/search',
  '/api/search?q=',
  '/api/search?q=%20%20',
  '/api/search?q=%E0%A4%A',
  '/api/search?q=%zz',
  `/api/search?q=${encodeURIComponent('字'.repeat(300))}`,
  '/api/search?q=a&limit=0',
  '/api/search?q=a&limit=101',
  '/api/search?q=a&offset=10001',
  '/api/search?q=a&filter=bogus',
  '/api/search?q=%22',
  '/api/search?q=-%E6%96%B9',
  '/api/search?q=OR',
  '/api/suggest',
  `/api/suggest?q=${'a'.repeat(101)}`,
  '/api/doc/no-such-id',
  '/api/nope',
  '/..%2f..%2fpackage.json',
  `/api/search?q=${'a'.repeat(9000)}`,
];

const HAN_RUN = /\p{Script=Han}{2,}/gu;

/** The first `limit` documents of a corpus file (.jsonl or .jsonl.gz). */
export async function corpusSample(file: string, limit: number): Promise<SearchDocument[]> {
  const documents: SearchDocument[] = [];
  for await (const entry of readJsonl(file)) {
    if ('document' in entry) documents.push(entry.document);
    if (documents.length >= limit) break;
  }
  if (documents.length === 0) throw new Error(`no documents in ${file}: the load mix is sampled from a JSON Lines corpus`);
  return documents;
}

/**
 * The query shapes that once held a server for seconds (issue 15): the 128 most frequent Han
 * characters of the documents separated by spaces, those ranked 100–227, the 85 most frequent
 * bigrams, and 128 rare characters that find nothing together.
 */
export function heavyQueries(documents: readonly SearchDocument[]): string[] {
  const chars = new Map<string, number>();
  const bigrams = new Map<string, number>();
  for (const doc of documents) {
    for (const run of bodyText(doc).match(HAN_RUN) ?? []) {
      for (let i = 0; i < run.length; i++) {
        chars.set(run[i], (chars.get(run[i]) ?? 0) + 1);
        if (i + 1 < run.length) bigrams.set(run.slice(i, i + 2), (bigrams.get(run.slice(i, i + 2)) ?? 0) + 1);
      }
    }
  }
  const byCount = (counts: Map<string, number>): string[] => [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([text]) => text);
  const frequent = byCount(chars);
  return [frequent.slice(0, 128).join(' '), frequent.slice(100, 228).join(' '), byCount(bigrams).slice(0, 85).join(' '), frequent.slice(-128).join(' ')];
}

/**
 * A seeded mix of `count` requests sampled from real documents: substrings and pairs of
 * substrings of their bodies (some excluded, some quoted, some on later pages), random
 * characters that find nothing, the pinyin or initials of title words, whole titles and
 * passages pasted as queries, the heavy shapes (heavyQueries), title prefixes for the
 * typeahead, and requests that must be refused (see BAD).
 */
export function sampleRequests(documents: SearchDocument[], count: number, seed = 1): LoadRequest[] {
  const random = seeded(seed);
  const heavy = heavyQueries(documents);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const hanRuns = (text: string): string[] => text.match(HAN_RUN) ?? [];
  /** A piece of 2–4 Han characters from some document's body. */
  const piece = (): string => {
    const run = pick(hanRuns(bodyText(pick(documents)).slice(0, 2000)).concat(['中国']));
    const length = Math.min(run.length, 2 + Math.floor(random() * 3));
    const at = Math.floor(random() * (run.length - length + 1));
    return run.slice(at, at + length);
  };
  const search = (q: string, extra = ''): string => `/api/search?q=${encodeURIComponent(q)}${extra}`;
  const make: Record<RequestKind, () => string> = {
    hit: () => {
      const roll = random();
      if (roll < 0.5) return search(piece(), random() < 0.2 ? `&offset=${10 * (1 + Math.floor(random() * 3))}` : '');
      if (roll < 0.75) return search(`${piece()} ${piece()}`);
      if (roll < 0.9) return search(`${piece()} -${piece()}`);
      return search(`"${piece()}"`, '&facets=0');
    },
    miss: () => {
      const han = () => String.fromCodePoint(0x4e00 + Math.floor(random() * (0x9fa5 - 0x4e00)));
      return random() < 0.7 ? search(`${han()}${han()}${han()}`) : search(`qz${Math.floor(random() * 1e6).toString(36)}x`);
    },
    pinyin: () => {
      const title = pick(hanRuns(pick(documents).title).concat(['郑州']));
      const word = title.slice(0, 2 + Math.floor(random() * 2));
      return search(pinyin(word, { toneType: 'none', separator: '', pattern: random() < 0.25 ? 'first' : 'pinyin' }));
    },
    long: () => {
      const doc = pick(documents);
      if (random() < 0.5 && doc.title.trim()) return search(doc.title.replace(/["＂]/g, ' ').replace(/^[-－\s]+/, ''));
      const body = bodyText(doc);
      const length = 60 + Math.floor(random() * 140);
      const at = Math.floor(random() * Math.max(1, body.length - length));
      const passage = body.slice(at, at + length).replace(/["＂]/g, ' ').replace(/^[-－\s]+/, '');
      return search(passage.trim() ? passage : piece());
    },
    heavy: () => search(pick(heavy)),
    suggest: () => {
      const title = pick(documents).title.trim() || '中国';
      return `/api/suggest?q=${encodeURIComponent(title.slice(0, 1 + Math.floor(random() * 4)))}`;
    },
    bad: () => pick(BAD),
  };
  const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  const requests: LoadRequest[] = [];
  while (requests.length < count) {
    let roll = random() * total;
    const [kind] = MIX.find(([, weight]) => (roll -= weight) < 0) ?? MIX[0];
    requests.push({ kind, path: make[kind]() });
  }
  return requests;
}
