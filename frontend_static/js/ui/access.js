// What a reader is told where the actions of Leads and Editors would be: why they are not
// there, and whom to ask (pages/common.js readOnlyReason).

import { readOnlyReason } from '../pages/common.js';
import { html } from './html.js';

/** `doing`: what editors do here ("propose or answer commitments"); nothing for editors. */
export function ReadOnlyNote({ partnership, doing, prefix = '' }) {
  const reason = readOnlyReason(partnership, doing);
  if (!reason) return null;
  return html`<p class="note access-note">${prefix ? `${prefix} ` : ''}${reason}</p>`;
}
