// Building DOM nodes without ever parsing text from the server as HTML.

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/**
 * Text as shown: without Unicode direction controls (embeddings, overrides, isolates,
 * LRM/RLM/ALM), which could make a title read in another order than it is stored.
 */
export function shownText(text) {
  return String(text).replace(BIDI_CONTROLS, '');
}

/**
 * Creates an element: `props` are set as properties (className, href, textContent, …)
 * or, for names with a dash (aria-*, data-*), as attributes; children are nodes or
 * strings (strings become text nodes). Text is shown without direction controls (shownText).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.includes('-')) node.setAttribute(name, value === true ? '' : String(value));
    else node[name] = name === 'textContent' ? shownText(value) : value;
  }
  const shown = children.filter((child) => child !== undefined && child !== null && child !== '');
  node.append(...shown.map((child) => (typeof child === 'string' ? shownText(child) : child)));
  return node;
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function decode(text) {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
}

/**
 * The API's highlighted text (HTML-escaped, matches in <mark>…</mark>) as DOM nodes:
 * text nodes and <mark> elements only. Only the five entities the server writes are
 * decoded and only the exact <mark> tags become elements, so even text the server
 * failed to escape would show as text, never as markup.
 */
export function markedNodes(html) {
  const fragment = document.createDocumentFragment();
  let inMark = false;
  for (const part of html.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') inMark = true;
    else if (part === '</mark>') inMark = false;
    else if (part) fragment.append(inMark ? el('mark', { textContent: decode(part) }) : document.createTextNode(shownText(decode(part))));
  }
  return fragment;
}
