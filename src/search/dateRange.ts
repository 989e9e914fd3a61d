import { QueryError } from '../errors';
import { isValidDate } from '../ingest/date';

/**
 * A period of dates, both ends included, each end a year (`2018`), a month (`2018-06`) or
 * a day (`2018-06-30`), or open (undefined). Dates are compared as the `YYYY-MM-DD`
 * strings they are stored as: a date is in the range when its first characters, as many
 * as the end has, are not before `from` and not after `to` (so `..2018-06` takes in all of
 * June 2018).
 */
export interface DateRange {
  from?: string;
  to?: string;
}

const PERIOD = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** What a date filter looks like, for messages. */
export const DATE_RANGE_EXAMPLES = '2018, 2018-05, 2018-05-18, 2018-01..2018-06, 2018-03.., ..2018-06';

/** Whether `text` is a real year, month or day as YYYY, YYYY-MM or YYYY-MM-DD. */
function isPeriod(text: string): boolean {
  const match = PERIOD.exec(text);
  if (!match) return false;
  if (match[3] !== undefined) return isValidDate(text);
  return match[2] === undefined || (Number(match[2]) >= 1 && Number(match[2]) <= 12);
}

/**
 * Reads a date filter's value: one period (`2018`, `2018-05`, `2018-05-18`: all of it) or
 * a range `FROM..TO` of two periods, either end left open (`2018-03..`, `..2018-06`).
 * Throws QueryError, saying what is accepted, for anything else, for dates that do not
 * exist (`2018-02-30`, `2018-13`) and for a range that ends before it starts.
 */
export function parseDateRange(text: string): DateRange {
  const value = text.trim();
  const dots = value.indexOf('..');
  const [from, to] = dots < 0 ? [value, value] : [value.slice(0, dots).trim(), value.slice(dots + 2).trim()];
  const bad = (what: string): QueryError => new QueryError(`${what} in the date filter "${value}": give a year, month or day, or a range of them, e.g. ${DATE_RANGE_EXAMPLES}`, 'bad_date');
  if (from === '' && to === '') throw bad('no date');
  for (const end of [from, to]) if (end !== '' && !isPeriod(end)) throw bad(`"${end}" is not a real year (YYYY), month (YYYY-MM) or day (YYYY-MM-DD)`);
  if (from !== '' && to !== '' && lastDay(to) < firstDay(from)) throw new QueryError(`the date range "${value}" ends before it starts: put the earlier date first, e.g. 2018-01..2018-06`, 'bad_date');
  return { ...(from !== '' ? { from } : {}), ...(to !== '' ? { to } : {}) };
}

/** The first day of a period (YYYY, YYYY-MM or YYYY-MM-DD) as YYYY-MM-DD. */
function firstDay(period: string): string {
  return period.length === 4 ? `${period}-01-01` : period.length === 7 ? `${period}-01` : period;
}

/** A string after every day of a period and before every later one (compares as a day would). */
function lastDay(period: string): string {
  return period.length === 4 ? `${period}-12-99` : period.length === 7 ? `${period}-99` : period;
}

/** Whether the day `date` (YYYY-MM-DD) falls within `range`. */
export function inDateRange(date: string, range: DateRange): boolean {
  if (range.from !== undefined && date.slice(0, range.from.length) < range.from) return false;
  if (range.to !== undefined && date.slice(0, range.to.length) > range.to) return false;
  return true;
}
