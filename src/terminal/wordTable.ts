import { KnownIn } from '../discovery/jiebaDictionary';
import { WordCandidate } from '../discovery/wordDiscovery';

const HEADERS = ['rank', 'word', 'count', 'PMI', 'left H', 'right H', 'score', 'known'];
/** Columns aligned left (the word and the dictionary column); the others are numbers, aligned right. */
const LEFT = new Set([1, 7]);

/** Terminal columns taken by a cell: candidates are Han characters, two columns each. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) >= 0x2e80 ? 2 : 1;
  return width;
}

function pad(text: string, width: number, left: boolean): string {
  const fill = ' '.repeat(width - displayWidth(text));
  return left ? text + fill : fill + text;
}

/**
 * Word candidates as an aligned table for the terminal, one per line under a header:
 * rank (from 1), word, count, PMI, left and right neighbour entropy, score (two decimals),
 * and which dictionary already lists the word (`jieba`, `user`) or `new`.
 */
export function formatWordTable(candidates: readonly WordCandidate[], known: ReadonlyMap<string, KnownIn>): string {
  const rows = candidates.map((c, i) => [
    String(i + 1),
    c.word,
    String(c.count),
    c.pmi.toFixed(2),
    c.leftEntropy.toFixed(2),
    c.rightEntropy.toFixed(2),
    c.score.toFixed(2),
    known.get(c.word) ?? 'new',
  ]);
  const table = [HEADERS, ...rows];
  const widths = HEADERS.map((_, col) => Math.max(...table.map((row) => displayWidth(row[col]))));
  return table.map((row) => row.map((cell, col) => pad(cell, widths[col], LEFT.has(col))).join('  ').trimEnd() + '\n').join('');
}
