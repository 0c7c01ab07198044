// Commitment forms: proposing one, and the input some lifecycle steps need.

import {
  busy, clear, clearFieldErrors, field, h, hideMessage, messageBox, newId, showMessage,
  showUserErrors,
} from '../dom.js';
import {
  addDaysIso, dayEl, isIsoDay, mutate, ownParty, sideOptions, todayIso,
} from '../pages/common.js';
import { ACTIONS, PROPOSE } from './api.js';
import { Field, MessageBox, Select } from '../ui/field.js';
import { element, html } from '../ui/html.js';

/** The form of an action that needs input: evidence links, a reason, or a new due date. */
export function actionForm(c, action, { onSubmit, onCancel }) {
  const spec = ACTIONS[action];
  const errors = messageBox('error');
  const submit = h('button', { type: 'submit', class: `button button-small${spec.kind ? ` button-${spec.kind}` : ''}` }, {
    deliver: 'Mark as delivered', dispute: 'Dispute delivery', decline: 'Decline commitment', renegotiate: 'Send the request',
  }[spec.form]);
  const cancel = h('button', { type: 'button', class: 'button button-small button-quiet', onclick: onCancel }, 'Cancel');
  const headingId = newId('action-form');
  const heading = h('h5', { id: headingId }, {
    deliver: `Deliver “${c.title}”`, dispute: `Dispute the delivery of “${c.title}”`,
    decline: `Decline “${c.title}”`, renegotiate: `Ask for a new due date for “${c.title}”`,
  }[spec.form]);
  const form = h('form', { class: 'form cm-action-form', novalidate: true, 'aria-labelledby': headingId }, heading, errors);
  let collect = () => ({});

  if (spec.form === 'deliver') {
    const links = h('div', { class: 'evidence-rows' });
    const addRow = (focus) => {
      const index = links.children.length;
      const url = h('input', { type: 'url', inputmode: 'url', placeholder: 'https://…', autocomplete: 'off', spellcheck: 'false' });
      const title = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
      const note = h('input', { type: 'text', maxlength: '2000', autocomplete: 'off' });
      const n = index + 1;
      const fieldset = h('fieldset', { class: 'evidence-row' },
        h('legend', {}, `Evidence link ${n}`),
        h('div', { class: 'form-row' },
          field({ label: 'Link (URL)', control: url, name: `evidence[${index}].url` }),
          field({ label: 'Title', control: title, name: `evidence[${index}].title` }),
          field({ label: 'Note (optional)', control: note, name: `evidence[${index}].note` })));
      links.append(fieldset);
      if (focus) url.focus();
    };
    addRow(false);
    const more = h('button', { type: 'button', class: 'button button-small', onclick: () => addRow(true) }, 'Add another link');
    form.append(h('p', { class: 'hint' }, 'Link to what proves the delivery: a report, a dashboard, a signed-off document. The other side confirms or disputes it.'),
      links, h('div', {}, more));
    collect = () => ({
      evidence: [...links.querySelectorAll('.evidence-row')].map((fs) => {
        const [url, title, note] = fs.querySelectorAll('input');
        return { url: url.value.trim(), title: title.value.trim(), note: note.value.trim() };
      }).filter((e) => e.url || e.title || e.note),
    });
    form.validate = (input) => {
      const problems = [];
      if (input.evidence.length === 0) problems.push({ field: 'evidence[0].url', message: 'Add at least one link that proves the delivery.' });
      input.evidence.forEach((e, i) => {
        if (!/^https?:\/\/\S+$/.test(e.url)) problems.push({ field: `evidence[${i}].url`, message: 'Enter a link starting with https:// or http://.' });
        if (!e.title) problems.push({ field: `evidence[${i}].title`, message: 'Give the link a title.' });
      });
      return problems;
    };
  } else if (spec.form === 'dispute' || spec.form === 'decline') {
    const reason = h('textarea', { rows: '2', maxlength: '2000' });
    form.append(field({
      label: spec.form === 'dispute' ? 'Why is the delivery not what was agreed?' : 'Reason (optional)',
      control: reason,
      name: 'reason',
      hint: spec.form === 'dispute' ? 'The accountable side sees this and can deliver again.' : null,
    }));
    collect = () => ({ reason: reason.value.trim() });
    form.validate = (input) => (spec.form === 'dispute' && !input.reason
      ? [{ field: 'reason', message: 'Say why you dispute the delivery.' }] : []);
  } else if (spec.form === 'renegotiate') {
    const date = h('input', { type: 'date', value: addDaysIso(c.dueDate, 14) });
    const reason = h('textarea', { rows: '2', maxlength: '2000' });
    form.append(h('p', { class: 'hint' }, 'Currently due ', dayEl(c.dueDate), '. The other side accepts the new date or keeps the current one; every date stays on record.'),
      h('div', { class: 'form-row' },
        field({ label: 'New due date', control: date, name: 'newDueDate' }),
        field({ label: 'Reason', control: reason, name: 'reason' })));
    collect = () => ({ newDueDate: date.value, reason: reason.value.trim() });
    form.validate = (input) => {
      const problems = [];
      if (!isIsoDay(input.newDueDate)) problems.push({ field: 'newDueDate', message: 'Choose the new due date.' });
      else if (input.newDueDate === c.dueDate) problems.push({ field: 'newDueDate', message: 'Choose a date other than the current one.' });
      if (!input.reason) problems.push({ field: 'reason', message: 'Say why the date has to move.' });
      return problems;
    };
  }
  form.append(h('div', { class: 'button-row' }, submit, cancel));
  form.showErrors = (list) => {
    showUserErrors(form, errors, list);
    form.querySelector('[aria-invalid="true"]')?.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    hideMessage(errors);
    const input = collect();
    const problems = form.validate ? form.validate(input) : [];
    if (problems.length) {
      form.showErrors(problems);
      return;
    }
    onSubmit(input, submit);
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  });
  return form;
}

const PROPOSE_VISIBILITY = [
  { value: 'SHARED', label: 'Shared — the other side accepts it' },
  { value: 'INTERNAL', label: 'Internal — your side\'s own plan' },
];
const NONE = [{ value: '', label: 'None' }];

function ProposeForm({ partnership }) {
  return html`<form class="form card" id="propose-commitment" novalidate aria-labelledby="propose-heading">
    <h3 id="propose-heading">Propose a commitment</h3>
    <${MessageBox} kind="error" name="errors" />
    <${Field} label="What will be delivered" name="title"
      hint="Concrete and checkable, e.g. “Weekly order-status report every Monday”.">
      <input type="text" maxlength="200" autocomplete="off" />
    <//>
    <div class="form-row">
      <${Field} label="Due date" name="dueDate"><input type="date" value=${addDaysIso(todayIso(), 30)} /><//>
      <${Field} label="Accountable side" name="ownerPartyId" hint="The side that delivers.">
        <${Select} options=${sideOptions(partnership)} value=${ownParty(partnership)?.id} />
      <//>
      <${Field} label="Visibility" name="visibility"><${Select} options=${PROPOSE_VISIBILITY} value="SHARED" /><//>
    </div>
    <div class="form-row">
      <${Field} label="Milestone (optional)" name="milestoneId"><${Select} options=${NONE} value="" /><//>
      <${Field} label="KPI it moves (optional)" name="kpiId"><${Select} options=${NONE} value="" /><//>
    </div>
    <${Field} label="Description (optional)" name="description"><textarea rows="3" maxlength="5000"></textarea><//>
    <div><button type="submit" class="button button-primary">Propose commitment</button></div>
  </form>`;
}

/** The propose form: markup from the component above, submitted by hand. */
export function buildProposeForm(partnership, ctx, onCreated) {
  const form = element(html`<${ProposeForm} partnership=${partnership} />`);
  const [title, due, owner, visibility, milestone, kpi, description] = [
    'title', 'dueDate', 'ownerPartyId', 'visibility', 'milestoneId', 'kpiId', 'description',
  ].map((name) => form.elements.namedItem(name));
  const errors = form.querySelector('[data-box="errors"]');
  const submit = form.querySelector('button[type="submit"]');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    hideMessage(errors);
    const local = [];
    if (!title.value.trim()) local.push({ field: 'title', message: 'Say what will be delivered.' });
    if (!isIsoDay(due.value)) local.push({ field: 'dueDate', message: 'Choose a due date.' });
    if (visibility.value === 'INTERNAL' && owner.value !== ownParty(partnership)?.id) {
      local.push({ field: 'visibility', message: 'An internal commitment is your side\'s own: choose your side as accountable.' });
    }
    if (local.length) {
      showUserErrors(form, errors, local);
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    let created = null;
    await busy(submit, 'Proposing…', async () => {
      try {
        const { payload, errors: userErrors } = await mutate(PROPOSE, {
          input: {
            partnershipId: partnership.id,
            title: title.value.trim(),
            dueDate: due.value,
            ownerPartyId: owner.value,
            visibility: visibility.value,
            milestoneId: milestone.value || null,
            kpiId: kpi.value || null,
            description: description.value.trim(),
          },
        }, 'proposeCommitment');
        if (userErrors.length) {
          showUserErrors(form, errors, userErrors);
          (form.querySelector('[aria-invalid="true"]') ?? title).focus();
          return;
        }
        created = payload.commitment;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
      }
    });
    if (!created || !ctx.isCurrent()) return;
    title.value = '';
    description.value = '';
    await onCreated(created);
    title.focus();
  });

  return {
    el: form,
    focusFirst: () => title.focus(),
    setChoices({ milestones, kpis }) {
      const keepM = milestone.value;
      const keepK = kpi.value;
      clear(milestone, h('option', { value: '' }, 'None'),
        milestones.filter((m) => m.status !== 'DROPPED').map((m) => h('option', { value: m.id }, m.title)));
      clear(kpi, h('option', { value: '' }, 'None'), kpis.map((k) => h('option', { value: k.id }, k.name)));
      milestone.value = keepM;
      kpi.value = keepK;
    },
  };
}
