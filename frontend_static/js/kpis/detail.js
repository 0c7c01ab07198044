// One KPI: evidence summary, chart, measurements, and the forms of its owner side.

import {
  busy, clear, clearFieldErrors, emptyState, field, h, hideMessage, loading, messageBox, newId,
  showMessage, showUserErrors,
} from '../dom.js';
import { byOtherSide, onLiveChange } from '../live.js';
import { gql } from '../api.js';
import { timeSeriesChart } from '../chart.js';
import {
  formatDay, formatNumber, isIsoDay, keepingFocus, liveNotice, mutate, partnerName, sideChip,
  statusBadge, statusName, todayIso, withUnit,
} from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { sectionError } from '../pages/section.js';
import { progressBar } from '../pages/overview.js';
import { BUILTIN_QUERY, KPI_QUERY, RECORD, UPDATE } from './api.js';
import { element, html } from '../ui/html.js';
import { Facts } from '../ui/facts.js';
import { Table } from '../ui/table.js';
import { Moment } from '../ui/time.js';
import { axisPeriod, canReport, periodName, progressOf, trendText } from './model.js';
import { CADENCES, definitionFields, numberInput, readNumber } from './forms.js';

export function renderKpi(content, args, kpiId) {
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
      element(html`<${Facts} items=${[
        ['Owner side', sideChip(kpi.ownerParty)],
        ['Direction', kpi.direction === 'HIGHER_IS_BETTER' ? 'Higher is better' : 'Lower is better'],
        ['Cadence', CADENCES.find((c) => c.value === kpi.cadence)?.label ?? kpi.cadence],
        ['Warning threshold', fmt(kpi.warningThreshold)],
        ['Critical threshold', fmt(kpi.criticalThreshold)]]} />`));
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
        : element(html`<${Table} className="measurements-table" labelledBy="measurements-heading"
            columns=${measurementColumns(kpi, fmt)} rows=${rows} rowKey=${(m) => m.period} />`)));
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

const SOURCES = { MANUAL: 'By hand', API: 'API', COMPUTED: 'Computed' };

/** The columns of a KPI's measurements: a corrected value shows what it replaced. */
function measurementColumns(kpi, fmt) {
  return [
    { label: 'Period', cell: (m) => periodName(m.period, kpi.cadence) },
    {
      label: 'Value',
      cell: (m) => html`<strong>${fmt(m.value)}</strong>${m.revisions.length
        ? html`<div class="muted small">Corrected from ${m.revisions.map((r, i) => html`${i ? ', ' : ''}<del>${fmt(r.value)}</del>`)}</div>`
        : null}`,
    },
    { label: 'Source', cell: (m) => SOURCES[m.source] ?? m.source },
    {
      label: 'Reported',
      cell: (m) => html`${m.reportedBy ? m.reportedBy.displayName : '—'}${m.recordedAt
        ? html`<div class="muted small"><${Moment} iso=${m.recordedAt} /></div>` : null}`,
    },
    { label: 'Note', cell: (m) => m.note || html`<span class="muted">—</span>` },
  ];
}
