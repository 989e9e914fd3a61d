// Facet counts beside the results, the date range control, and the filters in force above them.

import { el } from './dom.js';
import { DATE_RANGE, fieldLabel, kindLabel, removeFilterLabel } from './messages.js';
import { sameFilter } from './url.js';

/** Facets whose values filter another field: a year or month filters the date. */
const FILTERED_FIELD = { year: 'date', month: 'date' };

function valueLabel(field, value) {
  return field === 'kind' ? kindLabel(value) : value;
}

/** One facet field's section: each value a toggle button with its count, pressed when it is a filter in force. */
function facetSection(field, values, state, onToggle) {
  const heading = `facet-${field}`;
  return el(
    'section',
    { className: 'facet', 'aria-labelledby': heading },
    el('h3', { id: heading, textContent: fieldLabel(field) }),
    el(
      'ul',
      {},
      ...values.map(({ value, count }) => {
        const filter = { field: FILTERED_FIELD[field] || field, value };
        const pressed = state.filters.some((f) => sameFilter(f, filter));
        const button = el(
          'button',
          { type: 'button', className: 'facet-value', 'aria-pressed': String(pressed), 'data-field': field, 'data-value': value },
          el('span', { className: 'facet-label', textContent: valueLabel(field, value) }),
          el('span', { className: 'count', textContent: String(count) }),
        );
        button.addEventListener('click', () => onToggle(filter));
        return el('li', {}, button);
      }),
    ),
  );
}

/** The from/to fields of the date range and the range they make ("2018-01..2018-06", "2018..", "" for none). */
function rangeOf(from, to) {
  const [a, b] = [from.trim(), to.trim()];
  if (!a && !b) return '';
  return a === b ? a : `${a}..${b}`;
}

/** The ends of the date range in force, for the from/to fields. */
function rangeEnds(state) {
  const dates = state.filters.filter((filter) => filter.field === 'date');
  if (dates.length !== 1) return ['', ''];
  const [from, to] = dates[0].value.includes('..') ? dates[0].value.split('..') : [dates[0].value, dates[0].value];
  return [from, to];
}

/** The date range control: from and to (a year, month or day each, either left empty), applied on submit. */
function dateRangeSection(state, onDateRange) {
  const [from, to] = rangeEnds(state);
  const input = (id, label, value) => [
    el('label', { htmlFor: id, textContent: label }),
    el('input', { id, name: id, type: 'text', value, inputMode: 'numeric', autocomplete: 'off', placeholder: DATE_RANGE.placeholder, size: 10 }),
  ];
  const form = el(
    'form',
    { className: 'date-range', 'aria-labelledby': 'facet-date-range' },
    el('h3', { id: 'facet-date-range', textContent: DATE_RANGE.heading }),
    el('div', { className: 'date-range-fields' }, ...input('date-from', DATE_RANGE.from, from), ...input('date-to', DATE_RANGE.to, to)),
    el('button', { type: 'submit', className: 'date-range-apply', textContent: DATE_RANGE.apply }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onDateRange(rangeOf(form.elements['date-from'].value, form.elements['date-to'].value));
  });
  return form;
}

/**
 * One section per facet field that has values, in the order the API lists them, and the
 * date range control when documents have dates (a year or month facet). `onToggle(filter)`
 * adds or removes a filter; `onDateRange(range)` replaces the date filters by one range
 * ("" removes them). Returns whether anything is shown.
 */
export function renderFacets(container, facets, state, onToggle, onDateRange) {
  const sections = [];
  for (const [field, values] of Object.entries(facets || {})) {
    if (values.length > 0) sections.push(facetSection(field, values, state, onToggle));
  }
  const dated = facets && ['year', 'month'].some((field) => (facets[field] || []).length > 0);
  if (dated || state.filters.some((filter) => filter.field === 'date')) sections.push(dateRangeSection(state, onDateRange));
  container.replaceChildren(...sections);
  return sections.length > 0;
}

/** The filters in force as removable chips ("记者: 孙志刚 ×"). */
export function renderActiveFilters(container, state, onToggle) {
  container.replaceChildren(
    ...state.filters.map((filter) => {
      const label = `${fieldLabel(filter.field)}: ${valueLabel(filter.field, filter.value)}`;
      const chip = el('button', { type: 'button', className: 'chip', 'aria-label': removeFilterLabel(label) }, label, el('span', { className: 'chip-x', 'aria-hidden': 'true' }, '×'));
      chip.addEventListener('click', () => onToggle(filter));
      return chip;
    }),
  );
  container.hidden = state.filters.length === 0;
}
