// The timeline above the results: matches per month (or year), each bar a button filtering to its period.

import { el } from './dom.js';
import { TIMELINE_LABEL, timelineBarLabel } from './messages.js';

/** Whether the date filters in force are exactly the period `period`. */
function filtersTo(state, period) {
  const dates = state.filters.filter((filter) => filter.field === 'date');
  return dates.length === 1 && dates[0].value === period;
}

/**
 * Draws the API's `timeline` ([{ period, count }], months or years, first to last) as a bar
 * chart of buttons, each as high as its count is against the largest (drawn by the page:
 * CSS heights, no script from elsewhere), labelled for screen readers, and pressed when
 * its period is the date filter in force; an empty period cannot be picked. `onPeriod(period)` on a click (the pressed one
 * gives "" to remove the filter). Hidden when no match has a date.
 */
export function renderTimeline(container, timeline, state, onPeriod) {
  const buckets = timeline || [];
  const largest = Math.max(0, ...buckets.map((bucket) => bucket.count));
  container.hidden = largest === 0;
  if (container.hidden) {
    container.replaceChildren();
    return;
  }
  const bars = buckets.map(({ period, count }) => {
    const pressed = filtersTo(state, period);
    const bar = el('span', { className: 'timeline-bar' });
    // A share of the chart's height; a period with any match stays visible.
    bar.style.height = `${count === 0 ? 0 : Math.max(4, Math.round((count / largest) * 100))}%`;
    const button = el(
      'button',
      { type: 'button', className: 'timeline-period', disabled: count === 0 && !pressed, 'aria-pressed': String(pressed), 'aria-label': timelineBarLabel(period, count, pressed), title: `${period}: ${count}`, 'data-period': period },
      bar,
    );
    button.addEventListener('click', () => onPeriod(pressed ? '' : period));
    return el('li', {}, button);
  });
  const first = buckets[0].period;
  const last = buckets[buckets.length - 1].period;
  container.replaceChildren(
    el('h2', { className: 'timeline-heading', id: 'timeline-heading', textContent: TIMELINE_LABEL }),
    el('ol', { className: 'timeline-bars', 'aria-labelledby': 'timeline-heading' }, ...bars),
    el('p', { className: 'timeline-axis', 'aria-hidden': 'true' }, el('span', { textContent: first }), el('span', { textContent: last })),
  );
}
