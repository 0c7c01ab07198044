// Commitment forms: proposing one, and the input some lifecycle steps need.

import {
  addDaysIso, formatDay, isIsoDay, mutate, ownParty, sideOptions, todayIso, todayUtcIso,
} from '../pages/common.js';
import { Field, Select } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import {
  html, useLayoutEffect, useRef, useState,
} from '../ui/html.js';
import { useUid } from '../ui/hooks.js';
import { Day } from '../ui/time.js';
import { ACTIONS, PROPOSE } from './api.js';

const SUBMIT_LABELS = {
  deliver: 'Mark as delivered', dispute: 'Dispute delivery', decline: 'Decline commitment', renegotiate: 'Send the request',
};

function headingOf(kind, c) {
  return {
    deliver: `Deliver “${c.title}”`,
    dispute: `Dispute the delivery of “${c.title}”`,
    decline: `Decline “${c.title}”`,
    renegotiate: `Ask for a new due date for “${c.title}”`,
  }[kind];
}

const NO_EVIDENCE = { url: '', title: '', note: '' };

const laterOf = (a, b) => (a > b ? a : b);

/** A due date in the past is refused (by the server too: DUE_DATE_IN_PAST). */
function pastMessage() {
  return `A due date cannot be in the past: choose today (${formatDay(todayUtcIso())}, in UTC) or a later day.`;
}

/** The evidence rows with something in them, trimmed, with their place on screen. */
function filledRows(values) {
  return values.evidence
    .map((e, at) => ({ row: { url: e.url.trim(), title: e.title.trim(), note: e.note.trim() }, at }))
    .filter(({ row }) => row.url || row.title || row.note);
}

/** What each step's form sends, and what it checks first. */
const STEP_INPUT = {
  deliver: {
    initial: () => ({ evidence: [{ ...NO_EVIDENCE }] }),
    collect: (v) => ({ evidence: filledRows(v).map(({ row }) => row) }),
    // Each problem names the row as the form shows it (empty rows are not sent).
    problems(_input, _c, v) {
      const rows = filledRows(v);
      const found = [];
      if (rows.length === 0) found.push({ field: 'evidence[0].url', message: 'Add at least one link that proves the delivery.' });
      for (const { row, at } of rows) {
        if (!/^https?:\/\/\S+$/.test(row.url)) found.push({ field: `evidence[${at}].url`, message: 'Enter a link starting with https:// or http://.' });
        if (!row.title) found.push({ field: `evidence[${at}].title`, message: 'Give the link a title.' });
      }
      return found;
    },
    /** The server numbers the rows it was sent: back to the rows on screen. */
    onScreen(errors, v) {
      const rows = filledRows(v);
      return errors.map((e) => ({
        ...e,
        field: e.field?.replace(/^evidence\[(\d+)\]/, (whole, k) => (rows[Number(k)] ? `evidence[${rows[Number(k)].at}]` : whole)) ?? null,
      }));
    },
  },
  dispute: {
    initial: () => ({ reason: '' }),
    collect: (v) => ({ reason: v.reason.trim() }),
    problems: (input) => (input.reason ? [] : [{ field: 'reason', message: 'Say why you dispute the delivery.' }]),
  },
  decline: {
    initial: () => ({ reason: '' }),
    collect: (v) => ({ reason: v.reason.trim() }),
    problems: () => [],
  },
  renegotiate: {
    initial: (c) => ({ newDueDate: laterOf(addDaysIso(c.dueDate, 14), addDaysIso(todayUtcIso(), 14)), reason: '' }),
    collect: (v) => ({ newDueDate: v.newDueDate, reason: v.reason.trim() }),
    problems(input, c) {
      const found = [];
      if (!isIsoDay(input.newDueDate)) found.push({ field: 'newDueDate', message: 'Choose the new due date.' });
      else if (input.newDueDate === c.dueDate) found.push({ field: 'newDueDate', message: 'Choose a date other than the current one.' });
      else if (input.newDueDate < todayUtcIso()) found.push({ field: 'newDueDate', message: pastMessage() });
      if (!input.reason) found.push({ field: 'reason', message: 'Say why the date has to move.' });
      return found;
    },
  },
};

/**
 * The form of a step that needs input: evidence links, a reason, or a new due date.
 * onSubmit(input) resolves to the userErrors to show (the form stays as typed) or nothing;
 * onCancel() closes it (Escape too). Its first control has focus when it opens.
 */
export function ActionForm({ c, action, onSubmit, onCancel }) {
  const spec = ACTIONS[action];
  const kind = spec.form;
  const step = STEP_INPUT[kind];
  const form = useForm();
  const { values, bind, set } = useValues(() => step.initial(c));
  const headingId = useUid('action-form');
  const ref = useRef(null);
  const [focusRow, setFocusRow] = useState(null);

  useLayoutEffect(() => {
    ref.current.querySelector('input, textarea')?.focus();
  }, []);
  useLayoutEffect(() => {
    if (focusRow !== null) ref.current.querySelector(`[name="evidence[${focusRow}].url"]`)?.focus();
  }, [focusRow]);

  function submit() {
    const input = step.collect(values);
    const problems = step.problems(input, c, values);
    if (problems.length) {
      form.fail(problems);
      return;
    }
    form.run(async () => {
      const errors = await onSubmit(input);
      return errors && step.onScreen ? step.onScreen(errors, values) : errors;
    });
  }

  const keydown = (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onCancel();
  };

  const setEvidence = (index, key) => (event) => {
    const value = event.currentTarget.value;
    set('evidence', values.evidence.map((e, i) => (i === index ? { ...e, [key]: value } : e)));
  };

  let fields;
  if (kind === 'deliver') {
    fields = html`
      <p class="hint">Link to what proves the delivery: a report, a dashboard, a signed-off document. The other side confirms or disputes it.</p>
      <div class="evidence-rows">
        ${values.evidence.map((e, i) => html`<fieldset class="evidence-row" key=${i}>
          <legend>${`Evidence link ${i + 1}`}</legend>
          <div class="form-row">
            <${Field} label="Link (URL)" name=${`evidence[${i}].url`}>
              <input type="url" inputmode="url" placeholder="https://…" autocomplete="off" spellcheck=${false}
                value=${e.url} onInput=${setEvidence(i, 'url')} />
            <//>
            <${Field} label="Title" name=${`evidence[${i}].title`}>
              <input type="text" maxlength="200" autocomplete="off" value=${e.title} onInput=${setEvidence(i, 'title')} />
            <//>
            <${Field} label="Note (optional)" name=${`evidence[${i}].note`}>
              <input type="text" maxlength="2000" autocomplete="off" value=${e.note} onInput=${setEvidence(i, 'note')} />
            <//>
          </div>
        </fieldset>`)}
      </div>
      <div><button type="button" class="button button-small" onClick=${() => {
        set('evidence', [...values.evidence, { ...NO_EVIDENCE }]);
        setFocusRow(values.evidence.length);
      }}>Add another link</button></div>`;
  } else if (kind === 'renegotiate') {
    fields = html`
      <p class="hint">Currently due <${Day} iso=${c.dueDate} />. The other side accepts the new date or keeps the current one; every date stays on record.</p>
      <div class="form-row">
        <${Field} label="New due date" name="newDueDate" hint="Today (UTC) or later.">
          <input type="date" min=${todayUtcIso()} ...${bind('newDueDate')} />
        <//>
        <${Field} label="Reason" name="reason"><textarea rows="2" maxlength="2000" ...${bind('reason')}></textarea><//>
      </div>`;
  } else {
    fields = html`<${Field} name="reason"
      label=${kind === 'dispute' ? 'Why is the delivery not what was agreed?' : 'Reason (optional)'}
      hint=${kind === 'dispute' ? 'The accountable side sees this and can deliver again.' : null}>
      <textarea rows="2" maxlength="2000" ...${bind('reason')}></textarea>
    <//>`;
  }

  return html`<${Form} form=${form} formRef=${ref} className="form cm-action-form" level=${5}
    heading=${headingOf(kind, c)} headingId=${headingId} onSubmit=${submit} onKeyDown=${keydown}>
    ${fields}
    <div class="button-row">
      <${SubmitButton} className=${`button button-small${spec.kind ? ` button-${spec.kind}` : ''}`}>${SUBMIT_LABELS[kind]}<//>
      <button type="button" class="button button-small button-quiet" onClick=${onCancel}>Cancel</button>
    </div>
  <//>`;
}

const PROPOSE_VISIBILITY = [
  { value: 'SHARED', label: 'Shared — the other side accepts it' },
  { value: 'INTERNAL', label: 'Internal — your side\'s own plan' },
];
const NONE = { value: '', label: 'None' };

/**
 * The propose form. choices: { milestones, kpis } it may link to; onCreated(commitment) runs
 * once the commitment exists.
 */
export function ProposeForm({ partnership, ctx, choices, onCreated }) {
  const form = useForm();
  const { values, bind, setAll } = useValues(() => ({
    title: '', dueDate: addDaysIso(todayIso(), 30), ownerPartyId: ownParty(partnership)?.id,
    visibility: 'SHARED', milestoneId: '', kpiId: '', description: '',
  }));
  const title = useRef(null);
  const milestones = choices.milestones.filter((m) => m.status !== 'DROPPED');
  const milestoneOptions = [NONE, ...milestones.map((m) => ({ value: m.id, label: m.title }))];
  const kpiOptions = [NONE, ...choices.kpis.map((k) => ({ value: k.id, label: k.name }))];
  // A choice that is gone (a milestone dropped meanwhile) is no choice.
  const chosen = (id, options) => (options.some((o) => o.value === id) ? id : '');

  function problems() {
    const found = [];
    if (!values.title.trim()) found.push({ field: 'title', message: 'Say what will be delivered.' });
    if (!isIsoDay(values.dueDate)) found.push({ field: 'dueDate', message: 'Choose a due date.' });
    else if (values.dueDate < todayUtcIso()) found.push({ field: 'dueDate', message: pastMessage() });
    if (values.visibility === 'INTERNAL' && values.ownerPartyId !== ownParty(partnership)?.id) {
      found.push({ field: 'visibility', message: 'An internal commitment is your side\'s own: choose your side as accountable.' });
    }
    return found;
  }

  function submit() {
    const local = problems();
    if (local.length) {
      form.fail(local);
      return;
    }
    form.run(async () => {
      const { payload, errors } = await mutate(PROPOSE, {
        input: {
          partnershipId: partnership.id,
          title: values.title.trim(),
          dueDate: values.dueDate,
          ownerPartyId: values.ownerPartyId,
          visibility: values.visibility,
          milestoneId: chosen(values.milestoneId, milestoneOptions) || null,
          kpiId: chosen(values.kpiId, kpiOptions) || null,
          description: values.description.trim(),
        },
      }, 'proposeCommitment');
      if (errors.length) return errors;
      if (!ctx.isCurrent()) return undefined;
      setAll((v) => ({ ...v, title: '', description: '' }));
      await onCreated(payload.commitment);
      title.current?.focus();
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="propose-commitment" level=${3} heading="Propose a commitment"
    headingId="propose-heading" onSubmit=${submit}>
    <${Field} label="What will be delivered" name="title"
      hint="Concrete and checkable, e.g. “Weekly order-status report every Monday”.">
      <input type="text" maxlength="200" autocomplete="off" ref=${title} ...${bind('title')} />
    <//>
    <div class="form-row">
      <${Field} label="Due date" name="dueDate" hint="Today (UTC) or later.">
        <input type="date" min=${todayUtcIso()} ...${bind('dueDate')} />
      <//>
      <${Field} label="Accountable side" name="ownerPartyId" hint="The side that delivers.">
        <${Select} options=${sideOptions(partnership)} ...${bind('ownerPartyId')} />
      <//>
      <${Field} label="Visibility" name="visibility"><${Select} options=${PROPOSE_VISIBILITY} ...${bind('visibility')} /><//>
    </div>
    <div class="form-row">
      <${Field} label="Milestone (optional)" name="milestoneId">
        <${Select} options=${milestoneOptions} ...${bind('milestoneId')} value=${chosen(values.milestoneId, milestoneOptions)} />
      <//>
      <${Field} label="KPI it moves (optional)" name="kpiId">
        <${Select} options=${kpiOptions} ...${bind('kpiId')} value=${chosen(values.kpiId, kpiOptions)} />
      <//>
    </div>
    <${Field} label="Description (optional)" name="description"><textarea rows="3" maxlength="5000" ...${bind('description')}></textarea><//>
    <div><${SubmitButton} busyLabel="Proposing…">Propose commitment<//></div>
  <//>`;
}
