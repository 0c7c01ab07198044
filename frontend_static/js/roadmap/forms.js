// Roadmap forms: adding a milestone, and the choices the edit form shares.

import { busy, clearFieldErrors, hideMessage, showMessage, showUserErrors } from '../dom.js';
import {
  isIsoDay, mutate, ownParty, phaseName, PHASES, sideOptions, statusName,
} from '../pages/common.js';
import { Field, MessageBox, Select } from '../ui/field.js';
import { element, html } from '../ui/html.js';
import { CREATE } from './api.js';

export const STATUSES = ['PLANNED', 'IN_PROGRESS', 'AT_RISK', 'DONE'];
export const STATUS_OPTIONS = STATUSES.map((s) => ({ value: s, label: statusName(s) }));
export const VISIBILITY_OPTIONS = [
  { value: 'SHARED', label: 'Shared — both sides see it' },
  { value: 'INTERNAL', label: 'Internal — only your side sees it' },
];

function NewMilestoneForm({ partnership }) {
  const phases = PHASES.map((p) => ({ value: p.value, label: `${p.name} (${p.term.toLowerCase()})` }));
  return html`<form class="form card new-milestone" id="new-milestone" novalidate aria-labelledby="new-milestone-heading">
    <h3 id="new-milestone-heading">New milestone</h3>
    <${MessageBox} kind="error" name="errors" />
    <${MessageBox} kind="success" name="done" />
    <${Field} label="Title" name="title"><input type="text" maxlength="200" required autocomplete="off" /><//>
    <div class="form-row">
      <${Field} label="Phase" name="phase"><${Select} options=${phases} value="STABILIZE" /><//>
      <${Field} label="Status" name="status"><${Select} options=${STATUS_OPTIONS} value="PLANNED" /><//>
      <${Field} label="Target date" name="targetDate" hint="Optional."><input type="date" /><//>
    </div>
    <div class="form-row">
      <${Field} label="Accountable side" name="ownerPartyId">
        <${Select} options=${sideOptions(partnership)} value=${ownParty(partnership)?.id} />
      <//>
      <${Field} label="Visibility" name="visibility"><${Select} options=${VISIBILITY_OPTIONS} value="SHARED" /><//>
    </div>
    <${Field} label="Description" name="description" hint="What done looks like, and who is involved.">
      <textarea rows="3" maxlength="5000"></textarea>
    <//>
    <div><button type="submit" class="button button-primary">Add milestone</button></div>
  </form>`;
}

/** The new-milestone form: markup from the component above, submitted by hand. */
export function createForm(partnership, ctx, onCreated) {
  const form = element(html`<${NewMilestoneForm} partnership=${partnership} />`);
  const control = (name) => form.elements.namedItem(name);
  const [title, phase, status, targetDate, owner, visibility, description] = [
    'title', 'phase', 'status', 'targetDate', 'ownerPartyId', 'visibility', 'description',
  ].map(control);
  const errors = form.querySelector('[data-box="errors"]');
  const done = form.querySelector('[data-box="done"]');
  const submit = form.querySelector('button[type="submit"]');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideMessage(done);
    clearFieldErrors(form);
    const local = [];
    if (!title.value.trim()) local.push({ field: 'title', message: 'Give the milestone a title.' });
    if (targetDate.value && !isIsoDay(targetDate.value)) local.push({ field: 'targetDate', message: 'Enter a valid date.' });
    if (visibility.value === 'INTERNAL' && owner.value !== ownParty(partnership)?.id) {
      local.push({ field: 'visibility', message: 'An internal milestone belongs to your side: choose your side as accountable.' });
    }
    if (local.length) {
      showUserErrors(form, errors, local);
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    let created = null;
    await busy(submit, 'Adding…', async () => {
      try {
        const { payload, errors: userErrors } = await mutate(CREATE, {
          input: {
            partnershipId: partnership.id,
            title: title.value.trim(),
            phase: phase.value,
            status: status.value,
            targetDate: targetDate.value || null,
            ownerPartyId: owner.value,
            visibility: visibility.value,
            description: description.value.trim(),
          },
        }, 'createMilestone');
        if (userErrors.length) {
          showUserErrors(form, errors, userErrors);
          (form.querySelector('[aria-invalid="true"]') ?? title).focus();
          return;
        }
        created = payload.milestone;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
      }
    });
    if (!created || !ctx.isCurrent()) return;
    hideMessage(errors);
    title.value = '';
    description.value = '';
    targetDate.value = '';
    showMessage(done, 'success', `Milestone “${created.title}” added to ${phaseName(created.phase)}.`);
    await onCreated(created);
    title.focus();
  });
  return form;
}
