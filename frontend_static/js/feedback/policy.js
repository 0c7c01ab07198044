// The SLA policy page: the version in force, versions waiting for the other side's LEAD, the
// proposal form (LEADs), and the figures per receiving side.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { addDaysIso, mutate, partnerName, todayIso } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { SideChip } from '../ui/badges.js';
import { Facts } from '../ui/facts.js';
import { Field, FieldSet } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useLiveChange, useSectionLoad, useUid } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Day, Moment } from '../ui/time.js';
import {
  ACCEPT_POLICY, DECLINE_POLICY, duration, FIGURES_QUERY, isFeedbackEvent, label, percent,
  POLICIES_QUERY, PROPOSE_POLICY, SEVERITIES,
} from './api.js';
import { CalendarFields, calendarValues, DAY_NAMES } from './calendar.js';

const DEFAULTS = {
  CRITICAL: [60, 480], HIGH: [240, 1440], MEDIUM: [480, 2400], LOW: [960, 4800],
};

async function fetchAll(partnershipId) {
  const from = addDaysIso(todayIso(), -90);
  const [policies, figures] = await Promise.all([
    gql(POLICIES_QUERY, { id: partnershipId }),
    gql(FIGURES_QUERY, { id: partnershipId, from, to: todayIso() }),
  ]);
  return { policies: policies.partnership.feedbackPolicies, figures: figures.partnership.feedbackFigures };
}

export function PolicyPage({ args }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchAll(partnership.id), args);
  const [status, setStatus] = useState(null);
  const [alert, setAlert] = useState(null);
  const notice = useLiveNotice();
  useEffect(() => {
    ctx.setTitle(`SLA policy · Feedback · ${partnership.name}`);
    load();
  }, []);
  useLiveChange(live, ctx, isFeedbackEvent, async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed feedback or the SLA policy; this page is up to date.`);
  });

  async function decide(policy, accept) {
    setAlert(null);
    const input = { policyId: policy.id, expectedVersion: policy.version };
    const name = accept ? 'acceptSlaPolicy' : 'declineSlaPolicy';
    const { errors } = await mutate(accept ? ACCEPT_POLICY : DECLINE_POLICY, { input }, name);
    if (errors.length) setAlert(errors.map((e) => e.message));
    else setStatus(`You ${accept ? 'accepted' : 'declined'} version ${policy.number}.`);
    await load();
  }

  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (state.data === undefined) body = html`<${Loading} text="Loading the SLA policy…" />`;
  else {
    const { policies, figures } = state.data;
    const active = policies.find((p) => p.status === 'ACTIVE');
    const proposed = policies.filter((p) => p.status === 'PROPOSED');
    body = html`
      <section class="card" aria-labelledby="fb-policy-active">
        <h3 id="fb-policy-active">In force</h3>
        ${active ? html`<${PolicyView} policy=${active} partnership=${partnership} />`
          : html`<p>No policy agreed yet: the default targets apply (Monday to Friday, 09:00 to 17:00 UTC).</p>`}
      </section>
      ${proposed.map((p) => html`<section class="card fb-proposal" aria-labelledby=${`fb-policy-${p.number}`}>
        <h3 id=${`fb-policy-${p.number}`}>Version ${p.number}, proposed by ${p.proposedByParty.organization.name}</h3>
        <${PolicyView} policy=${p} partnership=${partnership} />
        ${p.viewerCanDecide
          ? html`<p class="form-actions">
              <button type="button" class="button button-primary" onClick=${() => decide(p, true)}>Accept version ${p.number}</button>
              <button type="button" class="button button-danger" onClick=${() => decide(p, false)}>Decline</button>
            </p>`
          : html`<p class="note">${p.proposedByParty.isOwn
            ? 'Waiting for the other side’s LEAD to accept it.'
            : 'A LEAD of your side accepts or declines it.'}</p>`}
      </section>`)}
      <${Figures} figures=${figures} />
      ${partnership.viewerRole === 'LEAD'
        ? html`<${ProposeForm} partnership=${partnership} base=${active} onDone=${async (p) => {
          setStatus(`You proposed version ${p.number}; the other side’s LEAD accepts it.`);
          await load();
        }} />`
        : html`<p class="note access-note">A LEAD of either side proposes a new version; the other side’s LEAD accepts it.</p>`}`;
  }
  return html`<div class="fb-policy">
    <p class="back-link"><a href=${partnershipHref(partnership.id, 'feedback')}>← Back to the feedback</a></p>
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${status} />
    <${Message} kind="error" messages=${alert} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

/** Who proposed a version, and whether (and when) the other side's LEAD agreed. */
function Agreement({ policy, partnership }) {
  const proposer = policy.proposedByParty;
  const other = partnership.parties.find((p) => p.id !== proposer.id);
  const otherName = other ? other.organization.name : 'the other side';
  const proposed = html`Proposed by ${proposer.organization.name}${proposer.isOwn ? ' (your side)' : ''} <${Moment} iso=${policy.createdAt} />`;
  let decided;
  if (policy.status === 'PROPOSED') decided = html`not yet agreed: waiting for ${otherName}’s LEAD`;
  else if (policy.status === 'DECLINED') decided = html`declined by ${otherName}’s LEAD <${Moment} iso=${policy.decidedAt} />`;
  else decided = html`agreed by ${otherName}’s LEAD <${Moment} iso=${policy.decidedAt} />`;
  return html`<p class="fb-agreement" data-testid="fb-agreement">${proposed}; ${decided}.</p>`;
}

function CalendarView({ calendar }) {
  const days = calendar.workingDays.map((d) => DAY_NAMES[d - 1]).join(', ');
  return html`<li>
    <${SideChip} party=${calendar.party} />: ${days}, ${calendar.start.slice(0, 5)} to ${calendar.end.slice(0, 5)} (${calendar.timeZone})
    ${calendar.holidays.length
      ? html`<span class="fb-holiday-days">; holidays: ${calendar.holidays.map((d, i) => html`${i ? ', ' : ''}<${Day} iso=${d} />`)}</span>`
      : '; no holidays'}
  </li>`;
}

function PolicyView({ policy, partnership }) {
  const columns = [
    { label: 'Severity', rowHeader: true, cell: (t) => label(t.severity) },
    { label: 'First response', cell: (t) => duration(t.firstResponseMinutes * 60) },
    { label: 'Resolution', cell: (t) => duration(t.resolutionMinutes * 60) },
  ];
  return html`
    <p>Version ${policy.number} · ${label(policy.status)}${policy.effectiveAt ? html` since <${Moment} iso=${policy.effectiveAt} />` : ''}
      · ${policy.businessHours ? 'counted in the receiving side’s business hours' : 'counted around the clock'}
      · resolved items close themselves after ${policy.autoCloseDays} days</p>
    <${Agreement} policy=${policy} partnership=${partnership} />
    ${policy.note ? html`<p class="hint">${policy.note}</p>` : null}
    <${Table} columns=${columns} rows=${policy.targets} rowKey=${(t) => t.severity} labelledBy=${`fb-targets-${policy.number}`} />
    <p class="sr-only" id=${`fb-targets-${policy.number}`}>Targets of version ${policy.number}</p>
    ${policy.businessHours && policy.calendars.length
      ? html`<ul class="fb-calendars">${policy.calendars.map((c) => html`<${CalendarView} key=${c.party.id} calendar=${c} />`)}</ul>`
      : null}`;
}

function Figures({ figures }) {
  return html`<section class="card" aria-labelledby="fb-figures-heading">
    <h3 id="fb-figures-heading">Figures of the last 90 days</h3>
    <div class="fb-figures">
      ${figures.map((f) => html`<div class="fb-figure" key=${f.party.id}>
        <h4>Received by ${f.party.organization.name}${f.party.isOwn ? ' (your side)' : ''}</h4>
        <${Facts} items=${[
          ['Submitted', String(f.submitted)],
          ['First response in time', percent(f.firstResponseAttainment)],
          ['Median first response', duration(f.firstResponseMedianSeconds)],
          ['Resolved in time', percent(f.resolutionAttainment)],
          ['Median resolution', duration(f.resolutionMedianSeconds)],
          ['CSAT', f.csatAverage ? `${f.csatAverage.toFixed(1)} of 5, ${percent(f.csatShare)} rated 4 or 5` : '—'],
          ['Reopened', percent(f.reopenRate)],
        ]} />
      </div>`)}
    </div>
  </section>`;
}

const MODES = [
  { value: 'BUSINESS', label: 'In the receiving side’s business hours' },
  { value: 'CLOCK', label: 'Around the clock (every hour of every day)' },
];

function ProposeForm({ partnership, base, onDone }) {
  const headingId = useUid('fb-propose');
  const form = useForm();
  const initial = {};
  for (const s of SEVERITIES) {
    const target = base?.targets.find((t) => t.severity === s);
    initial[`${s}-fr`] = String(target ? target.firstResponseMinutes : DEFAULTS[s][0]);
    initial[`${s}-res`] = String(target ? target.resolutionMinutes : DEFAULTS[s][1]);
  }
  initial.calendars = partnership.parties.map(
    (party) => calendarValues(base?.calendars.find((c) => c.party.id === party.id)),
  );
  initial.autoCloseDays = String(base?.autoCloseDays ?? 7);
  initial.mode = !base || base.businessHours ? 'BUSINESS' : 'CLOCK';
  initial.note = '';
  const { values, bind, set } = useValues(initial);
  const setCalendar = (i) => (calendar) => set('calendars', values.calendars.map((c, k) => (k === i ? calendar : c)));
  const submit = () => form.run(async () => {
    const input = {
      partnershipId: partnership.id,
      targets: SEVERITIES.map((s) => ({
        severity: s,
        firstResponseMinutes: Number(values[`${s}-fr`]),
        resolutionMinutes: Number(values[`${s}-res`]),
      })),
      businessHours: values.mode === 'BUSINESS',
      autoCloseDays: Number(values.autoCloseDays),
      note: values.note,
      calendars: partnership.parties.map((p, i) => ({
        partyId: p.id,
        ...values.calendars[i],
        holidays: [...new Set(values.calendars[i].holidays.filter(Boolean))].sort(),
      })),
    };
    const { payload, errors } = await mutate(PROPOSE_POLICY, { input }, 'proposeSlaPolicy');
    if (!errors.length) onDone(payload.policy);
    return errors;
  });
  return html`<${Form} form=${form} heading="Propose a new version" headingId=${headingId} onSubmit=${submit}>
    <p class="hint">Targets in minutes of the receiving side’s business time (or around the clock).</p>
    ${SEVERITIES.map((s) => html`<div class="form-row" key=${s}>
      <${Field} label=${`${label(s)}: first response (minutes)`} name=${s === SEVERITIES[0] ? 'targets' : undefined}>
        <input type="number" min="1" ...${bind(`${s}-fr`)} />
      <//>
      <${Field} label=${`${label(s)}: resolution (minutes)`}>
        <input type="number" min="1" ...${bind(`${s}-res`)} />
      <//>
    </div>`)}
    <${FieldSet} legend="The clocks count" name="businessHours" className="fb-mode">
      <div class="checkboxes">
        ${MODES.map((m) => html`<div class="checkbox" key=${m.value}>
          <input type="radio" name="fb-mode" id=${`${headingId}-${m.value}`} value=${m.value}
            checked=${values.mode === m.value} onChange=${() => set('mode', m.value)} />
          <label for=${`${headingId}-${m.value}`}>${m.label}</label>
        </div>`)}
      </div>
    <//>
    ${values.mode === 'BUSINESS'
      ? partnership.parties.map((p, i) => html`<${CalendarFields} key=${p.id} party=${p} index=${i}
          calendar=${values.calendars[i]} onChange=${setCalendar(i)} />`)
      : html`<p class="note">Around the clock: every hour counts; the business hours are kept in the version, not counted.</p>`}
    <div class="form-row">
      <${Field} label="Close resolved items after (days)" name="autoCloseDays"><input type="number" min="1" max="90" ...${bind('autoCloseDays')} /><//>
      <${Field} label="Note" name="note"><input type="text" ...${bind('note')} /><//>
    </div>
    <p class="form-actions"><${SubmitButton} busyLabel="Proposing…">Propose<//></p>
  <//>`;
}
