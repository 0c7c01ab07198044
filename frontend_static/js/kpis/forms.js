// KPI forms: the definition fields (define and edit) and number inputs.

import {
  busy, clearFieldErrors, field, h, hideMessage, messageBox, showMessage, showUserErrors,
} from '../dom.js';
import {
  addMonthsIso, isIsoDay, mutate, ownParty, select, sideOptions, todayIso,
} from '../pages/common.js';
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
export function numberInput(value = '') {
  return h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', value: value === null ? '' : String(value) });
}

/** "1,5" and "1.5" both read as 1.5; anything else is NaN. */
export function readNumber(input) {
  const text = input.value.trim().replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number.NaN;
  return Number(text);
}

export function definitionFields(partnership, kpi = null) {
  const today = todayIso();
  const controls = {
    name: h('input', { type: 'text', maxlength: '120', autocomplete: 'off', value: kpi?.name ?? '' }),
    unit: h('input', { type: 'text', maxlength: '20', autocomplete: 'off', value: kpi?.unit ?? '', placeholder: '%, h, /10…' }),
    direction: select({}, DIRECTIONS, kpi?.direction ?? 'HIGHER_IS_BETTER'),
    cadence: select({}, CADENCES, kpi?.cadence ?? 'MONTHLY'),
    baselineValue: numberInput(kpi?.baselineValue ?? ''),
    baselineDate: h('input', { type: 'date', value: kpi?.baselineDate ?? today }),
    targetValue: numberInput(kpi?.targetValue ?? ''),
    targetDate: h('input', { type: 'date', value: kpi?.targetDate ?? addMonthsIso(today, 6) }),
    warningThreshold: numberInput(kpi?.warningThreshold ?? ''),
    criticalThreshold: numberInput(kpi?.criticalThreshold ?? ''),
    ownerPartyId: select({}, sideOptions(partnership), kpi?.ownerParty.id ?? ownParty(partnership)?.id),
    visibility: select({}, [
      { value: 'SHARED', label: 'Shared — both sides see it' },
      { value: 'INTERNAL', label: 'Internal — only your side sees it' },
    ], kpi?.visibility ?? 'SHARED'),
  };
  if (kpi) {
    controls.direction.disabled = true;
  }
  const rows = [
    field({ label: 'Name', control: controls.name, name: 'name', hint: 'e.g. “On-time delivery” or “Mean response time”.' }),
    h('div', { class: 'form-row' },
      field({ label: 'Unit', control: controls.unit, name: 'unit', hint: 'Optional.' }),
      field({ label: 'Direction', control: controls.direction, name: 'direction' }),
      field({ label: 'Cadence', control: controls.cadence, name: 'cadence', hint: 'How often it is measured.' })),
    h('div', { class: 'form-row' },
      field({ label: 'Baseline value', control: controls.baselineValue, name: 'baselineValue', hint: 'Where it stood when the recovery began.' }),
      field({ label: 'Baseline date', control: controls.baselineDate, name: 'baselineDate' })),
    h('div', { class: 'form-row' },
      field({ label: 'Target value', control: controls.targetValue, name: 'targetValue', hint: 'Where both sides agreed it should get to.' }),
      field({ label: 'Target date', control: controls.targetDate, name: 'targetDate' })),
    h('div', { class: 'form-row' },
      field({ label: 'Warning threshold', control: controls.warningThreshold, name: 'warningThreshold', hint: 'Past it, the KPI is at risk.' }),
      field({ label: 'Critical threshold', control: controls.criticalThreshold, name: 'criticalThreshold', hint: 'Past it, the KPI is off track.' })),
    kpi ? null : h('div', { class: 'form-row' },
      field({ label: 'Owner side', control: controls.ownerPartyId, name: 'ownerPartyId', hint: 'The side that reports the measurements.' }),
      field({ label: 'Visibility', control: controls.visibility, name: 'visibility' })),
  ];
  function read() {
    const values = {
      name: controls.name.value.trim(),
      unit: controls.unit.value.trim(),
      direction: controls.direction.value,
      cadence: controls.cadence.value,
      baselineValue: readNumber(controls.baselineValue),
      baselineDate: controls.baselineDate.value,
      targetValue: readNumber(controls.targetValue),
      targetDate: controls.targetDate.value,
      warningThreshold: readNumber(controls.warningThreshold),
      criticalThreshold: readNumber(controls.criticalThreshold),
      ownerPartyId: controls.ownerPartyId.value,
      visibility: controls.visibility.value,
    };
    const problems = [];
    if (!values.name) problems.push({ field: 'name', message: 'Give the KPI a name.' });
    for (const key of ['baselineValue', 'targetValue', 'warningThreshold', 'criticalThreshold']) {
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
    if (!kpi && values.visibility === 'INTERNAL' && values.ownerPartyId !== ownParty(partnership)?.id) {
      problems.push({ field: 'visibility', message: 'An internal KPI belongs to your side: choose your side as owner.' });
    }
    return { values, problems };
  }
  return { controls, rows, read };
}

export function defineForm(partnership, ctx, onCreated) {
  const { rows, read, controls } = definitionFields(partnership);
  const errors = messageBox('error');
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Define KPI');
  const form = h('form', { class: 'form card', id: 'define-kpi', novalidate: true, 'aria-labelledby': 'define-kpi-heading' },
    h('h3', { id: 'define-kpi-heading' }, 'Define a KPI'), errors, rows, h('div', {}, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    hideMessage(errors);
    const { values, problems } = read();
    if (problems.length) {
      showUserErrors(form, errors, problems);
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    let created = null;
    await busy(submit, 'Saving…', async () => {
      try {
        const { payload, errors: userErrors } = await mutate(CREATE, {
          input: { partnershipId: partnership.id, ...values },
        }, 'createKpi');
        if (userErrors.length) {
          showUserErrors(form, errors, userErrors);
          form.querySelector('[aria-invalid="true"]')?.focus();
          return;
        }
        created = payload.kpi;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
      }
    });
    if (!created || !ctx.isCurrent()) return;
    for (const key of ['name', 'unit', 'baselineValue', 'targetValue', 'warningThreshold', 'criticalThreshold']) controls[key].value = '';
    await onCreated(created);
  });
  return form;
}
