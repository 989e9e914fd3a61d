// The article view: one whole document, every match of the query highlighted.

import { el, markedNodes } from './dom.js';
import { bylines, kindBadge } from './results.js';

/** Fills the article view from an /api/doc answer: title, subtitle, kind and bylines, paragraphs as ingested. */
export function renderArticle(parts, view) {
  parts.title.replaceChildren(markedNodes(view.title_html || view.document.id));
  parts.subtitle.hidden = !view.subtitle_html;
  parts.subtitle.replaceChildren(markedNodes(view.subtitle_html || ''));
  const badge = kindBadge(view.document);
  parts.meta.replaceChildren(...(badge ? [badge] : []), ...bylines(view.document).map((text) => el('span', { className: 'byline', textContent: text })));
  parts.body.replaceChildren(...view.paragraphs_html.map((html) => el('p', {}, markedNodes(html))));
}

/** Empties the article view (while loading, or when there is no such article). */
export function clearArticle(parts) {
  parts.title.replaceChildren();
  parts.subtitle.hidden = true;
  parts.meta.replaceChildren();
  parts.body.replaceChildren();
}
