// What a commitment's page shows of its record: the evidence, every due date, the history.

import { formatDay, statusName } from '../pages/common.js';
import { html } from '../ui/html.js';
import { Day, Moment } from '../ui/time.js';

const VERBS = {
  PROPOSE: 'proposed it', ACCEPT: 'accepted it', DECLINE: 'declined it', START: 'started the work',
  DELIVER: 'delivered it', CONFIRM: 'confirmed the delivery', DISPUTE: 'disputed the delivery',
  REQUEST_RENEGOTIATION: 'asked for a new due date', ACCEPT_RENEGOTIATION: 'accepted the new due date',
  DECLINE_RENEGOTIATION: 'kept the current due date',
};

/** "delivered it (In progress → Delivered), due 1 Mar 2026 → 15 Mar 2026" */
export function transitionText(t) {
  const parts = [VERBS[t.action] ?? t.action];
  if (t.fromStatus !== t.toStatus) {
    parts.push(` (${t.fromStatus ? `${statusName(t.fromStatus)} → ` : ''}${statusName(t.toStatus)})`);
  }
  if (t.dueDateBefore && t.dueDateAfter && t.dueDateBefore !== t.dueDateAfter) {
    parts.push(`, due ${formatDay(t.dueDateBefore)} → ${formatDay(t.dueDateAfter)}`);
  } else if (!t.dueDateBefore && t.dueDateAfter) {
    parts.push(`, due ${formatDay(t.dueDateAfter)}`);
  } else if (t.action === 'REQUEST_RENEGOTIATION' && t.dueDateAfter) {
    parts.push(`: ${formatDay(t.dueDateAfter)}`);
  }
  return parts.join('');
}

function Evidence({ evidence }) {
  return html`<section class="block" aria-labelledby="evidence-heading">
    <h4 id="evidence-heading">Evidence</h4>
    ${evidence.length === 0
      ? html`<p class="muted">No evidence yet. The accountable side adds links when it delivers.</p>`
      : html`<ul class="evidence-list" aria-labelledby="evidence-heading">
          ${evidence.map((e) => html`<li key=${e.url}>
            <a href=${e.url} target="_blank" rel="noopener noreferrer">${e.title}</a>
            <span class="muted small">${' · added '}<${Moment} iso=${e.createdAt} /></span>
            ${e.note ? html`<p class="small">${e.note}</p>` : null}
            <p class="muted small evidence-url">${e.url}</p>
          </li>`)}
        </ul>`}
  </section>`;
}

function DueDates({ dueDates, history }) {
  return html`<section class="block" aria-labelledby="due-heading">
    <h4 id="due-heading">Every due date</h4>
    <ol class="due-dates" aria-labelledby="due-heading">
      ${dueDates.map((d, i) => {
        const last = i === dueDates.length - 1;
        const change = history.find((t) => t.dueDateAfter === d && t.action === 'ACCEPT_RENEGOTIATION');
        return html`<li key=${d} class=${last ? 'due-current' : 'due-old'}>
          ${last ? html`<strong><${Day} iso=${d} /></strong>` : html`<del><${Day} iso=${d} /></del>`}
          ${last ? html`<span class="muted"> (current)</span>` : null}
          ${change?.reason ? html`<span class="muted small">${` — moved because “${change.reason}”`}</span>` : null}
        </li>`;
      })}
    </ol>
  </section>`;
}

export function EvidenceAndDueDates({ c }) {
  return html`<div class="detail-columns">
    <${Evidence} evidence=${c.evidence} />
    <${DueDates} dueDates=${c.dueDates} history=${c.history} />
  </div>`;
}

export function History({ c }) {
  return html`<section class="block" aria-labelledby="history-heading">
    <h4 id="history-heading">History</h4>
    <ol class="history" aria-labelledby="history-heading">
      ${[...c.history].reverse().map((t) => html`<li class="history-item">
        <div class="history-head">
          <strong>${t.actor ? t.actor.displayName : t.actorParty.organization.name}</strong>
          <span class="muted">${` · ${t.actorParty.organization.name}`}</span>
          ${' — '}${transitionText(t)}${' · '}<span class="muted"><${Moment} iso=${t.at} /></span>
        </div>
        ${t.reason ? html`<p class="small history-reason">${`“${t.reason}”`}</p>` : null}
      </li>`)}
    </ol>
  </section>`;
}
