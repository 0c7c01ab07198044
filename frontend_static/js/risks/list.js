// The risk register: both sides' latest scores and how far apart they are, filtered and sorted
// on the server, with the heat map (per side and combined) of the same filters.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { partnerName, sideName } from '../pages/common.js';
import { InternalBadge, SideChip } from '../ui/badges.js';
import { Field, Select } from '../ui/field.js';
import { html, useEffect, useRef, useState } from '../ui/html.js';
import {
  byKey, useFocus, useLiveChange, useSectionLoad,
} from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Pager } from '../ui/pager.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Day } from '../ui/time.js';
import { isRiskEvent, REGISTER_QUERY } from './api.js';
import { NewRiskForm } from './forms.js';
import { HeatMaps } from './heatmap.js';
import { riskHref } from './links.js';
import {
  canKeep, CATEGORIES, categoryName, readOnlyText, riskStatusName, scoreText, STATUSES, treatmentName,
} from './model.js';

const PAGE_SIZE = 50;
const SORTS = [
  { value: 'divergence', label: 'Most disagreement first', orderBy: { field: 'DIVERGENCE', descending: true } },
  { value: 'score', label: 'Highest score first', orderBy: { field: 'SCORE', descending: true } },
  { value: 'review', label: 'Next review, soonest first', orderBy: { field: 'NEXT_REVIEW', descending: false } },
  { value: 'title', label: 'Title, A to Z', orderBy: { field: 'TITLE', descending: false } },
  { value: 'created', label: 'Newest first', orderBy: { field: 'CREATED_AT', descending: true } },
];
const DIVERGENCES = [
  { value: '', label: 'Any' },
  { value: '1', label: 'At least 1 cell apart' },
  { value: '2', label: 'At least 2 cells apart' },
  { value: '3', label: 'At least 3 cells apart' },
];
const NO_FILTERS = {
  category: '', status: '', divergence: '', overdue: '', sort: 'divergence',
};

function toFilter(f) {
  const filter = {};
  if (f.category) filter.category = [f.category];
  if (f.status) filter.status = [f.status];
  if (f.divergence) filter.minDivergence = Number(f.divergence);
  if (f.overdue) filter.reviewOverdue = true;
  return filter;
}

function SideScore({ side }) {
  const latest = side?.latest;
  if (!latest) return html`<span class="muted">Not scored</span>`;
  return html`<span class=${`risk-score band-${latest.residual.band.toLowerCase()}`}
    title=${`Inherent ${scoreText(latest.inherent)}; residual ${scoreText(latest.residual)}`}>
    ${latest.residual.likelihood} × ${latest.residual.impact}<span class="risk-score-total"> (${latest.residual.score})</span>
  </span>`;
}

function Divergence({ value }) {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  if (value === 0) return html`<span class="divergence divergence-none">Agree</span>`;
  return html`<span class=${`divergence${value >= 3 ? ' divergence-high' : ''}`}>${value} ${value === 1 ? 'cell' : 'cells'} apart</span>`;
}

export function RiskRegister({ args }) {
  const { partnership, ctx, live } = args;
  const keeper = canKeep(partnership);
  const [filters, setFilters] = useState(NO_FILTERS);
  const query = useRef({ filters, after: null });
  const [list, load] = useSectionLoad(fetchRegister, args);
  const [formOpen, setFormOpen] = useState(false);
  const [status, setStatus] = useState(null);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();
  const own = partnership.parties.find((p) => p.isOwn);
  const other = partnership.parties.find((p) => !p.isOwn);

  async function fetchRegister(q) {
    const filter = toFilter(q.filters);
    const mapFilter = {};
    if (filter.category) mapFilter.category = filter.category;
    if (filter.status) mapFilter.status = filter.status;
    const data = await gql(REGISTER_QUERY, {
      id: partnership.id,
      first: PAGE_SIZE,
      after: q.after,
      filter,
      orderBy: SORTS.find((s) => s.value === q.filters.sort).orderBy,
      mapFilter,
      basis: 'RESIDUAL',
    });
    return data.partnership;
  }

  useEffect(() => {
    load(query.current);
  }, []);
  useLiveChange(live, ctx, isRiskEvent, async (events) => {
    await load(query.current);
    if (byOtherSide(events)) {
      setStatus(null);
      notice.show(`${partnerName(partnership)} just changed the risk register; it is up to date.`);
    }
  });

  const change = (next) => {
    query.current = next;
    setFilters(next.filters);
    return load(next);
  };
  const setFilter = (name) => (event) => {
    const { type, checked, value } = event.currentTarget;
    const v = type === 'checkbox' ? (checked ? 'yes' : '') : value;
    change({ filters: { ...query.current.filters, [name]: v }, after: null });
  };

  async function created(risk) {
    setFormOpen(false);
    await change({ filters: query.current.filters, after: null });
    setStatus(`Risk “${risk.title}” added. Open it to score it for your side.`);
    focusLater(byKey(`risk-${risk.id}`));
  }

  function toggleForm() {
    const opening = !formOpen;
    setFormOpen(opening);
    if (opening) focusLater('#new-risk input');
  }

  const columns = [
    {
      label: 'Risk',
      rowHeader: true,
      cell: (r) => html`<a href=${riskHref(partnership.id, r.id)} data-key=${`risk-${r.id}`}>${r.title}</a>
        ${r.visibility === 'INTERNAL' ? html` <${InternalBadge} />` : null}`,
    },
    { label: 'Category', cell: (r) => categoryName(r.category) },
    { label: 'Owner', cell: (r) => html`<${SideChip} party=${r.ownerParty} />` },
    {
      label: own ? `${sideName(own)} (you)` : 'Your side',
      cell: (r) => html`<${SideScore} side=${r.scores.find((s) => s.party.isOwn)} />`,
    },
    {
      label: other ? sideName(other) : 'Other side',
      cell: (r) => (r.visibility === 'INTERNAL'
        ? html`<span class="muted">Internal</span>`
        : html`<${SideScore} side=${r.scores.find((s) => !s.party.isOwn)} />`),
    },
    { label: 'Divergence', cell: (r) => html`<${Divergence} value=${r.divergence} />` },
    { label: 'Treatment', cell: (r) => treatmentName(r.treatment) },
    { label: 'Status', cell: (r) => riskStatusName(r.status) },
    {
      label: 'Next review',
      cell: (r) => html`<${Day} iso=${r.nextReviewOn} />${r.reviewOverdue ? html` <span class="badge badge-overdue">Overdue</span>` : null}`,
    },
  ];

  let body;
  if (list.error) body = html`<${Failed} error=${list.error} onRetry=${() => load(query.current)} />`;
  else if (!list.data) body = html`<${Loading} text="Loading the risk register…" />`;
  else {
    const { risks } = list.data;
    body = html`
      <p class="small muted" id="risk-count">${risks.totalCount === 1 ? '1 risk' : `${risks.totalCount} risks`}</p>
      ${risks.nodes.length === 0
        ? html`<${Empty} title="No risks here" text=${keeper ? 'Add the first one with “New risk”, or change the filters.' : 'Risks appear here once a Lead, Editor or Governance member adds one.'} />`
        : html`<${Table} labelledBy="risk-register-heading" className="risk-table" rowKey=${(r) => r.id} columns=${columns} rows=${risks.nodes} />`}
      <${Pager} label="Pages of risks" pageInfo=${{ hasPreviousPage: Boolean(query.current.after), hasNextPage: risks.pageInfo.hasNextPage }}
        onPrevious=${() => change({ filters: query.current.filters, after: null })}
        onNext=${() => change({ filters: query.current.filters, after: risks.pageInfo.endCursor })} />
      <${HeatMaps} map=${list.data.riskHeatMap} />`;
  }

  return html`<div ref=${root}>
    <p class="lede">The joint risk register: each side scores every shared risk on the 5 × 5 matrix, and where the two scores disagree, it shows.</p>
    <${LiveNotice} notice=${notice.notice} />
    ${keeper ? html`<div class="toolbar">
      <button type="button" class="button button-primary" aria-expanded=${String(formOpen)} aria-controls="new-risk"
        onClick=${toggleForm}>New risk</button>
    </div>
    <div hidden=${!formOpen}><${NewRiskForm} partnership=${partnership} onCreated=${created} /></div>`
    : html`<p class="note access-note">${readOnlyText(partnership)}</p>`}
    <${Message} kind="success" messages=${status} />
    <div class="filters risk-filters" role="group" aria-label="Filter and sort the risks">
      <${Field} label="Category"><${Select} value=${filters.category} onChange=${setFilter('category')}
        options=${[{ value: '', label: 'Any category' }, ...CATEGORIES]} /><//>
      <${Field} label="Status"><${Select} value=${filters.status} onChange=${setFilter('status')}
        options=${[{ value: '', label: 'Any status' }, ...STATUSES]} /><//>
      <${Field} label="Divergence"><${Select} value=${filters.divergence} onChange=${setFilter('divergence')} options=${DIVERGENCES} /><//>
      <${Field} label="Sort by"><${Select} value=${filters.sort} onChange=${setFilter('sort')} options=${SORTS} /><//>
      <label class="check"><input type="checkbox" checked=${Boolean(filters.overdue)} onChange=${setFilter('overdue')} /> Review overdue</label>
    </div>
    <div class="list-body">
      <h3 class="sr-only" id="risk-register-heading">Risk register</h3>
      <div aria-busy=${list.busy ? 'true' : 'false'}>${body}</div>
    </div>
  </div>`;
}
