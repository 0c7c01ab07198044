// Pulse surveys of a partnership: each side rates the other (NPS 0 to 10, transparency,
// consistency and interaction quality 1 to 5, a comment) once per round; the results are
// aggregates per side and period with the side's comments (text only, sorted, no author), and a
// side with fewer than 3 respondents shows none.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { partnerName } from '../pages/common.js';
import { SideChip } from '../ui/badges.js';
import { Field } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Moment } from '../ui/time.js';
import {
  ANSWER_SURVEY, DECIDE_CADENCE, PROPOSE_CADENCE, PULSE_QUERY, RELEVANT,
} from './api.js';

const NPS_SCALE = Array.from({ length: 11 }, (_, i) => i);
const FIVE = [1, 2, 3, 4, 5];
const DIMENSIONS = [
  { name: 'transparency', label: 'Transparency', hint: 'They share what we need to know, early.' },
  { name: 'consistency', label: 'Consistency', hint: 'They do what they said they would.' },
  { name: 'interaction', label: 'Interaction quality', hint: 'Working with them is constructive.' },
];

export function PulseSurveys({ args }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(async () => (await gql(PULSE_QUERY, { id: partnership.id })).partnership.pulse, args);
  const [status, setStatus] = useState(null);
  const [alert, setAlert] = useState(null);
  const notice = useLiveNotice();

  useEffect(() => {
    load();
  }, []);
  useLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} changed the pulse surveys; the page is up to date.`);
  });

  async function decide(cadence, accept) {
    setStatus(null);
    setAlert(null);
    try {
      const data = await gql(DECIDE_CADENCE, { input: { cadenceId: cadence.id, expectedVersion: cadence.version, accept } });
      const errors = data.decidePulseCadence.userErrors;
      if (errors.length) setAlert(errors.map((e) => e.message));
      else setStatus(accept ? `You accepted a survey every ${cadence.everyDays} days; the first round opens within the hour.` : 'You declined the proposed cadence.');
      await load();
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') setAlert(error.message);
    }
  }

  const data = state.data;
  let body;
  if (state.error && !data) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (!data) body = html`<${Loading} text="Loading the pulse surveys…" />`;
  else {
    const open = data.rounds.find((r) => r.isOpen);
    const closed = data.rounds.filter((r) => !r.isOpen);
    body = html`
      <${Cadence} data=${data} partnership=${partnership} onDecide=${decide} onProposed=${async (c) => {
        setStatus(`You proposed a survey every ${c.everyDays} days; the other side’s LEAD accepts or declines it.`);
        await load();
      }} />
      ${open ? html`<${OpenRound} round=${open} onAnswered=${async (r) => {
        setStatus(`Thank you: your answer to survey #${r.number} is recorded. It is never shown to anyone, only counted in the results.`);
        await load();
      }} />` : null}
      <${Results} rounds=${closed} minRespondents=${data.minRespondents} />`;
  }

  return html`<div class="pulse">
    <p class="lede">Pulse surveys: on a cadence both LEADs agree on, each member rates working with the other side. Answers are never shown, by any path; the results are per side and period, and only from ${data?.minRespondents ?? 3} respondents on.</p>
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${status} />
    <${Message} kind="error" messages=${alert} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function Cadence({ data, partnership, onDecide, onProposed }) {
  const active = data.activeCadence;
  const proposed = data.cadences.filter((c) => c.status === 'PROPOSED');
  const lead = partnership.viewerRole === 'LEAD';
  return html`<section class="card pulse-cadence" aria-labelledby="pulse-cadence-heading">
    <h3 id="pulse-cadence-heading">Cadence</h3>
    ${active
      ? html`<p>A survey every ${active.everyDays} days${active.nextRoundAt ? html`; the next opens <${Moment} iso=${active.nextRoundAt} />` : ''}.</p>`
      : html`<p>No cadence agreed yet: no survey opens until both LEADs agree one.</p>`}
    ${proposed.map((c) => html`<div class="pulse-proposal" key=${c.id}>
      <p>Proposed by <${SideChip} party=${c.ownerParty} />: a survey every ${c.everyDays} days.${c.note ? ` “${c.note}”` : ''}</p>
      ${c.awaitingYourDecision && lead
        ? html`<p class="form-actions">
            <button type="button" class="button button-primary" onClick=${() => onDecide(c, true)}>Accept every ${c.everyDays} days</button>
            <button type="button" class="button button-danger" onClick=${() => onDecide(c, false)}>Decline</button>
          </p>`
        : html`<p class="note">${c.ownerParty.isOwn ? 'Waiting for the other side’s LEAD to accept it.' : 'A LEAD of your side accepts or declines it.'}</p>`}
    </div>`)}
    ${lead ? html`<${ProposeForm} partnership=${partnership} onDone=${onProposed} />`
      : html`<p class="note access-note">A LEAD of either side proposes the cadence; the other side’s LEAD accepts it.</p>`}
  </section>`;
}

function ProposeForm({ partnership, onDone }) {
  const form = useForm();
  const { values, bind } = useValues({ everyDays: '30', note: '' });
  function submit() {
    form.run(async () => {
      const everyDays = Number.parseInt(values.everyDays, 10);
      const data = await gql(PROPOSE_CADENCE, {
        input: { partnershipId: partnership.id, everyDays: Number.isNaN(everyDays) ? 0 : everyDays, note: values.note },
      });
      const payload = data.proposePulseCadence;
      if (payload.userErrors.length) return payload.userErrors;
      await onDone(payload.cadence);
      return [];
    });
  }
  return html`<${Form} form=${form} heading="Propose a cadence" headingId="pulse-propose-heading" id="pulse-propose"
    level=${4} className="form" onSubmit=${submit}>
    <div class="form-row">
      <${Field} label="A survey every (days)" name="everyDays" hint="7 to 365 days; each survey stays open 14 days.">
        <input type="number" min="7" max="365" inputmode="numeric" ...${bind('everyDays')} />
      <//>
      <${Field} label="Note (optional)" name="note">
        <input type="text" maxlength="2000" ...${bind('note')} />
      <//>
    </div>
    <div class="form-actions"><${SubmitButton} busyLabel="Proposing…">Propose<//></div>
  <//>`;
}

function Scale({ name, legend, hint, options, value, onChange, low, high }) {
  const hintId = `pulse-${name}-hint`;
  return html`<fieldset class="pulse-scale" aria-describedby=${hintId}>
    <legend>${legend}</legend>
    <p class="hint" id=${hintId}>${hint}</p>
    <div class="pulse-options">
      ${low ? html`<span class="small muted" aria-hidden="true">${low}</span>` : null}
      ${options.map((o) => html`<label class="pulse-option" key=${o}>
        <input type="radio" name=${name} value=${String(o)} checked=${value === String(o)}
          onChange=${() => onChange(String(o))} />
        <span>${o}</span>
      </label>`)}
      ${high ? html`<span class="small muted" aria-hidden="true">${high}</span>` : null}
    </div>
  </fieldset>`;
}

function OpenRound({ round, onAnswered }) {
  const form = useForm();
  const { values, set, bind } = useValues({ nps: '', transparency: '', consistency: '', interaction: '', comment: '' });
  const headingId = `pulse-round-${round.number}`;
  if (round.answeredByMe) {
    return html`<section class="card pulse-open" aria-labelledby=${headingId}>
      <h3 id=${headingId}>Survey #${round.number} is open until <${Moment} iso=${round.closesAt} dateOnly /></h3>
      <p>You have answered it. Your answer is never shown, not even to you: it counts only in the results, once 3 or more people of your side have answered; your comment, if you wrote one, is listed among your side’s without your name once the survey closes.</p>
    </section>`;
  }
  function submit() {
    form.run(async () => {
      const missing = ['nps', ...DIMENSIONS.map((d) => d.name)].filter((k) => values[k] === '');
      if (missing.length) return [{ field: null, message: 'Choose a rating on every scale.' }];
      const input = {
        roundId: round.id,
        nps: Number(values.nps),
        transparency: Number(values.transparency),
        consistency: Number(values.consistency),
        interaction: Number(values.interaction),
        comment: values.comment,
      };
      const data = await gql(ANSWER_SURVEY, { input });
      const payload = data.answerPulseSurvey;
      if (payload.userErrors.length) return payload.userErrors;
      await onAnswered(payload.round);
      return [];
    });
  }
  return html`<${Form} form=${form} heading=${html`Survey #${round.number}: open until <${Moment} iso=${round.closesAt} dateOnly />`}
    headingId=${headingId} id="pulse-answer" level=${3} className="form card pulse-open" onSubmit=${submit}>
    <p>Your answer is anonymous to everyone: it is never shown, only counted in the results of your side.</p>
    <${Scale} name="nps" legend=${round.question} hint="0 not at all likely, 10 extremely likely."
      options=${NPS_SCALE} value=${values.nps} onChange=${(v) => set('nps', v)} low="0" high="10" />
    ${DIMENSIONS.map((d) => html`<${Scale} key=${d.name} name=${d.name} legend=${d.label} hint=${`${d.hint} 1 not at all, 5 fully.`}
      options=${FIVE} value=${values[d.name]} onChange=${(v) => set(d.name, v)} />`)}
    <${Field} label="Comment (optional)" name="comment" hint="Shown without your name, among your side’s comments in alphabetical order, once the survey closes with 3 or more respondents of your side.">
      <textarea rows="3" maxlength="2000" ...${bind('comment')}></textarea>
    <//>
    <div class="form-actions"><${SubmitButton} busyLabel="Sending…">Send my answer<//></div>
  <//>`;
}

function figure(value, digits = 1) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

function SideFigures({ side, minRespondents }) {
  if (!side.shown) {
    return html`<span class="muted pulse-hidden">Fewer than ${minRespondents} respondents: no figures</span>`;
  }
  return html`<span class="pulse-figures">
    <strong>NPS ${side.nps > 0 ? '+' : ''}${figure(side.nps)}</strong>
    <span class="small">Transparency ${figure(side.transparency)}, consistency ${figure(side.consistency)}, interaction ${figure(side.interaction)} (of 5)</span>
    <span class="small muted">${side.respondents} of ${side.members} answered (${Math.round(side.responseRate * 100)}%)</span>
    ${side.comments.length
      ? html`<ul class="pulse-comments" aria-label=${`Comments of ${side.ratingParty.label}`}>
          ${side.comments.map((c, i) => html`<li key=${i}>“${c}”</li>`)}
        </ul>`
      : html`<span class="small muted">No comments</span>`}
  </span>`;
}

function Results({ rounds, minRespondents }) {
  const headingId = 'pulse-results-heading';
  if (rounds.length === 0) {
    return html`<section class="card" aria-labelledby=${headingId}>
      <h3 id=${headingId}>Results</h3>
      <${Empty} title="No closed survey yet" text="Results appear here once a survey closes." />
    </section>`;
  }
  const sides = rounds[0].results.map((s) => s.ratingParty);
  const columns = [
    {
      label: 'Survey',
      rowHeader: true,
      cell: (r) => html`#${r.number} <span class="small muted">closed <${Moment} iso=${r.closesAt} dateOnly /></span>`,
    },
    ...sides.map((party) => ({
      label: `${party.label} rating ${rounds[0].results.find((s) => s.ratingParty.id === party.id)?.ratedParty?.label ?? 'the other side'}`,
      cell: (r) => {
        const side = r.results.find((s) => s.ratingParty.id === party.id);
        return side ? html`<${SideFigures} side=${side} minRespondents=${minRespondents} />` : '–';
      },
    })),
  ];
  return html`<section class="card" aria-labelledby=${headingId}>
    <h3 id=${headingId}>Results</h3>
    <p class="hint">Per side and survey: the net promoter score (−100 to +100: the share of 9s and 10s less the share of 0 to 6), the averages of the three dimensions, the response rate and the side’s comments, in alphabetical order and without names. A side with fewer than ${minRespondents} respondents in a survey shows no figures and no comments at all, so that no answer can be traced to a person.</p>
    <${Table} columns=${columns} rows=${rounds} rowKey=${(r) => r.id} labelledBy=${headingId} className="pulse-table" />
  </section>`;
}
