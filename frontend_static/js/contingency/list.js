// The contingency plans of a partnership (with where each stands in its approval) and the
// activations and drills of them; the plan form (form.js) drafts a new plan.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { partnerName } from '../pages/common.js';
import { SideChip } from '../ui/badges.js';
import { html, useEffect } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Moment } from '../ui/time.js';
import { CONTINGENCY_QUERY, RELEVANT } from './api.js';
import { PlanForm } from './form.js';
import { contingencyHref } from './links.js';
import { SEVERITY, VERSION_STATUS, sourceText } from './words.js';

export const ACT_ROLES = new Set(['LEAD', 'EDITOR', 'GOVERNANCE']);

export function ContingencyList({ args }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(async () => (await gql(CONTINGENCY_QUERY, { id: partnership.id })).partnership, args);
  const notice = useLiveNotice();
  useEffect(() => {
    load();
  }, []);
  useLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed a plan or an activation; the lists are up to date.`);
  });

  const data = state.data;
  let body;
  if (state.error && !data) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (!data) body = html`<${Loading} text="Loading contingency plans…" />`;
  else body = html`<${Lists} data=${data} partnership=${partnership} />`;
  return html`<div>
    <p class="lede">Joint contingency plans both sides approve: what triggers them, who does what within how long, and how the partner is kept informed. An approved plan is activated by its trigger, by hand, or as a drill.</p>
    <${LiveNotice} notice=${notice.notice} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
    ${ACT_ROLES.has(partnership.viewerRole) ? html`<${PlanForm} args=${args} partnership=${partnership}
      heading="Draft a plan" headingId="contingency-draft-heading" submitLabel="Draft the plan" busyLabel="Drafting…"
      onSaved=${load} />` : null}
  </div>`;
}

function Lists({ data, partnership }) {
  const plans = data.contingencyPlans;
  const activations = data.activations;
  return html`<div class="contingency-lists">
    <h3 id="contingency-plans-heading">Plans</h3>
    ${plans.length === 0
      ? html`<${Empty} title="No contingency plans yet" text="Draft the first one below." />`
      : html`<${Table} labelledBy="contingency-plans-heading" rowKey=${(p) => p.id} rows=${plans} columns=${[
        { label: 'Plan', rowHeader: true, cell: (p) => html`<a href=${contingencyHref(partnership.id, p.id)}>${p.title}</a>` },
        { label: 'Severity', cell: (p) => SEVERITY[p.latest?.severity] ?? '' },
        { label: 'Latest version', cell: (p) => (p.latest ? `v${p.latest.number}: ${VERSION_STATUS[p.latest.status]}` : '') },
        { label: 'In force', cell: (p) => (p.inForce ? `v${p.inForce.number}` : 'None yet') },
        { label: 'Drafted by', cell: (p) => html`<${SideChip} party=${p.ownerParty} />` },
      ]} />`}
    <h3 id="contingency-activations-heading">Activations and drills</h3>
    ${activations.length === 0
      ? html`<${Empty} title="No activations yet" text="An approved plan is activated by its trigger, by hand, or as a drill." />`
      : html`<${Table} labelledBy="contingency-activations-heading" rowKey=${(a) => a.id} rows=${activations} columns=${[
        { label: 'Activation', rowHeader: true, cell: (a) => html`<a href=${contingencyHref(partnership.id, a.id)}>${a.plan?.title ?? 'Plan'}</a>` },
        { label: 'How', cell: (a) => sourceText(a) },
        { label: 'Status', cell: (a) => html`<span class=${`badge activation-${a.status.toLowerCase()}`}>${a.status === 'ACTIVE' ? 'Active' : 'Closed'}</span>` },
        { label: 'Started', cell: (a) => html`<${Moment} iso=${a.startedAt} />` },
        { label: 'Score', cell: (a) => (a.score == null ? '' : `${a.score}%`) },
      ]} />`}
  </div>`;
}
