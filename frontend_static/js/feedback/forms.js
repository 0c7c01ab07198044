// Feedback forms: submit, comment (or internal note), and the steps that ask for more (ask
// the submitter, resolve with a note and a fix, accept and rate, reopen with a reason).

import { gql } from '../api.js';
import { mutate } from '../pages/common.js';
import { Field, Select } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useUid } from '../ui/hooks.js';
import {
  BODY_LIMIT, CATEGORIES, CHOICES_QUERY, COMMENT, label, SEVERITIES, SUBMIT,
} from './api.js';

const WRITERS = new Set(['LEAD', 'EDITOR', 'GOVERNANCE']);

export function canWrite(partnership) {
  return WRITERS.has(partnership.viewerRole);
}

function useChoices(partnership) {
  const [choices, setChoices] = useState({ commitments: [], milestones: [] });
  useEffect(() => {
    gql(CHOICES_QUERY, { id: partnership.id }).then((data) => setChoices({
      commitments: data.partnership.commitments.nodes,
      milestones: data.partnership.roadmap.phases.flatMap((p) => p.milestones),
    })).catch(() => {});
  }, [partnership.id]);
  return choices;
}

const optional = (items, none, text) => [{ value: '', label: none }, ...items.map((i) => ({ value: i.id, label: text(i) }))];

export function SubmitForm({ partnership, onDone, onCancel }) {
  const headingId = useUid('fb-submit');
  const form = useForm();
  const { values, bind } = useValues({
    title: '', body: '', severity: 'MEDIUM', category: 'DELIVERY', commitmentId: '', milestoneId: '',
  });
  const choices = useChoices(partnership);
  const submit = () => form.run(async () => {
    const input = {
      partnershipId: partnership.id,
      title: values.title,
      body: values.body,
      severity: values.severity,
      category: values.category,
      commitmentId: values.commitmentId || null,
      milestoneId: values.milestoneId || null,
    };
    const { payload, errors } = await mutate(SUBMIT, { input }, 'submitFeedback');
    if (!errors.length) onDone(payload.feedback);
    return errors;
  });
  return html`<${Form} form=${form} heading="Submit feedback" headingId=${headingId} onSubmit=${submit}>
    <${Field} label="Title" name="title"><input type="text" maxlength="200" required ...${bind('title')} /><//>
    <${Field} label="What happened" name="body" hint=${`Markdown: **bold**, lists, links. At most ${BODY_LIMIT.toLocaleString('en')} characters.`}>
      <textarea rows="5" ...${bind('body')}></textarea>
    <//>
    <div class="form-row">
      <${Field} label="Severity" name="severity">
        <${Select} options=${SEVERITIES.map((s) => ({ value: s, label: label(s) }))} ...${bind('severity')} onChange=${bind('severity').onInput} />
      <//>
      <${Field} label="Category" name="category">
        <${Select} options=${CATEGORIES.map((s) => ({ value: s, label: label(s) }))} ...${bind('category')} onChange=${bind('category').onInput} />
      <//>
    </div>
    <div class="form-row">
      <${Field} label="About the commitment" name="commitmentId">
        <${Select} options=${optional(choices.commitments, 'None', (c) => c.title)} ...${bind('commitmentId')} onChange=${bind('commitmentId').onInput} />
      <//>
      <${Field} label="About the milestone" name="milestoneId">
        <${Select} options=${optional(choices.milestones, 'None', (m) => m.title)} ...${bind('milestoneId')} onChange=${bind('milestoneId').onInput} />
      <//>
    </div>
    <p class="form-actions">
      <${SubmitButton} busyLabel="Submitting…">Submit<//>
      <${Button} onClick=${onCancel}>Cancel<//>
    </p>
  <//>`;
}

export function CommentForm({ item, onDone }) {
  const headingId = useUid('fb-comment');
  const form = useForm();
  const { values, bind, setAll } = useValues({ body: '', internal: false });
  const receiving = !item.submittedByUs;
  const submit = () => form.run(async () => {
    const input = { feedbackId: item.id, body: values.body, internal: receiving && values.internal };
    const { errors } = await mutate(COMMENT, { input }, 'addFeedbackComment');
    if (!errors.length) {
      setAll({ body: '', internal: false });
      onDone(input.internal);
    }
    return errors;
  });
  return html`<${Form} form=${form} heading="Add a comment" headingId=${headingId} onSubmit=${submit} className="form card fb-comment-form">
    <${Field} label="Comment" name="body" hint="Markdown; both sides read it unless it is an internal note.">
      <textarea rows="3" ...${bind('body')}></textarea>
    <//>
    ${receiving
      ? html`<div class="field field-check"><label>
          <input type="checkbox" name="internal" checked=${values.internal}
            onChange=${(e) => setAll({ ...values, internal: e.currentTarget.checked })} />
          Internal note (only your side sees it)</label></div>`
      : null}
    <p class="form-actions"><${SubmitButton} busyLabel="Sending…">${values.internal ? 'Add internal note' : 'Add comment'}<//></p>
  <//>`;
}

/** The extra input of a step, then `send(fields)` (resolves to userErrors). */
export function StepForm({
  kind, item, partnership, send, onCancel,
}) {
  const headingId = useUid('fb-step');
  const form = useForm();
  const { values, bind, set } = useValues({ note: '', rating: '', fixCommitmentId: '', fixMilestoneId: '' });
  const choices = useChoices(partnership);
  const submit = () => form.run(async () => {
    if (kind === 'accept') return send({ rating: Number(values.rating || 0), comment: values.note });
    if (kind === 'reopen') return send({ reason: values.note });
    if (kind === 'resolve') {
      return send({
        note: values.note,
        fixCommitmentId: values.fixCommitmentId || null,
        fixMilestoneId: values.fixMilestoneId || null,
      });
    }
    return send({ note: values.note });
  });
  const headings = {
    ask: 'Ask the submitter', resolve: 'Resolve', accept: 'Accept and rate the resolution', reopen: 'Reopen',
  };
  const noteLabel = {
    ask: 'Your question', resolve: 'Resolution note', accept: 'Comment (optional)', reopen: 'Why it is not resolved',
  };
  return html`<${Form} form=${form} heading=${`${headings[kind]}: ${item.title}`} headingId=${headingId} onSubmit=${submit}>
    ${kind === 'accept'
      ? html`<fieldset class="fb-rating" aria-describedby=${`${headingId}-hint`}>
          <legend>Rating</legend>
          <p class="hint" id=${`${headingId}-hint`}>1 (poor) to 5 (excellent)</p>
          ${[1, 2, 3, 4, 5].map((n) => html`<label class="fb-star">
            <input type="radio" name="rating" value=${n} checked=${values.rating === String(n)}
              onChange=${() => set('rating', String(n))} /> ${n}</label>`)}
        </fieldset>`
      : null}
    <${Field} label=${noteLabel[kind]} name=${kind === 'reopen' ? 'reason' : (kind === 'accept' ? 'comment' : 'note')}>
      <textarea rows="3" ...${bind('note')}></textarea>
    <//>
    ${kind === 'resolve'
      ? html`<div class="form-row">
          <${Field} label="Fixed by the commitment" name="fixCommitmentId">
            <${Select} options=${optional(choices.commitments, 'None', (c) => c.title)} ...${bind('fixCommitmentId')} onChange=${bind('fixCommitmentId').onInput} />
          <//>
          <${Field} label="Fixed by the milestone" name="fixMilestoneId">
            <${Select} options=${optional(choices.milestones, 'None', (m) => m.title)} ...${bind('fixMilestoneId')} onChange=${bind('fixMilestoneId').onInput} />
          <//>
        </div>`
      : null}
    <p class="form-actions">
      <${SubmitButton} busyLabel="Sending…">${headings[kind]}<//>
      <${Button} onClick=${onCancel}>Cancel<//>
    </p>
  <//>`;
}
