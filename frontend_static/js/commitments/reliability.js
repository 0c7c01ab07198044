// Reliability per side for a period: on-time rate, missed, renegotiations and disputes.

import { clear, field, h, loading } from '../dom.js';
import { gql } from '../api.js';
import { addMonthsIso, formatDay, isIsoDay, select, sideChip, todayIso } from '../pages/common.js';
import { sectionError } from '../pages/section.js';
import { RELIABILITY_QUERY } from './api.js';
import { html, show } from '../ui/html.js';
import { DomNode } from '../ui/slot.js';
import { Table } from '../ui/table.js';

function Rate({ value }) {
  const percent = Math.round(value * 1000) / 10;
  const kind = percent >= 90 ? 'good' : percent >= 75 ? 'warn' : 'bad';
  return html`<strong class=${`rate rate-${kind}`}>${percent}%</strong>`;
}

const COLUMNS = [
  { label: 'Side', rowHeader: true, cell: (f) => html`<${DomNode} node=${sideChip(f.party)} />` },
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

export function renderReliability(container, args) {
  const { partnership, ctx } = args;
  const headingId = 'reliability-heading';
  const period = select({}, PERIODS, '6');
  const from = h('input', { type: 'date' });
  const to = h('input', { type: 'date' });
  const body = h('div', { 'aria-busy': 'true', 'aria-live': 'polite' }, loading('Loading reliability…'));
  const fromField = field({ label: 'From', control: from });
  const toField = field({ label: 'To', control: to });
  const caption = h('p', { class: 'muted small' });
  clear(container, h('section', { class: 'block reliability card', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, 'Reliability by side'),
    h('p', { class: 'hint' }, 'Computed from the commitments’ history: commitments agreed and due in the period, how many were delivered on time and confirmed, missed, renegotiated or disputed.'),
    h('form', { class: 'filters', 'aria-label': 'Reliability period' },
      field({ label: 'Period', control: period }), fromField, toField),
    caption, body));

  function setRange() {
    if (period.value === 'custom') return;
    const end = todayIso();
    to.value = end;
    from.value = addMonthsIso(end, -Number(period.value));
  }
  setRange();

  async function load() {
    if (!isIsoDay(from.value) || !isIsoDay(to.value)) {
      clear(body, h('p', { class: 'field-error' }, 'Choose both dates of the period.'));
      return;
    }
    if (from.value > to.value) {
      clear(body, h('p', { class: 'field-error' }, 'The period ends before it starts.'));
      return;
    }
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(RELIABILITY_QUERY, { id: partnership.id, from: from.value, to: to.value });
      if (!ctx.isCurrent()) return;
      const figures = [...data.partnership.commitmentReliability].sort((a, b) => Number(b.party.isOwn) - Number(a.party.isOwn));
      caption.textContent = `Commitments due from ${formatDay(from.value)} to ${formatDay(to.value)}.`;
      show(body, html`<${Table} className="reliability-table" labelledBy=${headingId} columns=${COLUMNS} rows=${figures} rowKey=${(f) => f.party.id} />`);
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  period.addEventListener('change', () => {
    setRange();
    load();
  });
  for (const input of [from, to]) {
    input.addEventListener('change', () => {
      period.value = 'custom';
      load();
    });
  }
  load();
  return { reload: load };
}
