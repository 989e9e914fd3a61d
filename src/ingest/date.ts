/**
 * Whether `text` is a real calendar date written as `YYYY-MM-DD` (so `2020-02-30` is not).
 * Dates are stored and filtered as strings, so a malformed one must never get in.
 */
export function isValidDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The date a file name carries, as `YYYY-MM-DD`: `2020-07-04`, `20200704` or `2020_07_04`
 * (one separator style throughout), years 1900–2099, not part of a longer run of digits.
 * Newspaper page files are usually named after their issue, so this dates pages for free.
 * Returns undefined when there is no such date or it is not a real one.
 */
export function dateFromFileName(fileName: string): string | undefined {
  const pattern = /(?<!\d)((?:19|20)\d{2})([-_]?)(\d{2})\2(\d{2})(?!\d)/g;
  for (const match of fileName.matchAll(pattern)) {
    const date = `${match[1]}-${match[3]}-${match[4]}`;
    if (isValidDate(date)) return date;
  }
  return undefined;
}
