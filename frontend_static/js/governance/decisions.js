// The decision log: each decision with its context, options, rationale and criteria, each
// side's approvers and verdict, the decide-by date (flagged when past), and the verdict form
// for the one who may give your side's.

import { mutate } from '../pages/common.js';
import { SideChip } from '../ui/badges.js';
import { Field, Select } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useState } from '../ui/html.js';
import { Message } from '../ui/message.js';
import { Empty } from '../ui/states.js';
import { Day, Moment } from '../ui/time.js';
import {
  APPROVE, NAME_APPROVERS, PROPOSE, REJECT,
} from './api.js';
import { GovStatus } from './badges.js';
import { canGovern, canPropose, governanceStatus } from './words.js';

export function DecisionLog({
  partnership, ctx, decisions, members, onChanged,
}) {
  const [status, setStatus] = useState(null);
  return html`<section class="gov-decisions" aria-labelledby="gov-decisions-heading">
    <h3 id="gov-decisions-heading">Decision log</h3>
    <${Message} kind="success" messages=${status} />
    ${decisions.nodes.length
      ? html`<ul class="gov-decision-list">
          ${decisions.nodes.map((d) => html`<${DecisionItem} key=${d.id} d=${d} ctx=${ctx}
            partnership=${partnership} members=${members}
            onDecided=${async (text) => { setStatus(text); await onChanged(); }} />`)}
        </ul>`
      : html`<${Empty} title="No decisions yet" text="Decisions both sides approve, with their rationale and criteria." />`}
    ${canPropose(partnership) ? html`<${ProposeForm} partnership=${partnership} ctx=${ctx} members=${members}
      approved=${decisions.nodes.filter((d) => d.status === 'APPROVED')} onProposed=${async (text) => { setStatus(text); await onChanged(); }} />` : null}
  </section>`;
}

function SideVerdict({ side }) {
  const who = side.namedApprovers.length
    ? `Approvers: ${side.namedApprovers.map((u) => u.displayName).join(', ')}`
    : 'Approved by its Leads';
  const v = side.verdict;
  return html`<li class="gov-side">
    <${SideChip} party=${side.party} />
    <span class="hint">${who}</span>
    ${v
      ? html`<span class=${`gov-verdict gov-verdict-${v.verdict.toLowerCase()}`}>
          ${v.verdict === 'APPROVE' ? 'Approved' : 'Rejected'} by ${v.by?.displayName ?? 'someone'}, <${Moment} iso=${v.at} dateOnly />: “${v.comment}”
        </span>`
      : html`<span class="gov-verdict gov-verdict-none">No verdict yet</span>`}
  </li>`;
}

function DecisionItem({
  d, ctx, partnership, members, onDecided,
}) {
  const headingId = `decision-${d.id}`;
  const mine = d.sides.find((s) => s.party.isOwn);
  const mayName = canGovern(partnership) && d.status === 'PROPOSED' && mine && !mine.verdict;
  return html`<li class="gov-decision card" aria-labelledby=${headingId}>
    <div class="detail-head">
      <h4 id=${headingId}>${d.title}</h4>
      <${GovStatus} status=${d.status} />
      ${d.overdue ? html`<span class="badge gov-overdue">Past its decide-by date</span>` : null}
    </div>
    <dl class="facts">
      <div class="fact"><dt>Proposed by</dt><dd><${SideChip} party=${d.ownerParty} /> ${d.proposedBy?.displayName ?? ''}</dd></div>
      <div class="fact"><dt>Decide by</dt><dd>${d.decideBy ? html`<${Day} iso=${d.decideBy} />` : 'No date'}</dd></div>
      ${d.supersedes ? html`<div class="fact"><dt>Supersedes</dt><dd>${d.supersedes.title}</dd></div>` : null}
      ${d.supersededBy ? html`<div class="fact"><dt>Superseded by</dt><dd>${d.supersededBy.title}</dd></div>` : null}
    </dl>
    ${d.context ? html`<p><strong>Context:</strong> ${d.context}</p>` : null}
    ${d.options.length ? html`<div><strong>Options considered:</strong><ul>${d.options.map((o) => html`<li>${o}</li>`)}</ul></div>` : null}
    ${d.rationale ? html`<p><strong>Rationale:</strong> ${d.rationale}</p>` : null}
    ${d.approvalCriteria ? html`<p><strong>Approval criteria:</strong> ${d.approvalCriteria}</p>` : null}
    <ul class="gov-sides" aria-label="Each side’s approval">${d.sides.map((s) => html`<${SideVerdict} key=${s.party.id} side=${s} />`)}</ul>
    ${mine?.canDecide ? html`<${VerdictForm} d=${d} ctx=${ctx} onDecided=${onDecided} />` : null}
    ${mayName ? html`<${NameApproversForm} d=${d} side=${mine} ctx=${ctx} members=${members} onNamed=${onDecided} />` : null}
  </li>`;
}

function NameApproversForm({
  d, side, ctx, members, onNamed,
}) {
  const form = useForm();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState(() => side.namedApprovers.map((u) => u.id));
  const toggle = (id) => setChosen((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]));
  if (!open) {
    return html`<p><${Button} className="button button-small" onClick=${() => setOpen(true)}>Name approvers for your side<//></p>`;
  }
  function submit() {
    form.run(async () => {
      const { errors } = await mutate(NAME_APPROVERS, { input: { decisionId: d.id, userIds: chosen } }, 'nameDecisionApprovers');
      if (errors.length) return errors;
      if (ctx.isCurrent()) {
        setOpen(false);
        await onNamed(chosen.length ? 'Approvers named for your side.' : 'Your side’s Leads approve this decision.');
      }
      return undefined;
    });
  }
  return html`<${Form} form=${form} className="form gov-verdict-form" heading="Your side’s approvers"
    headingId=${`approvers-${d.id}`} level=${5} onSubmit=${submit}>
    <${Approvers} members=${members} chosen=${chosen} onToggle=${toggle} />
    <div class="form-actions">
      <${SubmitButton}>Save approvers<//>
      <${Button} onClick=${() => setOpen(false)}>Cancel<//>
    </div>
  <//>`;
}

function VerdictForm({ d, ctx, onDecided }) {
  const form = useForm();
  const { values, bind } = useValues({ comment: '' });
  const [busy, setBusy] = useState(null);
  async function give(verdict) {
    if (!values.comment.trim()) {
      form.fail([{ field: 'comment', message: 'Say why, in a comment: the other side reads it.' }]);
      return;
    }
    setBusy(verdict);
    await form.run(async () => {
      const [doc, name] = verdict === 'APPROVE' ? [APPROVE, 'approveDecision'] : [REJECT, 'rejectDecision'];
      const { payload, errors } = await mutate(doc, { input: { decisionId: d.id, comment: values.comment.trim() } }, name);
      if (errors.length) return errors;
      if (ctx.isCurrent()) await onDecided(`Your side’s verdict is recorded: the decision is ${governanceStatus(payload.decision.status).toLowerCase()}.`);
      return undefined;
    });
    setBusy(null);
  }
  const headingId = `verdict-${d.id}`;
  return html`<${Form} form=${form} className="form gov-verdict-form" heading="Your side’s verdict" headingId=${headingId}
    level=${5} onSubmit=${() => give('APPROVE')}>
    <${Field} label="Comment" name="comment"><textarea rows="2" maxlength="2000" ...${bind('comment')}></textarea><//>
    <div class="form-actions">
      <${SubmitButton} busyLabel="Approving…">Approve<//>
      <${Button} className="button button-danger" busy=${busy === 'REJECT'} busyLabel="Rejecting…" onClick=${() => give('REJECT')}>Reject<//>
    </div>
  <//>`;
}

function Approvers({ members, chosen, onToggle }) {
  const eligible = members.filter((m) => m.role === 'GOVERNANCE' || m.role === 'LEAD');
  if (!eligible.length) return null;
  return html`<fieldset class="gov-approvers">
    <legend>Approvers for your side</legend>
    <p class="hint">None chosen: your side’s Leads approve.</p>
    ${eligible.map((m) => html`<label key=${m.id} class="checkbox">
      <input type="checkbox" checked=${chosen.includes(m.user.id)} onChange=${() => onToggle(m.user.id)} />
      ${m.user.displayName} (${m.role === 'LEAD' ? 'Lead' : 'Governance'})
    </label>`)}
  </fieldset>`;
}

function ProposeForm({
  partnership, ctx, members, approved, onProposed,
}) {
  const form = useForm();
  const [approvers, setApprovers] = useState([]);
  const toggle = (id) => setApprovers((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]));
  const empty = {
    title: '', context: '', options: '', rationale: '', approvalCriteria: '', decideBy: '', supersedesId: '',
  };
  const { values, bind, setAll } = useValues(empty);
  function submit() {
    if (!values.title.trim()) {
      form.fail([{ field: 'title', message: 'Say what is to be decided.' }]);
      return;
    }
    form.run(async () => {
      const { payload, errors } = await mutate(PROPOSE, {
        input: {
          partnershipId: partnership.id,
          title: values.title.trim(),
          context: values.context,
          options: values.options.split('\n').map((o) => o.trim()).filter(Boolean),
          rationale: values.rationale,
          approvalCriteria: values.approvalCriteria,
          decideBy: values.decideBy || null,
          approverIds: approvers,
          supersedesId: values.supersedesId || null,
        },
      }, 'proposeDecision');
      if (errors.length) return errors;
      if (!ctx.isCurrent()) return undefined;
      setAll(empty);
      setApprovers([]);
      await onProposed(`You proposed “${payload.decision.title}”; both sides’ approval is needed.`);
      return undefined;
    });
  }
  return html`<${Form} form=${form} id="propose-decision" className="form card" level=${4}
    heading="Propose a decision" headingId="propose-decision-heading" onSubmit=${submit}>
    <${Field} label="Decision" name="title"><input type="text" maxlength="200" autocomplete="off" ...${bind('title')} /><//>
    <${Field} label="Context" name="context"><textarea rows="2" ...${bind('context')}></textarea><//>
    <${Field} label="Options considered" name="options" hint="One per line."><textarea rows="3" ...${bind('options')}></textarea><//>
    <div class="form-row">
      <${Field} label="Rationale" name="rationale"><textarea rows="2" ...${bind('rationale')}></textarea><//>
      <${Field} label="Approval criteria" name="approvalCriteria"><textarea rows="2" ...${bind('approvalCriteria')}></textarea><//>
    </div>
    <${Field} label="Decide by" name="decideBy" hint="Optional."><input type="date" ...${bind('decideBy')} /><//>
    ${approved.length
      ? html`<${Field} label="Supersedes" name="supersedesId" hint="An approved decision this one replaces once both sides approve it.">
          <${Select} options=${[{ value: '', label: 'None' }, ...approved.map((a) => ({ value: a.id, label: a.title }))]} ...${bind('supersedesId')} />
        <//>`
      : null}
    <${Approvers} members=${members} chosen=${approvers} onToggle=${toggle} />
    <div><${SubmitButton} busyLabel="Proposing…">Propose decision<//></div>
  <//>`;
}
