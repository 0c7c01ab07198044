// The Health page: the index as a gauge, its components with their inputs and records, six
// months of daily history, what changed between two days, the detectors with their evidence,
// and the thresholds (one side's LEAD proposes, the other side's LEAD accepts).

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { addDaysIso, partnerName, todayUtcIso } from '../pages/common.js';
import { recordHref, recordName } from '../records.js';
import { SideChip } from '../ui/badges.js';
import { Field, Select } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Day, Moment } from '../ui/time.js';
import {
  ACCEPT_THRESHOLDS, DECLINE_THRESHOLDS, HEALTH_QUERY, PROPOSE_THRESHOLDS, RELEVANT,
} from './api.js';

const STATUS_TEXT = { CLEAR: 'Clear', WATCH: 'Watch', FIRING: 'Firing' };

function figure(value) {
  return value === null || value === undefined ? '—' : `${Math.round(value * 10) / 10}`;
}

function figureName(name) {
  return name.replaceAll('_', ' ').replaceAll('.', ' · ');
}

export function HealthPage({ args }) {
  const { partnership, ctx, live } = args;
  const [period, setPeriod] = useState({ start: addDaysIso(todayUtcIso(), -30), end: todayUtcIso() });
  const [state, load] = useSectionLoad(
    async (p = period) => (await gql(HEALTH_QUERY, { id: partnership.id, start: p.start, end: p.end })).partnership,
    args,
  );
  const notice = useLiveNotice();
  useEffect(() => { load(); }, []);
  useLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed something the health index reads; it is up to date.`);
  });

  const data = state.data;
  if (state.error && !data) return html`<${Failed} error=${state.error} onRetry=${load} />`;
  if (!data) return html`<${Loading} text="Loading the health index…" />`;
  const health = data.health;

  function changePeriod(next) {
    setPeriod(next);
    load(next);
  }

  return html`<div class="health-page" aria-busy=${state.busy ? 'true' : 'false'}>
    <p class="lede">The trust health index is computed from the records both sides share, and from how many items each side keeps INTERNAL (counts only, never their content): each component shows its weight, its inputs and the records behind it. The six early-warning detectors watch for the signals of eroding trust.</p>
    <${LiveNotice} notice=${notice.notice} />
    <section class="card health-summary" aria-labelledby="health-index-heading">
      <h3 id="health-index-heading">Trust health index</h3>
      <div class="health-summary-row">
        <${Gauge} value=${health.index} />
        <div>
          <p>As of <${Moment} iso=${health.asOf} />.</p>
          ${data.healthSummary?.trend !== null && data.healthSummary?.trend !== undefined
            ? html`<p class="health-trend">${data.healthSummary.trend >= 0 ? '▲' : '▼'} ${figure(Math.abs(data.healthSummary.trend))} points over the last week</p>`
            : html`<p class="muted">No trend yet: it needs a week of daily snapshots.</p>`}
        </div>
      </div>
    </section>
    <${Components} components=${health.components} partnership=${partnership} />
    <${History} points=${health.history} />
    <${WhatChanged} change=${health.whatChanged} period=${period} onPeriod=${changePeriod} partnership=${partnership} />
    <${Detectors} detectors=${health.detectors} history=${health.detectorHistory} partnership=${partnership} />
    <${Thresholds} data=${data} partnership=${partnership} onChanged=${() => load()} />
  </div>`;
}

function Gauge({ value }) {
  const shown = value === null || value === undefined ? null : Math.max(0, Math.min(100, value));
  const angle = shown === null ? 0 : (shown / 100) * Math.PI;
  const x = 60 - 50 * Math.cos(angle);
  const y = 60 - 50 * Math.sin(angle);
  const band = shown === null ? 'none' : shown >= 70 ? 'good' : shown >= 40 ? 'fair' : 'poor';
  const label = shown === null ? 'No index yet: nothing to measure' : `Health index ${figure(shown)} out of 100`;
  return html`<div class=${`health-gauge health-${band}`}>
    <svg viewBox="0 0 120 70" width="180" height="105" role="img" aria-label=${label}>
      <path d="M 10 60 A 50 50 0 0 1 110 60" class="gauge-track" fill="none" stroke-width="10" />
      ${shown !== null ? html`<path d=${`M 10 60 A 50 50 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}`} class="gauge-value" fill="none" stroke-width="10" />` : null}
    </svg>
    <p class="gauge-figure" aria-hidden="true">${shown === null ? '—' : figure(shown)}<span class="small"> / 100</span></p>
  </div>`;
}

function RecordLinks({ records, partnership }) {
  if (!records.length) return html`<span class="muted">none</span>`;
  return html`<ul class="plain-list health-records">
    ${records.slice(0, 12).map((r) => {
      const href = recordHref(partnership.id, r.typeName, r.id);
      return html`<li key=${r.id}>${href ? html`<a href=${href}>${recordName(r.typeName)}</a>` : recordName(r.typeName)}</li>`;
    })}
    ${records.length > 12 ? html`<li class="muted">and ${records.length - 12} more</li>` : null}
  </ul>`;
}

function Inputs({ inputs }) {
  return html`<ul class="plain-list small">
    ${inputs.map((f) => html`<li key=${f.name}>${figureName(f.name)}: <strong>${figure(f.value)}</strong></li>`)}
  </ul>`;
}

function Components({ components, partnership }) {
  const columns = [
    { label: 'Component', rowHeader: true, cell: (c) => html`<strong>${c.label}</strong><p class="small muted">${c.explanation}</p>` },
    { label: 'Weight', cell: (c) => `${c.weight}%` },
    { label: 'Value', cell: (c) => html`<span class="health-value">${figure(c.value)}</span>` },
    {
      label: 'Per side',
      cell: (c) => (c.perSide.length
        ? html`<ul class="plain-list small">${c.perSide.map((s) => html`<li key=${s.party.id}><${SideChip} party=${s.party} /> ${figure(s.value)}</li>`)}</ul>`
        : html`<span class="muted">both sides</span>`),
    },
    { label: 'Inputs', cell: (c) => html`<${Inputs} inputs=${c.inputs} />` },
    { label: 'Records behind it', cell: (c) => html`<${RecordLinks} records=${c.records} partnership=${partnership} />` },
  ];
  return html`<section class="health-components" aria-labelledby="health-components-heading">
    <h3 id="health-components-heading">Components</h3>
    <${Table} columns=${columns} rows=${components} rowKey=${(c) => c.key} labelledBy="health-components-heading" className="health-table" />
  </section>`;
}

function History({ points }) {
  const measured = points.filter((p) => p.value !== null);
  const width = 640;
  const height = 160;
  let path = '';
  if (measured.length > 1) {
    const first = Date.parse(measured[0].day);
    const span = Math.max(1, Date.parse(measured[measured.length - 1].day) - first);
    path = measured.map((p, i) => {
      const x = 30 + ((Date.parse(p.day) - first) / span) * (width - 40);
      const y = 10 + (1 - p.value / 100) * (height - 30);
      return `${i === 0 ? 'M' : 'L'} ${x.toFixed(1)} ${y.toFixed(1)}`;
    }).join(' ');
  }
  const last = measured[measured.length - 1];
  const description = measured.length
    ? `${measured.length} daily values from ${measured[0].day} to ${last.day}; first ${figure(measured[0].value)}, latest ${figure(last.value)}.`
    : 'No daily snapshots yet.';
  return html`<section class="card health-history" aria-labelledby="health-history-heading">
    <h3 id="health-history-heading">History</h3>
    <svg viewBox=${`0 0 ${width} ${height}`} class="health-chart" role="img" aria-label=${`Daily health index. ${description}`}>
      ${[0, 50, 100].map((v) => html`<g key=${v}>
        <line x1="30" x2=${width - 10} y1=${10 + (1 - v / 100) * (height - 30)} y2=${10 + (1 - v / 100) * (height - 30)} class="chart-grid" />
        <text x="0" y=${14 + (1 - v / 100) * (height - 30)} class="chart-label">${v}</text>
      </g>`)}
      ${path ? html`<path d=${path} class="health-line" fill="none" />` : null}
    </svg>
    <p class="small muted">${description}</p>
  </section>`;
}

function WhatChanged({ change, period, onPeriod, partnership }) {
  const { values, bind } = useValues(period);
  function submit(event) {
    event.preventDefault();
    onPeriod({ start: values.start, end: values.end });
  }
  return html`<section class="card health-changes" aria-labelledby="health-changes-heading">
    <h3 id="health-changes-heading">What changed</h3>
    <form class="form-row" onSubmit=${submit}>
      <label>From <input type="date" name="start" max=${todayUtcIso()} ...${bind('start')} /></label>
      <label>To <input type="date" name="end" max=${todayUtcIso()} ...${bind('end')} /></label>
      <button type="submit" class="button button-small">Compare</button>
    </form>
    <p>Index <strong>${figure(change.before)}</strong> on <${Day} iso=${change.start} /> → <strong>${figure(change.after)}</strong> on <${Day} iso=${change.end} />.</p>
    ${change.components.length === 0 ? html`<p class="muted">No component moved between these days.</p>` : html`<ul class="plain-list health-change-list">
      ${change.components.map((c) => html`<li key=${c.key}>
        <strong>${c.label}</strong>: ${figure(c.before)} → ${figure(c.after)}${c.delta !== null ? ` (${c.delta > 0 ? '+' : ''}${figure(c.delta)})` : ''}
        ${c.entered.length ? html`<div class="small">New behind it: <${RecordLinks} records=${c.entered} partnership=${partnership} /></div>` : null}
        ${c.left.length ? html`<div class="small">No longer behind it: <${RecordLinks} records=${c.left} partnership=${partnership} /></div>` : null}
      </li>`)}
    </ul>`}
  </section>`;
}

function Detectors({ detectors, history, partnership }) {
  return html`<section class="health-detectors" aria-labelledby="health-detectors-heading">
    <h3 id="health-detectors-heading">Early-warning detectors</h3>
    <ul class="detector-list plain-list">
      ${detectors.map((d) => html`<li key=${d.name} class=${`card detector detector-${d.status.toLowerCase()}`} data-detector=${d.name}>
        <h4>${d.label} <span class=${`badge detector-badge detector-badge-${d.status.toLowerCase()}`}>${STATUS_TEXT[d.status]}</span></h4>
        <p class="small">${d.explanation}</p>
        <p>Score <strong>${figure(d.score)}</strong> · watch at ${figure(d.watchAt)} · fires at ${figure(d.fireAt)}${d.customThresholds ? ' (agreed by both sides)' : ' (defaults)'}
          ${d.since ? html` · since <${Moment} iso=${d.since} />` : null}</p>
        <${Inputs} inputs=${d.inputs} />
        <div class="small">Evidence: <${RecordLinks} records=${d.evidence} partnership=${partnership} /></div>
      </li>`)}
    </ul>
    <h4>History</h4>
    ${history.length === 0 ? html`<p class="muted">No detector has changed status yet.</p>` : html`<ul class="plain-list small">
      ${history.slice(0, 20).map((h) => html`<li key=${`${h.detector}-${h.at}`}>
        <${Moment} iso=${h.at} />: ${detectors.find((d) => d.name === h.detector)?.label ?? h.detector} ${h.previous ? `${STATUS_TEXT[h.previous]} → ` : ''}${STATUS_TEXT[h.status]} (score ${figure(h.score)})
      </li>`)}
    </ul>`}
  </section>`;
}

function Thresholds({ data, partnership, onChanged }) {
  const form = useForm();
  const detectors = data.health.detectors;
  const { values, bind } = useValues({ detector: detectors[0].name, watch: '', fire: '' });
  const [status, setStatus] = useState(null);
  const [busy, setBusy] = useState(null);
  const isLead = data.viewerRole === 'LEAD';
  const waiting = data.health.thresholdProposals.filter((p) => p.status === 'PROPOSED');
  const labelOf = (name) => detectors.find((d) => d.name === name)?.label ?? name;

  function submit() {
    setStatus(null);
    form.run(async () => {
      const input = {
        partnershipId: partnership.id, detector: values.detector, watch: Number(values.watch), fire: Number(values.fire),
      };
      const result = await gql(PROPOSE_THRESHOLDS, { input });
      const payload = result.proposeDetectorThresholds;
      if (payload.userErrors.length) return payload.userErrors;
      await onChanged();
      setStatus(`Proposed: ${partnerName(partnership)}'s LEAD can now accept the new thresholds.`);
      return [];
    });
  }

  async function decide(proposal, accept) {
    setBusy(proposal.id);
    setStatus(null);
    try {
      const result = await gql(accept ? ACCEPT_THRESHOLDS : DECLINE_THRESHOLDS, { input: { thresholdId: proposal.id } });
      const payload = accept ? result.acceptDetectorThresholds : result.declineDetectorThresholds;
      if (payload.userErrors.length) form.fail(payload.userErrors);
      else {
        await onChanged();
        setStatus(accept ? `Accepted: ${labelOf(proposal.detector)} now uses these thresholds.` : 'Declined.');
      }
    } finally {
      setBusy(null);
    }
  }

  return html`<section class="card health-thresholds" aria-labelledby="health-thresholds-heading">
    <h3 id="health-thresholds-heading">Thresholds</h3>
    <p class="small">A side's LEAD proposes a detector's thresholds; they apply once the other side's LEAD accepts.</p>
    <${Message} kind="success" messages=${status} />
    ${waiting.length === 0 ? html`<p class="muted">No proposal is waiting.</p>` : html`<ul class="plain-list">
      ${waiting.map((p) => html`<li key=${p.id} class="threshold-proposal">
        ${labelOf(p.detector)}: watch at ${figure(p.watch)}, fire at ${figure(p.fire)} · proposed by <${SideChip} party=${p.proposedBy} />
        ${isLead && !p.proposedBy.isOwn ? html` <${Button} className="button button-small" busy=${busy === p.id} busyLabel="Accepting…"
            aria-label=${`Accept the thresholds of ${labelOf(p.detector)}`} onClick=${() => decide(p, true)}>Accept<//>
          <${Button} className="button button-small" busy=${busy === p.id} busyLabel="Declining…"
            aria-label=${`Decline the thresholds of ${labelOf(p.detector)}`} onClick=${() => decide(p, false)}>Decline<//>` : null}
        ${p.proposedBy.isOwn ? html` <span class="muted">waiting for ${partnerName(partnership)}</span>` : null}
      </li>`)}
    </ul>`}
    ${isLead ? html`<${Form} form=${form} heading="Propose thresholds" headingId="propose-thresholds-heading" id="propose-thresholds"
      level=${4} className="form" onSubmit=${submit}>
      <div class="form-row">
        <${Field} label="Detector" name="detector"><${Select} options=${detectors.map((d) => ({ value: d.name, label: d.label }))} ...${bind('detector')} /><//>
        <${Field} label="Watch at" name="watch"><input type="number" min="0" step="any" required ...${bind('watch')} /><//>
        <${Field} label="Fire at" name="fire"><input type="number" min="0" step="any" required ...${bind('fire')} /><//>
      </div>
      <div class="form-actions"><${SubmitButton} busyLabel="Proposing…">Propose<//></div>
    <//>` : html`<p class="note">Only a LEAD proposes or accepts thresholds.</p>`}
  </section>`;
}
