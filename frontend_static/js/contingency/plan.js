// One contingency plan: its versions (triggers, playbook steps, protocol, cadence, approvals),
// submitting a draft, approving a version for your side (LEADs), revising it (the plan form,
// prefilled: a new version, while the approved one stays in force), and activating the version
// in force by hand or as a drill.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { mutate, partnerName } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { SideChip } from '../ui/badges.js';
import { Button } from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Failed, Loading } from '../ui/states.js';
import { Moment } from '../ui/time.js';
import {
  ACTIVATE_PLAN, APPROVE_VERSION, PLAN_QUERY, RELEVANT, SUBMIT_VERSION,
} from './api.js';
import { PlanForm } from './form.js';
import { contingencyHref } from './links.js';
import { ACT_ROLES } from './list.js';
import {
  SEVERITY, VERSION_STATUS, minutesText, triggerText,
} from './words.js';

export function PlanPage({ args, planId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(async () => (await gql(PLAN_QUERY, { id: planId })).node, args);
  const [banner, setBanner] = useState({ status: null, alert: null });
  const [busy, setBusy] = useState(null);
  const [revising, setRevising] = useState(false);
  const [ref, focusLater] = useFocus();
  const notice = useLiveNotice();
  useEffect(() => {
    load();
  }, [planId]);
  useLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed this plan; it is up to date.`);
  });

  async function act(key, document, variables, name, done) {
    setBusy(key);
    setBanner({ status: null, alert: null });
    try {
      const { payload, errors } = await mutate(document, variables, name);
      if (errors.length) setBanner({ status: null, alert: errors.map((e) => e.message) });
      else {
        await load();
        setBanner({ status: done, alert: null });
        if (payload.activation && ctx.isCurrent()) ctx.navigate(contingencyHref(partnership.id, payload.activation.id).slice(1));
      }
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') setBanner({ status: null, alert: error.message });
    } finally {
      setBusy(null);
    }
  }

  const plan = state.data;
  if (state.error && !plan) return html`<${Failed} error=${state.error} onRetry=${load} />`;
  if (!plan) return html`<${Loading} text="Loading the plan…" />`;
  const role = partnership.viewerRole;
  const latest = plan.versions[0];
  const waiting = plan.inForce && latest && latest.id !== plan.inForce.id && latest.status !== 'SUPERSEDED';
  const next = (latest?.number ?? 0) + 1;
  const stays = plan.inForce
    ? `Version ${plan.inForce.number} stays in force until both sides’ Leads approve it.`
    : 'No version is in force until both sides’ Leads approve one.';
  async function revised(saved) {
    setRevising(false);
    await load();
    setBanner({ status: `Version ${saved.latest.number} drafted: submit it for approval. ${saved.inForce ? `Version ${saved.inForce.number} stays in force until both sides approve the new one.` : ''}`, alert: null });
    focusLater('#plan-heading');
  }
  function stopRevising() {
    setRevising(false);
    focusLater('[data-key="revise"]');
  }
  return html`<article class="contingency-plan" aria-labelledby="plan-heading" ref=${ref}>
    <p><a href=${partnershipHref(partnership.id, 'contingency')}>All plans and activations</a></p>
    <h3 id="plan-heading" tabindex="-1">${plan.title}</h3>
    <p>Drafted by <${SideChip} party=${plan.ownerParty} />. ${plan.inForce ? `Version ${plan.inForce.number} is in force.` : 'No version is approved yet.'}</p>
    ${waiting ? html`<p class="note">Version ${latest.number} is ${latest.status === 'DRAFT' ? 'a draft' : 'waiting for approval'}; version ${plan.inForce.number} stays in force until both sides’ Leads approve it.</p>` : null}
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${banner.status} />
    <${Message} kind="error" messages=${banner.alert} />
    ${plan.inForce && ACT_ROLES.has(role) ? html`<div class="actions">
      <${Button} className="button button-primary" busy=${busy === 'activate'} busyLabel="Activating…"
        onClick=${() => act('activate', ACTIVATE_PLAN, { input: { planId: plan.id } }, 'activatePlan', 'Plan activated: both sides are told.')}>Activate now<//>
      <${Button} busy=${busy === 'drill'} busyLabel="Starting…"
        onClick=${() => act('drill', ACTIVATE_PLAN, { input: { planId: plan.id, drill: true } }, 'activatePlan', 'Drill started.')}>Run a drill<//>
    </div>` : null}
    ${ACT_ROLES.has(role) && latest && !revising ? html`<p><button type="button" class="button" data-key="revise"
      onClick=${() => { setBanner({ status: null, alert: null }); setRevising(true); }}>Revise the plan</button></p>` : null}
    ${revising ? html`<${PlanForm} args=${args} partnership=${partnership} plan=${plan} version=${latest}
      heading=${`Revise the plan: version ${next}`} headingId="plan-revise-heading" submitLabel=${`Save version ${next}`} busyLabel="Saving…"
      note=${`Saving makes version ${next}, a draft that both sides’ Leads approve again (a draft or a version waiting for approval is set aside). ${stays}`}
      focusFirst=${true} onSaved=${revised} onCancel=${stopRevising} />` : null}
    <h4>Versions</h4>
    ${plan.versions.map((v) => html`<section class="card plan-version" key=${v.id} aria-label=${`Version ${v.number}`}>
      <h5>Version ${v.number}: ${VERSION_STATUS[v.status]} · ${SEVERITY[v.severity]}</h5>
      ${v.scenario ? html`<p>${v.scenario}</p>` : null}
      <p><strong>Triggers:</strong> ${v.triggers.map(triggerText).join('; ')}</p>
      <ol class="playbook">${v.steps.map((s) => html`<li key=${s.position}>${s.title} — <${SideChip} party=${s.ownerParty} /> (${s.role}), within ${minutesText(s.actWithinMinutes)}</li>`)}</ol>
      ${v.protocol ? html`<p><strong>Protocol:</strong> ${v.protocol}</p>` : null}
      ${v.oversight.length ? html`<p><strong>Oversight group:</strong> ${v.oversight.map((u) => u.displayName).join(', ')}</p>` : null}
      <p><strong>Updates:</strong> ${v.cadence.map((c) => `${SEVERITY[c.severity]} every ${minutesText(c.minutes)}`).join(', ')}</p>
      <p><strong>Approvals:</strong> ${v.approvals.length === 0 ? 'none yet' : v.approvals.map((a) => html`<span key=${a.party?.id}><${SideChip} party=${a.party} /> <${Moment} iso=${a.approvedAt} /> </span>`)}</p>
      ${v.status === 'DRAFT' && ACT_ROLES.has(role) ? html`<${Button} busy=${busy === v.id} busyLabel="Submitting…"
        onClick=${() => act(v.id, SUBMIT_VERSION, { id: v.id }, 'submitPlanVersion', `Version ${v.number} submitted: both sides' Leads approve it.`)}>Submit version ${v.number} for approval<//>` : null}
      ${v.status === 'PENDING_APPROVAL' && role === 'LEAD' && !v.approvedByYourSide ? html`<${Button} className="button button-primary" busy=${busy === v.id} busyLabel="Approving…"
        onClick=${() => act(v.id, APPROVE_VERSION, { input: { planVersionId: v.id } }, 'approvePlanVersion', `You approved version ${v.number} for your side.`)}>Approve version ${v.number} for your side<//>` : null}
      ${v.status === 'PENDING_APPROVAL' && v.approvedByYourSide ? html`<p class="note">Your side approved; waiting for ${partnerName(partnership)}.</p>` : null}
    </section>`)}
  </article>`;
}
