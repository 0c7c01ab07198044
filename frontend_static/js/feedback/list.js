// The feedback list: filters by status, severity, side and clock (on the server), sorted by
// due time; the submit form; each row with its clock badges.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { partnerName } from '../pages/common.js';
import { Field, Select } from '../ui/field.js';
import { html, useEffect, useRef, useState } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { SideChip } from '../ui/badges.js';
import { Pager } from '../ui/pager.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Moment } from '../ui/time.js';
import {
  feedbackHref, isFeedbackEvent, label, LIST_QUERY, policyHref, SEVERITIES, STATUSES,
} from './api.js';
import { ClockBadges } from './clock.js';
import { canWrite, SubmitForm } from './forms.js';

const PAGE_SIZE = 25;
const FIRST = { first: PAGE_SIZE, after: null };
const NO_FILTERS = { status: '', severity: '', side: '', clock: '' };
const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  { value: 'OPEN', label: 'Open (not resolved or closed)' },
  ...STATUSES.map((s) => ({ value: s, label: label(s) })),
];
const SEVERITY_OPTIONS = [{ value: '', label: 'Any severity' }, ...SEVERITIES.map((s) => ({ value: s, label: label(s) }))];
const SIDE_OPTIONS = [
  { value: '', label: 'Either side' },
  { value: 'RECEIVED_BY_US', label: 'Received by your side' },
  { value: 'SUBMITTED_BY_US', label: 'Submitted by your side' },
];
const CLOCK_OPTIONS = [
  { value: '', label: 'Any clock' },
  { value: 'BREACHED', label: 'Breached' },
  { value: 'AT_RISK', label: 'At risk' },
  { value: 'EITHER', label: 'Breached or at risk' },
];

function toFilter(f) {
  const filter = {};
  if (f.status === 'OPEN') filter.status = STATUSES.slice(0, 4);
  else if (f.status) filter.status = [f.status];
  if (f.severity) filter.severity = [f.severity];
  if (f.side) filter.side = f.side;
  if (f.clock === 'EITHER') filter.clock = ['BREACHED', 'AT_RISK'];
  else if (f.clock) filter.clock = [f.clock];
  return filter;
}

function filtersFrom(params) {
  const pick = (name, options) => {
    const value = params.get(name) ?? '';
    return options.some((o) => o.value === value) ? value : '';
  };
  return {
    status: pick('status', STATUS_OPTIONS),
    severity: pick('severity', SEVERITY_OPTIONS),
    side: pick('side', SIDE_OPTIONS),
    clock: pick('clock', CLOCK_OPTIONS),
  };
}

export function FeedbackList({ args }) {
  const { partnership, ctx, live } = args;
  const [filters, setFilters] = useState(() => filtersFrom(ctx.params));
  const query = useRef({ filters, page: FIRST });
  const [list, load] = useSectionLoad(fetchPage, args);
  const [formOpen, setFormOpen] = useState(false);
  const [status, setStatus] = useState(null);
  const notice = useLiveNotice();

  async function fetchPage(q) {
    return (await gql(LIST_QUERY, { id: partnership.id, ...q.page, filter: toFilter(q.filters) })).partnership.feedback;
  }

  useEffect(() => {
    ctx.setTitle(`Feedback · ${partnership.name}`);
    load(query.current);
  }, []);

  useLiveChange(live, ctx, isFeedbackEvent, async (events) => {
    await load(query.current);
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed feedback; the list is up to date.`);
  });

  const change = (name) => (event) => {
    const next = { ...filters, [name]: event.currentTarget.value };
    setFilters(next);
    query.current = { filters: next, page: FIRST };
    load(query.current);
  };
  const page = (p) => {
    query.current = { ...query.current, page: p };
    load(query.current);
  };
  const submitted = async (item) => {
    setFormOpen(false);
    setStatus(`You submitted “${item.title}”.`);
    await load(query.current);
  };

  const connection = list.data;
  let body;
  if (list.error) body = html`<${Failed} error=${list.error} onRetry=${() => load(query.current)} />`;
  else if (connection === undefined) body = html`<${Loading} text="Loading feedback…" />`;
  else if (connection.nodes.length === 0) {
    const filtered = Object.values(filters).some(Boolean);
    body = html`<${Empty} title=${filtered ? 'No feedback matches these filters' : 'No feedback yet'}
      text=${filtered ? 'Change or clear the filters.' : 'Feedback either side submits shows here, earliest due first.'} />`;
  } else {
    body = html`
      <p class="fb-count" role="status">${connection.totalCount} item${connection.totalCount === 1 ? '' : 's'}, earliest due first</p>
      <${FeedbackTable} partnership=${partnership} items=${connection.nodes} />
      <${Pager} label="Feedback pages" pageInfo=${connection.pageInfo}
        onPrevious=${() => page({ last: PAGE_SIZE, before: connection.pageInfo.startCursor })}
        onNext=${() => page({ first: PAGE_SIZE, after: connection.pageInfo.endCursor })} />`;
  }

  return html`<div class="fb-list">
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${status} />
    <div class="toolbar">
      ${canWrite(partnership)
        ? html`<button type="button" class="button button-primary" aria-expanded=${formOpen ? 'true' : 'false'}
            onClick=${() => setFormOpen(!formOpen)}>${formOpen ? 'Close the form' : 'Submit feedback'}</button>`
        : html`<p class="note access-note">You have view access: ask a Lead of your side for an editor role to submit feedback.</p>`}
      <a class="button" href=${policyHref(partnership.id)}>SLA policy and figures</a>
    </div>
    ${formOpen ? html`<${SubmitForm} partnership=${partnership} onDone=${submitted} onCancel=${() => setFormOpen(false)} />` : null}
    <form class="filters" aria-label="Filter feedback" onSubmit=${(e) => e.preventDefault()}>
      <${Field} label="Status"><${Select} options=${STATUS_OPTIONS} value=${filters.status} onChange=${change('status')} /><//>
      <${Field} label="Severity"><${Select} options=${SEVERITY_OPTIONS} value=${filters.severity} onChange=${change('severity')} /><//>
      <${Field} label="Side"><${Select} options=${SIDE_OPTIONS} value=${filters.side} onChange=${change('side')} /><//>
      <${Field} label="Clock"><${Select} options=${CLOCK_OPTIONS} value=${filters.clock} onChange=${change('clock')} /><//>
      ${Object.values(filters).some(Boolean)
        ? html`<button type="button" class="button" onClick=${() => {
          setFilters(NO_FILTERS);
          query.current = { filters: NO_FILTERS, page: FIRST };
          load(query.current);
        }}>Clear filters</button>`
        : null}
    </form>
    <div aria-busy=${list.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function FeedbackTable({ partnership, items }) {
  const columns = [
    {
      label: 'Feedback',
      rowHeader: true,
      cell: (f) => html`<a href=${feedbackHref(partnership.id, f.id)} data-key=${`fb-${f.id}`}>${f.title}</a>`,
    },
    { label: 'Status', cell: (f) => html`<span class=${`badge fb-status-${f.status.toLowerCase()}`}>${label(f.status)}</span>` },
    { label: 'Severity', cell: (f) => html`<span class=${`badge fb-severity-${f.severity.toLowerCase()}`}>${label(f.severity)}</span>` },
    { label: 'From', cell: (f) => html`<${SideChip} party=${f.submittedByParty} />` },
    { label: 'Clocks', cell: (f) => html`<${ClockBadges} item=${f} />` },
    { label: 'Due', cell: (f) => (f.dueAt ? html`<${Moment} iso=${f.dueAt} />` : '—') },
  ];
  return html`<${Table} columns=${columns} rows=${items} rowKey=${(f) => f.id} labelledBy="section-heading" className="fb-table" />`;
}
