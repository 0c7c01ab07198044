// Roadmap forms: adding a milestone, and the choices the edit form shares.

import {
  isIsoDay, mutate, ownParty, phaseName, PHASES, sideOptions, statusName,
} from '../pages/common.js';
import { Field, Select } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useRef } from '../ui/html.js';
import { CREATE } from './api.js';

export const STATUSES = ['PLANNED', 'IN_PROGRESS', 'AT_RISK', 'DONE'];
export const STATUS_OPTIONS = STATUSES.map((s) => ({ value: s, label: statusName(s) }));
export const VISIBILITY_OPTIONS = [
  { value: 'SHARED', label: 'Shared — both sides see it' },
  { value: 'INTERNAL', label: 'Internal — only your side sees it' },
];
const PHASE_OPTIONS = PHASES.map((p) => ({ value: p.value, label: `${p.name} (${p.term.toLowerCase()})` }));

/** The new-milestone form; onCreated(milestone) runs once the milestone exists. */
export function NewMilestoneForm({
  partnership, ctx, partnerChanges, onCreated,
}) {
  const form = useForm({ clearDoneOn: partnerChanges });
  const { values, bind, setAll } = useValues(() => ({
    title: '', phase: 'STABILIZE', status: 'PLANNED', targetDate: '',
    ownerPartyId: ownParty(partnership)?.id, visibility: 'SHARED', description: '',
  }));
  const title = useRef(null);

  function problems() {
    const found = [];
    if (!values.title.trim()) found.push({ field: 'title', message: 'Give the milestone a title.' });
    if (values.targetDate && !isIsoDay(values.targetDate)) found.push({ field: 'targetDate', message: 'Enter a valid date.' });
    if (values.visibility === 'INTERNAL' && values.ownerPartyId !== ownParty(partnership)?.id) {
      found.push({ field: 'visibility', message: 'An internal milestone belongs to your side: choose your side as accountable.' });
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
      const { payload, errors } = await mutate(CREATE, {
        input: {
          partnershipId: partnership.id,
          title: values.title.trim(),
          phase: values.phase,
          status: values.status,
          targetDate: values.targetDate || null,
          ownerPartyId: values.ownerPartyId,
          visibility: values.visibility,
          description: values.description.trim(),
        },
      }, 'createMilestone');
      if (errors.length) return errors;
      if (!ctx.isCurrent()) return undefined;
      const created = payload.milestone;
      setAll((v) => ({ ...v, title: '', description: '', targetDate: '' }));
      form.succeed(`Milestone “${created.title}” added to ${phaseName(created.phase)}.`);
      await onCreated(created);
      title.current?.focus();
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="new-milestone" className="form card new-milestone" level=${3}
    heading="New milestone" headingId="new-milestone-heading" withDone onSubmit=${submit}>
    <${Field} label="Title" name="title">
      <input type="text" maxlength="200" required autocomplete="off" ref=${title} ...${bind('title')} />
    <//>
    <div class="form-row">
      <${Field} label="Phase" name="phase"><${Select} options=${PHASE_OPTIONS} ...${bind('phase')} /><//>
      <${Field} label="Status" name="status"><${Select} options=${STATUS_OPTIONS} ...${bind('status')} /><//>
      <${Field} label="Target date" name="targetDate" hint="Optional."><input type="date" ...${bind('targetDate')} /><//>
    </div>
    <div class="form-row">
      <${Field} label="Accountable side" name="ownerPartyId">
        <${Select} options=${sideOptions(partnership)} ...${bind('ownerPartyId')} />
      <//>
      <${Field} label="Visibility" name="visibility"><${Select} options=${VISIBILITY_OPTIONS} ...${bind('visibility')} /><//>
    </div>
    <${Field} label="Description" name="description" hint="What done looks like, and who is involved.">
      <textarea rows="3" maxlength="5000" ...${bind('description')}></textarea>
    <//>
    <div><${SubmitButton} busyLabel="Adding…">Add milestone<//></div>
  <//>`;
}
