// The typeahead under the search box: an ARIA 1.2 combobox whose popup is a listbox.

import { el } from './dom.js';
import { PAGE_LANG, suggestionTag } from './messages.js';

/** `text` with the first occurrence of `typed` (ignoring case) in <mark>, as nodes. */
function markTyped(text, typed) {
  const at = typed ? text.toLowerCase().indexOf(typed.toLowerCase()) : -1;
  if (at < 0) return [text];
  return [text.slice(0, at), el('mark', { textContent: text.slice(at, at + typed.length) }), text.slice(at + typed.length)];
}

/**
 * Wires the suggestion list `list` to the search box `input`. ArrowDown/ArrowUp move
 * through the suggestions (wrapping, and reopening a closed list), Enter picks the
 * highlighted one, Escape closes the list, a click picks one; leaving the box closes
 * it. Keys pressed while an input method is composing are left to the IME.
 * `onPick(text)` is called with the chosen suggestion. Returns `show(typed,
 * suggestions)` and `close()`.
 */
export function combobox(input, list, onPick) {
  let texts = [];
  let active = -1;
  /** What the shown suggestions were for. */
  let shownFor = '';

  function setActive(index) {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) {
      const option = list.children[index];
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function open() {
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  function pick(index) {
    const text = texts[index];
    close();
    onPick(text);
  }

  function show(typed, suggestions) {
    shownFor = typed;
    texts = suggestions.map((suggestion) => suggestion.text);
    list.replaceChildren(
      ...suggestions.map((suggestion, i) =>
        el(
          'li',
          { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', className: `suggestion ${suggestion.kind}`, 'data-index': i },
          el('span', { className: 'suggestion-text' }, ...markTyped(suggestion.text, typed)),
          el('span', { className: 'suggestion-kind', lang: PAGE_LANG }, suggestionTag(suggestion)),
        ),
      ),
    );
    setActive(-1);
    if (texts.length > 0 && document.activeElement === input) open();
    else close();
  }

  input.addEventListener('keydown', (event) => {
    if (event.isComposing || event.keyCode === 229) return;
    const count = texts.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (count === 0) return;
        event.preventDefault();
        if (list.hidden) open();
        setActive(event.key === 'ArrowDown' ? (active + 1) % count : (active - 1 + count) % count);
        break;
      case 'Enter':
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          pick(active);
        }
        break;
      case 'Escape':
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
        break;
      default:
    }
  });
  // Keep the focus in the box while clicking a suggestion.
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const option = event.target.closest('[role="option"]');
    if (option) pick(Number(option.dataset.index));
  });
  list.addEventListener('mousemove', (event) => {
    const option = event.target.closest('[role="option"]');
    if (option && Number(option.dataset.index) !== active) setActive(Number(option.dataset.index));
  });
  input.addEventListener('blur', close);
  // Suggestions for other text than what is now typed are wrong: drop them until new ones come.
  input.addEventListener('input', () => {
    if (!input.value.trim().startsWith(shownFor) || !shownFor) show('', []);
  });

  return { show, close };
}
