// One commitment: facts, evidence, every due date, the history, and the actions.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { partnerName } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { kpiHref } from '../kpis/links.js';
import { milestoneHref } from '../roadmap/links.js';
import { InternalBadge, SideChip, StatusBadge } from '../ui/badges.js';
import { ReadOnlyNote } from '../ui/access.js';
import { Facts } from '../ui/facts.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Day, Moment } from '../ui/time.js';
import { DETAIL_QUERY, isCommitmentEvent } from './api.js';
import { EvidenceAndDueDates, History } from './record.js';
import { ActionButtons } from './row.js';
import { useSteps } from './steps.js';

const TITLE_ID = 'commitment-heading';

async function fetchCommitment(commitmentId) {
  const data = await gql(DETAIL_QUERY, { id: commitmentId }).catch((error) => {
    if (error.code === 'NOT_FOUND') return { node: null };
    throw error;
  });
  // null: not found (the other side's internal commitment looks the same).
  return data.node && data.node.title ? data.node : null;
}

export function CommitmentPage({ args, commitmentId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchCommitment(commitmentId), args);
  const [status, setStatus] = useState(null);
  const [alert, setAlert] = useState(null);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();
  const c = state.data;
  const steps = useSteps({
    ctx,
    load,
    setStatus,
    setAlert,
    conflictMessage: () => 'This commitment changed while you were looking at it. It is up to date now; check it and try again.',
    focusAfter: () => focusLater(`#${TITLE_ID}`),
    focusBack: (_, action) => focusLater(`[data-key="act-${action}"]`),
  });

  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    if (!c) return;
    ctx.setTitle(`${c.title} · Commitments · ${partnership.name}`);
    steps.keepPossible([c]);
  }, [c]);

  useLiveChange(live, ctx, isCommitmentEvent, async (events) => {
    if (steps.busy.current) return;
    if (!events.some((e) => e.resync || e.objectId === commitmentId || e.objectType === 'CommitmentEvidence')) return;
    await load();
    if (byOtherSide(events)) {
      setStatus(null);
      notice.show(`${partnerName(partnership)} just changed this commitment; it is up to date.`);
    }
  });

  const back = partnershipHref(partnership.id, 'commitments');
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (c === undefined) body = html`<${Loading} text="Loading the commitment…" />`;
  else if (c === null) {
    body = html`<${Empty} title="Commitment not found" text="It may not exist, or it is the other side’s internal commitment.">
      <a class="button" href=${back}>Back to the commitments</a>
    <//>`;
  } else body = html`<${Commitment} c=${c} partnership=${partnership} steps=${steps} />`;

  return html`<div ref=${root}>
    <p class="back-link"><a href=${back}>← Back to the commitments</a></p>
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${status} />
    <${Message} kind="error" messages=${alert} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function Commitment({ c, partnership, steps }) {
  const partnershipId = partnership.id;
  const facts = [
    ['Accountable side', html`<${SideChip} party=${c.ownerParty} />`],
    ['Proposed by', html`<${SideChip} party=${c.proposedByParty} />`],
    ['Due date', html`<span class=${c.status === 'MISSED' ? 'overdue' : undefined}><${Day} iso=${c.dueDate} /></span>`],
    ['Milestone', c.milestone ? html`<a href=${milestoneHref(partnershipId, c.milestone.id)}>${c.milestone.title}</a>` : 'None'],
    ['KPI', c.kpi ? html`<a href=${kpiHref(partnershipId, c.kpi.id)}>${c.kpi.name}</a>` : 'None'],
    ['Delivered', c.deliveredAt ? html`<${Moment} iso=${c.deliveredAt} />` : 'Not yet'],
    ['Confirmed', c.confirmedAt ? html`<${Moment} iso=${c.confirmedAt} />` : 'Not yet'],
  ];
  const renegotiation = c.pendingRenegotiation;
  const asking = c.ownerParty.isOwn ? 'Your side asks' : `${c.ownerParty.organization.name} asks`;
  return html`
    <div class="detail-head">
      <h3 class="detail-title" id=${TITLE_ID} tabindex="-1" data-key="commitment-heading">${c.title}</h3>
      <${StatusBadge} status=${c.status} prefix="cm" />
      ${c.visibility === 'INTERNAL' ? html`<${InternalBadge} />` : null}
    </div>
    <${Facts} items=${facts} />
    ${c.description ? html`<p class="detail-description">${c.description}</p>` : null}
    ${renegotiation
      ? html`<p class="message message-warning">${`${asking} to move the due date to `}<${Day}
          iso=${renegotiation.proposedDueDate} />${`: “${renegotiation.reason}”`}</p>`
      : null}
    ${c.status === 'DISPUTED' && c.disputeReason ? html`<p class="message message-error">${`Disputed: “${c.disputeReason}”`}</p>` : null}
    <${ActionButtons} c=${c} titleId=${TITLE_ID} label="Actions" className="cm-actions cm-actions-detail" small=${false}
      keyOf=${(action) => `act-${action}`} acting=${steps.acting} onAction=${steps.onAction} />
    <div class="cm-form-host">${steps.formOf(c)}</div>
    <${ReadOnlyNote} partnership=${partnership} doing="accept, deliver, confirm or dispute commitments" />
    <${EvidenceAndDueDates} c=${c} />
    <${History} c=${c} />`;
}
