/**
 * Unicode's explicit direction controls: embeddings and overrides (U+202A–U+202E),
 * isolates (U+2066–U+2069), and the marks LRM, RLM and ALM (U+200E, U+200F, U+061C).
 * In a title they can show text in another order than it is stored (an RLO makes
 * "moc.elgoog" read "google.com"), so they are left out of what the API gives to be shown.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** `text` without direction controls (see BIDI_CONTROLS): for the fields a page shows, never for the stored text. */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** Hits as shown: their `title_html`, `subtitle_html` and `snippet` without direction controls; everything else as stored. */
export function shownHits<T extends { title_html: string; subtitle_html?: string; snippet: string }>(hits: T[]): T[] {
  return hits.map((hit) => ({
    ...hit,
    title_html: withoutBidiControls(hit.title_html),
    ...(hit.subtitle_html !== undefined ? { subtitle_html: withoutBidiControls(hit.subtitle_html) } : {}),
    snippet: withoutBidiControls(hit.snippet),
  }));
}

/** A document view as shown: its highlighted title, subtitle and paragraphs without direction controls; the stored `document` as it is. */
export function shownView<T extends { title_html: string; subtitle_html?: string; paragraphs_html: string[] }>(view: T): T {
  return {
    ...view,
    title_html: withoutBidiControls(view.title_html),
    ...(view.subtitle_html !== undefined ? { subtitle_html: withoutBidiControls(view.subtitle_html) } : {}),
    paragraphs_html: view.paragraphs_html.map(withoutBidiControls),
  };
}
