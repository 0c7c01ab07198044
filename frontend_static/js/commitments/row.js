// A commitment in the list: title, status, side, due date, notes, evidence and the buttons of
// the steps the viewer may take now. A step's form (forms.js) is built by hand and kept across
// re-renders by the list, which hands it back here as `openForm`.

import { formatDay, sideChip, statusBadge } from '../pages/common.js';
import { milestoneHref } from '../roadmap/links.js';
import { html } from '../ui/html.js';
import { DomNode } from '../ui/slot.js';
import { Day } from '../ui/time.js';
import { ACTIONS } from './api.js';
import { commitmentHref } from './links.js';

function sideName(party) {
  return party.isOwn ? 'Your side' : party.organization.name;
}

function Summary({ c, partnershipId }) {
  const renegotiated = c.dueDates.length > 1;
  return html`
    <p class="cm-meta">
      <${DomNode} node=${statusBadge(c.status, 'cm')} />
      <span>Accountable: <${DomNode} node=${sideChip(c.ownerParty)} /></span>
      <span class=${c.status === 'MISSED' ? 'cm-due overdue' : 'cm-due'}>Due <${Day} iso=${c.dueDate} />${renegotiated
        ? html`<span class="muted">${` (was ${formatDay(c.dueDates[c.dueDates.length - 2])})`}</span>` : null}</span>
      ${c.milestone
        ? html`<span>Milestone: <a href=${milestoneHref(partnershipId, c.milestone.id)}>${c.milestone.title}</a></span>`
        : null}
    </p>
    ${c.pendingRenegotiation
      ? html`<p class="cm-note cm-renegotiation">${`${sideName(c.ownerParty)} asks to move the due date to `}<${Day}
          iso=${c.pendingRenegotiation.proposedDueDate} />${`: “${c.pendingRenegotiation.reason}”`}</p>`
      : null}
    ${c.status === 'DISPUTED' && c.disputeReason ? html`<p class="cm-note cm-dispute">Disputed: “${c.disputeReason}”</p>` : null}
    ${c.evidence.length
      ? html`<p class="cm-evidence">Evidence: ${c.evidence.map((e, i) => html`${i ? ', ' : ''}<a href=${e.url}
          target="_blank" rel="noopener noreferrer">${e.title}</a>`)}</p>`
      : null}`;
}

function ActionButtons({ c, titleId, onAction }) {
  if (c.viewerActions.length === 0) return null;
  return html`<div class="cm-actions" role="group" aria-label=${`Actions on ${c.title}`}>
    ${Object.keys(ACTIONS).filter((a) => c.viewerActions.includes(a)).map((action) => {
      const spec = ACTIONS[action];
      return html`<button type="button" class=${`button button-small${spec.kind ? ` button-${spec.kind}` : ''}`}
        aria-describedby=${titleId} data-key=${`act-${action}-${c.id}`}
        onClick=${(event) => onAction(c, action, event.currentTarget)}>${spec.label}</button>`;
    })}
  </div>`;
}

/** onAction(commitment, action, button): a step's button was pressed. */
export function CommitmentRow({ c, partnershipId, openForm, onAction }) {
  const titleId = `cm-title-${c.id}`;
  // The open form is a node built by hand: it goes back into its host as it was (typed input kept).
  const keepForm = (host) => {
    if (host && openForm && openForm.parentNode !== host) host.replaceChildren(openForm);
  };
  return html`<li class=${`cm-item cm-${c.status.toLowerCase()}`} data-id=${c.id}>
    <div class="cm-main">
      <h4 class="cm-title" id=${titleId}>
        <a href=${commitmentHref(partnershipId, c.id)} data-key=${`cm-${c.id}`}>${c.title}</a>
        ${c.visibility === 'INTERNAL'
          ? html`<span class="badge badge-internal" title="Only your side sees this commitment">Internal</span>` : null}
      </h4>
      <${Summary} c=${c} partnershipId=${partnershipId} />
    </div>
    <${ActionButtons} c=${c} titleId=${titleId} onAction=${onAction} />
    <div class="cm-form-host" ref=${keepForm}></div>
  </li>`;
}

export function CommitmentRows({ rows, partnershipId, labelledBy, openForms, onAction }) {
  return html`<ul class="cm-list" aria-labelledby=${labelledBy}>
    ${rows.map((c) => html`<${CommitmentRow} key=${c.id} c=${c} partnershipId=${partnershipId}
      openForm=${openForms.get(c.id)?.el} onAction=${onAction} />`)}
  </ul>`;
}
