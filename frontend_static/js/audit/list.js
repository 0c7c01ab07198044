// The audit trail: every write in the partnership this side may see, newest first, filtered on
// the server (kind of object, side, person, period), with the chain check.

import { gql } from '../api.js';
import { dateProblem, otherParty, ownParty } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { SideChip } from '../ui/badges.js';
import { Field, FieldErrors, Select } from '../ui/field.js';
import { Button } from '../ui/form.js';
import {
  html, useEffect, useMemo, useRef, useState,
} from '../ui/html.js';
import {
  byKey, useFocus, useRequestCounter, useSectionLoad,
} from '../ui/hooks.js';
import { Message } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Moment } from '../ui/time.js';
import { PEOPLE_QUERY, TRAIL_QUERY, VERIFY_QUERY } from './api.js';
import { actorName, Changes, WhatHappened } from './event.js';
import { valueNames } from './words.js';

const HEADING_ID = 'audit-list-heading';

/** The kinds of object the trail can be narrowed to, and the audited types of each. */
const KINDS = [
  { value: '', label: 'Anything', types: null },
  { value: 'roadmap', label: 'Milestones', types: ['Milestone'] },
  { value: 'commitments', label: 'Commitments', types: ['Commitment'] },
  { value: 'kpis', label: 'KPIs and their measurements', types: ['Kpi', 'KpiMeasurement'] },
  { value: 'members', label: 'Members', types: ['WorkspaceMember'] },
  { value: 'invitations', label: 'Invitations', types: ['Invitation'] },
  { value: 'tokens', label: 'API tokens', types: ['ApiToken'] },
];
const NO_FILTERS = {
  kind: '', side: '', person: '', from: '', to: '',
};
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const isDay = (value) => ISO_DAY.test(value ?? '') && !Number.isNaN(new Date(`${value}T00:00:00`).getTime());
const filtersActive = (f) => Boolean(f.kind || f.side || f.person || f.from || f.to);

/** The start of a day in the reader's time zone, as an ISO moment. */
function startOf(day, plusDays = 0) {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
}

function toFilter(f) {
  const filter = {};
  const kind = KINDS.find((k) => k.value === f.kind);
  if (kind?.types) filter.objectTypes = kind.types;
  if (f.side) filter.partyId = f.side;
  if (f.person) filter.actorId = f.person;
  if (isDay(f.from)) filter.createdFrom = startOf(f.from);
  // "Until" a day includes that whole day.
  if (isDay(f.to)) filter.createdBefore = startOf(f.to, 1);
  return Object.keys(filter).length ? filter : null;
}

function sideOptions(partnership) {
  return [
    { value: '', label: 'Either side' },
    ...[ownParty(partnership), otherParty(partnership)].filter(Boolean)
      .map((p) => ({ value: p.id, label: `${p.organization.name}${p.isOwn ? ' (your side)' : ''}` })),
  ];
}

function filtersFrom(params, partnership) {
  const pick = (value, options) => (options.some((o) => o.value === value) ? value : '');
  return {
    kind: pick(params.get('kind') ?? '', KINDS),
    side: pick(params.get('side') ?? '', sideOptions(partnership)),
    person: params.get('person') ?? '',
    from: isDay(params.get('from')) ? params.get('from') : '',
    to: isDay(params.get('to')) ? params.get('to') : '',
  };
}

/** What is wrong with the filters before anything is asked ({ field: message }). */
function problemsOf(f) {
  if (isDay(f.from) && isDay(f.to) && f.to < f.from) return { to: 'Choose a day on or after the “From” day.' };
  return {};
}

export function AuditTrail({ args }) {
  const { partnership, ctx } = args;
  const [filters, setFilters] = useState(() => filtersFrom(ctx.params, partnership));
  const query = useRef({ filters, more: null });
  const [trail, load] = useSectionLoad(fetchTrail, args);
  const [people, setPeople] = useState([]);
  const [problems, setProblems] = useState({});
  const [root, focusLater] = useFocus();
  const valueText = useMemo(() => valueNames(partnership), [partnership]);
  const beginPeople = useRequestCounter();

  /** A page of events; "more" appends the next page to those on screen. */
  async function fetchTrail(q) {
    const data = await gql(TRAIL_QUERY, {
      id: partnership.id, after: q.more?.pageInfo.endCursor ?? null, filter: toFilter(q.filters),
    });
    const page = data.partnership.auditTrail;
    const nodes = q.more ? [...q.more.nodes, ...page.nodes] : page.nodes;
    return {
      nodes, totalCount: page.totalCount, pageInfo: page.pageInfo, filters: q.filters, firstNew: q.more ? page.nodes[0]?.id : null,
    };
  }

  function remember(f) {
    const params = new URLSearchParams();
    for (const key of Object.keys(NO_FILTERS)) if (f[key]) params.set(key, f[key]);
    const text = params.toString();
    window.history.replaceState(null, '', `${partnershipHref(partnership.id, 'audit')}${text ? `?${text}` : ''}`);
  }

  function change(next) {
    setFilters(next);
    const found = problemsOf(next);
    setProblems(found);
    if (Object.keys(found).length) return null;
    query.current = { filters: next, more: null };
    remember(next);
    return load(query.current);
  }
  const setFilter = (name) => (event) => change({ ...filters, [name]: event.currentTarget.value });
  // A typed date that does not exist leaves its control empty: say so, and keep the filter.
  const [unreadable, setUnreadable] = useState({});
  const checkDate = (name) => (event) => {
    const problem = dateProblem(event.currentTarget);
    setUnreadable((now) => ({ ...now, [name]: problem }));
    if (!problem && event.type === 'change') setFilter(name)(event);
  };

  async function loadPeople() {
    const isLatest = beginPeople();
    try {
      const data = await gql(PEOPLE_QUERY, { id: partnership.id });
      if (!ctx.isCurrent() || !isLatest()) return;
      setPeople(data.partnership.members.nodes);
    } catch {
      // The other filters work without the list of people.
    }
  }

  useEffect(() => {
    loadPeople();
    remember(query.current.filters);
    load(query.current);
  }, []);

  async function loadMore() {
    query.current = { filters: query.current.filters, more: trail.data };
    const data = await load(query.current);
    if (data?.firstNew) focusLater(byKey(`ev-${data.firstNew}`));
  }

  const data = trail.data;
  const shown = data?.filters ?? filters;
  const personOptions = [
    { value: '', label: 'Anyone' },
    ...[ownParty(partnership), otherParty(partnership)].filter(Boolean).flatMap((party) => people
      .filter((m) => m.party.id === party.id)
      .map((m) => ({ value: m.user.id, label: `${m.user.displayName} — ${party.organization.name}` }))),
  ];
  if (filters.person && !personOptions.some((o) => o.value === filters.person)) {
    personOptions.push({ value: filters.person, label: 'Someone no longer a member' });
  }

  let body;
  if (trail.error && !data) body = html`<${Failed} error=${trail.error} onRetry=${() => load(query.current)} />`;
  else if (!data) body = html`<${Loading} text="Loading the audit trail…" />`;
  else if (data.nodes.length === 0) {
    body = filtersActive(shown)
      ? html`<${Empty} title="No events match these filters" text="Change or clear the filters to see more." />`
      : html`<${Empty} title="No events yet" text="Changes made in this workspace will be listed here." />`;
  } else {
    body = html`<${EventTable} events=${data.nodes} partnershipId=${partnership.id} valueText=${valueText} />`;
  }
  let count = '';
  if (data) {
    const n = data.totalCount;
    count = filtersActive(shown)
      ? `${n} ${n === 1 ? 'event matches' : 'events match'} the filters, newest first.`
      : `${n} ${n === 1 ? 'event' : 'events'}, newest first. Each event is hash-chained to the one before it.`;
  }

  // The list is a plain block with its heading: a <section> would be a second landmark named
  // like the workspace section around it.
  return html`<div ref=${root}>
    <p class="lede">Every change in this workspace that your side may see: who made it, when, and what changed.</p>
    <${VerifyChain} partnership=${partnership} ctx=${ctx} />
    <form class="filters" role="search" aria-label="Filter the audit trail" onSubmit=${(event) => {
      event.preventDefault();
      change(filters);
    }}><${FieldErrors.Provider} value=${new Map([...Object.entries(problems), ...Object.entries(unreadable).filter(([, m]) => m)])}>
      <${Field} label="Changed"><${Select} name="kind" options=${KINDS} value=${filters.kind} onChange=${setFilter('kind')} /><//>
      <${Field} label="Side"><${Select} name="side" options=${sideOptions(partnership)} value=${filters.side} onChange=${setFilter('side')} /><//>
      <${Field} label="Person"><${Select} name="person" options=${personOptions} value=${filters.person} onChange=${setFilter('person')} /><//>
      <${Field} label="From" name="from"><input type="date" value=${filters.from} onChange=${checkDate('from')}
        onBlur=${checkDate('from')} /><//>
      <${Field} label="Until" name="to"><input type="date" value=${filters.to} onChange=${checkDate('to')}
        onBlur=${checkDate('to')} /><//>
      <div class="field field-submit"><button type="button" class="button button-quiet" onClick=${() => {
        change(NO_FILTERS);
        focusLater('select[name="kind"]');
      }}>Clear filters</button></div>
    <//></form>
    <div class="list-body">
      <h3 class="sr-only" id=${HEADING_ID} tabindex="-1">Audit trail</h3>
      <p class="result-count" aria-live="polite">${count}</p>
      <div aria-busy=${trail.busy ? 'true' : 'false'}>${body}</div>
      ${data && data.nodes.length ? html`<div class="list-footer">
        <p class="muted">${`Showing ${data.nodes.length} of ${data.totalCount}.`}</p>
        ${trail.error ? html`<${Message} kind="error" messages=${trail.error.message} />` : null}
        ${data.pageInfo.hasNextPage ? html`<${Button} busy=${trail.busy} busyLabel="Loading…" onClick=${loadMore}>Load older events<//>` : null}
      </div>` : null}
    </div>
  </div>`;
}

function EventTable({ events, partnershipId, valueText }) {
  return html`<div class="table-wrap">
    <table class="table audit-table" aria-labelledby=${HEADING_ID}>
      <colgroup><col class="audit-col-when" /><col class="audit-col-who" /><col class="audit-col-what" /><col class="audit-col-changes" /></colgroup>
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Changes</th></tr></thead>
      <tbody>
        ${events.map((e) => html`<tr key=${e.id} class="audit-event">
          <td data-label="When" tabindex="-1" data-key=${`ev-${e.id}`}><div>
            <${Moment} iso=${e.createdAt} /><span class="muted small audit-seq">${` #${e.seq}`}</span>
          </div></td>
          <td data-label="Who"><div>
            <span class="audit-actor">${actorName(e)}</span>
            ${e.actorParty ? html`<span class="audit-side"><${SideChip} party=${e.actorParty} /></span>` : null}
          </div></td>
          <td data-label="What"><div><${WhatHappened} event=${e} partnershipId=${partnershipId} capital /></div></td>
          <td data-label="Changes"><div><${Changes} changes=${e.changes} valueText=${valueText} /></div></td>
        </tr>`)}
      </tbody>
    </table>
  </div>`;
}

function VerifyChain({ partnership, ctx }) {
  const [state, setState] = useState({ busy: false, result: null, error: null });
  async function verify() {
    setState({ busy: true, result: null, error: null });
    try {
      const data = await gql(VERIFY_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      setState({ busy: false, result: data.partnership.verifyAuditChain, error: null });
    } catch (error) {
      if (error.code === 'UNAUTHENTICATED' || !ctx.isCurrent()) return;
      setState({ busy: false, result: null, error });
    }
  }
  const { result, error, busy } = state;
  let text = '';
  let kind = '';
  if (busy) text = 'Verifying the chain…';
  else if (error) {
    kind = ' message message-error';
    text = `The chain could not be verified: ${error.message}`;
  } else if (result?.intact) {
    kind = ' message message-success';
    text = `Chain intact: all ${result.checkedEvents} events verified.`;
  } else if (result) {
    kind = ' message message-error';
    text = `Chain broken at event #${result.firstBrokenSeq}: ${result.checkedEvents} events checked. Events from #${result.firstBrokenSeq} on cannot be trusted.`;
  }
  return html`<div class="toolbar">
    <${Button} busy=${busy} busyLabel="Verifying…" onClick=${verify}>Verify chain<//>
    <div class=${`verify-result${kind}`} role="status" aria-label="Chain verification">${text}</div>
  </div>`;
}
