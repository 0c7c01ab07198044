// The activation room: the plan's steps against their time to act (late ones flagged; each
// side completes its own), status updates to the partner at the protocol's cadence (a missed
// one flagged), escalation, the append-only timeline, and closure with a post-mortem whose
// follow-up actions become commitments.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { addDaysIso, mutate, ownParty, partnerName, todayIso } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { SideChip } from '../ui/badges.js';
import { Field } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Failed, Loading } from '../ui/states.js';
import { Moment } from '../ui/time.js';
import {
  CLOSE, COMPLETE_STEP, ESCALATE, POST_UPDATE, RELEVANT, ROOM_QUERY,
} from './api.js';
import { contingencyHref } from './links.js';
import { ACT_ROLES } from './list.js';
import { ENTRY, SEVERITY, sourceText } from './words.js';

function durationText(from, to) {
  const minutes = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60000));
  if (minutes < 120) return `${minutes} min`;
  if (minutes < 2880) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

export function ActivationRoom({ args, activationId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(async () => (await gql(ROOM_QUERY, { id: activationId })).node, args);
  const [banner, setBanner] = useState({ status: null, alert: null });
  const [busy, setBusy] = useState(null);
  const notice = useLiveNotice();
  useEffect(() => {
    load();
  }, [activationId]);
  useLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just acted in this room; it is up to date.`);
  });

  async function complete(step) {
    setBusy(step.id);
    setBanner({ status: null, alert: null });
    try {
      const { errors } = await mutate(COMPLETE_STEP, { id: step.id }, 'completeActivationStep');
      if (errors.length) setBanner({ status: null, alert: errors.map((e) => e.message) });
      else {
        await load();
        setBanner({ status: `Step “${step.title}” done.`, alert: null });
      }
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') setBanner({ status: null, alert: error.message });
    } finally {
      setBusy(null);
    }
  }

  const room = state.data;
  if (state.error && !room) return html`<${Failed} error=${state.error} onRetry=${load} />`;
  if (!room) return html`<${Loading} text="Loading the activation room…" />`;
  const open = room.status === 'ACTIVE';
  const mayAct = open && ACT_ROLES.has(partnership.viewerRole);
  const own = ownParty(partnership)?.id;
  return html`<article class="activation-room" aria-labelledby="room-heading">
    <p><a href=${partnershipHref(partnership.id, 'contingency')}>All plans and activations</a>
      · <a href=${contingencyHref(partnership.id, room.plan.id)}>The plan</a></p>
    <h3 id="room-heading" tabindex="-1">${room.drill ? 'Drill' : 'Activation'}: ${room.plan.title}</h3>
    <p class="room-status">
      <span class=${`badge activation-${room.status.toLowerCase()}`}>${open ? 'Active' : 'Closed'}</span>
      ${' '}${sourceText(room)} · ${SEVERITY[room.severity]}${room.escalationLevel ? ` · escalated ${room.escalationLevel}×` : ''}
      · started <${Moment} iso=${room.startedAt} />
      ${room.closedAt ? ` · took ${durationText(room.startedAt, room.closedAt)}` : null}
      ${room.score != null ? html` · score ${room.score}% (steps and updates on time)` : null}
    </p>
    ${room.summary ? html`<p>${room.summary}</p>` : null}
    ${open && room.nextUpdateDueAt ? html`<p class=${room.updateOverdue ? 'update-due overdue' : 'update-due'}>
      ${room.updateOverdue ? 'A status update is overdue: it was due ' : 'Next status update due '}<${Moment} iso=${room.nextUpdateDueAt} relative=${true} />
      ${room.missedUpdates ? ` (${room.missedUpdates} missed so far)` : ''}</p>` : null}
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${banner.status} />
    <${Message} kind="error" messages=${banner.alert} />
    <h4 id="room-steps-heading">Steps</h4>
    <ol class="room-steps" aria-labelledby="room-steps-heading">
      ${room.steps.map((s) => html`<li key=${s.id} class=${s.late ? 'step late' : 'step'}>
        <span class="step-title">${s.title}</span> <${SideChip} party=${s.ownerParty} /> (${s.role})
        ${s.completedAt
          ? html` — done <${Moment} iso=${s.completedAt} />`
          : html` — due <${Moment} iso=${s.dueAt} relative=${true} />`}
        ${s.late ? html` <span class="badge step-late">Late</span>` : null}
        ${mayAct && !s.completedAt && s.ownerParty?.id === own
          ? html` <${Button} busy=${busy === s.id} busyLabel="Saving…" onClick=${() => complete(s)}>Mark “${s.title}” done<//>`
          : null}
      </li>`)}
    </ol>
    ${mayAct ? html`<div class="room-forms">
      <${UpdateForm} room=${room} onDone=${load} />
      <${EscalateForm} room=${room} onDone=${load} />
      <${CloseForm} room=${room} partnership=${partnership} onDone=${load} />
    </div>` : null}
    ${room.postMortem ? html`<section class="card post-mortem" aria-labelledby="pm-heading">
      <h4 id="pm-heading">Post-mortem</h4>
      <p>${room.postMortem.summary}</p>
      ${room.postMortem.rootCauses.length ? html`<h5>Root causes</h5><ul>${room.postMortem.rootCauses.map((c) => html`<li key=${c}>${c}</li>`)}</ul>` : null}
      ${room.postMortem.followUps.length ? html`<h5>Follow-up commitments</h5><ul>${room.postMortem.followUps.map((c) => html`<li key=${c.id}>${c.title} (due ${c.dueDate}, ${c.status.toLowerCase()})</li>`)}</ul>` : null}
    </section>` : null}
    <h4 id="room-timeline-heading">Timeline</h4>
    <ol class="room-timeline" aria-labelledby="room-timeline-heading">
      ${room.timeline.map((e, i) => html`<li key=${i}>
        <${Moment} iso=${e.at} /> <strong>${ENTRY[e.kind]}</strong>${e.actorParty ? html` · <${SideChip} party=${e.actorParty} />` : ''}${e.body ? `: ${e.body}` : ''}
      </li>`)}
    </ol>
  </article>`;
}

function UpdateForm({ room, onDone }) {
  const form = useForm();
  const { values, bind, setAll } = useValues({ body: '' });
  const submit = () => form.run(async () => {
    const { errors } = await mutate(POST_UPDATE, { id: room.id, body: values.body }, 'postActivationUpdate');
    if (errors.length) return errors;
    setAll({ body: '' });
    form.succeed('Update posted to both sides.');
    await onDone();
    return null;
  });
  return html`<${Form} form=${form} heading="Post a status update" headingId="room-update-heading" withDone=${true} onSubmit=${submit}>
    <${Field} label="Update" name="body"><textarea ...${bind('body')} rows="2" /><//>
    <${SubmitButton} busyLabel="Posting…">Post the update<//>
  <//>`;
}

function EscalateForm({ room, onDone }) {
  const form = useForm();
  const { values, bind, setAll } = useValues({ reason: '' });
  const submit = () => form.run(async () => {
    const { errors } = await mutate(ESCALATE, { id: room.id, reason: values.reason }, 'escalateActivation');
    if (errors.length) return errors;
    setAll({ reason: '' });
    form.succeed('Escalated: both sides are told.');
    await onDone();
    return null;
  });
  return html`<${Form} form=${form} heading="Escalate" headingId="room-escalate-heading" withDone=${true} onSubmit=${submit}>
    <${Field} label="Reason" name="reason"><input ...${bind('reason')} /><//>
    <${SubmitButton} busyLabel="Escalating…">Escalate one level<//>
  <//>`;
}

function CloseForm({ room, partnership, onDone }) {
  const form = useForm();
  const { values, bind } = useValues({
    summary: '', rootCause: '', followUp: '', followUpDue: addDaysIso(todayIso(), 30),
  });
  const submit = () => form.run(async () => {
    const followUps = values.followUp.trim()
      ? [{ title: values.followUp, dueDate: values.followUpDue, ownerPartyId: ownParty(partnership).id }]
      : [];
    const { errors } = await mutate(CLOSE, {
      input: {
        activationId: room.id,
        summary: values.summary,
        rootCauses: values.rootCause.trim() ? [values.rootCause] : [],
        followUps,
      },
    }, 'closeActivation');
    if (errors.length) return errors;
    await onDone();
    return null;
  });
  return html`<${Form} form=${form} heading="Close with a post-mortem" headingId="room-close-heading" onSubmit=${submit}>
    <${Field} label="Post-mortem summary" name="summary"><textarea ...${bind('summary')} rows="3" /><//>
    <${Field} label="Root cause" name="rootCauses"><input ...${bind('rootCause')} /><//>
    <${Field} label="Follow-up action (becomes a commitment of your side)" name="followUps"><input ...${bind('followUp')} /><//>
    <${Field} label="Follow-up due" name="followUpDue"><input type="date" ...${bind('followUpDue')} /><//>
    <${SubmitButton} busyLabel="Closing…">Close the activation<//>
  <//>`;
}
