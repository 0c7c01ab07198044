// KPIs: the evidence chain baseline → latest → target. A list with status and progress, a
// detail with the time-series chart, the evidence summary and the measurements, a form to
// record a measurement (owner side) and one to define a KPI.

import { gql } from '../api.js';
import {
  busy, clear, clearFieldErrors, emptyState, field, h, hideMessage, loading, messageBox, newId,
  showMessage, showUserErrors,
} from '../dom.js';
import { timeEl } from '../format.js';
import { sparkline, timeSeriesChart } from '../chart.js';
import { byOtherSide, onLiveChange } from '../live.js';
import {
  addMonthsIso, canEdit, formatDay, formatMonth, formatNumber, formatShortDay, isIsoDay,
  keepingFocus, liveNotice, mutate, ownParty, PARTY_FIELDS, partnerName, select, sideChip,
  sideOptions, statusBadge, statusName, todayIso, withUnit,
} from './common.js';
import { progressBar } from './overview.js';
import { partnershipHref } from './partnerships.js';
import { sectionError } from './section.js';

const DEFINITION_FIELDS = `id name unit direction cadence status builtin visibility version
  baselineValue baselineDate targetValue targetDate warningThreshold criticalThreshold
  ownerParty { ${PARTY_FIELDS} }`;

const LIST_QUERY = `query PortalKpis($id: ID!) {
  partnership(id: $id) {
    id
    kpis {
      ${DEFINITION_FIELDS}
      evidence(trend: 12) { latestValue latestPeriod progressPercent trend { period value } }
    }
  }
}`;

const MEASUREMENT_FIELDS = `period value source note recordedAt reportedBy { displayName }
  revisions { value note source replacedAt }`;

const KPI_FIELDS = `${DEFINITION_FIELDS}
  measurements(last: 104) { ${MEASUREMENT_FIELDS} }
  evidence(trend: 6) { baselineValue baselineDate latestValue latestPeriod targetValue targetDate progressPercent trend { period value } }`;

const KPI_QUERY = `query PortalKpi($id: ID!) { node(id: $id) { id ... on Kpi { ${KPI_FIELDS} } } }`;

// Built-in KPIs are computed, not stored: they are read from the partnership's list.
const BUILTIN_QUERY = `query PortalBuiltinKpis($id: ID!) {
  partnership(id: $id) { id kpis { ${DEFINITION_FIELDS} measurements(last: 24) { ${MEASUREMENT_FIELDS} }
    evidence(trend: 6) { baselineValue baselineDate latestValue latestPeriod targetValue targetDate progressPercent trend { period value } } } }
}`;

const KPI_ERRORS = `userErrors { field code message current { ${DEFINITION_FIELDS} } }`;

const CREATE = `mutation PortalCreateKpi($input: CreateKpiInput!) {
  createKpi(input: $input) { kpi { id name } ${KPI_ERRORS} }
}`;

const UPDATE = `mutation PortalUpdateKpi($input: UpdateKpiInput!) {
  updateKpi(input: $input) { kpi { id version } ${KPI_ERRORS} }
}`;

const RECORD = `mutation PortalRecordMeasurement($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) {
    created corrected unchanged
    measurements { period value }
    userErrors { field code message }
  }
}`;

const CADENCES = [
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'MONTHLY', label: 'Monthly' },
  { value: 'QUARTERLY', label: 'Quarterly' },
];
const DIRECTIONS = [
  { value: 'HIGHER_IS_BETTER', label: 'Higher is better' },
  { value: 'LOWER_IS_BETTER', label: 'Lower is better' },
];

const RELEVANT = new Set(['Kpi', 'KpiMeasurement', 'Commitment']);

export function kpiHref(partnershipId, kpiId) {
  return `${partnershipHref(partnershipId, 'kpis')}/${encodeURIComponent(kpiId)}`;
}

function periodName(iso, cadence) {
  if (cadence === 'WEEKLY') return `Week of ${formatShortDay(iso)}`;
  if (cadence === 'QUARTERLY') {
    const month = Number(iso.slice(5, 7));
    return `Q${Math.floor((month - 1) / 3) + 1} ${iso.slice(0, 4)}`;
  }
  return formatMonth(iso);
}

function axisPeriod(iso, cadence) {
  return cadence === 'WEEKLY' ? formatShortDay(iso) : periodName(iso, cadence);
}

/** The API leaves progress out when there is none to report (no value, or a baseline already on target). */
function progressOf(evidence) {
  return evidence.progressPercent ?? null;
}

function progressText(progress) {
  if (progress >= 100) return 'Target reached';
  if (progress < 0) return `${formatNumber(Math.abs(progress))}% behind the baseline`;
  return `${formatNumber(progress)}% of the way`;
}

/** Owner-side leads and editors report measurements and edit the definition. */
function canReport(partnership, kpi) {
  return canEdit(partnership) && kpi.ownerParty.isOwn && !kpi.builtin;
}

/** "up 3.2 over the last 6 measurements — improving" */
function trendText(kpi, trend) {
  if (trend.length < 2) return 'Not enough measurements for a trend yet.';
  const first = trend[0].value;
  const last = trend[trend.length - 1].value;
  const change = last - first;
  if (Math.abs(change) < 1e-9) return `Flat over the last ${trend.length} measurements.`;
  const better = (change > 0) === (kpi.direction === 'HIGHER_IS_BETTER');
  return `${change > 0 ? 'Up' : 'Down'} ${withUnit(Math.abs(change), kpi.unit)} over the last ${trend.length} measurements — ${better ? 'improving' : 'worsening'}.`;
}

export function renderKpis(content, args) {
  if (args.itemId) {
    renderKpi(content, args, args.itemId);
    return;
  }
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);
  content.append(h('p', { class: 'lede' },
    'Promises turned into numbers: each KPI has a baseline, a target and thresholds, and its measurements show whether the recovery is on track.'));
  const notice = liveNotice();
  const status = messageBox('success');
  const defineButton = editable
    ? h('button', { type: 'button', class: 'button button-primary', 'aria-expanded': 'false', 'aria-controls': 'define-kpi' }, 'Define a KPI')
    : null;
  const formSlot = h('div', { hidden: true });
  const listHeading = h('h3', { class: 'sr-only', id: 'kpi-list-heading' }, 'KPIs');
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading KPIs…'));
  content.append(notice.el, defineButton ? h('div', { class: 'toolbar' }, defineButton) : null, formSlot, status,
    h('section', { 'aria-labelledby': listHeading.id }, listHeading, body));

  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(LIST_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      await keepingFocus(body, async () => render(data.partnership.kpis));
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function render(kpis) {
    if (kpis.length === 0) {
      clear(body, emptyState('No KPIs yet', editable ? 'Define the first one with “Define a KPI”.' : 'KPIs appear here once a Lead or an Editor defines one.'));
      return;
    }
    clear(body, h('ul', { class: 'kpi-grid', 'aria-labelledby': listHeading.id }, kpis.map(card)));
  }

  function card(kpi) {
    const ev = kpi.evidence;
    const progress = progressOf(ev);
    return h('li', { class: `kpi-card kpi-${kpi.status.toLowerCase()}` },
      h('div', { class: 'kpi-card-head' },
        h('h4', { class: 'kpi-name' }, h('a', { href: kpiHref(partnership.id, kpi.id), 'data-key': `kpi-${kpi.id}` }, kpi.name)),
        statusBadge(kpi.status, 'kpi')),
      h('p', { class: 'kpi-tags' }, sideChip(kpi.ownerParty),
        kpi.builtin ? h('span', { class: 'tag tag-builtin', title: 'Computed from the commitments, not typed in' }, 'Built-in') : null,
        kpi.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal' }, 'Internal') : null,
        h('span', { class: 'muted small' }, `${CADENCES.find((c) => c.value === kpi.cadence)?.label ?? kpi.cadence} · ${kpi.direction === 'HIGHER_IS_BETTER' ? 'higher is better' : 'lower is better'}`)),
      h('div', { class: 'kpi-figures' },
        h('p', { class: 'kpi-latest' },
          h('span', { class: 'kpi-value' }, withUnit(ev.latestValue, kpi.unit)),
          h('span', { class: 'muted' }, ev.latestPeriod ? periodName(ev.latestPeriod, kpi.cadence) : 'No measurement yet')),
        sparkline(ev.trend.map((m) => m.value))),
      h('p', { class: 'kpi-chain small' }, `Baseline ${withUnit(kpi.baselineValue, kpi.unit)} → target ${withUnit(kpi.targetValue, kpi.unit)} by ${formatDay(kpi.targetDate)}`),
      progress === null
        ? h('p', { class: 'muted small' }, ev.latestPeriod ? 'No progress figure: the target is not beyond the baseline.' : 'Progress appears with the first measurement.')
        : h('div', { class: 'kpi-progress' },
          progressBar(progress, `${kpi.name}: ${progressText(progress)} from baseline to target`),
          h('span', { class: 'small' }, progressText(progress))));
  }

  if (defineButton) {
    const form = defineForm(partnership, ctx, async (created) => {
      await load();
      showMessage(status, 'success', `KPI “${created.name}” defined. Record its first measurement on its page.`);
      body.querySelector(`[data-key="kpi-${CSS.escape(created.id)}"]`)?.focus();
      formSlot.hidden = true;
      defineButton.setAttribute('aria-expanded', 'false');
    });
    formSlot.append(form);
    defineButton.addEventListener('click', () => {
      const opening = formSlot.hidden;
      formSlot.hidden = !opening;
      defineButton.setAttribute('aria-expanded', String(opening));
      if (opening) form.querySelector('input')?.focus();
    });
  }

  onLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed the KPIs; they are up to date.`);
  });
  load();
}

/** A table cell with one wrapper, so that the narrow-screen layout (label | value) holds. */
function cell(label, ...children) {
  return h('td', { 'data-label': label }, h('div', {}, children));
}

function numberInput(value = '') {
  return h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', value: value === null ? '' : String(value) });
}

/** "1,5" and "1.5" both read as 1.5; anything else is NaN. */
function readNumber(input) {
  const text = input.value.trim().replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number.NaN;
  return Number(text);
}

function definitionFields(partnership, kpi = null) {
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

function defineForm(partnership, ctx, onCreated) {
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

// ---------------------------------------------------------------------------------------------
// One KPI: evidence summary, chart, measurements, and the forms of its owner side.

function renderKpi(content, args, kpiId) {
  const { partnership, ctx, live } = args;
  const back = h('p', { class: 'back-link' }, h('a', { href: partnershipHref(partnership.id, 'kpis') }, '← Back to the KPIs'));
  const notice = liveNotice();
  const head = h('div', { 'aria-busy': 'true' }, loading('Loading the KPI…'));
  const formsSlot = h('div');
  const tail = h('div');
  content.append(back, notice.el, head, formsSlot, tail);
  let forms = null;
  let chart = null;
  let builtin = false;

  async function fetchKpi() {
    try {
      const data = await gql(KPI_QUERY, { id: kpiId });
      if (data.node && data.node.name) return data.node;
    } catch (error) {
      if (error.code !== 'NOT_FOUND') throw error;
    }
    const data = await gql(BUILTIN_QUERY, { id: partnership.id });
    return data.partnership.kpis.find((k) => k.id === kpiId) ?? null;
  }

  async function load() {
    head.setAttribute('aria-busy', 'true');
    try {
      const kpi = await fetchKpi();
      if (!ctx.isCurrent()) return;
      if (!kpi) {
        clear(head, emptyState('KPI not found', 'It may not exist, or it is the other side’s internal KPI.',
          h('a', { class: 'button', href: partnershipHref(partnership.id, 'kpis') }, 'Back to the KPIs')));
        formsSlot.replaceChildren();
        tail.replaceChildren();
        return;
      }
      builtin = kpi.builtin;
      ctx.setTitle(`${kpi.name} · KPIs · ${partnership.name}`);
      await keepingFocus(content, async () => render(kpi));
    } catch (error) {
      sectionError(head, error, args, load);
    } finally {
      head.setAttribute('aria-busy', 'false');
    }
  }

  function fact(label, value) {
    return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
  }

  function render(kpi) {
    const fmt = (v) => withUnit(v, kpi.unit);
    const ev = kpi.evidence;
    const chartBox = h('div', { class: 'chart-box' });
    clear(head,
      h('div', { class: 'detail-head' },
        h('h3', { class: 'detail-title', id: 'kpi-heading' }, kpi.name),
        h('span', { class: 'kpi-status', 'data-key': 'kpi-status' }, statusBadge(kpi.status, 'kpi')),
        kpi.builtin ? h('span', { class: 'tag tag-builtin' }, 'Built-in: computed from commitments') : null,
        kpi.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal' }, 'Internal') : null),
      h('section', { class: 'evidence-summary card', 'aria-labelledby': 'evidence-summary-heading' },
        h('h4', { id: 'evidence-summary-heading' }, 'Evidence'),
        h('ol', { class: 'evidence-chain' },
          h('li', {}, h('span', { class: 'chain-label' }, 'Baseline'), h('span', { class: 'chain-value' }, fmt(ev.baselineValue)), h('span', { class: 'chain-when' }, formatDay(ev.baselineDate))),
          h('li', {}, h('span', { class: 'chain-label' }, 'Latest'), h('span', { class: 'chain-value', 'data-key': 'kpi-latest' }, fmt(ev.latestValue)),
            h('span', { class: 'chain-when' }, ev.latestPeriod ? periodName(ev.latestPeriod, kpi.cadence) : 'no measurement yet')),
          h('li', {}, h('span', { class: 'chain-label' }, 'Target'), h('span', { class: 'chain-value' }, fmt(ev.targetValue)), h('span', { class: 'chain-when' }, `by ${formatDay(ev.targetDate)}`))),
        progressOf(ev) === null
          ? h('p', { class: 'muted' }, ev.latestPeriod
            ? 'No progress figure: the target is not beyond the baseline in the KPI’s direction.'
            : 'Progress appears with the first measurement.')
          : h('div', { class: 'kpi-progress' },
            progressBar(progressOf(ev), 'Progress from baseline to target'),
            h('span', { class: 'progress-text' }, h('strong', {}, `${formatNumber(progressOf(ev))}%`), ' of the way from baseline to target')),
        h('p', { class: 'trend' }, trendText(kpi, ev.trend))),
      h('figure', { class: 'chart-figure' }, chartBox,
        h('figcaption', { class: 'chart-legend' },
          legend('series', 'Measurements'), legend('target', 'Target'), legend('warning', 'Warning'),
          legend('critical', 'Critical'), legend('baseline', 'Baseline'))),
      h('dl', { class: 'facts' },
        fact('Owner side', sideChip(kpi.ownerParty)),
        fact('Direction', kpi.direction === 'HIGHER_IS_BETTER' ? 'Higher is better' : 'Lower is better'),
        fact('Cadence', CADENCES.find((c) => c.value === kpi.cadence)?.label ?? kpi.cadence),
        fact('Warning threshold', fmt(kpi.warningThreshold)),
        fact('Critical threshold', fmt(kpi.criticalThreshold))));
    const points = kpi.measurements.map((m) => ({ period: m.period, value: m.value }));
    chart?.disconnect();
    chart = timeSeriesChart(chartBox, {
      points,
      baseline: kpi.baselineValue,
      target: kpi.targetValue,
      warning: kpi.warningThreshold,
      critical: kpi.criticalThreshold,
      direction: kpi.direction,
      formatValue: fmt,
      formatPeriod: (iso) => axisPeriod(iso, kpi.cadence),
      title: `${kpi.name}: measurements against baseline, target and thresholds`,
      description: points.length
        ? `${points.length} measurements from ${periodName(points[0].period, kpi.cadence)} to ${periodName(points[points.length - 1].period, kpi.cadence)}; latest ${fmt(points[points.length - 1].value)}. Baseline ${fmt(kpi.baselineValue)}, target ${fmt(kpi.targetValue)}, warning ${fmt(kpi.warningThreshold)}, critical ${fmt(kpi.criticalThreshold)}. Status ${statusName(kpi.status)}.`
        : 'No measurements yet.',
    });

    if (canReport(partnership, kpi)) {
      if (!forms) forms = ownerForms(kpi);
      else forms.update(kpi);
      if (!formsSlot.contains(forms.el)) clear(formsSlot, forms.el);
    } else {
      forms = null;
      clear(formsSlot, kpi.builtin
        ? h('p', { class: 'note' }, 'This KPI is computed from the commitments each month: delivered on time and confirmed, out of those due.')
        : h('p', { class: 'note' }, kpi.ownerParty.isOwn
          ? 'Leads and Editors of your side record measurements for this KPI.'
          : `${kpi.ownerParty.organization.name} reports the measurements of this KPI.`));
    }

    const rows = [...kpi.measurements].reverse();
    clear(tail, h('section', { class: 'block', 'aria-labelledby': 'measurements-heading' },
      h('h4', { id: 'measurements-heading' }, `Measurements (${rows.length})`),
      rows.length === 0
        ? emptyState('No measurements yet', canReport(partnership, kpi) ? 'Record the first one with the form above.' : null)
        : h('div', { class: 'table-wrap' }, h('table', { class: 'table measurements-table', 'aria-labelledby': 'measurements-heading' },
          h('thead', {}, h('tr', {}, ['Period', 'Value', 'Source', 'Reported', 'Note'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, rows.map((m) => h('tr', {},
            cell('Period', periodName(m.period, kpi.cadence)),
            cell('Value', h('strong', {}, fmt(m.value)),
              m.revisions.length ? h('div', { class: 'muted small' }, 'Corrected from ',
                m.revisions.map((r, i) => [i ? ', ' : '', h('del', {}, fmt(r.value))])) : null),
            cell('Source', { MANUAL: 'By hand', API: 'API', COMPUTED: 'Computed' }[m.source] ?? m.source),
            cell('Reported', m.reportedBy ? m.reportedBy.displayName : '—',
              m.recordedAt ? h('div', { class: 'muted small' }, timeEl(m.recordedAt)) : null),
            cell('Note', m.note || h('span', { class: 'muted' }, '—')))))))));
  }

  function legend(key, label) {
    return h('span', { class: `legend legend-${key}` }, h('span', { class: 'legend-swatch', 'aria-hidden': 'true' }), label);
  }

  /** The record form and the definition form of the owner side. */
  function ownerForms(kpi) {
    let current = kpi;
    const period = h('input', { type: 'date', value: todayIso() });
    const value = numberInput();
    const note = h('input', { type: 'text', maxlength: '2000', autocomplete: 'off' });
    const errors = messageBox('error');
    const done = messageBox('success');
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Record measurement');
    const unitHint = () => (current.unit ? `In ${current.unit}.` : null);
    const valueField = field({ label: 'Value', control: value, name: 'value', hint: unitHint() });
    const record = h('form', { class: 'form card record-form', novalidate: true, 'aria-labelledby': 'record-heading' },
      h('h4', { id: 'record-heading' }, 'Record a measurement'),
      errors, done,
      h('div', { class: 'form-row' },
        field({ label: 'Period', control: period, name: 'period', hint: 'Any day of the period; a period already reported is corrected, and the old value kept.' }),
        valueField,
        field({ label: 'Note (optional)', control: note, name: 'note' })),
      h('div', {}, submit));

    record.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFieldErrors(record);
      hideMessage(errors);
      hideMessage(done);
      const number = readNumber(value);
      const problems = [];
      if (!isIsoDay(period.value)) problems.push({ field: 'period', message: 'Choose the period.' });
      else if (period.value > todayIso()) problems.push({ field: 'period', message: 'The period has not started yet.' });
      if (!Number.isFinite(number)) problems.push({ field: 'value', message: 'Enter a number.' });
      if (problems.length) {
        showUserErrors(record, errors, problems);
        record.querySelector('[aria-invalid="true"]')?.focus();
        return;
      }
      let result = null;
      await busy(submit, 'Recording…', async () => {
        try {
          const data = await gql(RECORD, {
            input: { partnershipId: partnership.id, measurements: [{ kpiId: current.id, period: period.value, value: number, note: note.value.trim() }] },
          });
          const payload = data.recordKpiMeasurements;
          if (payload.userErrors.length) {
            // Batch errors name the row's column: "measurements[0].value" → the value field.
            showUserErrors(record, errors, payload.userErrors.map((e) => ({ ...e, field: e.field?.split('.').pop() ?? null })));
            record.querySelector('[aria-invalid="true"]')?.focus();
            return;
          }
          result = payload;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
        }
      });
      if (!result || !ctx.isCurrent()) return;
      await load();
      const recorded = result.measurements[0];
      const when = recorded ? periodName(recorded.period, current.cadence) : 'this period';
      showMessage(done, 'success', result.corrected
        ? `Corrected ${when} to ${withUnit(number, current.unit)}; the earlier value stays in the history.`
        : result.created
          ? `Recorded ${withUnit(number, current.unit)} for ${when}.`
          : `${when} already has this value; nothing changed.`);
      value.value = '';
      note.value = '';
      value.focus();
    });

    const edit = editDefinition();
    const el = h('div', { class: 'owner-forms' }, record, edit.el);

    function editDefinition() {
      const toggle = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false' }, 'Edit definition');
      const slot = h('div', { hidden: true });
      let form = null;
      toggle.addEventListener('click', () => {
        const opening = slot.hidden;
        slot.hidden = !opening;
        toggle.setAttribute('aria-expanded', String(opening));
        if (opening) {
          form = definitionForm(current);
          clear(slot, form);
          form.querySelector('input')?.focus();
        }
      });
      return { el: h('div', { class: 'edit-definition' }, toggle, slot) };
    }

    function definitionForm(base) {
      const { rows, read } = definitionFields(partnership, base);
      const formErrors = messageBox('error');
      const conflictSlot = h('div');
      const save = h('button', { type: 'submit', class: 'button button-primary' }, 'Save definition');
      const form = h('form', { class: 'form card', novalidate: true, 'aria-labelledby': 'edit-kpi-heading' },
        h('h4', { id: 'edit-kpi-heading' }, 'Edit the definition'), formErrors, conflictSlot, rows, h('div', {}, save));
      let version = base.version;
      async function send() {
        clearFieldErrors(form);
        hideMessage(formErrors);
        const { values, problems } = read();
        if (problems.length) {
          showUserErrors(form, formErrors, problems);
          form.querySelector('[aria-invalid="true"]')?.focus();
          return;
        }
        const { direction: _direction, ownerPartyId: _owner, visibility: _visibility, ...changes } = values;
        let saved = false;
        await busy(save, 'Saving…', async () => {
          try {
            const { errors: userErrors } = await mutate(UPDATE, { input: { kpiId: base.id, expectedVersion: version, ...changes } }, 'updateKpi');
            const conflict = userErrors.find((e) => e.code === 'CONFLICT' && e.current);
            if (conflict) {
              const theirs = conflict.current;
              const labels = { name: 'Name', unit: 'Unit', baselineValue: 'Baseline value', baselineDate: 'Baseline date', targetValue: 'Target value', targetDate: 'Target date', warningThreshold: 'Warning threshold', criticalThreshold: 'Critical threshold', cadence: 'Cadence' };
              const differing = Object.keys(labels).filter((k) => String(theirs[k]) !== String(changes[k]));
              const again = h('button', { type: 'button', class: 'button button-primary' }, 'Apply my changes again');
              const tableId = newId('kpi-conflict');
              again.addEventListener('click', () => {
                version = theirs.version;
                conflictSlot.replaceChildren();
                send();
              });
              clear(conflictSlot, h('div', { class: 'message message-warning conflict', role: 'alert' },
                h('p', { class: 'state-title', id: tableId }, 'Someone else saved this definition after you opened it.'),
                h('table', { class: 'table conflict-table', 'aria-labelledby': tableId },
                  h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Yours'), h('th', { scope: 'col' }, 'Saved now'))),
                  h('tbody', {}, differing.map((k) => h('tr', {}, h('th', { scope: 'row' }, labels[k]),
                    h('td', { 'data-label': 'Yours' }, String(changes[k])), h('td', { 'data-label': 'Saved now' }, String(theirs[k])))))),
                h('div', { class: 'button-row' }, again)));
              again.focus();
              return;
            }
            if (userErrors.length) {
              showUserErrors(form, formErrors, userErrors);
              form.querySelector('[aria-invalid="true"]')?.focus();
              return;
            }
            saved = true;
          } catch (error) {
            if (error.code !== 'UNAUTHENTICATED') showMessage(formErrors, 'error', error.message);
          }
        });
        if (!saved || !ctx.isCurrent()) return;
        const toggle = edit.el.querySelector('button');
        edit.el.querySelector('div').hidden = true;
        toggle.setAttribute('aria-expanded', 'false');
        await load();
        showMessage(done, 'success', 'The definition was saved.');
        toggle.focus();
      }
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        send();
      });
      return form;
    }

    return {
      el,
      update(next) {
        current = next;
        const hint = valueField.querySelector('.hint');
        if (hint) hint.textContent = unitHint() ?? '';
      },
    };
  }

  // This KPI's own changes (a measurement's event names its KPI); commitments move a built-in one.
  const concernsThisKpi = (e) => e.subjectId === kpiId || (builtin && e.objectType === 'Commitment');
  onLiveChange(live, ctx, concernsThisKpi, async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just made a change; this KPI is up to date.`);
  });
  load();
}
