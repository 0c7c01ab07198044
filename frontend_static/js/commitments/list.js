// The list of commitments: filters and sorting on the server, pages, and on each row the
// two-sided actions the viewer may take now (Commitment.viewerActions).

import {
  busy, clear, field, h, hideMessage, loading, messageBox, showMessage,
} from '../dom.js';
import { byOtherSide, onLiveChange } from '../live.js';
import { gql } from '../api.js';
import {
  canEdit, isIsoDay, keepingFocus, liveNotice, otherParty, ownParty, partnerName, select,
  statusName,
} from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { sectionError } from '../pages/section.js';
import { ACTIONS, CHOICES_QUERY, isCommitmentEvent, LIST_QUERY, sendStep } from './api.js';
import { actionForm, buildProposeForm } from './forms.js';
import { renderReliability } from './reliability.js';
import { html, show } from '../ui/html.js';
import { Pager } from '../ui/pager.js';
import { CommitmentRows } from './row.js';
import { Empty } from '../ui/states.js';

const PAGE_SIZE = 20;
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
export function renderCommitmentList(content, args) {
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);
  const own = ownParty(partnership);
  const other = otherParty(partnership);

  content.append(h('p', { class: 'lede' },
    'What each side committed to and by when. The accountable side delivers with evidence; only the other side can confirm or dispute.'));

  const notice = liveNotice();
  const status = messageBox('success');
  const alert = messageBox('error');
  const proposeButton = editable
    ? h('button', { type: 'button', class: 'button button-primary', 'aria-expanded': 'false', 'aria-controls': 'propose-commitment' }, 'Propose a commitment')
    : null;
  const formSlot = h('div', { hidden: true });

  // Filters live in the address (so a reload or a shared link keeps them).
  const params = ctx.params;
  const initialStatus = params.get('status') ?? '';
  const statusFilter = select({ name: 'status' }, STATUS_FILTERS, STATUS_FILTERS.some((o) => o.value === initialStatus) ? initialStatus : '');
  const ownerFilter = select({ name: 'owner' }, [
    { value: '', label: 'Either side' },
    ...[own, other].filter(Boolean).map((p) => ({ value: p.id, label: `${p.organization.name}${p.isOwn ? ' (your side)' : ''}` })),
  ], params.get('owner') ?? '');
  const dueFrom = h('input', { type: 'date', name: 'dueFrom', value: isIsoDay(params.get('from') ?? '') ? params.get('from') : '' });
  const dueTo = h('input', { type: 'date', name: 'dueTo', value: isIsoDay(params.get('to') ?? '') ? params.get('to') : '' });
  const milestoneFilter = select({ name: 'milestone' }, [{ value: '', label: 'Any milestone' }], '');
  const wantedMilestone = params.get('milestone') ?? '';
  const sortSelect = select({ name: 'sort' }, SORTS, SORTS.some((s) => s.value === params.get('sort')) ? params.get('sort') : 'due');
  const reset = h('button', { type: 'button', class: 'button button-quiet' }, 'Clear filters');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter commitments' },
    field({ label: 'Status', control: statusFilter }),
    field({ label: 'Accountable side', control: ownerFilter }),
    field({ label: 'Due from', control: dueFrom }),
    field({ label: 'Due until', control: dueTo }),
    field({ label: 'Milestone', control: milestoneFilter }),
    field({ label: 'Sort by', control: sortSelect }),
    h('div', { class: 'field field-submit' }, reset));
  const resultCount = h('p', { class: 'result-count', 'aria-live': 'polite' });
  const listHeading = h('h3', { class: 'sr-only', id: 'commitment-list-heading', tabindex: '-1' }, 'Commitments');
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading commitments…'));
  const pager = h('div');
  const reliability = h('div');

  content.append(notice.el,
    proposeButton ? h('div', { class: 'toolbar' }, proposeButton) : null,
    formSlot, filters, status, alert,
    h('section', { 'aria-labelledby': listHeading.id }, listHeading, resultCount, body, pager),
    reliability);

  let page = { first: PAGE_SIZE, after: null };
  let rows = [];
  let busyAction = false;
  // Open action forms by commitment id; they survive a live re-render of the list.
  const openForms = new Map();

  function currentFilter() {
    const filter = {};
    if (statusFilter.value === 'OPEN') filter.status = OPEN;
    else if (statusFilter.value) filter.status = [statusFilter.value];
    if (ownerFilter.value) filter.ownerPartyId = ownerFilter.value;
    if (isIsoDay(dueFrom.value)) filter.dueFrom = dueFrom.value;
    if (isIsoDay(dueTo.value)) filter.dueTo = dueTo.value;
    if (milestoneFilter.value) filter.milestoneId = milestoneFilter.value;
    return filter;
  }

  function filtersActive() {
    return Boolean(statusFilter.value || ownerFilter.value || dueFrom.value || dueTo.value || milestoneFilter.value);
  }

  function rememberFilters() {
    const query = new URLSearchParams();
    if (statusFilter.value) query.set('status', statusFilter.value);
    if (ownerFilter.value) query.set('owner', ownerFilter.value);
    if (isIsoDay(dueFrom.value)) query.set('from', dueFrom.value);
    if (isIsoDay(dueTo.value)) query.set('to', dueTo.value);
    if (milestoneFilter.value) query.set('milestone', milestoneFilter.value);
    if (sortSelect.value !== 'due') query.set('sort', sortSelect.value);
    const text = query.toString();
    window.history.replaceState(null, '', `${partnershipHref(partnership.id, 'commitments')}${text ? `?${text}` : ''}`);
  }

  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(LIST_QUERY, {
        id: partnership.id,
        ...page,
        filter: currentFilter(),
        orderBy: SORTS.find((s) => s.value === sortSelect.value).orderBy,
      });
      if (!ctx.isCurrent()) return;
      const connection = data.partnership.commitments;
      rows = connection.nodes;
      // A page emptied by a change elsewhere: go back to the first one.
      if (rows.length === 0 && connection.totalCount > 0 && (page.after || page.before)) {
        page = { first: PAGE_SIZE, after: null };
        await load();
        return;
      }
      await keepingFocus(body, async () => renderList(connection));
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function renderList(connection) {
    const count = connection.totalCount;
    resultCount.textContent = filtersActive()
      ? `${count} ${count === 1 ? 'commitment matches' : 'commitments match'} the filters.`
      : `${count} ${count === 1 ? 'commitment' : 'commitments'}.`;
    if (rows.length === 0) {
      openForms.clear();
      show(body, filtersActive()
        ? html`<${Empty} title="No commitments match these filters" text="Change or clear the filters to see more." />`
        : html`<${Empty} title="No commitments yet" text=${editable
          ? 'Propose the first one: what your side (or the partner) will deliver, and by when.'
          : 'Commitments appear here once a Lead or an Editor of either side proposes one.'} />`);
    } else {
      // Forms whose commitment left the page, or whose action is no longer possible, close.
      for (const [id, open] of openForms) {
        const c = rows.find((x) => x.id === id);
        if (!c || !c.viewerActions.includes(open.action)) openForms.delete(id);
      }
      show(body, html`<${CommitmentRows} rows=${rows} partnershipId=${partnership.id} labelledBy=${listHeading.id}
        openForms=${openForms} onAction=${onAction} />`);
    }
    const { pageInfo } = connection;
    show(pager, html`<${Pager} label="Pages of commitments" pageInfo=${pageInfo}
      onPrevious=${() => goTo({ last: PAGE_SIZE, before: pageInfo.startCursor })}
      onNext=${() => goTo({ first: PAGE_SIZE, after: pageInfo.endCursor })} />`);
  }

  async function goTo(next) {
    page = next;
    await load();
    listHeading.focus();
  }

  /** A step's button was pressed: a step that needs input opens its form under the row. */
  function onAction(c, action, button) {
    if (ACTIONS[action].form) openActionForm(c, action, button.closest('li').querySelector('.cm-form-host'));
    else runAction(c, action, {}, button);
  }

  function openActionForm(c, action, formHost) {
    const form = actionForm(c, action, {
      onSubmit: (input, submit) => runAction(c, action, input, submit, form),
      onCancel: () => {
        openForms.delete(c.id);
        form.remove();
        body.querySelector(`[data-key="act-${action}-${CSS.escape(c.id)}"]`)?.focus();
      },
    });
    openForms.set(c.id, { action, el: form });
    clear(formHost, form);
    form.querySelector('input, textarea')?.focus();
  }

  async function runAction(c, action, input, button, form = null) {
    if (busyAction) return;
    busyAction = true;
    hideMessage(status);
    hideMessage(alert);
    const spec = ACTIONS[action];
    let ok = false;
    // Without a form, or after a conflict, the list is re-read; a form with errors stays as typed.
    let reload = !form;
    try {
      await busy(button, 'Saving…', async () => {
        const outcome = await sendStep(c, action, input, {
          ctx, form, alert,
          conflictMessage: (current) => {
            const now = current ? ` It is now ${statusName(current.status).toLowerCase()}.` : '';
            return `“${c.title}” changed while you were looking at it.${now} The list is up to date; check it and try again.`;
          },
        });
        if (outcome === 'conflict') {
          openForms.delete(c.id);
          reload = true;
        }
        ok = outcome === 'ok';
      });
      if (!ctx.isCurrent()) return;
      if (ok) {
        openForms.delete(c.id);
        reload = true;
      }
      if (reload) await load();
      if (ok) {
        showMessage(status, 'success', `${spec.done} “${c.title}”.`);
        body.querySelector(`[data-key="cm-${CSS.escape(c.id)}"]`)?.focus();
      }
    } finally {
      busyAction = false;
    }
  }

  // Filters apply as soon as they change.
  const refilter = () => {
    page = { first: PAGE_SIZE, after: null };
    rememberFilters();
    load();
  };
  for (const control of [statusFilter, ownerFilter, milestoneFilter, sortSelect, dueFrom, dueTo]) {
    control.addEventListener('change', refilter);
  }
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    refilter();
  });
  reset.addEventListener('click', () => {
    statusFilter.value = '';
    ownerFilter.value = '';
    dueFrom.value = '';
    dueTo.value = '';
    milestoneFilter.value = '';
    sortSelect.value = 'due';
    refilter();
    statusFilter.focus();
  });

  let choices = { milestones: [], kpis: [] };
  async function loadChoices() {
    try {
      const data = await gql(CHOICES_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      choices = {
        milestones: data.partnership.roadmap.phases.flatMap((p) => p.milestones),
        kpis: data.partnership.kpis,
      };
      const selected = milestoneFilter.value || wantedMilestone;
      clear(milestoneFilter, h('option', { value: '' }, 'Any milestone'),
        choices.milestones.map((m) => h('option', { value: m.id }, m.title)));
      milestoneFilter.value = choices.milestones.some((m) => m.id === selected) ? selected : '';
      proposeForm?.setChoices(choices);
    } catch {
      // The filter and the form work without milestone and KPI choices.
    }
  }

  let proposeForm = null;
  if (proposeButton) {
    proposeForm = buildProposeForm(partnership, ctx, async (created) => {
      page = { first: PAGE_SIZE, after: null };
      await load();
      showMessage(status, 'success', created.status === 'PROPOSED'
        ? `You proposed “${created.title}”. ${partnerName(partnership)} can now accept or decline it.`
        : `You added “${created.title}” to your side's own commitments.`);
    });
    formSlot.append(proposeForm.el);
    proposeButton.addEventListener('click', () => {
      const opening = formSlot.hidden;
      formSlot.hidden = !opening;
      proposeButton.setAttribute('aria-expanded', String(opening));
      if (opening) proposeForm.focusFirst();
    });
  }

  const reliabilityPanel = renderReliability(reliability, args);

  onLiveChange(live, ctx, isCommitmentEvent, async (events) => {
    if (busyAction) return;
    await load();
    reliabilityPanel.reload();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed a commitment; the list is up to date.`);
  });
  onLiveChange(live, ctx, (e) => e.objectType === 'Milestone' || e.objectType === 'Kpi', () => loadChoices());

  rememberFilters();
  // A milestone filter from the address needs the milestone options before the first load.
  if (wantedMilestone) {
    loadChoices().then(load);
  } else {
    loadChoices();
    load();
  }
}
