/** A column: its heading and whether its cells are right-aligned (numbers). */
export interface Column {
  title: string;
  numeric?: boolean;
}

/** Lays out rows under their column headings, padded to the widest cell, with a rule under the headings. */
export function formatTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => (c.numeric ? (cells[i] ?? '').padStart(widths[i]) : (cells[i] ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A number with `digits` decimals, or `–` when missing. */
export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** Rows as a Markdown table (pipes), numeric columns right-aligned. */
export function markdownTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(columns.map((c) => c.title)), line(columns.map((c) => (c.numeric ? '---:' : '---'))), ...rows.map(line)].join('\n');
}
