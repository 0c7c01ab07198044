// KPI forms: the definition fields (define and edit), reading numbers, and defining a KPI.

import {
  addMonthsIso, isIsoDay, mutate, ownParty, sideOptions, todayIso,
} from '../pages/common.js';
import { Field, Select } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html } from '../ui/html.js';
import { CREATE } from './api.js';

export const CADENCES = [
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'MONTHLY', label: 'Monthly' },
  { value: 'QUARTERLY', label: 'Quarterly' },
];
export const DIRECTIONS = [
  { value: 'HIGHER_IS_BETTER', label: 'Higher is better' },
  { value: 'LOWER_IS_BETTER', label: 'Lower is better' },
];
const VISIBILITIES = [
  { value: 'SHARED', label: 'Shared — both sides see it' },
  { value: 'INTERNAL', label: 'Internal — only your side sees it' },
];
const NUMBERS = ['baselineValue', 'targetValue', 'warningThreshold', 'criticalThreshold'];

/** "1,5" and "1.5" both read as 1.5; anything else is NaN. */
export function readNumber(value) {
  const text = String(value).trim().replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number.NaN;
  return Number(text);
}

/** A text input for a number (a decimal keyboard on phones; "1,5" is read too). */
export function NumberInput(attrs) {
  return html`<input type="text" inputmode="decimal" autocomplete="off" ...${attrs} />`;
}

const text = (value) => (value === null || value === undefined ? '' : String(value));

/** The controls' starting values: a KPI's definition, or a new one's defaults. */
export function definitionValues(partnership, kpi = null) {
  const today = todayIso();
  return {
    name: kpi?.name ?? '',
    unit: kpi?.unit ?? '',
    direction: kpi?.direction ?? 'HIGHER_IS_BETTER',
    cadence: kpi?.cadence ?? 'MONTHLY',
    baselineValue: text(kpi?.baselineValue),
    baselineDate: kpi?.baselineDate ?? today,
    targetValue: text(kpi?.targetValue),
    targetDate: kpi?.targetDate ?? addMonthsIso(today, 6),
    warningThreshold: text(kpi?.warningThreshold),
    criticalThreshold: text(kpi?.criticalThreshold),
    ownerPartyId: kpi?.ownerParty.id ?? ownParty(partnership)?.id,
    visibility: kpi?.visibility ?? 'SHARED',
  };
}

/** The definition as the API takes it, and what is wrong with it ({field, message} each). */
export function readDefinition(controls, partnership, { editing = false } = {}) {
  const values = {
    ...controls,
    name: controls.name.trim(),
    unit: controls.unit.trim(),
    ...Object.fromEntries(NUMBERS.map((key) => [key, readNumber(controls[key])])),
  };
  const problems = [];
  if (!values.name) problems.push({ field: 'name', message: 'Give the KPI a name.' });
  for (const key of NUMBERS) {
    if (!Number.isFinite(values[key])) problems.push({ field: key, message: 'Enter a number.' });
  }
  for (const key of ['baselineDate', 'targetDate']) {
    if (!isIsoDay(values[key])) problems.push({ field: key, message: 'Choose a date.' });
  }
  if (isIsoDay(values.baselineDate) && isIsoDay(values.targetDate) && values.targetDate < values.baselineDate) {
    problems.push({ field: 'targetDate', message: 'The target date comes after the baseline date.' });
  }
  if (Number.isFinite(values.warningThreshold) && Number.isFinite(values.criticalThreshold)) {
    const higher = values.direction === 'HIGHER_IS_BETTER';
    if (higher ? values.criticalThreshold > values.warningThreshold : values.criticalThreshold < values.warningThreshold) {
      problems.push({ field: 'criticalThreshold', message: higher
        ? 'When higher is better, the critical threshold is at or below the warning threshold.'
        : 'When lower is better, the critical threshold is at or above the warning threshold.' });
    }
  }
  if (!editing && values.visibility === 'INTERNAL' && values.ownerPartyId !== ownParty(partnership)?.id) {
    problems.push({ field: 'visibility', message: 'An internal KPI belongs to your side: choose your side as owner.' });
  }
  return { values, problems };
}

/**
 * The fields of a definition; bind(name) wires a control to the form's values (ui/form.js).
 * Editing, the direction is fixed and the owner and visibility are not shown.
 */
export function DefinitionFields({ partnership, bind, editing = false }) {
  return html`
    <${Field} label="Name" name="name" hint="e.g. “On-time delivery” or “Mean response time”.">
      <input type="text" maxlength="120" autocomplete="off" ...${bind('name')} />
    <//>
    <div class="form-row">
      <${Field} label="Unit" name="unit" hint="Optional.">
        <input type="text" maxlength="20" autocomplete="off" placeholder="%, h, /10…" ...${bind('unit')} />
      <//>
      <${Field} label="Direction" name="direction"><${Select} options=${DIRECTIONS} disabled=${editing} ...${bind('direction')} /><//>
      <${Field} label="Cadence" name="cadence" hint="How often it is measured."><${Select} options=${CADENCES} ...${bind('cadence')} /><//>
    </div>
    <div class="form-row">
      <${Field} label="Baseline value" name="baselineValue" hint="Where it stood when the recovery began."><${NumberInput} ...${bind('baselineValue')} /><//>
      <${Field} label="Baseline date" name="baselineDate"><input type="date" ...${bind('baselineDate')} /><//>
    </div>
    <div class="form-row">
      <${Field} label="Target value" name="targetValue" hint="Where both sides agreed it should get to."><${NumberInput} ...${bind('targetValue')} /><//>
      <${Field} label="Target date" name="targetDate"><input type="date" ...${bind('targetDate')} /><//>
    </div>
    <div class="form-row">
      <${Field} label="Warning threshold" name="warningThreshold" hint="Past it, the KPI is at risk."><${NumberInput} ...${bind('warningThreshold')} /><//>
      <${Field} label="Critical threshold" name="criticalThreshold" hint="Past it, the KPI is off track."><${NumberInput} ...${bind('criticalThreshold')} /><//>
    </div>
    ${editing ? null : html`<div class="form-row">
      <${Field} label="Owner side" name="ownerPartyId" hint="The side that reports the measurements.">
        <${Select} options=${sideOptions(partnership)} ...${bind('ownerPartyId')} />
      <//>
      <${Field} label="Visibility" name="visibility"><${Select} options=${VISIBILITIES} ...${bind('visibility')} /><//>
    </div>`}`;
}

/** The define-a-KPI form; onCreated(kpi) runs once the KPI exists. */
export function DefineKpiForm({ partnership, ctx, onCreated }) {
  const form = useForm();
  const { values, bind, setAll } = useValues(() => definitionValues(partnership));

  function submit() {
    const { values: input, problems } = readDefinition(values, partnership);
    if (problems.length) {
      form.fail(problems);
      return;
    }
    form.run(async () => {
      const { payload, errors } = await mutate(CREATE, {
        input: { partnershipId: partnership.id, ...input },
      }, 'createKpi');
      if (errors.length) return errors;
      if (!ctx.isCurrent()) return undefined;
      setAll((v) => ({ ...v, name: '', unit: '', ...Object.fromEntries(NUMBERS.map((key) => [key, ''])) }));
      await onCreated(payload.kpi);
      return undefined;
    });
  }

  return html`<${Form} form=${form} id="define-kpi" level=${3} heading="Define a KPI" headingId="define-kpi-heading"
    onSubmit=${submit}>
    <${DefinitionFields} partnership=${partnership} bind=${bind} />
    <div><${SubmitButton}>Define KPI<//></div>
  <//>`;
}
