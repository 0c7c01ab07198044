// A commitment in the list: title, status, side, due date, notes, evidence, the buttons of the
// steps the viewer may take now, and the form of the step being filled in (if any).

import { formatDay } from '../pages/common.js';
import { milestoneHref } from '../roadmap/links.js';
import { InternalBadge, SideChip, StatusBadge } from '../ui/badges.js';
import { Button } from '../ui/form.js';
import { html } from '../ui/html.js';
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
      <${StatusBadge} status=${c.status} prefix="cm" />
      <span>Accountable: <${SideChip} party=${c.ownerParty} /></span>
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

/**
 * The buttons of the steps the viewer may take on `c` now. keyOf(action) is each button's
 * data-key; acting ({ id, action }) marks the step on its way.
 */
export function ActionButtons({
  c, titleId, label, className = 'cm-actions', small = true, keyOf, acting, onAction,
}) {
  if (c.viewerActions.length === 0) return null;
  return html`<div class=${className} role="group" aria-label=${label}>
    ${Object.keys(ACTIONS).filter((a) => c.viewerActions.includes(a)).map((action) => {
      const spec = ACTIONS[action];
      return html`<${Button} key=${action} className=${`button${small ? ' button-small' : ''}${spec.kind ? ` button-${spec.kind}` : ''}`}
        aria-describedby=${titleId} data-key=${keyOf(action)}
        busy=${!spec.form && acting?.id === c.id && acting.action === action}
        onClick=${() => onAction(c, action)}>${spec.label}<//>`;
    })}
  </div>`;
}

/** steps: the page's useSteps (steps.js). */
export function CommitmentRow({ c, partnershipId, steps }) {
  const titleId = `cm-title-${c.id}`;
  return html`<li class=${`cm-item cm-${c.status.toLowerCase()}`} data-id=${c.id}>
    <div class="cm-main">
      <h4 class="cm-title" id=${titleId}>
        <a href=${commitmentHref(partnershipId, c.id)} data-key=${`cm-${c.id}`}>${c.title}</a>
        ${c.visibility === 'INTERNAL' ? html`<${InternalBadge} title="Only your side sees this commitment" />` : null}
      </h4>
      <${Summary} c=${c} partnershipId=${partnershipId} />
    </div>
    <${ActionButtons} c=${c} titleId=${titleId} label=${`Actions on ${c.title}`}
      keyOf=${(action) => `act-${action}-${c.id}`} acting=${steps.acting} onAction=${steps.onAction} />
    <div class="cm-form-host">${steps.formOf(c)}</div>
  </li>`;
}

export function CommitmentRows({ rows, partnershipId, labelledBy, steps }) {
  return html`<ul class="cm-list" aria-labelledby=${labelledBy}>
    ${rows.map((c) => html`<${CommitmentRow} key=${c.id} c=${c} partnershipId=${partnershipId} steps=${steps} />`)}
  </ul>`;
}
