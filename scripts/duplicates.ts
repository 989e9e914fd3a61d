/**
 * How well copies of one article are found: opens an index (or builds one of a JSON Lines
 * corpus in memory), lists its groups of copies (SearchEngine.copies) and measures each
 * pair's true similarity, the Jaccard similarity of the sets of bigrams of their normalized
 * bodies. Prints the group sizes, the pairs by similarity, the pairs below 0.8 (the ones to
 * look at), and whether every pair of identical bodies was grouped.
 *
 *   npx tsx scripts/duplicates.ts [--index DIR | --corpus ../shared/corpus/news-dev.jsonl.gz] [--show N]
 */
import { parseArgs } from 'node:util';
import { normalize } from '../src/analysis/normalize';
import { SearchDocument, bodyText } from '../src/document';
import { SearchEngine } from '../src/engine';
import { readJsonl } from '../src/ingest';
import { NEWS_DEV } from './known-item';

function bigrams(text: string): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) set.add(text.slice(i, i + 2));
  return set;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

async function open(values: { index?: string; corpus: string }): Promise<{ engine: SearchEngine; docs: SearchDocument[] }> {
  if (values.index) {
    const engine = SearchEngine.open(values.index);
    return { engine, docs: Array.from({ length: engine.documentCount }, (_, n) => engine.document(n)) };
  }
  const docs: SearchDocument[] = [];
  for await (const entry of readJsonl(values.corpus)) if ('document' in entry) docs.push(entry.document);
  return { engine: await SearchEngine.buildParallel(docs), docs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { index: { type: 'string' }, corpus: { type: 'string', default: NEWS_DEV }, show: { type: 'string', default: '10' } } });
  const { engine, docs } = await open({ index: values.index, corpus: values.corpus! });
  const byId = new Map(docs.map((doc) => [doc.id, doc]));
  const body = (id: string): string => normalize(bodyText(byId.get(id)!));
  const groups = engine.copies();
  const sizes = new Map<number, number>();
  const bands = { '≥ 0.9': 0, '0.8–0.9': 0, '0.5–0.8': 0, '< 0.5': 0 };
  const low: string[] = [];
  let pairs = 0;
  for (const ids of groups) {
    sizes.set(ids.length, (sizes.get(ids.length) ?? 0) + 1);
    const sets = ids.map((id) => bigrams(body(id)));
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        pairs++;
        const J = jaccard(sets[i], sets[j]);
        bands[J >= 0.9 ? '≥ 0.9' : J >= 0.8 ? '0.8–0.9' : J >= 0.5 ? '0.5–0.8' : '< 0.5']++;
        if (J < 0.8) low.push(`  ${J.toFixed(2)}  ${byId.get(ids[i])!.title} | ${byId.get(ids[j])!.title}`);
      }
    }
  }
  const grouped = new Map<string, number>();
  groups.forEach((ids, g) => ids.forEach((id) => grouped.set(id, g)));
  const sameBody = new Map<string, string[]>();
  for (const doc of docs) {
    const text = body(doc.id);
    if (text.length >= 20) sameBody.set(text, [...(sameBody.get(text) ?? []), doc.id]);
  }
  let identical = 0;
  let identicalGrouped = 0;
  for (const ids of sameBody.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        identical++;
        if (grouped.has(ids[i]) && grouped.get(ids[i]) === grouped.get(ids[j])) identicalGrouped++;
      }
    }
  }
  const good = bands['≥ 0.9'] + bands['0.8–0.9'];
  console.log(`${docs.length} documents: ${groups.length} groups of copies, sizes ${JSON.stringify(Object.fromEntries([...sizes].sort((a, b) => a[0] - b[0])))}`);
  console.log(`${pairs} pairs by bigram Jaccard similarity of their bodies: ${JSON.stringify(bands)}; ≥ 0.8: ${((100 * good) / Math.max(1, pairs)).toFixed(1)}%`);
  console.log(`pairs of identical bodies (≥ 20 characters): ${identical}, grouped: ${identicalGrouped}`);
  if (low.length > 0) console.log(`pairs below 0.8 (first ${values.show}):\n${low.slice(0, Number(values.show)).join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
