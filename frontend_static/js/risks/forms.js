// The register's forms: a new risk, a side's score, the treatment (an acceptance needs an
// approver, a reason and an expiry), an action, and the links to commitments, milestones, KPIs.

import {
  addDaysIso, mutate, sideOptions, todayUtcIso,
} from '../pages/common.js';
import { Field, Select } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html } from '../ui/html.js';
import {
  ADD_ACTION, ASSESS, CREATE, LINKS, TREAT, UPDATE,
} from './api.js';
import {
  CATEGORIES, IMPACT, LIKELIHOOD, STEPS, TREATMENTS,
} from './model.js';

const LIKELIHOODS = STEPS.map((n) => ({ value: String(n), label: `${n} · ${LIKELIHOOD[n - 1]}` }));
const IMPACTS = STEPS.map((n) => ({ value: String(n), label: `${n} · ${IMPACT[n - 1]}` }));
const VISIBILITIES = [
  { value: 'SHARED', label: 'Shared with the partner' },
  { value: 'INTERNAL', label: 'Internal to your side' },
];

export function NewRiskForm({ partnership, onCreated }) {
  const form = useForm();
  const { values, bind, setAll } = useValues({
    title: '', description: '', category: 'DELIVERY', visibility: 'SHARED', reviewEveryDays: '90',
  });

  function submit() {
    if (!values.title.trim()) {
      form.fail([{ field: 'title', message: 'Give the risk a title.' }]);
      return;
    }
    form.run(async () => {
      const { payload, errors } = await mutate(CREATE, {
        input: {
          partnershipId: partnership.id,
          title: values.title.trim(),
          description: values.description.trim(),
          category: values.category,
          visibility: values.visibility,
          reviewEveryDays: Number(values.reviewEveryDays),
        },
      }, 'createRisk');
      if (errors.length) return errors;
      setAll((v) => ({ ...v, title: '', description: '' }));
      await onCreated(payload.risk);
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="new-risk" level=${3} heading="New risk" headingId="new-risk-heading" onSubmit=${submit}>
    <${Field} label="Title" name="title"><input type="text" maxlength="200" required ...${bind('title')} /><//>
    <${Field} label="Description" name="description"><textarea rows="3" ...${bind('description')}></textarea><//>
    <div class="form-row">
      <${Field} label="Category" name="category"><${Select} options=${CATEGORIES} ...${bind('category')} /><//>
      <${Field} label="Visibility" name="visibility"><${Select} options=${VISIBILITIES} ...${bind('visibility')} /><//>
      <${Field} label="Review every (days)" name="reviewEveryDays" hint="7 to 365">
        <input type="number" min="7" max="365" ...${bind('reviewEveryDays')} /><//>
    </div>
    <div><${SubmitButton}>Add risk<//></div>
  <//>`;
}

/** Your side's score: inherent (before treatment) and residual (after), each likelihood × impact. */
export function AssessForm({ risk, onDone }) {
  const own = risk.scores.find((s) => s.party.isOwn)?.latest;
  const form = useForm();
  const start = (score, key) => String(score?.[key] ?? 3);
  const { values, bind } = useValues({
    inherentLikelihood: start(own?.inherent, 'likelihood'),
    inherentImpact: start(own?.inherent, 'impact'),
    residualLikelihood: start(own?.residual, 'likelihood'),
    residualImpact: start(own?.residual, 'impact'),
    rationale: '',
  });

  function submit() {
    form.run(async () => {
      const { errors } = await mutate(ASSESS, {
        input: {
          riskId: risk.id,
          inherentLikelihood: Number(values.inherentLikelihood),
          inherentImpact: Number(values.inherentImpact),
          residualLikelihood: Number(values.residualLikelihood),
          residualImpact: Number(values.residualImpact),
          rationale: values.rationale.trim(),
        },
      }, 'assessRisk');
      if (errors.length) return errors;
      form.succeed('Your side\'s score is saved.');
      await onDone();
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="assess-risk" heading="Score it for your side" headingId="assess-heading" withDone=${true} onSubmit=${submit}>
    <fieldset class="form-row">
      <legend>Inherent (before treatment)</legend>
      <${Field} label="Inherent likelihood" name="inherentLikelihood"><${Select} options=${LIKELIHOODS} ...${bind('inherentLikelihood')} /><//>
      <${Field} label="Inherent impact" name="inherentImpact"><${Select} options=${IMPACTS} ...${bind('inherentImpact')} /><//>
    </fieldset>
    <fieldset class="form-row">
      <legend>Residual (with the treatment)</legend>
      <${Field} label="Residual likelihood" name="residualLikelihood"><${Select} options=${LIKELIHOODS} ...${bind('residualLikelihood')} /><//>
      <${Field} label="Residual impact" name="residualImpact"><${Select} options=${IMPACTS} ...${bind('residualImpact')} /><//>
    </fieldset>
    <${Field} label="Why" name="rationale" hint="What your side bases the score on."><textarea rows="2" ...${bind('rationale')}></textarea><//>
    <div><${SubmitButton}>Save score<//></div>
  <//>`;
}

export function TreatmentForm({ risk, approvers, onDone }) {
  const form = useForm();
  const { values, bind } = useValues({
    treatment: risk.treatment ?? 'MITIGATE',
    plan: risk.treatmentPlan ?? '',
    approverId: '',
    reason: '',
    expiresOn: addDaysIso(todayUtcIso(), 90),
  });
  const accepting = values.treatment === 'ACCEPT';

  function submit() {
    form.run(async () => {
      const input = {
        riskId: risk.id, expectedVersion: risk.version, treatment: values.treatment, plan: values.plan.trim(),
      };
      if (accepting) {
        if (values.approverId) input.approverId = values.approverId;
        if (values.expiresOn) input.expiresOn = values.expiresOn;
        input.reason = values.reason;
      }
      const { errors } = await mutate(TREAT, { input }, 'setRiskTreatment');
      if (errors.length) return errors;
      form.succeed(accepting ? 'The acceptance is recorded.' : 'The treatment is saved.');
      await onDone();
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="treat-risk" heading="Treatment" headingId="treat-heading" withDone=${true} onSubmit=${submit}>
    <${Field} label="Treatment" name="treatment"><${Select} options=${TREATMENTS} ...${bind('treatment')} /><//>
    <${Field} label="Plan" name="plan"><textarea rows="2" ...${bind('plan')}></textarea><//>
    ${accepting ? html`<fieldset>
      <legend>Acceptance by your side</legend>
      <${Field} label="Approver" name="approverId" hint="A Lead or Governance member of your side.">
        <${Select} options=${[{ value: '', label: 'Choose the approver' }, ...approvers]} ...${bind('approverId')} /><//>
      <${Field} label="Reason" name="reason"><textarea rows="2" ...${bind('reason')}></textarea><//>
      <${Field} label="Expires on" name="expiresOn" hint="At most a year from today; the risk returns to review then.">
        <input type="date" min=${addDaysIso(todayUtcIso(), 1)} ...${bind('expiresOn')} /><//>
    </fieldset>` : null}
    <div><${SubmitButton}>${accepting ? 'Accept the risk' : 'Save treatment'}<//></div>
  <//>`;
}

export function ActionForm({ risk, partnership, commitments, onDone }) {
  const form = useForm();
  const own = partnership.parties.find((p) => p.isOwn);
  const { values, bind, setAll } = useValues({
    title: '', ownerPartyId: own?.id ?? '', dueDate: '', commitmentId: '',
  });

  function submit() {
    if (!values.title.trim()) {
      form.fail([{ field: 'title', message: 'Say what the action is.' }]);
      return;
    }
    form.run(async () => {
      const input = { riskId: risk.id, title: values.title.trim(), ownerPartyId: values.ownerPartyId };
      if (values.dueDate) input.dueDate = values.dueDate;
      if (values.commitmentId) input.commitmentId = values.commitmentId;
      const { errors } = await mutate(ADD_ACTION, { input }, 'addRiskAction');
      if (errors.length) return errors;
      setAll((v) => ({ ...v, title: '', dueDate: '', commitmentId: '' }));
      form.succeed('Action added.');
      await onDone();
      return undefined;
    });
  }

  const sides = risk.visibility === 'INTERNAL' ? sideOptions(partnership).filter((o) => o.value === own?.id) : sideOptions(partnership);
  return html`<${Form} form=${form} id="add-action" heading="Add an action" headingId="add-action-heading" withDone=${true} onSubmit=${submit}>
    <${Field} label="Action" name="title"><input type="text" maxlength="200" ...${bind('title')} /><//>
    <div class="form-row">
      <${Field} label="Owner" name="ownerPartyId"><${Select} options=${sides} ...${bind('ownerPartyId')} /><//>
      <${Field} label="Due date" name="dueDate"><input type="date" ...${bind('dueDate')} /><//>
      <${Field} label="It is the commitment" name="commitmentId">
        <${Select} options=${[{ value: '', label: 'None' }, ...commitments.map((c) => ({ value: c.id, label: c.title }))]} ...${bind('commitmentId')} /><//>
    </div>
    <div><${SubmitButton}>Add action<//></div>
  <//>`;
}

function Checks({ legend, name, items, chosen, toggle }) {
  return html`<fieldset class="link-choices">
    <legend>${legend}</legend>
    ${items.length === 0 ? html`<p class="muted small">None to link.</p>` : items.map((item) => html`<label class="check" key=${item.id}>
      <input type="checkbox" name=${name} value=${item.id} checked=${chosen.has(item.id)} onChange=${() => toggle(item.id)} />
      ${item.title ?? item.name}
    </label>`)}
  </fieldset>`;
}

export function LinksForm({ risk, choices, onDone }) {
  const form = useForm();
  const { values, set } = useValues({
    commitmentIds: new Set(risk.links.commitments.map((c) => c.id)),
    milestoneIds: new Set(risk.links.milestones.map((m) => m.id)),
    kpiIds: new Set(risk.links.kpis.map((k) => k.id)),
  });
  const toggle = (key) => (id) => {
    const next = new Set(values[key]);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set(key, next);
  };

  function submit() {
    form.run(async () => {
      const { errors } = await mutate(LINKS, {
        input: {
          riskId: risk.id,
          commitmentIds: [...values.commitmentIds],
          milestoneIds: [...values.milestoneIds],
          kpiIds: [...values.kpiIds],
        },
      }, 'setRiskLinks');
      if (errors.length) return errors;
      form.succeed('Links saved.');
      await onDone();
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="risk-links" heading="Edit links" headingId="risk-links-edit-heading" withDone=${true} onSubmit=${submit}>
    <div class="link-columns">
      <${Checks} legend="Commitments" name="commitmentIds" items=${choices.commitments} chosen=${values.commitmentIds} toggle=${toggle('commitmentIds')} />
      <${Checks} legend="Milestones" name="milestoneIds" items=${choices.milestones} chosen=${values.milestoneIds} toggle=${toggle('milestoneIds')} />
      <${Checks} legend="KPIs" name="kpiIds" items=${choices.kpis} chosen=${values.kpiIds} toggle=${toggle('kpiIds')} />
    </div>
    <div><${SubmitButton}>Save links<//></div>
  <//>`;
}

const OPEN_OR_CLOSED = [
  { value: 'OPEN', label: 'Open' },
  { value: 'CLOSED', label: 'Closed' },
];

/** The risk's own facts; a stale version is a conflict the form explains (the page reloads). */
export function EditRiskForm({ risk, onDone }) {
  const form = useForm();
  const { values, bind } = useValues({
    title: risk.title,
    description: risk.description,
    category: risk.category,
    reviewEveryDays: String(risk.reviewEveryDays),
    nextReviewOn: risk.nextReviewOn,
    status: risk.status === 'CLOSED' ? 'CLOSED' : 'OPEN',
  });

  function submit() {
    form.run(async () => {
      const input = {
        riskId: risk.id,
        expectedVersion: risk.version,
        title: values.title.trim(),
        description: values.description.trim(),
        category: values.category,
        reviewEveryDays: Number(values.reviewEveryDays),
        status: values.status,
      };
      if (values.nextReviewOn) input.nextReviewOn = values.nextReviewOn;
      const { errors } = await mutate(UPDATE, { input }, 'updateRisk');
      if (errors.some((e) => e.code === 'CONFLICT')) {
        await onDone();
        return [{ field: null, message: 'Someone changed this risk since you opened it. It is up to date now: check it and save again.' }];
      }
      if (errors.length) return errors;
      form.succeed('Saved.');
      await onDone();
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="edit-risk" heading="Edit the risk" headingId="edit-risk-heading" withDone=${true} onSubmit=${submit}>
    <${Field} label="Title" name="title"><input type="text" maxlength="200" ...${bind('title')} /><//>
    <${Field} label="Description" name="description"><textarea rows="3" ...${bind('description')}></textarea><//>
    <div class="form-row">
      <${Field} label="Category" name="category"><${Select} options=${CATEGORIES} ...${bind('category')} /><//>
      <${Field} label="Review every (days)" name="reviewEveryDays" hint="7 to 365">
        <input type="number" min="7" max="365" ...${bind('reviewEveryDays')} /><//>
      <${Field} label="Next review" name="nextReviewOn"><input type="date" ...${bind('nextReviewOn')} /><//>
      <${Field} label="Open or closed" name="status"><${Select} options=${OPEN_OR_CLOSED} ...${bind('status')} /><//>
    </div>
    <div><${SubmitButton}>Save changes<//></div>
  <//>`;
}
