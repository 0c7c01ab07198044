// A milestone's history: who changed what, from which value to which.

import { html } from '../ui/html.js';
import { Moment } from '../ui/time.js';

export const FIELD_LABELS = {
  title: 'Title',
  description: 'Description',
  target_date: 'Target date',
  targetDate: 'Target date',
  status: 'Status',
  phase: 'Phase',
  rank: 'Position',
  owner_party_id: 'Accountable side',
  ownerPartyId: 'Accountable side',
  visibility: 'Visibility',
};

const ACTION_NAMES = {
  'milestone.created': 'created it', 'milestone.updated': 'edited it', 'milestone.moved': 'moved it',
  'milestone.dropped': 'dropped it',
};

function Changes({ changes, showValue }) {
  const entries = changes && typeof changes === 'object' ? Object.entries(changes) : [];
  if (!entries.length) return null;
  return html`<ul class="changes">
    ${entries.map(([key, change]) => {
      const shaped = change && typeof change === 'object' && ('from' in change || 'to' in change);
      const from = shaped ? change.from ?? null : null;
      const to = shaped ? change.to ?? null : change;
      const label = html`<span class="change-field">${FIELD_LABELS[key] ?? key}</span>`;
      const after = html`<ins class="change-to">${showValue(key, to)}</ins>`;
      return from === null
        ? html`<li key=${key}>${label}: ${after}</li>`
        : html`<li key=${key}>${label}: <del class="change-from">${showValue(key, from)}</del> → ${after}</li>`;
    })}
  </ul>`;
}

/** showValue(key, value) names a changed field's value as people say it. */
export function MilestoneHistory({ history, showValue }) {
  const headingId = 'milestone-history-heading';
  const events = history.nodes;
  return html`<section class="block" aria-labelledby=${headingId}>
    <h4 id=${headingId}>History</h4>
    ${events.length === 0
      ? html`<p class="muted">No changes recorded yet.</p>`
      : html`<ol class="history" aria-labelledby=${headingId}>
          ${events.map((e) => html`<li key=${e.id} class="history-item">
            <div class="history-head">
              <strong>${e.actor ? e.actor.displayName : 'System'}</strong>
              ${e.actorParty ? html`<span class="muted">${` · ${e.actorParty.organization.name}`}</span>` : null}
              ${' — '}${ACTION_NAMES[e.action] ?? e.action}${' · '}<span class="muted"><${Moment} iso=${e.createdAt} /></span>
            </div>
            <${Changes} changes=${e.changes} showValue=${showValue} />
          </li>`)}
        </ol>`}
    ${history.totalCount > events.length
      ? html`<p class="muted small">Showing the latest ${events.length} of ${history.totalCount} changes; the audit trail has them all.</p>`
      : null}
  </section>`;
}
