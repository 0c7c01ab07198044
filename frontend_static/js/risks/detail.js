// One risk: its facts, each side's latest score and the divergence, the assessment history,
// the treatment with its acceptances and actions, the review, and its links.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { mutate, partnerName, sideName } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { commitmentHref } from '../commitments/links.js';
import { kpiHref } from '../kpis/links.js';
import { milestoneHref } from '../roadmap/links.js';
import { InternalBadge, SideChip } from '../ui/badges.js';
import { Facts } from '../ui/facts.js';
import { Button } from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Day, Moment } from '../ui/time.js';
import {
  CHOICES_QUERY, isRiskEvent, REVIEW, RISK_QUERY, UPDATE_ACTION,
} from './api.js';
import {
  ActionForm, AssessForm, EditRiskForm, LinksForm, TreatmentForm,
} from './forms.js';
import {
  bandName, canKeep, categoryName, readOnlyText, riskStatusName, scoreText, treatmentName,
} from './model.js';

async function fetchRisk(riskId) {
  const data = await gql(RISK_QUERY, { id: riskId }).catch((error) => {
    if (error.code === 'NOT_FOUND') return { node: null };
    throw error;
  });
  return data.node && data.node.title ? data.node : null;
}

const NO_CHOICES = {
  commitments: [], milestones: [], kpis: [], approvers: [],
};

async function fetchChoices(partnershipId) {
  const { partnership } = await gql(CHOICES_QUERY, { id: partnershipId });
  return {
    commitments: partnership.commitments.nodes,
    milestones: partnership.roadmap.phases.flatMap((p) => p.milestones),
    kpis: partnership.kpis,
    approvers: partnership.members.nodes
      .filter((m) => m.role === 'LEAD' || m.role === 'GOVERNANCE')
      .map((m) => ({ value: m.user.id, label: `${m.user.displayName} (${m.role === 'LEAD' ? 'Lead' : 'Governance'})` })),
  };
}

export function RiskPage({ args, riskId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchRisk(riskId), args);
  const [choices, setChoices] = useState(NO_CHOICES);
  const notice = useLiveNotice();
  const [root] = useFocus();
  const risk = state.data;

  useEffect(() => {
    load();
    if (canKeep(partnership)) fetchChoices(partnership.id).then(setChoices).catch(() => {});
  }, []);
  useEffect(() => {
    if (risk) ctx.setTitle(`${risk.title} · Risks · ${partnership.name}`);
  }, [risk]);
  // This risk's events (its links, actions and acceptances are audited as the risk).
  useLiveChange(live, ctx, isRiskEvent, async (events) => {
    if (!events.some((e) => e.resync || e.objectId === riskId)) return;
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed this risk; it is up to date.`);
  });

  const back = partnershipHref(partnership.id, 'risks');
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (risk === undefined) body = html`<${Loading} text="Loading the risk…" />`;
  else if (risk === null) {
    body = html`<${Empty} title="Risk not found" text="It may belong to the other side only.">
      <a class="button" href=${back}>Back to the register</a>
    <//>`;
  } else body = html`<${Risk} risk=${risk} partnership=${partnership} choices=${choices} reload=${load} />`;

  return html`<div ref=${root}>
    <p class="back-link"><a href=${back}>← Back to the register</a></p>
    <${LiveNotice} notice=${notice.notice} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function Score({ score }) {
  return html`<span class=${`risk-score band-${score.band.toLowerCase()}`}>${scoreText(score)}</span>
    <span class="small muted"> ${bandName(score.band)} · ${score.likelihoodLabel}, ${score.impactLabel}</span>`;
}

function Scores({ risk }) {
  const divergence = risk.divergence === null
    ? 'The divergence shows once both sides have scored.'
    : (risk.divergence === 0 ? 'Both sides place it in the same cell.' : `The sides' residual scores are ${risk.divergence} ${risk.divergence === 1 ? 'cell' : 'cells'} apart.`);
  return html`<section class="risk-scores" aria-labelledby="risk-scores-heading">
    <h4 id="risk-scores-heading">Each side's latest score</h4>
    <${Table} labelledBy="risk-scores-heading" rowKey=${(s) => s.party.id} rows=${risk.scores} columns=${[
      { label: 'Side', rowHeader: true, cell: (s) => sideName(s.party, { markOwn: true }) },
      { label: 'Inherent', cell: (s) => (s.latest ? html`<${Score} score=${s.latest.inherent} />` : html`<span class="muted">Not scored</span>`) },
      { label: 'Residual', cell: (s) => (s.latest ? html`<${Score} score=${s.latest.residual} />` : html`<span class="muted">Not scored</span>`) },
      { label: 'Scored', cell: (s) => (s.latest ? html`<${Moment} iso=${s.latest.assessedAt} />` : '—') },
    ]} />
    <p class="risk-divergence" data-testid="divergence">${divergence}</p>
  </section>`;
}

function History({ risk }) {
  return html`<section aria-labelledby="risk-history-heading">
    <h4 id="risk-history-heading">Assessment history</h4>
    ${risk.assessments.length === 0 ? html`<p class="muted">No assessment yet.</p>`
    : html`<${Table} labelledBy="risk-history-heading" rowKey=${(a) => `${a.assessedAt}-${a.party.id}`} rows=${risk.assessments} columns=${[
      { label: 'When', rowHeader: true, cell: (a) => html`<${Moment} iso=${a.assessedAt} />` },
      { label: 'Side', cell: (a) => html`<${SideChip} party=${a.party} />` },
      { label: 'By', cell: (a) => a.assessedBy?.displayName ?? '—' },
      { label: 'Inherent', cell: (a) => scoreText(a.inherent) },
      { label: 'Residual', cell: (a) => scoreText(a.residual) },
      { label: 'Why', cell: (a) => a.rationale || html`<span class="muted">—</span>` },
    ]} />`}
  </section>`;
}

function Acceptances({ risk }) {
  if (risk.acceptances.length === 0) return null;
  return html`<ul class="acceptances">
    ${risk.acceptances.map((a, i) => html`<li key=${i} class=${a.active ? 'acceptance-active' : 'acceptance-ended'}>
      <strong>${a.active ? 'In force' : (a.endReason === 'EXPIRED' ? 'Expired' : 'Ended')}</strong>:
      accepted by ${sideName(a.party, { markOwn: true })}, approved by ${a.approver?.displayName ?? '—'},
      until <${Day} iso=${a.expiresOn} />. ${a.reason}
    </li>`)}
  </ul>`;
}

function Actions({ risk, keeper, reload }) {
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(null);
  async function markDone(action) {
    setBusy(action.id);
    try {
      const { errors } = await mutate(UPDATE_ACTION, { input: { actionId: action.id, status: 'DONE' } }, 'updateRiskAction');
      setMessage(errors.length ? errors.map((e) => e.message) : null);
      if (!errors.length) await reload();
    } finally {
      setBusy(null);
    }
  }
  return html`<section aria-labelledby="risk-actions-heading">
    <h4 id="risk-actions-heading">Actions</h4>
    <${Message} kind="error" messages=${message} />
    ${risk.actions.length === 0 ? html`<p class="muted">No action yet.</p>`
    : html`<${Table} labelledBy="risk-actions-heading" rowKey=${(a) => a.id} rows=${risk.actions} columns=${[
      { label: 'Action', rowHeader: true, cell: (a) => a.title },
      { label: 'Owner', cell: (a) => html`<${SideChip} party=${a.ownerParty} />` },
      { label: 'Due', cell: (a) => (a.dueDate ? html`<${Day} iso=${a.dueDate} />${a.overdue ? html` <span class="badge badge-overdue">Overdue</span>` : null}` : '—') },
      { label: 'Status', cell: (a) => (a.status === 'OPEN' ? 'Open' : (a.status === 'DONE' ? 'Done' : 'Cancelled')) },
      { label: 'Commitment', cell: (a) => a.commitment?.title ?? '—' },
      {
        label: 'Mark',
        cell: (a) => (keeper && a.status === 'OPEN'
          ? html`<${Button} busy=${busy === a.id} busyLabel="Saving…" aria-label=${`Mark “${a.title}” done`} onClick=${() => markDone(a)}>Done<//>`
          : ''),
      },
    ]} />`}
  </section>`;
}

function Links({ risk, partnership }) {
  const { commitments, milestones, kpis } = risk.links;
  const items = [
    ...commitments.map((c) => ({ key: c.id, text: `Commitment: ${c.title}`, href: commitmentHref(partnership.id, c.id) })),
    ...milestones.map((m) => ({ key: m.id, text: `Milestone: ${m.title}`, href: milestoneHref(partnership.id, m.id) })),
    ...kpis.map((k) => ({ key: k.id, text: `KPI: ${k.name}`, href: kpiHref(partnership.id, k.id) })),
  ];
  return items.length === 0 ? html`<p class="muted">Nothing linked yet.</p>`
    : html`<ul class="risk-links">${items.map((i) => html`<li key=${i.key}><a href=${i.href}>${i.text}</a></li>`)}</ul>`;
}

function Risk({
  risk, partnership, choices, reload,
}) {
  const keeper = canKeep(partnership);
  const open = risk.status !== 'CLOSED';
  const [editingLinks, setEditingLinks] = useState(false);
  const [editing, setEditing] = useState(false);
  const [reviewMessage, setReviewMessage] = useState(null);
  const [reviewing, setReviewing] = useState(false);

  async function review() {
    setReviewing(true);
    try {
      const { errors } = await mutate(REVIEW, { input: { riskId: risk.id, expectedVersion: risk.version } }, 'reviewRisk');
      setReviewMessage(errors.length ? { kind: 'error', text: errors.map((e) => e.message) } : { kind: 'success', text: 'Review recorded.' });
      await reload();
    } finally {
      setReviewing(false);
    }
  }

  const facts = [
    ['Category', categoryName(risk.category)],
    ['Owner', html`<${SideChip} party=${risk.ownerParty} />`],
    ['Status', riskStatusName(risk.status)],
    ['Treatment', treatmentName(risk.treatment)],
    ['Visibility', risk.visibility === 'INTERNAL' ? html`<${InternalBadge} />` : 'Shared with the partner'],
    ['Next review', html`<${Day} iso=${risk.nextReviewOn} />${risk.reviewOverdue ? html` <span class="badge badge-overdue">Overdue</span>` : null}`],
    ['Review cadence', `Every ${risk.reviewEveryDays} days`],
    ['Last reviewed', risk.lastReviewedAt ? html`<${Moment} iso=${risk.lastReviewedAt} />` : 'Not yet'],
  ];
  return html`
    <div class="detail-head">
      <h3 class="detail-title" id="risk-heading" tabindex="-1">${risk.title}</h3>
    </div>
    <${Facts} items=${facts} />
    ${risk.description ? html`<p class="detail-description">${risk.description}</p>` : null}
    ${keeper ? null : html`<p class="note access-note">${readOnlyText(partnership)}</p>`}
    <${Scores} risk=${risk} />
    ${keeper && open ? html`<${AssessForm} key=${`assess-${risk.id}`} risk=${risk} onDone=${reload} />` : null}
    <section aria-labelledby="risk-treatment-heading">
      <h4 id="risk-treatment-heading">Treatment: ${treatmentName(risk.treatment)}</h4>
      ${risk.treatmentPlan ? html`<p>${risk.treatmentPlan}</p>` : null}
      <${Acceptances} risk=${risk} />
      ${keeper && open ? html`<${TreatmentForm} key=${`treat-${risk.id}`} risk=${risk} approvers=${choices.approvers} onDone=${reload} />` : null}
    </section>
    <${Actions} risk=${risk} keeper=${keeper} reload=${reload} />
    ${keeper && open ? html`<${ActionForm} risk=${risk} partnership=${partnership} commitments=${choices.commitments} onDone=${reload} />` : null}
    ${keeper && open ? html`<section aria-labelledby="risk-review-heading">
      <h4 id="risk-review-heading">Review</h4>
      ${reviewMessage ? html`<${Message} kind=${reviewMessage.kind} messages=${reviewMessage.text} />` : null}
      <${Button} busy=${reviewing} busyLabel="Recording…" onClick=${review}>Record a review today<//>
    </section>` : null}
    <section aria-labelledby="risk-links-heading">
      <h4 id="risk-links-heading">Linked commitments, milestones and KPIs</h4>
      <${Links} risk=${risk} partnership=${partnership} />
      ${keeper ? html`<p><button type="button" class="button" aria-expanded=${String(editingLinks)} aria-controls="risk-links"
        onClick=${() => setEditingLinks(!editingLinks)}>Edit links</button></p>
        <div hidden=${!editingLinks}><${LinksForm} key=${`links-${risk.id}`}
          risk=${risk} choices=${choices} onDone=${reload} /></div>` : null}
    </section>
    <${History} risk=${risk} />
    ${keeper ? html`<section aria-labelledby="risk-edit-heading">
      <h4 id="risk-edit-heading">The risk itself</h4>
      <p><button type="button" class="button" aria-expanded=${String(editing)} aria-controls="edit-risk"
        onClick=${() => setEditing(!editing)}>Edit or close the risk</button></p>
      <div hidden=${!editing}><${EditRiskForm} key=${`edit-${risk.id}`} risk=${risk} onDone=${reload} /></div>
    </section>` : null}`;
}
