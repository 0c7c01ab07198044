// Dates in component views: a <time> with the machine-readable value.

import { formatDateTime } from '../format.js';
import { formatDay } from '../pages/common.js';
import { html } from './html.js';

/** A calendar day (a due date, a period). */
export function Day({ iso }) {
  return html`<time datetime=${iso}>${formatDay(iso)}</time>`;
}

/** A moment (created, recorded), with its time. */
export function Moment({ iso }) {
  return html`<time datetime=${iso}>${formatDateTime(iso)}</time>`;
}
