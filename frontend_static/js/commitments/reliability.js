// Reliability per side for a period: on-time rate, missed, renegotiations and disputes.

import { gql } from '../api.js';
import {
  addMonthsIso, formatDay, isIsoDay, todayIso,
} from '../pages/common.js';
import { SideChip } from '../ui/badges.js';
import { Field, Select } from '../ui/field.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useLatest, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { isCommitmentEvent, RELIABILITY_QUERY } from './api.js';

const HEADING_ID = 'reliability-heading';

function Rate({ value }) {
  const percent = Math.round(value * 1000) / 10;
  const kind = percent >= 90 ? 'good' : percent >= 75 ? 'warn' : 'bad';
  return html`<strong class=${`rate rate-${kind}`}>${percent}%</strong>`;
}

const COLUMNS = [
  { label: 'Side', rowHeader: true, cell: (f) => html`<${SideChip} party=${f.party} />` },
  { label: 'Due', cell: (f) => String(f.due) },
  { label: 'On time', cell: (f) => String(f.onTime) },
  {
    label: 'On-time rate',
    cell: (f) => (f.onTimeRate === null ? html`<span class="muted">nothing due</span>` : html`<${Rate} value=${f.onTimeRate} />`),
  },
  { label: 'Missed', cell: (f) => String(f.missed) },
  { label: 'Renegotiated', cell: (f) => String(f.renegotiations) },
  { label: 'Disputed', cell: (f) => String(f.disputes) },
];

const PERIODS = [
  { value: '3', label: 'Last 3 months' },
  { value: '6', label: 'Last 6 months' },
  { value: '12', label: 'Last 12 months' },
  { value: 'custom', label: 'Custom period' },
];

/** The last `months` months up to today. */
function lastMonths(months) {
  const to = todayIso();
  return { from: addMonthsIso(to, -Number(months)), to };
}

/** What is wrong with a period, or null. */
function problemOf({ from, to }) {
  if (!isIsoDay(from) || !isIsoDay(to)) return 'Choose both dates of the period.';
  if (from > to) return 'The period ends before it starts.';
  return null;
}

export function Reliability({ args }) {
  const { partnership, ctx, live } = args;
  const [period, setPeriod] = useState('6');
  const [range, setRange] = useState(() => lastMonths('6'));
  const latestRange = useLatest(range);
  const [state, load] = useSectionLoad(async (r) => {
    const data = await gql(RELIABILITY_QUERY, { id: partnership.id, from: r.from, to: r.to });
    const figures = [...data.partnership.commitmentReliability].sort((a, b) => Number(b.party.isOwn) - Number(a.party.isOwn));
    return { range: r, figures };
  }, args);
  const problem = problemOf(range);

  function apply(next) {
    setRange(next);
    if (!problemOf(next)) load(next);
  }

  useEffect(() => {
    load(range);
  }, []);
  useLiveChange(live, ctx, isCommitmentEvent, () => {
    if (!problemOf(latestRange.current)) load(latestRange.current);
  });

  let body;
  if (problem) body = html`<p class="field-error">${problem}</p>`;
  else if (state.error) body = html`<${Failed} error=${state.error} onRetry=${() => load(latestRange.current)} />`;
  else if (!state.data) body = html`<${Loading} text="Loading reliability…" />`;
  else {
    body = html`<${Table} className="reliability-table" labelledBy=${HEADING_ID} columns=${COLUMNS}
      rows=${state.data.figures} rowKey=${(f) => f.party.id} />`;
  }
  const shown = state.data?.range;

  return html`<section class="block reliability card" aria-labelledby=${HEADING_ID}>
    <h3 id=${HEADING_ID}>Reliability by side</h3>
    <p class="hint">Computed from the commitments’ history: commitments agreed and due in the period, how many were delivered on time and confirmed, missed, renegotiated or disputed.</p>
    <form class="filters" aria-label="Reliability period" onSubmit=${(event) => event.preventDefault()}>
      <${Field} label="Period">
        <${Select} options=${PERIODS} value=${period} onChange=${(event) => {
          const value = event.currentTarget.value;
          setPeriod(value);
          if (value !== 'custom') apply(lastMonths(value));
        }} />
      <//>
      <${Field} label="From">
        <input type="date" value=${range.from} onChange=${(event) => {
          setPeriod('custom');
          apply({ ...range, from: event.currentTarget.value });
        }} />
      <//>
      <${Field} label="To">
        <input type="date" value=${range.to} onChange=${(event) => {
          setPeriod('custom');
          apply({ ...range, to: event.currentTarget.value });
        }} />
      <//>
    </form>
    <p class="muted small">${shown ? `Commitments due from ${formatDay(shown.from)} to ${formatDay(shown.to)}.` : ''}</p>
    <div aria-busy=${state.busy ? 'true' : 'false'} aria-live="polite">${body}</div>
  </section>`;
}
