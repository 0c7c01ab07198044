// One audit event: who did what to which object (by its title, linked to its page), when,
// and what changed.

import { recordHref, recordName } from '../records.js';
import { html } from '../ui/html.js';
import { Moment } from '../ui/time.js';
import { actionText, fieldName, shownFields, untitled } from './words.js';

export function actorName(event) {
  return event.actor ? event.actor.displayName : 'System';
}

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The object's title, linked to its page when it has one. */
export function ObjectTitle({ event, partnershipId }) {
  if (!event.objectTitle) {
    const none = untitled(event);
    return none ? html`<span class="muted">${none}</span>` : null;
  }
  const href = recordHref(partnershipId, event.objectType, event.subjectId);
  return href
    ? html`<a href=${href}>${event.objectTitle}</a>`
    : html`<span class="audit-object">${event.objectTitle}</span>`;
}

/** "proposed the commitment “Weekly report”" (capitalized to start a cell). */
export function WhatHappened({ event, partnershipId, capital = false }) {
  const verb = actionText(event.action);
  return html`<span class="audit-what">${capital ? capitalized(verb) : verb}${' '}<${ObjectTitle}
    event=${event} partnershipId=${partnershipId} /></span>`;
}

/** Field: old → new, as people say it; a field set for the first time shows its value. */
export function Changes({ changes, valueText }) {
  const entries = shownFields(changes);
  if (entries.length === 0) return html`<span class="muted">No field changes</span>`;
  return html`<ul class="changes">
    ${entries.map(([key, change]) => {
      const shaped = change && typeof change === 'object' && !Array.isArray(change) && ('from' in change || 'to' in change);
      const from = shaped ? change.from ?? null : null;
      const to = shaped ? change.to ?? null : change;
      const label = html`<span class="change-field">${fieldName(key)}</span>`;
      if (from === null) return html`<li key=${key}>${label}: <ins class="change-to">${valueText(key, to)}</ins></li>`;
      if (to === null) return html`<li key=${key}>${label}: <del class="change-from">${valueText(key, from)}</del> (cleared)</li>`;
      return html`<li key=${key}>${label}: <del class="change-from">${valueText(key, from)}</del>${' → '}<ins
        class="change-to">${valueText(key, to)}</ins></li>`;
    })}
  </ul>`;
}

/** One line for the overview: "Editor (Contoso) proposed the commitment “…” · 5 minutes ago". */
export function EventSummary({ event, partnershipId }) {
  return html`<span class="event-summary">
    <strong>${actorName(event)}</strong>${' '}<${WhatHappened} event=${event} partnershipId=${partnershipId} />
    <span class="muted">${' · '}<${Moment} iso=${event.createdAt} relative /></span>
  </span>`;
}

export { recordName };
