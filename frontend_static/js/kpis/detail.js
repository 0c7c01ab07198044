// One KPI: evidence summary, chart, measurements, and the forms of its owner side.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { timeSeriesChart } from '../chart.js';
import {
  formatDay, formatNumber, isIsoDay, mutate, partnerName, statusName, todayIso, withUnit,
} from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { InternalBadge, SideChip, StatusBadge } from '../ui/badges.js';
import { ReadOnlyNote } from '../ui/access.js';
import { Conflict } from '../ui/conflict.js';
import { Facts } from '../ui/facts.js';
import { Field } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import {
  html, useEffect, useLayoutEffect, useMemo, useRef, useState,
} from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, useLiveNotice } from '../ui/message.js';
import { ProgressBar } from '../ui/progress.js';
import { Drawing } from '../ui/slot.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Moment } from '../ui/time.js';
import { BUILTIN_QUERY, KPI_QUERY, RECORD, UPDATE } from './api.js';
import {
  CADENCES, DefinitionFields, definitionValues, readDefinition, readNumber,
} from './forms.js';
import {
  axisPeriod, canReport, periodName, progressOf, trendText,
} from './model.js';

/** The KPI, or null when there is none to show (built-in KPIs are read from the partnership's list). */
async function fetchKpi(kpiId, partnership) {
  try {
    const data = await gql(KPI_QUERY, { id: kpiId });
    if (data.node && data.node.name) return data.node;
  } catch (error) {
    if (error.code !== 'NOT_FOUND') throw error;
  }
  const data = await gql(BUILTIN_QUERY, { id: partnership.id });
  return data.partnership.kpis.find((k) => k.id === kpiId) ?? null;
}

export function KpiPage({ args, kpiId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchKpi(kpiId, partnership), args);
  const notice = useLiveNotice();
  const [root] = useFocus();
  // Bumped by each change of the other side: the forms' success messages go.
  const [partnerChanges, setPartnerChanges] = useState(0);
  const kpi = state.data;
  const builtin = useRef(false);
  builtin.current = Boolean(kpi?.builtin);

  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    if (kpi) ctx.setTitle(`${kpi.name} · KPIs · ${partnership.name}`);
  }, [kpi]);

  // This KPI's own changes (a measurement's event names its KPI); commitments move a built-in one.
  const concernsThisKpi = (e) => e.subjectId === kpiId || (builtin.current && e.objectType === 'Commitment');
  useLiveChange(live, ctx, concernsThisKpi, async (events) => {
    await load();
    if (byOtherSide(events)) {
      setPartnerChanges((n) => n + 1);
      notice.show(`${partnerName(partnership)} just made a change; this KPI is up to date.`);
    }
  });

  const back = partnershipHref(partnership.id, 'kpis');
  let head = null;
  let forms = null;
  let tail = null;
  if (state.error) head = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (kpi === undefined) head = html`<${Loading} text="Loading the KPI…" />`;
  else if (kpi === null) {
    head = html`<${Empty} title="KPI not found" text="It may not exist, or it is the other side’s internal KPI.">
      <a class="button" href=${back}>Back to the KPIs</a>
    <//>`;
  } else {
    head = html`<${KpiSummary} kpi=${kpi} />`;
    forms = canReport(partnership, kpi)
      ? html`<${OwnerForms} kpi=${kpi} partnership=${partnership} ctx=${ctx} reload=${load} partnerChanges=${partnerChanges} />`
      : html`<p class="note">${noteOf(kpi)}</p>
        ${kpi.ownerParty.isOwn && !kpi.builtin
          ? html`<${ReadOnlyNote} partnership=${partnership} doing="record measurements or edit the definition" />` : null}`;
    tail = html`<${Measurements} kpi=${kpi} canRecord=${canReport(partnership, kpi)} />`;
  }

  return html`<div ref=${root}>
    <p class="back-link"><a href=${back}>← Back to the KPIs</a></p>
    <${LiveNotice} notice=${notice.notice} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${head}</div>
    <div>${forms}</div>
    <div>${tail}</div>
  </div>`;
}

function noteOf(kpi) {
  if (kpi.builtin) return 'This KPI is computed from the commitments each month: delivered on time and confirmed, out of those due.';
  return kpi.ownerParty.isOwn
    ? 'Leads and Editors of your side record measurements for this KPI.'
    : `${kpi.ownerParty.organization.name} reports the measurements of this KPI.`;
}

const LEGEND = [
  ['series', 'Measurements'], ['target', 'Target'], ['warning', 'Warning'], ['critical', 'Critical'], ['baseline', 'Baseline'],
];

function KpiSummary({ kpi }) {
  const fmt = (v) => withUnit(v, kpi.unit);
  const ev = kpi.evidence;
  const progress = progressOf(ev);
  const drawChart = useMemo(() => (box) => {
    const points = kpi.measurements.map((m) => ({ period: m.period, value: m.value }));
    const first = points[0];
    const last = points[points.length - 1];
    const chart = timeSeriesChart(box, {
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
        ? `${points.length} measurements from ${periodName(first.period, kpi.cadence)} to ${periodName(last.period, kpi.cadence)}; latest ${fmt(last.value)}. Baseline ${fmt(kpi.baselineValue)}, target ${fmt(kpi.targetValue)}, warning ${fmt(kpi.warningThreshold)}, critical ${fmt(kpi.criticalThreshold)}. Status ${statusName(kpi.status)}.`
        : 'No measurements yet.',
    });
    return () => chart.disconnect();
  }, [kpi]);
  const facts = [
    ['Owner side', html`<${SideChip} party=${kpi.ownerParty} />`],
    ['Direction', kpi.direction === 'HIGHER_IS_BETTER' ? 'Higher is better' : 'Lower is better'],
    ['Cadence', CADENCES.find((c) => c.value === kpi.cadence)?.label ?? kpi.cadence],
    ['Warning threshold', fmt(kpi.warningThreshold)],
    ['Critical threshold', fmt(kpi.criticalThreshold)],
  ];
  return html`
    <div class="detail-head">
      <h3 class="detail-title" id="kpi-heading">${kpi.name}</h3>
      <span class="kpi-status" data-key="kpi-status"><${StatusBadge} status=${kpi.status} prefix="kpi" /></span>
      ${kpi.builtin ? html`<span class="tag tag-builtin">Built-in: computed from commitments</span>` : null}
      ${kpi.visibility === 'INTERNAL' ? html`<${InternalBadge} />` : null}
    </div>
    <section class="evidence-summary card" aria-labelledby="evidence-summary-heading">
      <h4 id="evidence-summary-heading">Evidence</h4>
      <ol class="evidence-chain">
        <li><span class="chain-label">Baseline</span><span class="chain-value">${fmt(ev.baselineValue)}</span><span class="chain-when">${formatDay(ev.baselineDate)}</span></li>
        <li><span class="chain-label">Latest</span><span class="chain-value" data-key="kpi-latest">${fmt(ev.latestValue)}</span><span
          class="chain-when">${ev.latestPeriod ? periodName(ev.latestPeriod, kpi.cadence) : 'no measurement yet'}</span></li>
        <li><span class="chain-label">Target</span><span class="chain-value">${fmt(ev.targetValue)}</span><span class="chain-when">${`by ${formatDay(ev.targetDate)}`}</span></li>
      </ol>
      ${progress === null
        ? html`<p class="muted">${ev.latestPeriod
          ? 'No progress figure: the target is not beyond the baseline in the KPI’s direction.'
          : 'Progress appears with the first measurement.'}</p>`
        : html`<div class="kpi-progress">
            <${ProgressBar} value=${progress} label="Progress from baseline to target" />
            <span class="progress-text"><strong>${`${formatNumber(progress)}%`}</strong>${' of the way from baseline to target'}</span>
          </div>`}
      <p class="trend">${trendText(kpi, ev.trend)}</p>
    </section>
    <figure class="chart-figure">
      <${Drawing} className="chart-box" draw=${drawChart} />
      <figcaption class="chart-legend">
        ${LEGEND.map(([key, label]) => html`<span class=${`legend legend-${key}`}><span class="legend-swatch" aria-hidden="true"></span>${label}</span>`)}
      </figcaption>
    </figure>
    <${Facts} items=${facts} />`;
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

function Measurements({ kpi, canRecord }) {
  const rows = [...kpi.measurements].reverse();
  const fmt = (v) => withUnit(v, kpi.unit);
  return html`<section class="block" aria-labelledby="measurements-heading">
    <h4 id="measurements-heading">${`Measurements (${rows.length})`}</h4>
    ${rows.length === 0
      ? html`<${Empty} title="No measurements yet" text=${canRecord ? 'Record the first one with the form above.' : null} />`
      : html`<${Table} className="measurements-table" labelledBy="measurements-heading"
          columns=${measurementColumns(kpi, fmt)} rows=${rows} rowKey=${(m) => m.period} />`}
  </section>`;
}

/** The record form and the definition form of the owner side. */
function OwnerForms({
  kpi, partnership, ctx, reload, partnerChanges,
}) {
  const record = useForm({ clearDoneOn: partnerChanges });
  const { values, bind, setAll } = useValues(() => ({ period: todayIso(), value: '', note: '' }));
  const valueInput = useRef(null);
  // The definition form, opened afresh (from the KPI as it is then) each time: its number is its key.
  const [editing, setEditing] = useState(false);
  const opened = useRef(0);
  const toggle = useRef(null);

  function submit() {
    const number = readNumber(values.value);
    const problems = [];
    if (!isIsoDay(values.period)) problems.push({ field: 'period', message: 'Choose the period.' });
    else if (values.period > todayIso()) problems.push({ field: 'period', message: 'The period has not started yet.' });
    if (!Number.isFinite(number)) problems.push({ field: 'value', message: 'Enter a number.' });
    if (problems.length) {
      record.fail(problems);
      return;
    }
    record.run(async () => {
      const data = await gql(RECORD, {
        input: {
          partnershipId: partnership.id,
          measurements: [{ kpiId: kpi.id, period: values.period, value: number, note: values.note.trim() }],
        },
      });
      const payload = data.recordKpiMeasurements;
      // Batch errors name the row's column: "measurements[0].value" → the value field.
      if (payload.userErrors.length) return payload.userErrors.map((e) => ({ ...e, field: e.field?.split('.').pop() ?? null }));
      if (!ctx.isCurrent()) return undefined;
      await reload();
      const recorded = payload.measurements[0];
      const when = recorded ? periodName(recorded.period, kpi.cadence) : 'this period';
      record.succeed(payload.corrected
        ? `Corrected ${when} to ${withUnit(number, kpi.unit)}; the earlier value stays in the history.`
        : payload.created
          ? `Recorded ${withUnit(number, kpi.unit)} for ${when}.`
          : `${when} already has this value; nothing changed.`);
      setAll((v) => ({ ...v, value: '', note: '' }));
      valueInput.current?.focus();
      return undefined;
    });
  }

  function toggleEditing() {
    if (!editing) opened.current += 1;
    setEditing(!editing);
  }

  async function saved() {
    setEditing(false);
    await reload();
    record.succeed('The definition was saved.');
    toggle.current?.focus();
  }

  return html`<div class="owner-forms">
    <${Form} form=${record} className="form card record-form" heading="Record a measurement" headingId="record-heading"
      withDone onSubmit=${submit}>
      <div class="form-row">
        <${Field} label="Period" name="period" hint="Any day of the period; a period already reported is corrected, and the old value kept.">
          <input type="date" ...${bind('period')} />
        <//>
        <${Field} label="Value" name="value" hint=${kpi.unit ? `In ${kpi.unit}.` : null}>
          <input type="text" inputmode="decimal" autocomplete="off" ref=${valueInput} ...${bind('value')} />
        <//>
        <${Field} label="Note (optional)" name="note"><input type="text" maxlength="2000" autocomplete="off" ...${bind('note')} /><//>
      </div>
      <div><${SubmitButton} busyLabel="Recording…">Record measurement<//></div>
    <//>
    <div class="edit-definition">
      <button type="button" class="button" aria-expanded=${String(editing)} ref=${toggle}
        onClick=${toggleEditing}>Edit definition</button>
      <div hidden=${!editing}>
        ${editing ? html`<${EditDefinition} key=${opened.current} kpi=${kpi} partnership=${partnership} ctx=${ctx} onSaved=${saved} />` : null}
      </div>
    </div>
  </div>`;
}

const DEFINITION_LABELS = {
  name: 'Name', unit: 'Unit', baselineValue: 'Baseline value', baselineDate: 'Baseline date', targetValue: 'Target value',
  targetDate: 'Target date', warningThreshold: 'Warning threshold', criticalThreshold: 'Critical threshold', cadence: 'Cadence',
};

/** The definition form, from the KPI as it was when the form opened (its version is kept). */
function EditDefinition({ kpi, partnership, ctx, onSaved }) {
  const form = useForm();
  const [base] = useState(kpi);
  const { values, bind } = useValues(() => definitionValues(partnership, base));
  const [conflict, setConflict] = useState(null);
  // The version the changes apply to: the one the form opened with, or theirs once re-applied.
  const version = useRef(base.version);
  const ref = useRef(null);

  useLayoutEffect(() => {
    ref.current.querySelector('input')?.focus();
  }, []);

  async function send() {
    const { values: input, problems } = readDefinition(values, partnership, { editing: true });
    if (problems.length) {
      form.fail(problems);
      return;
    }
    const { direction: _direction, ownerPartyId: _owner, visibility: _visibility, ...changes } = input;
    let saved = false;
    await form.run(async () => {
      const { errors } = await mutate(UPDATE, { input: { kpiId: base.id, expectedVersion: version.current, ...changes } }, 'updateKpi');
      const clash = errors.find((e) => e.code === 'CONFLICT' && e.current);
      if (clash) {
        const theirs = clash.current;
        const rows = Object.keys(DEFINITION_LABELS).filter((k) => String(theirs[k]) !== String(changes[k])).map((k) => ({
          key: k, label: DEFINITION_LABELS[k], mine: String(changes[k]), theirs: String(theirs[k]),
        }));
        setConflict({ theirs, rows });
        return undefined;
      }
      if (errors.length) return errors;
      saved = true;
      return undefined;
    });
    if (saved && ctx.isCurrent()) await onSaved();
  }

  return html`<${Form} form=${form} formRef=${ref} heading="Edit the definition" headingId="edit-kpi-heading"
    onSubmit=${send}>
    ${conflict ? html`<${Conflict} title="Someone else saved this definition after you opened it." rows=${conflict.rows} mineLabel="Yours">
      <button type="button" class="button button-primary" onClick=${() => {
        version.current = conflict.theirs.version;
        setConflict(null);
        send();
      }}>Apply my changes again</button>
    <//>` : null}
    <${DefinitionFields} partnership=${partnership} bind=${bind} editing />
    <div><${SubmitButton}>Save definition<//></div>
  <//>`;
}
