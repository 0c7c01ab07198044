// The list of commitments: filters and sorting on the server, pages, and on each row the
// two-sided actions the viewer may take now (Commitment.viewerActions).

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import {
  canEdit, dateProblem, isIsoDay, otherParty, ownParty, partnerName, statusName,
} from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { Field, FieldErrors, Select } from '../ui/field.js';
import {
  html, useEffect, useRef, useState,
} from '../ui/html.js';
import {
  byKey, useFocus, useLiveChange, useRequestCounter, useSectionLoad,
} from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { ReadOnlyNote } from '../ui/access.js';
import { Pager } from '../ui/pager.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { CHOICES_QUERY, isCommitmentEvent, LIST_QUERY } from './api.js';
import { ProposeForm } from './forms.js';
import { Reliability } from './reliability.js';
import { CommitmentRows } from './row.js';
import { useSteps } from './steps.js';

const PAGE_SIZE = 20;
const FIRST = { first: PAGE_SIZE, after: null };
const STATUSES = ['PROPOSED', 'AGREED', 'IN_PROGRESS', 'DELIVERED', 'CONFIRMED', 'DISPUTED', 'MISSED', 'DECLINED'];
const OPEN = ['PROPOSED', 'AGREED', 'IN_PROGRESS', 'DELIVERED', 'DISPUTED', 'MISSED'];
const STATUS_FILTERS = [
  { value: '', label: 'Any status' },
  { value: 'OPEN', label: 'Open (not yet confirmed or declined)' },
  ...STATUSES.map((s) => ({ value: s, label: statusName(s) })),
];
const SORTS = [
  { value: 'due', label: 'Due date, soonest first', orderBy: { field: 'DUE_DATE', descending: false } },
  { value: 'due-desc', label: 'Due date, latest first', orderBy: { field: 'DUE_DATE', descending: true } },
  { value: 'updated', label: 'Last update, newest first', orderBy: { field: 'UPDATED_AT', descending: true } },
  { value: 'updated-asc', label: 'Last update, oldest first', orderBy: { field: 'UPDATED_AT', descending: false } },
];
const NO_FILTERS = {
  status: '', owner: '', from: '', to: '', milestone: '', sort: 'due',
};

function ownerOptions(partnership) {
  return [
    { value: '', label: 'Either side' },
    ...[ownParty(partnership), otherParty(partnership)].filter(Boolean)
      .map((p) => ({ value: p.id, label: `${p.organization.name}${p.isOwn ? ' (your side)' : ''}` })),
  ];
}

/** The filters the address holds (a reload or a shared link keeps them); the milestone waits for its options. */
function filtersFrom(params, partnership) {
  const pick = (value, options) => (options.some((o) => o.value === value) ? value : '');
  const day = (value) => (isIsoDay(value ?? '') ? value : '');
  return {
    status: pick(params.get('status') ?? '', STATUS_FILTERS),
    owner: pick(params.get('owner') ?? '', ownerOptions(partnership)),
    from: day(params.get('from')),
    to: day(params.get('to')),
    milestone: '',
    sort: pick(params.get('sort'), SORTS) || 'due',
  };
}

function toFilter(f) {
  const filter = {};
  if (f.status === 'OPEN') filter.status = OPEN;
  else if (f.status) filter.status = [f.status];
  if (f.owner) filter.ownerPartyId = f.owner;
  if (isIsoDay(f.from)) filter.dueFrom = f.from;
  if (isIsoDay(f.to)) filter.dueTo = f.to;
  if (f.milestone) filter.milestoneId = f.milestone;
  return filter;
}

const filtersActive = (f) => Boolean(f.status || f.owner || f.from || f.to || f.milestone);

export function CommitmentList({ args }) {
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);
  const [filters, setFilters] = useState(() => filtersFrom(ctx.params, partnership));
  // What is shown: the filters and the page (the latest change wins, see useSectionLoad).
  const query = useRef({ filters, page: FIRST });
  const [list, load] = useSectionLoad(fetchPage, args);
  const [choices, setChoices] = useState({ milestones: [], kpis: [] });
  const [formOpen, setFormOpen] = useState(false);
  const [status, setStatus] = useState(null);
  const [alert, setAlert] = useState(null);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();
  const wantedMilestone = useRef(ctx.params.get('milestone') ?? '');
  const beginChoices = useRequestCounter();
  const steps = useSteps({
    ctx,
    load: () => load(query.current),
    setStatus,
    setAlert,
    conflictMessage: (c, current) => {
      const now = current ? ` It is now ${statusName(current.status).toLowerCase()}.` : '';
      return `“${c.title}” changed while you were looking at it.${now} The list is up to date; check it and try again.`;
    },
    focusAfter: (c) => focusLater(byKey(`cm-${c.id}`)),
    focusBack: (c, action) => focusLater(byKey(`act-${action}-${c.id}`)),
  });

  async function fetchPage(q) {
    const read = async (page) => (await gql(LIST_QUERY, {
      id: partnership.id,
      ...page,
      filter: toFilter(q.filters),
      orderBy: SORTS.find((s) => s.value === q.filters.sort).orderBy,
    })).partnership.commitments;
    const connection = await read(q.page);
    // A page emptied by a change elsewhere: go back to the first one.
    if (connection.nodes.length === 0 && connection.totalCount > 0 && (q.page.after || q.page.before)) {
      if (query.current === q) query.current = { ...q, page: FIRST };
      return { connection: await read(FIRST), filters: q.filters };
    }
    return { connection, filters: q.filters };
  }

  function remember(f) {
    const params = new URLSearchParams();
    if (f.status) params.set('status', f.status);
    if (f.owner) params.set('owner', f.owner);
    if (isIsoDay(f.from)) params.set('from', f.from);
    if (isIsoDay(f.to)) params.set('to', f.to);
    if (f.milestone) params.set('milestone', f.milestone);
    if (f.sort !== 'due') params.set('sort', f.sort);
    const text = params.toString();
    window.history.replaceState(null, '', `${partnershipHref(partnership.id, 'commitments')}${text ? `?${text}` : ''}`);
  }

  /** Show other filters or another page. */
  function change(next) {
    query.current = next;
    setFilters(next.filters);
    remember(next.filters);
    return load(next);
  }
  // Filters apply as soon as they change.
  const setFilter = (name) => (event) => change({ filters: { ...query.current.filters, [name]: event.currentTarget.value }, page: FIRST });
  // A typed date that does not exist leaves its control empty: say so, and keep the filter.
  const [dateErrors, setDateErrors] = useState(() => new Map());
  const checkDate = (name, filter) => (event) => {
    const problem = dateProblem(event.currentTarget);
    setDateErrors((errors) => {
      const next = new Map(errors);
      if (problem) next.set(name, problem);
      else next.delete(name);
      return next;
    });
    if (!problem && event.type === 'change') setFilter(filter)(event);
  };

  async function loadChoices() {
    const isLatest = beginChoices();
    try {
      const data = await gql(CHOICES_QUERY, { id: partnership.id });
      if (!ctx.isCurrent() || !isLatest()) return;
      const next = {
        milestones: data.partnership.roadmap.phases.flatMap((p) => p.milestones),
        kpis: data.partnership.kpis,
      };
      setChoices(next);
      const selected = query.current.filters.milestone || wantedMilestone.current;
      wantedMilestone.current = '';
      const milestone = next.milestones.some((m) => m.id === selected) ? selected : '';
      if (milestone !== query.current.filters.milestone) {
        query.current = { ...query.current, filters: { ...query.current.filters, milestone } };
        setFilters(query.current.filters);
      }
    } catch {
      // The filter and the form work without milestone and KPI choices.
    }
  }

  useEffect(() => {
    const wanted = wantedMilestone.current;
    const choicesLoaded = loadChoices();
    // A milestone filter from the address needs the milestone options before the first load.
    (wanted ? choicesLoaded : Promise.resolve()).then(() => {
      remember(query.current.filters);
      load(query.current);
    });
  }, []);
  useEffect(() => {
    if (list.data) steps.keepPossible(list.data.connection.nodes);
  }, [list.data]);

  useLiveChange(live, ctx, isCommitmentEvent, async (events) => {
    if (steps.busy.current) return;
    await load(query.current);
    if (byOtherSide(events)) {
      // A success banner spoke of the list before the partner's change.
      setStatus(null);
      notice.show(`${partnerName(partnership)} just changed a commitment; the list is up to date.`);
    }
  });
  useLiveChange(live, ctx, (e) => e.objectType === 'Milestone' || e.objectType === 'Kpi', () => loadChoices());

  function toggleForm() {
    const opening = !formOpen;
    setFormOpen(opening);
    if (opening) focusLater('#propose-commitment input');
  }

  async function proposed(created) {
    setStatus(null);
    await change({ filters: query.current.filters, page: FIRST });
    setStatus(created.status === 'PROPOSED'
      ? `You proposed “${created.title}”. ${partnerName(partnership)} can now accept or decline it.`
      : `You added “${created.title}” to your side's own commitments.`);
  }

  async function goTo(page) {
    await change({ filters: query.current.filters, page });
    focusLater('#commitment-list-heading');
  }

  function reset() {
    change({ filters: NO_FILTERS, page: FIRST });
    focusLater('select[name="status"]');
  }

  const connection = list.data?.connection;
  const shownFilters = list.data?.filters ?? filters;
  let body;
  if (list.error) body = html`<${Failed} error=${list.error} onRetry=${() => load(query.current)} />`;
  else if (!connection) body = html`<${Loading} text="Loading commitments…" />`;
  else if (connection.nodes.length === 0) {
    body = filtersActive(shownFilters)
      ? html`<${Empty} title="No commitments match these filters" text="Change or clear the filters to see more." />`
      : html`<${Empty} title="No commitments yet" text=${editable
        ? 'Propose the first one: what your side (or the partner) will deliver, and by when.'
        : 'Commitments appear here once a Lead or an Editor of either side proposes one.'} />`;
  } else {
    body = html`<${CommitmentRows} rows=${connection.nodes} partnershipId=${partnership.id}
      labelledBy="commitment-list-heading" steps=${steps} />`;
  }
  let count = '';
  if (connection) {
    const n = connection.totalCount;
    count = filtersActive(shownFilters)
      ? `${n} ${n === 1 ? 'commitment matches' : 'commitments match'} the filters.`
      : `${n} ${n === 1 ? 'commitment' : 'commitments'}.`;
  }
  const milestoneOptions = [{ value: '', label: 'Any milestone' }, ...choices.milestones.map((m) => ({ value: m.id, label: m.title }))];

  // The list is a plain block with its heading: a <section> would be a second landmark named
  // like the workspace section around it.
  return html`<div ref=${root}>
    <p class="lede">What each side committed to and by when. The accountable side delivers with evidence; only the other side can confirm or dispute.</p>
    <${LiveNotice} notice=${notice.notice} />
    ${editable ? html`<div class="toolbar">
      <button type="button" class="button button-primary" aria-expanded=${String(formOpen)} aria-controls="propose-commitment"
        onClick=${toggleForm}>Propose a commitment</button>
    </div>
    <div hidden=${!formOpen}>
      <${ProposeForm} partnership=${partnership} ctx=${ctx} choices=${choices} onCreated=${proposed} />
    </div>` : html`<${ReadOnlyNote} partnership=${partnership} doing="propose, accept or deliver commitments" />`}
    <form class="filters" role="search" aria-label="Filter commitments" onSubmit=${(event) => {
      event.preventDefault();
      change({ filters: query.current.filters, page: FIRST });
    }}><${FieldErrors.Provider} value=${dateErrors}>
      <${Field} label="Status"><${Select} name="status" options=${STATUS_FILTERS} value=${filters.status} onChange=${setFilter('status')} /><//>
      <${Field} label="Accountable side"><${Select} name="owner" options=${ownerOptions(partnership)} value=${filters.owner} onChange=${setFilter('owner')} /><//>
      <${Field} label="Due from" name="dueFrom"><input type="date" value=${filters.from}
        onChange=${checkDate('dueFrom', 'from')} onBlur=${checkDate('dueFrom', 'from')} /><//>
      <${Field} label="Due until" name="dueTo"><input type="date" value=${filters.to}
        onChange=${checkDate('dueTo', 'to')} onBlur=${checkDate('dueTo', 'to')} /><//>
      <${Field} label="Milestone"><${Select} name="milestone" options=${milestoneOptions} value=${filters.milestone} onChange=${setFilter('milestone')} /><//>
      <${Field} label="Sort by"><${Select} name="sort" options=${SORTS} value=${filters.sort} onChange=${setFilter('sort')} /><//>
      <div class="field field-submit"><button type="button" class="button button-quiet" onClick=${reset}>Clear filters</button></div>
    <//></form>
    <${Message} kind="success" messages=${status} />
    <${Message} kind="error" messages=${alert} />
    <div class="list-body">
      <h3 class="sr-only" id="commitment-list-heading" tabindex="-1">Commitments</h3>
      <p class="result-count" aria-live="polite">${count}</p>
      <div aria-busy=${list.busy ? 'true' : 'false'}>${body}</div>
      <div>${connection ? html`<${Pager} label="Pages of commitments" pageInfo=${connection.pageInfo}
        onPrevious=${() => goTo({ last: PAGE_SIZE, before: connection.pageInfo.startCursor })}
        onNext=${() => goTo({ first: PAGE_SIZE, after: connection.pageInfo.endCursor })} />` : null}</div>
    </div>
    <div><${Reliability} args=${args} /></div>
  </div>`;
}
