// Roadmap forms: adding a milestone, and the choices the edit form shares.

import {
  busy, clearFieldErrors, field, h, hideMessage, messageBox, showMessage, showUserErrors,
} from '../dom.js';
import {
  isIsoDay, mutate, ownParty, phaseName, PHASES, select, sideOptions, statusName,
} from '../pages/common.js';
import { CREATE } from './api.js';

export const STATUSES = ['PLANNED', 'IN_PROGRESS', 'AT_RISK', 'DONE'];
export const STATUS_OPTIONS = STATUSES.map((s) => ({ value: s, label: statusName(s) }));
export const VISIBILITY_OPTIONS = [
  { value: 'SHARED', label: 'Shared — both sides see it' },
  { value: 'INTERNAL', label: 'Internal — only your side sees it' },
];
export function createForm(partnership, ctx, onCreated) {
  const title = h('input', { type: 'text', maxlength: '200', required: true, autocomplete: 'off' });
  const phase = select({}, PHASES.map((p) => ({ value: p.value, label: `${p.name} (${p.term.toLowerCase()})` })), 'STABILIZE');
  const status = select({}, STATUS_OPTIONS, 'PLANNED');
  const targetDate = h('input', { type: 'date' });
  const owner = select({}, sideOptions(partnership), ownParty(partnership)?.id);
  const visibility = select({}, VISIBILITY_OPTIONS, 'SHARED');
  const description = h('textarea', { rows: '3', maxlength: '5000' });
  const errors = messageBox('error');
  const done = messageBox('success');
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Add milestone');
  const form = h('form', { class: 'form card new-milestone', id: 'new-milestone', novalidate: true, 'aria-labelledby': 'new-milestone-heading' },
    h('h3', { id: 'new-milestone-heading' }, 'New milestone'),
    errors, done,
    field({ label: 'Title', control: title, name: 'title' }),
    h('div', { class: 'form-row' },
      field({ label: 'Phase', control: phase, name: 'phase' }),
      field({ label: 'Status', control: status, name: 'status' }),
      field({ label: 'Target date', control: targetDate, name: 'targetDate', hint: 'Optional.' })),
    h('div', { class: 'form-row' },
      field({ label: 'Accountable side', control: owner, name: 'ownerPartyId' }),
      field({ label: 'Visibility', control: visibility, name: 'visibility' })),
    field({ label: 'Description', control: description, name: 'description', hint: 'What done looks like, and who is involved.' }),
    h('div', {}, submit));

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
