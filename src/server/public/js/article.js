// The article view: one whole document, every match of the query highlighted, and 相关报道 below it.

import { el, markedNodes } from './dom.js';
import { bylines, kindBadge } from './results.js';
import { docUrl } from './url.js';

/** One related article: its title (a link that keeps the search state) and its date when known. */
function relatedItem(related, state) {
  return el(
    'li',
    {},
    el('a', { href: docUrl(related.id, state), 'data-internal': true, textContent: related.title || related.id }),
    related.date ? el('span', { className: 'related-date', textContent: related.date }) : undefined,
  );
}

/**
 * Fills the article view from an /api/doc answer: title, subtitle, kind and bylines,
 * paragraphs as ingested, and the related articles (hidden when there are none).
 * `state` is the search the view belongs to, which the related links carry on.
 */
export function renderArticle(parts, view, state) {
  parts.title.replaceChildren(markedNodes(view.title_html || view.document.id));
  parts.subtitle.hidden = !view.subtitle_html;
  parts.subtitle.replaceChildren(markedNodes(view.subtitle_html || ''));
  const badge = kindBadge(view.document);
  parts.meta.replaceChildren(...(badge ? [badge] : []), ...bylines(view.document).map((text) => el('span', { className: 'byline', textContent: text })));
  parts.body.replaceChildren(...view.paragraphs_html.map((html) => el('p', {}, markedNodes(html))));
  const related = view.related || [];
  parts.relatedList.replaceChildren(...related.map((item) => relatedItem(item, state)));
  parts.related.hidden = related.length === 0;
}

/** Empties the article view (while loading, or when there is no such article). */
export function clearArticle(parts) {
  parts.title.replaceChildren();
  parts.subtitle.hidden = true;
  parts.meta.replaceChildren();
  parts.body.replaceChildren();
  parts.relatedList.replaceChildren();
  parts.related.hidden = true;
}
