// Commitments: what each side committed to, by when, and whether the other side confirmed it.
// The list filters and sorts on the server; each commitment shows the two-sided actions the
// viewer may take now (Commitment.viewerActions). A detail page shows evidence, every due
// date and the whole history; a panel shows each side's reliability for a period.

import { gql } from '../api.js';
import {
  busy, clear, clearFieldErrors, emptyState, field, h, hideMessage, loading, messageBox, newId,
  showMessage, showUserErrors,
} from '../dom.js';
import { timeEl } from '../format.js';
import { byOtherSide, onLiveChange } from '../live.js';
import {
  addDaysIso, addMonthsIso, canEdit, dayEl, ERRORS, formatDay, isIsoDay, keepingFocus, liveNotice,
  mutate, otherParty, ownParty, PARTY_FIELDS, partnerName, select, sideChip, sideOptions,
  statusBadge, statusName, todayIso,
} from './common.js';
import { milestoneHref } from './roadmap.js';
import { partnershipHref } from './partnerships.js';
import { sectionError } from './section.js';

const PAGE_SIZE = 20;

const ROW_FIELDS = `id title status dueDate version visibility updatedAt disputeReason dueDates
  pendingRenegotiation { proposedDueDate reason }
  ownerParty { ${PARTY_FIELDS} } proposedByParty { ${PARTY_FIELDS} }
  milestone { id title } evidence { url title }
  viewerActions`;

const LIST_QUERY = `query PortalCommitments($id: ID!, $first: Int, $after: String, $last: Int, $before: String,
  $filter: CommitmentFilterInput, $orderBy: CommitmentOrderInput) {
  partnership(id: $id) {
    id
    commitments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { ${ROW_FIELDS} }
    }
  }
}`;

const CHOICES_QUERY = `query PortalCommitmentChoices($id: ID!) {
  partnership(id: $id) {
    id
    roadmap { phases { phase milestones { id title status } } }
    kpis(includeBuiltin: false) { id name }
  }
}`;

const RELIABILITY_QUERY = `query PortalReliability($id: ID!, $from: Date!, $to: Date!) {
  partnership(id: $id) {
    id
    commitmentReliability(from: $from, to: $to) {
      due onTime onTimeRate missed renegotiations disputes party { ${PARTY_FIELDS} }
    }
  }
}`;

const DETAIL_QUERY = `query PortalCommitment($id: ID!) {
  node(id: $id) {
    id
    ... on Commitment {
      ${ROW_FIELDS}
      description createdAt deliveredAt confirmedAt
      kpi { id name }
      evidence { url title note createdAt }
      history {
        action fromStatus toStatus at reason dueDateBefore dueDateAfter
        actorParty { ${PARTY_FIELDS} } actor { displayName }
      }
    }
  }
}`;

const PAYLOAD = `commitment { id title status version } userErrors { field code message current { id status version } }`;

const PROPOSE = `mutation PortalProposeCommitment($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id title status } ${ERRORS} }
}`;

const step = (name, inputType = 'CommitmentActionInput') => `mutation PortalCommitmentStep($input: ${inputType}!) {
  ${name}(input: $input) { ${PAYLOAD} }
}`;

/** Every action the portal offers, in the order the buttons appear. */
const ACTIONS = {
  ACCEPT: { label: 'Accept', mutation: 'acceptCommitment', kind: 'primary', done: 'You accepted' },
  DECLINE: { label: 'Decline', mutation: 'declineCommitment', form: 'decline', kind: 'danger', done: 'You declined' },
  START: { label: 'Start work', mutation: 'startCommitment', done: 'You started' },
  DELIVER: { label: 'Deliver', mutation: 'deliverCommitment', form: 'deliver', kind: 'primary', input: 'DeliverCommitmentInput', done: 'You delivered' },
  CONFIRM: { label: 'Confirm delivery', mutation: 'confirmCommitment', kind: 'primary', done: 'You confirmed the delivery of' },
  DISPUTE: { label: 'Dispute', mutation: 'disputeCommitment', form: 'dispute', kind: 'danger', done: 'You disputed the delivery of' },
  REQUEST_RENEGOTIATION: { label: 'Ask for a new due date', mutation: 'requestCommitmentRenegotiation', form: 'renegotiate', input: 'RequestRenegotiationInput', done: 'You asked for a new due date for' },
  ACCEPT_RENEGOTIATION: { label: 'Accept new due date', mutation: 'acceptCommitmentRenegotiation', kind: 'primary', done: 'You accepted the new due date of' },
  DECLINE_RENEGOTIATION: { label: 'Keep current due date', mutation: 'declineCommitmentRenegotiation', done: 'You kept the current due date of' },
};

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

const isCommitmentEvent = (event) => event.objectType === 'Commitment' || event.objectType === 'CommitmentEvidence';

/**
 * Sends one lifecycle step with the version the page shows. Returns 'ok', 'conflict' (the
 * commitment changed meanwhile; the message says so) or null (refused, and shown on the form
 * or above it; or the page is gone, or the session ended).
 */
async function sendStep(c, action, input, { ctx, form, alert, conflictMessage }) {
  const spec = ACTIONS[action];
  try {
    const { errors } = await mutate(step(spec.mutation, spec.input), {
      input: { commitmentId: c.id, expectedVersion: c.version, ...input },
    }, spec.mutation);
    if (!ctx.isCurrent()) return null;
    if (!errors.length) return 'ok';
    const conflict = errors.find((e) => e.code === 'CONFLICT');
    if (conflict) {
      showMessage(alert, 'error', conflictMessage(conflict.current));
      return 'conflict';
    }
    if (form) form.showErrors(errors);
    else showMessage(alert, 'error', errors.map((e) => e.message));
  } catch (error) {
    if (error.code === 'UNAUTHENTICATED') return null;
    if (form) form.showErrors([{ message: error.message }]);
    else showMessage(alert, 'error', error.message);
  }
  return null;
}

export function commitmentHref(partnershipId, commitmentId) {
  return `${partnershipHref(partnershipId, 'commitments')}/${encodeURIComponent(commitmentId)}`;
}

export function renderCommitments(content, args) {
  if (args.itemId) {
    renderCommitment(content, args, args.itemId);
    return;
  }
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
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of commitments', hidden: true });
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
      clear(body, filtersActive()
        ? emptyState('No commitments match these filters', 'Change or clear the filters to see more.')
        : emptyState('No commitments yet', editable
          ? 'Propose the first one: what your side (or the partner) will deliver, and by when.'
          : 'Commitments appear here once a Lead or an Editor of either side proposes one.'));
    } else {
      const list = h('ul', { class: 'cm-list', 'aria-labelledby': listHeading.id }, rows.map((c) => row(c)));
      // Forms whose commitment left the page, or whose action is no longer possible, close.
      for (const [id, open] of openForms) {
        const c = rows.find((x) => x.id === id);
        if (!c || !c.viewerActions.includes(open.action)) openForms.delete(id);
      }
      clear(body, list);
    }
    const { pageInfo } = connection;
    pager.hidden = !pageInfo.hasNextPage && !pageInfo.hasPreviousPage;
    clear(pager,
      pageInfo.hasPreviousPage
        ? h('button', { type: 'button', class: 'button', 'data-key': 'page-prev', onclick: () => goTo({ last: PAGE_SIZE, before: pageInfo.startCursor }) }, '← Previous page')
        : h('span'),
      pageInfo.hasNextPage
        ? h('button', { type: 'button', class: 'button', 'data-key': 'page-next', onclick: () => goTo({ first: PAGE_SIZE, after: pageInfo.endCursor }) }, 'Next page →')
        : h('span'));
  }

  async function goTo(next) {
    page = next;
    await load();
    listHeading.focus();
  }

  function row(c) {
    const titleId = `cm-title-${c.id}`;
    const formHost = h('div', { class: 'cm-form-host' });
    const open = openForms.get(c.id);
    if (open) formHost.append(open.el);
    return h('li', { class: `cm-item cm-${c.status.toLowerCase()}`, dataset: { id: c.id } },
      h('div', { class: 'cm-main' },
        h('h4', { class: 'cm-title', id: titleId },
          h('a', { href: commitmentHref(partnership.id, c.id), 'data-key': `cm-${c.id}` }, c.title),
          c.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal', title: 'Only your side sees this commitment' }, 'Internal') : null),
        summary(c)),
      actionButtons(c, titleId, formHost),
      formHost);
  }

  function summary(c) {
    const renegotiated = c.dueDates.length > 1;
    return [
      h('p', { class: 'cm-meta' },
        statusBadge(c.status, 'cm'),
        h('span', {}, 'Accountable: ', sideChip(c.ownerParty)),
        h('span', { class: c.status === 'MISSED' ? 'cm-due overdue' : 'cm-due' }, 'Due ', dayEl(c.dueDate),
          renegotiated ? h('span', { class: 'muted' }, ` (was ${formatDay(c.dueDates[c.dueDates.length - 2])})`) : null),
        c.milestone ? h('span', {}, 'Milestone: ', h('a', { href: milestoneHref(partnership.id, c.milestone.id) }, c.milestone.title)) : null),
      c.pendingRenegotiation
        ? h('p', { class: 'cm-note cm-renegotiation' },
          `${sideName(c.ownerParty)} asks to move the due date to `, dayEl(c.pendingRenegotiation.proposedDueDate),
          `: “${c.pendingRenegotiation.reason}”`)
        : null,
      c.status === 'DISPUTED' && c.disputeReason
        ? h('p', { class: 'cm-note cm-dispute' }, 'Disputed: “', c.disputeReason, '”')
        : null,
      c.evidence.length
        ? h('p', { class: 'cm-evidence' }, 'Evidence: ', c.evidence.map((e, i) => [
          i ? ', ' : '', h('a', { href: e.url, target: '_blank', rel: 'noopener noreferrer' }, e.title)]))
        : null,
    ];
  }

  function sideName(party) {
    return party.isOwn ? 'Your side' : party.organization.name;
  }

  function actionButtons(c, titleId, formHost) {
    if (c.viewerActions.length === 0) return null;
    return h('div', { class: 'cm-actions', role: 'group', 'aria-label': `Actions on ${c.title}` },
      Object.keys(ACTIONS).filter((a) => c.viewerActions.includes(a)).map((action) => {
        const spec = ACTIONS[action];
        const button = h('button', {
          type: 'button',
          class: `button button-small${spec.kind ? ` button-${spec.kind}` : ''}`,
          'aria-describedby': titleId,
          'data-key': `act-${action}-${c.id}`,
        }, spec.label);
        button.addEventListener('click', () => {
          if (spec.form) {
            openActionForm(c, action, formHost);
          } else {
            runAction(c, action, {}, button);
          }
        });
        return button;
      }));
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

/** The form of an action that needs input: evidence links, a reason, or a new due date. */
function actionForm(c, action, { onSubmit, onCancel }) {
  const spec = ACTIONS[action];
  const errors = messageBox('error');
  const submit = h('button', { type: 'submit', class: `button button-small${spec.kind ? ` button-${spec.kind}` : ''}` }, {
    deliver: 'Mark as delivered', dispute: 'Dispute delivery', decline: 'Decline commitment', renegotiate: 'Send the request',
  }[spec.form]);
  const cancel = h('button', { type: 'button', class: 'button button-small button-quiet', onclick: onCancel }, 'Cancel');
  const headingId = newId('action-form');
  const heading = h('h5', { id: headingId }, {
    deliver: `Deliver “${c.title}”`, dispute: `Dispute the delivery of “${c.title}”`,
    decline: `Decline “${c.title}”`, renegotiate: `Ask for a new due date for “${c.title}”`,
  }[spec.form]);
  const form = h('form', { class: 'form cm-action-form', novalidate: true, 'aria-labelledby': headingId }, heading, errors);
  let collect = () => ({});

  if (spec.form === 'deliver') {
    const links = h('div', { class: 'evidence-rows' });
    const addRow = (focus) => {
      const index = links.children.length;
      const url = h('input', { type: 'url', inputmode: 'url', placeholder: 'https://…', autocomplete: 'off', spellcheck: 'false' });
      const title = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
      const note = h('input', { type: 'text', maxlength: '2000', autocomplete: 'off' });
      const n = index + 1;
      const fieldset = h('fieldset', { class: 'evidence-row' },
        h('legend', {}, `Evidence link ${n}`),
        h('div', { class: 'form-row' },
          field({ label: 'Link (URL)', control: url, name: `evidence[${index}].url` }),
          field({ label: 'Title', control: title, name: `evidence[${index}].title` }),
          field({ label: 'Note (optional)', control: note, name: `evidence[${index}].note` })));
      links.append(fieldset);
      if (focus) url.focus();
    };
    addRow(false);
    const more = h('button', { type: 'button', class: 'button button-small', onclick: () => addRow(true) }, 'Add another link');
    form.append(h('p', { class: 'hint' }, 'Link to what proves the delivery: a report, a dashboard, a signed-off document. The other side confirms or disputes it.'),
      links, h('div', {}, more));
    collect = () => ({
      evidence: [...links.querySelectorAll('.evidence-row')].map((fs) => {
        const [url, title, note] = fs.querySelectorAll('input');
        return { url: url.value.trim(), title: title.value.trim(), note: note.value.trim() };
      }).filter((e) => e.url || e.title || e.note),
    });
    form.validate = (input) => {
      const problems = [];
      if (input.evidence.length === 0) problems.push({ field: 'evidence[0].url', message: 'Add at least one link that proves the delivery.' });
      input.evidence.forEach((e, i) => {
        if (!/^https?:\/\/\S+$/.test(e.url)) problems.push({ field: `evidence[${i}].url`, message: 'Enter a link starting with https:// or http://.' });
        if (!e.title) problems.push({ field: `evidence[${i}].title`, message: 'Give the link a title.' });
      });
      return problems;
    };
  } else if (spec.form === 'dispute' || spec.form === 'decline') {
    const reason = h('textarea', { rows: '2', maxlength: '2000' });
    form.append(field({
      label: spec.form === 'dispute' ? 'Why is the delivery not what was agreed?' : 'Reason (optional)',
      control: reason,
      name: 'reason',
      hint: spec.form === 'dispute' ? 'The accountable side sees this and can deliver again.' : null,
    }));
    collect = () => ({ reason: reason.value.trim() });
    form.validate = (input) => (spec.form === 'dispute' && !input.reason
      ? [{ field: 'reason', message: 'Say why you dispute the delivery.' }] : []);
  } else if (spec.form === 'renegotiate') {
    const date = h('input', { type: 'date', value: addDaysIso(c.dueDate, 14) });
    const reason = h('textarea', { rows: '2', maxlength: '2000' });
    form.append(h('p', { class: 'hint' }, 'Currently due ', dayEl(c.dueDate), '. The other side accepts the new date or keeps the current one; every date stays on record.'),
      h('div', { class: 'form-row' },
        field({ label: 'New due date', control: date, name: 'newDueDate' }),
        field({ label: 'Reason', control: reason, name: 'reason' })));
    collect = () => ({ newDueDate: date.value, reason: reason.value.trim() });
    form.validate = (input) => {
      const problems = [];
      if (!isIsoDay(input.newDueDate)) problems.push({ field: 'newDueDate', message: 'Choose the new due date.' });
      else if (input.newDueDate === c.dueDate) problems.push({ field: 'newDueDate', message: 'Choose a date other than the current one.' });
      if (!input.reason) problems.push({ field: 'reason', message: 'Say why the date has to move.' });
      return problems;
    };
  }
  form.append(h('div', { class: 'button-row' }, submit, cancel));
  form.showErrors = (list) => {
    showUserErrors(form, errors, list);
    form.querySelector('[aria-invalid="true"]')?.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    hideMessage(errors);
    const input = collect();
    const problems = form.validate ? form.validate(input) : [];
    if (problems.length) {
      form.showErrors(problems);
      return;
    }
    onSubmit(input, submit);
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  });
  return form;
}

function buildProposeForm(partnership, ctx, onCreated) {
  const title = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
  const due = h('input', { type: 'date', value: addDaysIso(todayIso(), 30) });
  const owner = select({}, sideOptions(partnership), ownParty(partnership)?.id);
  const visibility = select({}, [
    { value: 'SHARED', label: 'Shared — the other side accepts it' },
    { value: 'INTERNAL', label: 'Internal — your side\'s own plan' },
  ], 'SHARED');
  const milestone = select({}, [{ value: '', label: 'None' }], '');
  const kpi = select({}, [{ value: '', label: 'None' }], '');
  const description = h('textarea', { rows: '3', maxlength: '5000' });
  const errors = messageBox('error');
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Propose commitment');
  const form = h('form', { class: 'form card', id: 'propose-commitment', novalidate: true, 'aria-labelledby': 'propose-heading' },
    h('h3', { id: 'propose-heading' }, 'Propose a commitment'),
    errors,
    field({ label: 'What will be delivered', control: title, name: 'title', hint: 'Concrete and checkable, e.g. “Weekly order-status report every Monday”.' }),
    h('div', { class: 'form-row' },
      field({ label: 'Due date', control: due, name: 'dueDate' }),
      field({ label: 'Accountable side', control: owner, name: 'ownerPartyId', hint: 'The side that delivers.' }),
      field({ label: 'Visibility', control: visibility, name: 'visibility' })),
    h('div', { class: 'form-row' },
      field({ label: 'Milestone (optional)', control: milestone, name: 'milestoneId' }),
      field({ label: 'KPI it moves (optional)', control: kpi, name: 'kpiId' })),
    field({ label: 'Description (optional)', control: description, name: 'description' }),
    h('div', {}, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    hideMessage(errors);
    const local = [];
    if (!title.value.trim()) local.push({ field: 'title', message: 'Say what will be delivered.' });
    if (!isIsoDay(due.value)) local.push({ field: 'dueDate', message: 'Choose a due date.' });
    if (visibility.value === 'INTERNAL' && owner.value !== ownParty(partnership)?.id) {
      local.push({ field: 'visibility', message: 'An internal commitment is your side\'s own: choose your side as accountable.' });
    }
    if (local.length) {
      showUserErrors(form, errors, local);
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    let created = null;
    await busy(submit, 'Proposing…', async () => {
      try {
        const { payload, errors: userErrors } = await mutate(PROPOSE, {
          input: {
            partnershipId: partnership.id,
            title: title.value.trim(),
            dueDate: due.value,
            ownerPartyId: owner.value,
            visibility: visibility.value,
            milestoneId: milestone.value || null,
            kpiId: kpi.value || null,
            description: description.value.trim(),
          },
        }, 'proposeCommitment');
        if (userErrors.length) {
          showUserErrors(form, errors, userErrors);
          (form.querySelector('[aria-invalid="true"]') ?? title).focus();
          return;
        }
        created = payload.commitment;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
      }
    });
    if (!created || !ctx.isCurrent()) return;
    title.value = '';
    description.value = '';
    await onCreated(created);
    title.focus();
  });

  return {
    el: form,
    focusFirst: () => title.focus(),
    setChoices({ milestones, kpis }) {
      const keepM = milestone.value;
      const keepK = kpi.value;
      clear(milestone, h('option', { value: '' }, 'None'),
        milestones.filter((m) => m.status !== 'DROPPED').map((m) => h('option', { value: m.id }, m.title)));
      clear(kpi, h('option', { value: '' }, 'None'), kpis.map((k) => h('option', { value: k.id }, k.name)));
      milestone.value = keepM;
      kpi.value = keepK;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reliability per side for a period: on-time rate, missed, renegotiations and disputes.

const PERIODS = [
  { value: '3', label: 'Last 3 months' },
  { value: '6', label: 'Last 6 months' },
  { value: '12', label: 'Last 12 months' },
  { value: 'custom', label: 'Custom period' },
];

function renderReliability(container, args) {
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
      clear(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table reliability-table', 'aria-labelledby': headingId },
        h('thead', {}, h('tr', {}, ['Side', 'Due', 'On time', 'On-time rate', 'Missed', 'Renegotiated', 'Disputed']
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, figures.map((f) => h('tr', {},
          h('th', { scope: 'row', 'data-label': 'Side' }, sideChip(f.party)),
          h('td', { 'data-label': 'Due' }, String(f.due)),
          h('td', { 'data-label': 'On time' }, String(f.onTime)),
          h('td', { 'data-label': 'On-time rate' }, f.onTimeRate === null ? h('span', { class: 'muted' }, 'nothing due') : rate(f.onTimeRate)),
          h('td', { 'data-label': 'Missed' }, String(f.missed)),
          h('td', { 'data-label': 'Renegotiated' }, String(f.renegotiations)),
          h('td', { 'data-label': 'Disputed' }, String(f.disputes))))))));
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function rate(value) {
    const percent = Math.round(value * 1000) / 10;
    const kind = percent >= 90 ? 'good' : percent >= 75 ? 'warn' : 'bad';
    return h('strong', { class: `rate rate-${kind}` }, `${percent}%`);
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

// ---------------------------------------------------------------------------------------------
// One commitment: facts, evidence, every due date, the history, and the actions.

function renderCommitment(content, args, commitmentId) {
  const { partnership, ctx, live } = args;
  const back = h('p', { class: 'back-link' }, h('a', { href: partnershipHref(partnership.id, 'commitments') }, '← Back to the commitments'));
  const notice = liveNotice();
  const status = messageBox('success');
  const alert = messageBox('error');
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the commitment…'));
  content.append(back, notice.el, status, alert, body);
  let openForm = null;
  let acting = false;

  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(DETAIL_QUERY, { id: commitmentId }).catch((error) => {
        if (error.code === 'NOT_FOUND') return { node: null };
        throw error;
      });
      if (!ctx.isCurrent()) return;
      const c = data.node;
      if (!c || !c.title) {
        clear(body, emptyState('Commitment not found', 'It may not exist, or it is the other side’s internal commitment.',
          h('a', { class: 'button', href: partnershipHref(partnership.id, 'commitments') }, 'Back to the commitments')));
        return;
      }
      ctx.setTitle(`${c.title} · Commitments · ${partnership.name}`);
      if (openForm && !c.viewerActions.includes(openForm.action)) openForm = null;
      await keepingFocus(body, async () => render(c));
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function fact(label, value) {
    return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
  }

  function render(c) {
    const formHost = h('div', { class: 'cm-form-host' });
    if (openForm) formHost.append(openForm.el);
    const titleId = 'commitment-heading';
    clear(body,
      h('div', { class: 'detail-head' },
        h('h3', { class: 'detail-title', id: titleId, tabindex: '-1', 'data-key': 'commitment-heading' }, c.title),
        statusBadge(c.status, 'cm'),
        c.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal' }, 'Internal') : null),
      h('dl', { class: 'facts' },
        fact('Accountable side', sideChip(c.ownerParty)),
        fact('Proposed by', sideChip(c.proposedByParty)),
        fact('Due date', h('span', { class: c.status === 'MISSED' ? 'overdue' : null }, dayEl(c.dueDate))),
        fact('Milestone', c.milestone ? h('a', { href: milestoneHref(partnership.id, c.milestone.id) }, c.milestone.title) : 'None'),
        fact('KPI', c.kpi ? h('a', { href: `${partnershipHref(partnership.id, 'kpis')}/${encodeURIComponent(c.kpi.id)}` }, c.kpi.name) : 'None'),
        fact('Delivered', c.deliveredAt ? timeEl(c.deliveredAt) : 'Not yet'),
        fact('Confirmed', c.confirmedAt ? timeEl(c.confirmedAt) : 'Not yet')),
      c.description ? h('p', { class: 'detail-description' }, c.description) : null,
      c.pendingRenegotiation
        ? h('p', { class: 'message message-warning' }, `${c.ownerParty.isOwn ? 'Your side asks' : `${c.ownerParty.organization.name} asks`} to move the due date to `,
          dayEl(c.pendingRenegotiation.proposedDueDate), `: “${c.pendingRenegotiation.reason}”`)
        : null,
      c.status === 'DISPUTED' && c.disputeReason ? h('p', { class: 'message message-error' }, `Disputed: “${c.disputeReason}”`) : null,
      actions(c, titleId, formHost),
      formHost,
      h('div', { class: 'detail-columns' },
        h('section', { class: 'block', 'aria-labelledby': 'evidence-heading' },
          h('h4', { id: 'evidence-heading' }, 'Evidence'),
          c.evidence.length === 0
            ? h('p', { class: 'muted' }, 'No evidence yet. The accountable side adds links when it delivers.')
            : h('ul', { class: 'evidence-list', 'aria-labelledby': 'evidence-heading' }, c.evidence.map((e) => h('li', {},
              h('a', { href: e.url, target: '_blank', rel: 'noopener noreferrer' }, e.title),
              h('span', { class: 'muted small' }, ` · added `, timeEl(e.createdAt)),
              e.note ? h('p', { class: 'small' }, e.note) : null,
              h('p', { class: 'muted small evidence-url' }, e.url))))),
        h('section', { class: 'block', 'aria-labelledby': 'due-heading' },
          h('h4', { id: 'due-heading' }, 'Every due date'),
          h('ol', { class: 'due-dates', 'aria-labelledby': 'due-heading' }, c.dueDates.map((d, i) => {
            const last = i === c.dueDates.length - 1;
            const change = c.history.find((t) => t.dueDateAfter === d && t.action === 'ACCEPT_RENEGOTIATION');
            return h('li', { class: last ? 'due-current' : 'due-old' },
              last ? h('strong', {}, dayEl(d)) : h('del', {}, dayEl(d)),
              last ? h('span', { class: 'muted' }, ' (current)') : null,
              change?.reason ? h('span', { class: 'muted small' }, ` — moved because “${change.reason}”`) : null);
          })))),
      h('section', { class: 'block', 'aria-labelledby': 'history-heading' },
        h('h4', { id: 'history-heading' }, 'History'),
        h('ol', { class: 'history', 'aria-labelledby': 'history-heading' }, [...c.history].reverse().map((t) => h('li', { class: 'history-item' },
          h('div', { class: 'history-head' },
            h('strong', {}, t.actor ? t.actor.displayName : t.actorParty.organization.name),
            h('span', { class: 'muted' }, ` · ${t.actorParty.organization.name}`),
            ' — ', transitionText(t), ' · ', h('span', { class: 'muted' }, timeEl(t.at))),
          t.reason ? h('p', { class: 'small history-reason' }, `“${t.reason}”`) : null))))
    );
  }

  function transitionText(t) {
    const verbs = {
      PROPOSE: 'proposed it', ACCEPT: 'accepted it', DECLINE: 'declined it', START: 'started the work',
      DELIVER: 'delivered it', CONFIRM: 'confirmed the delivery', DISPUTE: 'disputed the delivery',
      REQUEST_RENEGOTIATION: 'asked for a new due date', ACCEPT_RENEGOTIATION: 'accepted the new due date',
      DECLINE_RENEGOTIATION: 'kept the current due date',
    };
    const parts = [verbs[t.action] ?? t.action];
    if (t.fromStatus !== t.toStatus) {
      parts.push(` (${t.fromStatus ? `${statusName(t.fromStatus)} → ` : ''}${statusName(t.toStatus)})`);
    }
    if (t.dueDateBefore && t.dueDateAfter && t.dueDateBefore !== t.dueDateAfter) {
      parts.push(`, due ${formatDay(t.dueDateBefore)} → ${formatDay(t.dueDateAfter)}`);
    } else if (!t.dueDateBefore && t.dueDateAfter) {
      parts.push(`, due ${formatDay(t.dueDateAfter)}`);
    } else if (t.action === 'REQUEST_RENEGOTIATION' && t.dueDateAfter) {
      parts.push(`: ${formatDay(t.dueDateAfter)}`);
    }
    return parts.join('');
  }

  function actions(c, titleId, formHost) {
    if (c.viewerActions.length === 0) return null;
    return h('div', { class: 'cm-actions cm-actions-detail', role: 'group', 'aria-label': 'Actions' },
      Object.keys(ACTIONS).filter((a) => c.viewerActions.includes(a)).map((action) => {
        const spec = ACTIONS[action];
        const button = h('button', {
          type: 'button', class: `button${spec.kind ? ` button-${spec.kind}` : ''}`,
          'aria-describedby': titleId, 'data-key': `act-${action}`,
        }, spec.label);
        button.addEventListener('click', () => {
          if (!spec.form) {
            act(c, action, {}, button);
            return;
          }
          const form = actionForm(c, action, {
            onSubmit: (input, submit) => act(c, action, input, submit, form),
            onCancel: () => {
              openForm = null;
              form.remove();
              body.querySelector(`[data-key="act-${action}"]`)?.focus();
            },
          });
          openForm = { action, el: form };
          clear(formHost, form);
          form.querySelector('input, textarea')?.focus();
        });
        return button;
      }));
  }

  async function act(c, action, input, button, form = null) {
    if (acting) return;
    acting = true;
    hideMessage(status);
    hideMessage(alert);
    const spec = ACTIONS[action];
    let ok = false;
    let reload = !form;
    try {
      await busy(button, 'Saving…', async () => {
        const outcome = await sendStep(c, action, input, {
          ctx, form, alert,
          conflictMessage: () => 'This commitment changed while you were looking at it. It is up to date now; check it and try again.',
        });
        if (outcome === 'conflict') {
          openForm = null;
          reload = true;
        }
        ok = outcome === 'ok';
      });
      if (!ctx.isCurrent()) return;
      if (ok) {
        openForm = null;
        reload = true;
      }
      if (reload) await load();
      if (ok) {
        showMessage(status, 'success', `${spec.done} “${c.title}”.`);
        body.querySelector('h3')?.focus();
      }
    } finally {
      acting = false;
    }
  }

  onLiveChange(live, ctx, isCommitmentEvent, async (events) => {
    if (acting) return;
    if (!events.some((e) => e.resync || e.objectId === commitmentId || e.objectType === 'CommitmentEvidence')) return;
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed this commitment; it is up to date.`);
  });

  load();
}
