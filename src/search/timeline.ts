import type { TimelineBucket } from './types';

/** Past this many months from the first dated match to the last, the timeline counts years instead. */
export const MAX_TIMELINE_MONTHS = 36;

/** The month after `month` (YYYY-MM). */
function nextMonth(month: string): string {
  const [year, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${String(year + 1).padStart(4, '0')}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The timeline of documents dated by month (`monthCounts`: YYYY-MM → count): one bucket per
 * month from the first to the last, months without any included at 0, or one per year
 * when that is more than MAX_TIMELINE_MONTHS months. Empty for no dated document.
 */
export function timelineOf(monthCounts: ReadonlyMap<string, number>): TimelineBucket[] {
  const months = [...monthCounts.keys()].sort();
  if (months.length === 0) return [];
  const first = months[0];
  const last = months[months.length - 1];
  const span = (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(last.slice(5, 7)) - Number(first.slice(5, 7)) + 1;
  if (span <= MAX_TIMELINE_MONTHS) {
    const buckets: TimelineBucket[] = [];
    for (let month = first; month <= last; month = nextMonth(month)) buckets.push({ period: month, count: monthCounts.get(month) ?? 0 });
    return buckets;
  }
  const years = new Map<string, number>();
  for (const [month, count] of monthCounts) years.set(month.slice(0, 4), (years.get(month.slice(0, 4)) ?? 0) + count);
  const buckets: TimelineBucket[] = [];
  for (let year = Number(first.slice(0, 4)); year <= Number(last.slice(0, 4)); year++) {
    const period = String(year).padStart(4, '0');
    buckets.push({ period, count: years.get(period) ?? 0 });
  }
  return buckets;
}
