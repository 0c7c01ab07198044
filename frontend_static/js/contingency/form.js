// The plan form, for a first draft and for a revision (prefilled from the latest version):
// scenario and severity; triggers and playbook steps as editable lists (added, removed and, for
// steps, moved up and down with buttons, so by keyboard too); the communication protocol with
// its update cadence per severity; the oversight group, chosen from both sides' members.
// The API's errors name their control (steps[1].title, triggers[0].kpiId), where they show.

import { gql } from '../api.js';
import { mutate, sideOptions } from '../pages/common.js';
import { Field, Select } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm,
} from '../ui/form.js';
import {
  html, useEffect, useLayoutEffect, useState,
} from '../ui/html.js';
import { byKey, useFocus, useSectionLoad } from '../ui/hooks.js';
import { Failed, Loading } from '../ui/states.js';
import { CREATE_PLAN, PLAN_FORM_CHOICES, REVISE_PLAN } from './api.js';
import { SEVERITY } from './words.js';

export const DETECTORS = [
  { value: 'commitments_delayed', label: 'Commitments delayed or changed' },
  { value: 'communication_declining', label: 'Communication declining' },
  { value: 'information_asymmetry', label: 'Information asymmetry' },
  { value: 'disputes_rising', label: 'Questioning and disputes' },
  { value: 'decisions_bypassed', label: 'Decision process bypassed or tightened' },
  { value: 'results_reevaluated', label: 'Past results re-evaluated' },
];
const KINDS = [
  { value: 'DETECTOR', label: 'An early-warning detector fires' },
  { value: 'KPI_OFF_TRACK', label: 'A KPI is off track or crosses a value' },
  { value: 'SLA_BREACHES', label: 'SLA breaches within a window' },
  { value: 'RISK_SCORE', label: 'A risk’s residual score reaches a value' },
  { value: 'MANUAL', label: 'By hand only' },
];
const ROLES = [
  { value: 'LEAD', label: 'Lead' },
  { value: 'EDITOR', label: 'Editor' },
  { value: 'GOVERNANCE', label: 'Governance' },
  { value: 'VIEWER', label: 'Viewer' },
];
const SEVERITIES = Object.entries(SEVERITY).map(([value, label]) => ({ value, label }));
const DEFAULT_CADENCE = {
  CRITICAL: '60', HIGH: '240', MEDIUM: '1440', LOW: '4320',
};
const ORDINALS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth'];

let keys = 0;
const nextKey = () => {
  keys += 1;
  return `row-${keys}`;
};

function stepName(index) {
  return index < ORDINALS.length ? `${ORDINALS[index]} step` : `Step ${index + 1}`;
}

function blankTrigger(kind = 'DETECTOR') {
  return {
    key: nextKey(), kind, detector: DETECTORS[0].value, kpiId: '', threshold: '', count: '3', windowDays: '30', riskId: '', score: '15',
  };
}

function blankStep(ownerPartyId, minutes = '60') {
  return {
    key: nextKey(), title: '', ownerPartyId, role: 'LEAD', minutes,
  };
}

/** The form's values: empty for a draft (a step per side), or those of `version`. */
function initialValues(partnership, plan, version) {
  const [own, other] = sideOptions(partnership).map((o) => o.value);
  if (!version) {
    return {
      title: '', scenario: '', severity: 'HIGH', protocol: '',
      triggers: [blankTrigger()],
      steps: [blankStep(own), blankStep(other ?? own, '240')],
      cadence: { ...DEFAULT_CADENCE },
      oversight: [],
    };
  }
  const cadence = { ...DEFAULT_CADENCE };
  version.cadence.forEach((c) => {
    cadence[c.severity] = String(c.minutes);
  });
  return {
    title: plan.title,
    scenario: version.scenario,
    severity: version.severity,
    protocol: version.protocol,
    triggers: version.triggers.map((t) => ({
      ...blankTrigger(t.kind),
      detector: t.kind === 'DETECTOR' ? t.source.replace('detector.', '') : DETECTORS[0].value,
      kpiId: t.kpiId ?? '',
      threshold: t.threshold == null ? '' : String(t.threshold),
      count: t.count == null ? '3' : String(t.count),
      windowDays: t.windowDays == null ? '30' : String(t.windowDays),
      riskId: t.riskId ?? '',
      score: t.score == null ? '15' : String(t.score),
    })),
    steps: version.steps.map((s) => ({
      key: nextKey(), title: s.title, ownerPartyId: s.ownerParty?.id ?? own, role: s.role, minutes: String(s.actWithinMinutes),
    })),
    cadence,
    oversight: version.oversight.map((u) => u.id),
  };
}

// A number typed as text: a whole number, else 0 (the API says what is wrong, at its field).
function whole(text) {
  const value = Number.parseInt(text, 10);
  return Number.isNaN(value) ? 0 : value;
}

function optionalWhole(text) {
  const value = Number.parseInt(text, 10);
  return Number.isNaN(value) ? null : value;
}

function triggerInput(t) {
  if (t.kind === 'DETECTOR') return { kind: t.kind, detector: t.detector };
  if (t.kind === 'KPI_OFF_TRACK') {
    const threshold = t.threshold.trim() === '' ? null : Number(t.threshold);
    return { kind: t.kind, kpiId: t.kpiId || null, threshold: Number.isFinite(threshold) ? threshold : null };
  }
  if (t.kind === 'SLA_BREACHES') return { kind: t.kind, count: optionalWhole(t.count), windowDays: optionalWhole(t.windowDays) };
  if (t.kind === 'RISK_SCORE') return { kind: t.kind, riskId: t.riskId || null, score: optionalWhole(t.score) };
  return { kind: t.kind };
}

function contentInput(values) {
  return {
    severity: values.severity,
    scenario: values.scenario,
    protocol: values.protocol,
    triggers: values.triggers.map(triggerInput),
    steps: values.steps.map((s) => ({
      title: s.title, ownerPartyId: s.ownerPartyId, role: s.role, actWithinMinutes: whole(s.minutes),
    })),
    cadence: SEVERITIES.map(({ value }) => ({ severity: value, minutes: whole(values.cadence[value]) })),
    oversightUserIds: values.oversight,
  };
}

/**
 * The plan form. Without `plan` it drafts a new plan (and empties itself after); with `plan` and
 * its latest `version` it saves a revision, a new version. onSaved(plan) runs after either.
 */
export function PlanForm({
  args, partnership, plan = null, version = null, heading, headingId, submitLabel, busyLabel, note = null, focusFirst = false,
  onSaved, onCancel = null,
}) {
  const [state, load] = useSectionLoad(async () => (await gql(PLAN_FORM_CHOICES, { id: partnership.id })).partnership, args);
  useEffect(() => {
    load();
  }, []);
  if (state.error && !state.data) return html`<${Failed} error=${state.error} onRetry=${load} />`;
  if (!state.data) return html`<${Loading} text="Loading the plan form…" />`;
  return html`<${PlanFormFields} partnership=${partnership} plan=${plan} version=${version} choices=${state.data}
    heading=${heading} headingId=${headingId} submitLabel=${submitLabel} busyLabel=${busyLabel} note=${note}
    focusFirst=${focusFirst} onSaved=${onSaved} onCancel=${onCancel} />`;
}

function PlanFormFields({
  partnership, plan, version, choices, heading, headingId, submitLabel, busyLabel, note, focusFirst, onSaved, onCancel,
}) {
  const form = useForm();
  const [values, setValues] = useState(() => initialValues(partnership, plan, version));
  const [ref, focusLater] = useFocus();
  // Opened by a button (a revision): the keyboard lands in the form, on its first field.
  useLayoutEffect(() => {
    if (focusFirst) ref.current?.querySelector('input, select, textarea')?.focus();
  }, []);
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  const bind = (name) => ({ value: values[name], onInput: (e) => set(name, e.currentTarget.value) });
  const setRow = (list, index, name, value) => setValues((v) => ({
    ...v, [list]: v[list].map((row, i) => (i === index ? { ...row, [name]: value } : row)),
  }));
  const bindRow = (list, index, name) => ({
    value: values[list][index][name],
    onInput: (e) => setRow(list, index, name, e.currentTarget.value),
    onChange: (e) => setRow(list, index, name, e.currentTarget.value),
  });

  function add(list, row) {
    setValues((v) => ({ ...v, [list]: [...v[list], row] }));
    focusLater(byKey(`${row.key}:first`));
  }
  function remove(list, index) {
    setValues((v) => ({ ...v, [list]: v[list].filter((_, i) => i !== index) }));
    focusLater(byKey(`add:${list}`));
  }
  function move(index, by) {
    const row = values.steps[index];
    const to = index + by;
    setValues((v) => {
      const steps = [...v.steps];
      [steps[index], steps[to]] = [steps[to], steps[index]];
      return { ...v, steps };
    });
    // focus stays on the moved step's button, or on its other one at either end
    const direction = by < 0 ? 'up' : 'down';
    const atEnd = (by < 0 && to === 0) || (by > 0 && to === values.steps.length - 1);
    focusLater(byKey(`${row.key}:${atEnd ? (direction === 'up' ? 'down' : 'up') : direction}`));
  }
  function toggleMember(userId) {
    setValues((v) => ({
      ...v, oversight: v.oversight.includes(userId) ? v.oversight.filter((u) => u !== userId) : [...v.oversight, userId],
    }));
  }

  const submit = () => form.run(async () => {
    const content = contentInput(values);
    const { payload, errors } = plan
      ? await mutate(REVISE_PLAN, { input: { planId: plan.id, title: values.title, content } }, 'reviseContingencyPlan')
      : await mutate(CREATE_PLAN, { input: { partnershipId: partnership.id, title: values.title, content } }, 'createContingencyPlan');
    if (errors.length) return errors;
    if (!plan) {
      setValues(initialValues(partnership, null, null));
      form.succeed(`Plan “${payload.plan.title}” drafted: submit it for approval from its page.`);
    }
    await onSaved(payload.plan);
    return null;
  });

  const sides = sideOptions(partnership);
  const sideOf = (id) => partnership.parties.find((p) => p.id === id);
  const kpis = [{ value: '', label: 'Choose a KPI' }, ...choices.kpis.map((k) => ({ value: k.id, label: k.name }))];
  const risks = [{ value: '', label: 'Choose a risk' }, ...choices.risks.nodes.map((r) => ({ value: r.id, label: r.title }))];
  const members = choices.members.nodes;

  return html`<${Form} form=${form} heading=${heading} headingId=${headingId} withDone=${!plan} onSubmit=${submit}
    className="form card plan-form">
    <div ref=${ref} class="plan-form-body">
      ${note ? html`<p class="note">${note}</p>` : null}
      <${Field} label="Title" name="title"><input type="text" maxlength="200" ...${bind('title')} /><//>
      <${Field} label="Scenario" name="scenario" hint="The crisis this plan is for."><textarea rows="2" maxlength="5000" ...${bind('scenario')} /><//>
      <${Field} label="Severity" name="severity"><${Select} options=${SEVERITIES} value=${values.severity}
        onChange=${(e) => set('severity', e.currentTarget.value)} /><//>

      <fieldset class="plan-rows" aria-describedby=${`${headingId}-triggers-hint`}>
        <legend>Triggers</legend>
        <p class="hint" id=${`${headingId}-triggers-hint`}>What activates the plan once both sides approved it; it can always be activated by hand too.</p>
        ${values.triggers.length === 0 ? html`<p class="note">No trigger: the plan is activated by hand only.</p>` : null}
        <ol class="plan-list">
          ${values.triggers.map((t, i) => html`<li key=${t.key} class="plan-row">
            <div class="form-row">
              <${Field} label=${`Trigger ${i + 1}: what fires it`} name=${`triggers[${i}].kind`}>
                <${Select} options=${KINDS} data-key=${`${t.key}:first`} ...${bindRow('triggers', i, 'kind')} />
              <//>
              <${TriggerDetails} t=${t} i=${i} bindRow=${bindRow} kpis=${kpis} risks=${risks} />
            </div>
            <button type="button" class="button button-small" onClick=${() => remove('triggers', i)}>Remove trigger ${i + 1}</button>
          </li>`)}
        </ol>
        <${Button} className="button button-small" data-key="add:triggers" onClick=${() => add('triggers', blankTrigger())}>Add a trigger<//>
      </fieldset>

      <fieldset class="plan-rows" aria-describedby=${`${headingId}-steps-hint`}>
        <legend>Playbook steps</legend>
        <p class="hint" id=${`${headingId}-steps-hint`}>In order: who acts (a side and a role) and within how many minutes of the activation.</p>
        <ol class="plan-list">
          ${values.steps.map((s, i) => {
            const owner = sideOf(s.ownerPartyId);
            const whose = owner?.isOwn ? '(your side)' : `of ${owner?.organization.name ?? 'the other side'}`;
            const name = stepName(i);
            return html`<li key=${s.key} class="plan-row">
              <${Field} label=${`${name} ${whose}: what to do`} name=${`steps[${i}].title`}>
                <input type="text" maxlength="200" data-key=${`${s.key}:first`} ...${bindRow('steps', i, 'title')} />
              <//>
              <div class="form-row">
                <${Field} label=${`${name}: side`} name=${`steps[${i}].ownerPartyId`}><${Select} options=${sides} ...${bindRow('steps', i, 'ownerPartyId')} /><//>
                <${Field} label=${`${name}: role`} name=${`steps[${i}].role`}><${Select} options=${ROLES} ...${bindRow('steps', i, 'role')} /><//>
                <${Field} label=${`${name}: minutes to act`} name=${`steps[${i}].actWithinMinutes`}>
                  <input type="number" min="1" inputmode="numeric" ...${bindRow('steps', i, 'minutes')} />
                <//>
              </div>
              <div class="button-row">
                <button type="button" class="button button-small" data-key=${`${s.key}:up`} disabled=${i === 0}
                  aria-label=${`Move up: ${name.toLowerCase()}`} onClick=${() => move(i, -1)}>Move up</button>
                <button type="button" class="button button-small" data-key=${`${s.key}:down`} disabled=${i === values.steps.length - 1}
                  aria-label=${`Move down: ${name.toLowerCase()}`} onClick=${() => move(i, 1)}>Move down</button>
                <button type="button" class="button button-small" disabled=${values.steps.length === 1}
                  aria-label=${`Remove: ${name.toLowerCase()}`} onClick=${() => remove('steps', i)}>Remove</button>
              </div>
            </li>`;
          })}
        </ol>
        <${Button} className="button button-small" data-key="add:steps"
          onClick=${() => add('steps', blankStep(sides[0]?.value))}>Add a step<//>
      </fieldset>

      <${Field} label="Communication protocol" name="protocol" hint="Who informs whom, and how.">
        <textarea rows="2" ...${bind('protocol')} />
      <//>
      <fieldset class="plan-rows">
        <legend>Status updates to the partner, by severity</legend>
        <div class="form-row">
          ${SEVERITIES.map(({ value, label }) => html`<${Field} key=${value} label=${`${label}: minutes between updates`} name=${`cadence.${value}`}>
            <input type="number" min="5" inputmode="numeric" value=${values.cadence[value]}
              onInput=${(e) => set('cadence', { ...values.cadence, [value]: e.currentTarget.value })} />
          <//>`)}
        </div>
      </fieldset>

      <fieldset class="plan-rows" aria-describedby=${`${headingId}-oversight-hint`}>
        <legend>Oversight group</legend>
        <p class="hint" id=${`${headingId}-oversight-hint`}>Named members of both sides who oversee an activation.</p>
        ${members.length === 0 ? html`<p class="note">No members to choose from.</p>` : null}
        ${sides.map((side) => html`<fieldset key=${side.value} class="checkboxes">
          <legend class="small">${sideOf(side.value)?.organization.name}</legend>
          ${members.filter((m) => m.party.id === side.value).map((m) => html`<label key=${m.id} class="checkbox">
            <input type="checkbox" checked=${values.oversight.includes(m.user.id)} onChange=${() => toggleMember(m.user.id)} />
            ${m.user.displayName} (${ROLES.find((r) => r.value === m.role)?.label ?? m.role})
          </label>`)}
        </fieldset>`)}
      </fieldset>

      <div class="button-row">
        <${SubmitButton} busyLabel=${busyLabel}>${submitLabel}<//>
        ${onCancel ? html`<button type="button" class="button" onClick=${onCancel}>Cancel</button>` : null}
      </div>
    </div>
  <//>`;
}

function TriggerDetails({
  t, i, bindRow, kpis, risks,
}) {
  const n = i + 1;
  const at = `triggers[${i}]`;
  if (t.kind === 'DETECTOR') {
    return html`<${Field} label=${`Trigger ${n}: triggered by the detector`} name=${`${at}.detector`}>
      <${Select} options=${DETECTORS} ...${bindRow('triggers', i, 'detector')} />
    <//>`;
  }
  if (t.kind === 'KPI_OFF_TRACK') {
    return html`
      <${Field} label=${`Trigger ${n}: KPI`} name=${`${at}.kpiId`} hint=${kpis.length > 1 ? null : 'No KPI is defined in this partnership yet.'}>
        <${Select} options=${kpis} ...${bindRow('triggers', i, 'kpiId')} />
      <//>
      <${Field} label=${`Trigger ${n}: value that fires it (optional)`} name=${`${at}.threshold`} hint="Empty: when the KPI turns off track.">
        <input type="number" step="any" ...${bindRow('triggers', i, 'threshold')} />
      <//>`;
  }
  if (t.kind === 'SLA_BREACHES') {
    return html`
      <${Field} label=${`Trigger ${n}: SLA breaches`} name=${`${at}.count`}><input type="number" min="1" inputmode="numeric" ...${bindRow('triggers', i, 'count')} /><//>
      <${Field} label=${`Trigger ${n}: within days`} name=${`${at}.windowDays`}><input type="number" min="1" inputmode="numeric" ...${bindRow('triggers', i, 'windowDays')} /><//>`;
  }
  if (t.kind === 'RISK_SCORE') {
    return html`
      <${Field} label=${`Trigger ${n}: risk`} name=${`${at}.riskId`} hint=${risks.length > 1 ? null : 'No risk is in the register yet.'}>
        <${Select} options=${risks} ...${bindRow('triggers', i, 'riskId')} />
      <//>
      <${Field} label=${`Trigger ${n}: residual score at or above (1 to 25)`} name=${`${at}.score`}>
        <input type="number" min="1" max="25" inputmode="numeric" ...${bindRow('triggers', i, 'score')} />
      <//>`;
  }
  return html`<p class="note">Activated by hand, by either side.</p>`;
}
