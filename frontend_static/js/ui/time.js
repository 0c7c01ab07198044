// Dates in component views: a <time> with the machine-readable value. Moments name their time
// zone (the reader's), and their title gives the full moment with UTC.

import { describeMoment, formatDate, formatDateTime, formatRelative } from '../format.js';
import { formatDay } from '../pages/common.js';
import { html } from './html.js';

/** A calendar day (a due date, a period): no time, no zone. */
export function Day({ iso }) {
  return html`<time datetime=${iso}>${formatDay(iso)}</time>`;
}

/**
 * A moment (created, recorded) with its time and time zone; `relative` shows how long ago
 * ("5 minutes ago"), `dateOnly` the day, with the full moment in the title either way.
 */
export function Moment({ iso, relative = false, dateOnly = false }) {
  let text = formatDateTime(iso);
  if (relative) text = formatRelative(iso);
  else if (dateOnly) text = formatDate(iso);
  return html`<time datetime=${iso} title=${describeMoment(iso)}>${text}</time>`;
}
