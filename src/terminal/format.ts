import { BuildSummary } from '../build';
import type { UpdateSummary } from '../update';
import type { Recovery } from '../index/recovery';
import { Expansion, MatchMode, SearchResult } from '../search/types';

const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** Control characters a document could use to move the cursor or recolour the terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Turns an API snippet (HTML-escaped, matches in <mark>) into terminal text: matches in
 * bold when `color` (stdout is a TTY), tags dropped otherwise; entities unescaped, line
 * breaks flattened, and control characters removed so a document cannot drive the terminal.
 */
export function terminalSnippet(snippet: string, color: boolean): string {
  return snippet
    .replace(CONTROL, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/<(\/?)mark>/g, (_tag, closing: string) => (color ? (closing ? RESET : BOLD) : ''))
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
}

/** The bilingual note shown when no result matches the query literally. */
export function matchNote(query: string, match: MatchMode, exactTotal: number): string | undefined {
  switch (match) {
    case 'exact':
      return undefined;
    case 'ranked':
      return exactTotal > 0 ? undefined : `没有完全匹配“${query}”的结果，显示相关结果。\nNo exact match for "${query}"; showing related results.`;
    case 'all-words':
      return `没有完全匹配“${query}”的结果，显示包含全部词语的结果。\nNo exact match for "${query}"; showing results that contain all of its words.`;
    case 'some-words':
      return `没有完全匹配“${query}”的结果，显示包含部分词语的结果。\nNo exact match for "${query}"; showing results that contain some of its words.`;
  }
}

/** For a ranked query: how many results match literally and how many by words (12 条完全匹配 · 348 条相关). */
export function tierLine(result: SearchResult): string | undefined {
  if (result.match !== 'ranked') return undefined;
  const related = result.total - result.exact_total;
  return `${result.exact_total} 条完全匹配 · ${related} 条相关 · ${result.exact_total} exact, ${related} related`;
}

/** One line per widened term: 方特 (synonym) → 方特梦幻王国; fangte (pinyin fang te) → 方特. */
export function expansionLines(expansions: Expansion[]): string[] {
  return expansions.map((e) => {
    const label = e.via === 'synonym' ? '同义词 synonym' : e.via === 'pinyin' ? '拼音 pinyin' : '拼音首字母 initials';
    const words = e.words.map((w, i) => (e.readings ? `${w} (${e.readings[i]})` : w)).join(', ');
    return `${e.term} → ${words}  [${label}]`;
  });
}

/** The "did you mean" line, in Chinese and English. */
export function suggestionLine(suggestion: string): string {
  return `您要找的是：${suggestion}？  Did you mean: ${suggestion}?`;
}

/** The line over results shown for a corrected spelling ("已显示“郑州”的结果。仍然搜索：郑洲"), in Chinese and English. */
export function correctedLine(shown: string, typed: string): string {
  return `已显示“${shown}”的结果。仍然搜索：${typed}（加 --as-typed）  Showing results for ${shown}; search instead for ${typed} with --as-typed`;
}

/**
 * A search result for people: an optional match note, a header
 * `N results (match: MODE, T ms)` (saying "timed out" when the search was cut short; for a ranked query, a line with the literal and related
 * counts under it), then per hit `rank. title  [score]` (marked 相关 related when it does
 * not match literally in a ranked list), an indented snippet line, and the copies folded
 * into it. Ranks count from `offset + 1`. Ends with a newline.
 */
export function formatSearchResult(result: SearchResult, offset: number, color: boolean): string {
  const lines: string[] = [];
  const note = result.total > 0 ? matchNote(result.query.trim(), result.match, result.exact_total) : undefined;
  if (note) lines.push(note, '');
  if (result.corrected_from !== undefined) lines.push(correctedLine(result.query.replace(CONTROL, ''), result.corrected_from.replace(CONTROL, '')), '');
  if (result.suggestion) lines.push(suggestionLine(result.suggestion.replace(CONTROL, '')), '');
  if (result.expansions) lines.push(...expansionLines(result.expansions).map((l) => l.replace(CONTROL, '')), '');
  const range = result.hits.length > 0 && result.hits.length < result.total ? `, showing ${offset + 1}-${offset + result.hits.length}` : '';
  const cut = result.timed_out ? ', timed out: ranking may be incomplete' : '';
  lines.push(`${result.total} ${result.total === 1 ? 'result' : 'results'}${range} (match: ${result.match}, ${result.took_ms} ms${cut})`);
  const tiers = result.total > 0 ? tierLine(result) : undefined;
  if (tiers) lines.push(tiers);
  result.hits.forEach((hit, i) => {
    const title = (hit.title || hit.id).replace(CONTROL, '');
    const related = result.match === 'ranked' && !hit.literal ? '  · 相关 related' : '';
    lines.push('', `${offset + i + 1}. ${color ? BOLD + title + RESET : title}  [${hit.score}]${related}`);
    const snippet = terminalSnippet(hit.snippet, color);
    if (snippet) lines.push(`   ${snippet}`);
    if (hit.duplicates) {
      const ids = hit.duplicates.map((d) => d.id.replace(CONTROL, '')).join(', ');
      lines.push(`   另有 ${hit.duplicates.length} 篇相同报道 · ${hit.duplicates.length} more ${hit.duplicates.length === 1 ? 'copy' : 'copies'}: ${ids}`);
    }
  });
  const facets = Object.entries(result.facets ?? {});
  if (facets.length > 0) lines.push('', ...facets.map(([field, values]) => `${field}: ${values.map(({ value, count }) => `${value.replace(CONTROL, '')} (${count})`).join(' · ') || '—'}`));
  return lines.join('\n') + '\n';
}

/** The summary `jiansuo index` prints: documents and files, terms, bytes and time, one per line. */
export function formatBuildSummary(summary: BuildSummary, out: string): string {
  const files = `${summary.files} source ${summary.files === 1 ? 'file' : 'files'}`;
  const lines = [
    `Indexed ${summary.documents} ${summary.documents === 1 ? 'document' : 'documents'} from ${files} into ${out}`,
    `  terms: ${summary.words + summary.bigrams} (${summary.words} words, ${summary.bigrams} bigrams)`,
    `  bytes: ${summary.bytes}`,
    `  segments: ${summary.segments}${summary.flushedSegments > summary.segments ? ` (${summary.flushedSegments} written, merged)` : ''} (peak memory ${Math.round(summary.peakRss / 1e6)} MB)`,
    `  time:  ${(summary.ms / 1000).toFixed(2)} s`,
  ];
  const skipped = summary.problems.length + summary.rejected.length;
  if (skipped > 0) lines.push(`  warnings: ${skipped} (listed on stderr)`);
  if (summary.droppedUpdates > 0) {
    lines.push(`  note: the index replaced had ${summary.droppedUpdates} ${summary.droppedUpdates === 1 ? 'update' : 'updates'} (jiansuo add/remove, admin API) since its build; documents added that way are not in the sources and are gone`);
  }
  if (summary.damagedKeptIn) lines.push(`  note: the damaged index replaced was moved to ${summary.damagedKeptIn}; delete that folder when you no longer need it`);
  return lines.join('\n') + '\n';
}

function documents(n: number): string {
  return `${n} ${n === 1 ? 'document' : 'documents'}`;
}

/** The summary `jiansuo add` and `jiansuo remove` print: what changed, then the index's size afterwards. */
export function formatUpdateSummary(summary: UpdateSummary, dir: string): string {
  const changes = [
    summary.added > 0 && `added ${documents(summary.added)}`,
    summary.replaced > 0 && `replaced ${documents(summary.replaced)}`,
    summary.removed > 0 && `removed ${documents(summary.removed)}`,
  ].filter((part): part is string => Boolean(part));
  const what = changes.length > 0 ? changes.join(', ') : 'nothing changed';
  const segments = `${summary.segments} ${summary.segments === 1 ? 'segment' : 'segments'}${summary.merged ? ', merged' : ''}`;
  return `${what[0].toUpperCase()}${what.slice(1)} in ${dir}: now ${documents(summary.documents)} (${segments}, ${(summary.ms / 1000).toFixed(2)} s)\n`;
}

/** What `jiansuo recover` and `serve --ensure-index` say about a recovery. */
export function recoveryLine(dir: string, recovery: Recovery): string {
  const what = `${recovery.generation} (written ${recovery.manifest.createdAt}, ${recovery.manifest.documents} documents)`;
  if (recovery.action === 'none') return `The index at ${dir} is intact: ${what}; nothing to recover.\n`;
  if (recovery.action === 'pointer') return `Recovered the index at ${dir}: its CURRENT file was lost; it names ${what} again.\n`;
  const aside = recovery.setAside!;
  return (
    `Recovered the index at ${dir}: ${aside.problem}. It is back to ${what}; what was written after it is lost. ` +
    `The damaged ${aside.generations.join(', ')} moved to ${aside.folder} (delete it when you no longer need it).\n`
  );
}
