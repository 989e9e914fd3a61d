// Facet counts beside the results, and the filters in force above them.

import { el } from './dom.js';
import { FIELD_LABELS, kindLabel, removeFilterLabel } from './messages.js';
import { sameFilter } from './url.js';

const FACET_ORDER = ['kind', 'reporter', 'source', 'date'];

function valueLabel(field, value) {
  return field === 'kind' ? kindLabel(value) : value;
}

/**
 * One section per facet field that has values: each value a toggle button with its
 * count, pressed when it is a filter in force. `onToggle(filter)` adds or removes it.
 */
export function renderFacets(container, facets, state, onToggle) {
  const sections = [];
  for (const field of FACET_ORDER) {
    const values = (facets && facets[field]) || [];
    if (values.length === 0) continue;
    const heading = `facet-${field}`;
    sections.push(
      el(
        'section',
        { className: 'facet', 'aria-labelledby': heading },
        el('h3', { id: heading, textContent: FIELD_LABELS[field] }),
        el(
          'ul',
          {},
          ...values.map(({ value, count }) => {
            const filter = { field, value };
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
      ),
    );
  }
  container.replaceChildren(...sections);
  return sections.length > 0;
}

/** The filters in force as removable chips ("记者: 孙志刚 ×"). */
export function renderActiveFilters(container, state, onToggle) {
  container.replaceChildren(
    ...state.filters.map((filter) => {
      const label = `${FIELD_LABELS[filter.field] || filter.field}: ${valueLabel(filter.field, filter.value)}`;
      const chip = el('button', { type: 'button', className: 'chip', 'aria-label': removeFilterLabel(label) }, label, el('span', { className: 'chip-x', 'aria-hidden': 'true' }, '×'));
      chip.addEventListener('click', () => onToggle(filter));
      return chip;
    }),
  );
  container.hidden = state.filters.length === 0;
}
