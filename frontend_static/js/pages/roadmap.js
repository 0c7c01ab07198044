// The shared recovery roadmap: a board of milestones in three phases, co-edited by both sides.
// Cards move by drag and drop or with the keyboard (Alt + arrow keys, or the Move buttons);
// every move and edit carries the card's version, and a conflict shows what the other side saved.

import { gql } from '../api.js';
import {
  busy, clear, clearFieldErrors, emptyState, field, h, hideMessage, loading, messageBox, newId,
  showMessage, showUserErrors,
} from '../dom.js';
import { timeEl } from '../format.js';
import { byOtherSide, onLiveChange } from '../live.js';
import {
  canEdit, dayEl, ERRORS, formatDay, isIsoDay, keepingFocus, liveNotice, mutate, ownParty, PARTY_FIELDS, partnerName, phaseName, PHASES, select, sideChip, sideOptions,
  statusBadge, statusName,
} from './common.js';
import { partnershipHref } from './partnerships.js';
import { sectionError } from './section.js';

const MILESTONE_FIELDS = `id title description targetDate phase status rank visibility version
  createdAt updatedAt ownerParty { ${PARTY_FIELDS} }`;

const ROADMAP_QUERY = `query PortalRoadmap($id: ID!) {
  partnership(id: $id) {
    id
    roadmap { phases { phase milestones { ${MILESTONE_FIELDS} } } }
  }
}`;

const MILESTONE_QUERY = `query PortalMilestone($id: ID!) {
  node(id: $id) {
    id
    ... on Milestone {
      ${MILESTONE_FIELDS}
      history(first: 50) {
        totalCount
        nodes { id action changes createdAt actor { displayName } actorParty { ${PARTY_FIELDS} } }
      }
    }
  }
}`;

const MILESTONE_ERRORS = `userErrors { field code message current { ${MILESTONE_FIELDS} } }`;

const CREATE = `mutation PortalCreateMilestone($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id title phase } ${ERRORS} }
}`;

const UPDATE = `mutation PortalUpdateMilestone($input: UpdateMilestoneInput!) {
  updateMilestone(input: $input) { milestone { ${MILESTONE_FIELDS} } ${MILESTONE_ERRORS} }
}`;

const MOVE = `mutation PortalMoveMilestone($input: MoveMilestoneInput!) {
  moveMilestone(input: $input) { milestone { id phase rank version } ${MILESTONE_ERRORS} }
}`;

const DROP = `mutation PortalDropMilestone($input: DropMilestoneInput!) {
  dropMilestone(input: $input) { milestone { id status version } ${MILESTONE_ERRORS} }
}`;

const STATUSES = ['PLANNED', 'IN_PROGRESS', 'AT_RISK', 'DONE'];
const STATUS_OPTIONS = STATUSES.map((s) => ({ value: s, label: statusName(s) }));
const VISIBILITY_OPTIONS = [
  { value: 'SHARED', label: 'Shared — both sides see it' },
  { value: 'INTERNAL', label: 'Internal — only your side sees it' },
];

export function milestoneHref(partnershipId, milestoneId) {
  return `${partnershipHref(partnershipId, 'roadmap')}/${encodeURIComponent(milestoneId)}`;
}

const isMilestoneEvent = (event) => event.objectType === 'Milestone';

export function renderRoadmap(content, args) {
  if (args.itemId) {
    renderMilestone(content, args, args.itemId);
    return;
  }
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);

  content.append(h('p', { class: 'lede' },
    'The recovery roadmap both sides work on: short-term stabilisation, mid-term rebuilding, long-term deepening.'));

  const notice = liveNotice();
  const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'board-announcer' });
  const alert = messageBox('error');
  const conflictSlot = h('div');
  const hintId = 'board-keyboard-hint';
  const showDropped = h('input', { type: 'checkbox', id: newId('dropped') });
  const formSlot = h('div', { hidden: true });
  const newButton = editable
    ? h('button', { type: 'button', class: 'button button-primary', 'aria-expanded': 'false', 'aria-controls': 'new-milestone' }, 'New milestone')
    : null;
  const board = h('div', { class: 'board', 'aria-busy': 'true' }, loading('Loading the roadmap…'));

  content.append(notice.el,
    h('div', { class: 'toolbar' },
      newButton,
      h('div', { class: 'checkbox toolbar-end' }, showDropped, h('label', { for: showDropped.id }, 'Show dropped milestones'))),
    formSlot, alert, conflictSlot,
    editable
      ? h('p', { class: 'hint board-hint', id: hintId },
        'To move a card, drag it, or focus its title and press Alt + ↑/↓ to reorder it within a phase and Alt + ←/→ to move it to another phase.')
      : h('p', { class: 'note' }, 'You can read the roadmap; Leads and Editors change it.'),
    board, announcer);

  /** phase → milestones in rank order, dropped ones included (positions count them). */
  let phases = new Map(PHASES.map((p) => [p.value, []]));
  const openMove = new Set();
  let moving = false;
  let dragging = null;

  const visibleOf = (phase) => phases.get(phase).filter((m) => showDropped.checked || m.status !== 'DROPPED');
  const othersIn = (phase, milestone) => phases.get(phase).filter((m) => m.id !== milestone.id);

  function announce(text) {
    // Clear first, so the same sentence twice is announced twice.
    announcer.textContent = '';
    window.setTimeout(() => { announcer.textContent = text; }, 30);
  }

  async function load() {
    board.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(ROADMAP_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      phases = new Map(PHASES.map((p) => [p.value, []]));
      for (const phase of data.partnership.roadmap.phases) {
        phases.set(phase.phase, [...phase.milestones].sort((a, b) => a.rank - b.rank));
      }
      await keepingFocus(board, async () => renderBoard());
    } catch (error) {
      sectionError(board, error, args, load);
    } finally {
      board.setAttribute('aria-busy', 'false');
    }
  }

  function renderBoard() {
    const total = [...phases.values()].flat().filter((m) => m.status !== 'DROPPED').length;
    const dropped = [...phases.values()].flat().length - total;
    showDropped.closest('.checkbox').hidden = dropped === 0 && !showDropped.checked;
    clear(board, PHASES.map((phase) => column(phase)));
    if (total === 0 && !showDropped.checked) {
      board.append(h('div', { class: 'board-empty-all' }, emptyState('The roadmap is empty',
        editable ? 'Add the first milestone with “New milestone”.' : 'Milestones appear here once a Lead or an Editor adds them.')));
    }
  }

  function column(phase) {
    const visible = visibleOf(phase.value);
    const headingId = `phase-${phase.value.toLowerCase()}`;
    const list = h('ol', { class: 'board-list', 'aria-label': `${phase.name} phase`, dataset: { phase: phase.value } },
      visible.map((m, index) => card(m, index, visible.length)));
    const col = h('section', { class: 'board-col', 'aria-labelledby': headingId, dataset: { phase: phase.value } },
      h('header', { class: 'board-col-head' },
        h('h3', { id: headingId }, phase.name, ' ',
          h('span', { class: 'count', 'aria-label': `${visible.length} milestones` }, String(visible.length))),
        h('p', { class: 'phase-term' }, `${phase.term} · ${phase.about}`)),
      list,
      visible.length === 0 ? h('p', { class: 'board-col-empty' }, 'No milestones in this phase.') : null);
    if (editable) wireDropZone(col, list, phase.value);
    return col;
  }

  function card(m, index, count) {
    const link = h('a', {
      class: 'ms-title',
      href: milestoneHref(partnership.id, m.id),
      'data-key': `ms-${m.id}`,
      'aria-describedby': editable ? hintId : null,
    }, m.title);
    const li = h('li', {
      class: `ms-card ms-${m.status.toLowerCase()}`,
      dataset: { id: m.id },
      draggable: editable ? 'true' : null,
    },
    h('div', { class: 'ms-card-top' }, link,
      m.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal', title: 'Only your side sees this milestone' }, 'Internal') : null),
    m.description ? h('p', { class: 'ms-desc' }, m.description) : null,
    h('div', { class: 'ms-meta' },
      statusBadge(m.status, 'ms'),
      sideChip(m.ownerParty),
      m.targetDate ? h('span', { class: 'ms-date' }, 'Target ', dayEl(m.targetDate)) : h('span', { class: 'ms-date muted' }, 'No target date')),
    h('span', { class: 'sr-only' }, `Position ${index + 1} of ${count}.`),
    editable ? moveControls(m) : null);
    if (editable) {
      li.addEventListener('keydown', (event) => {
        const direction = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' }[event.key];
        if (!direction || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        move(m, direction);
      });
      li.addEventListener('dragstart', (event) => {
        dragging = m;
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', m.id);
        li.classList.add('is-dragging');
      });
      li.addEventListener('dragend', () => {
        dragging = null;
        li.classList.remove('is-dragging');
        clearDropMarks();
      });
    }
    return li;
  }

  function moveControls(m) {
    const panelId = `move-${m.id}`;
    const open = openMove.has(m.id);
    const toggle = h('button', {
      type: 'button', class: 'button button-small button-quiet ms-move-toggle', 'aria-expanded': String(open),
      'aria-controls': panelId, 'data-key': `move-toggle-${m.id}`, 'aria-label': `Move ${m.title}`,
    }, 'Move');
    const arrow = (direction, symbol, label) => h('button', {
      type: 'button', class: 'button button-small ms-move', 'data-key': `move-${direction}-${m.id}`,
      'aria-label': `${label}: ${m.title}`, title: label, onclick: () => move(m, direction),
    }, symbol);
    const panel = h('div', { class: 'ms-move-panel', id: panelId, role: 'group', 'aria-label': `Move ${m.title}`, hidden: !open },
      arrow('up', '↑', 'Move up'), arrow('down', '↓', 'Move down'),
      arrow('left', '←', 'Move to the previous phase'), arrow('right', '→', 'Move to the next phase'));
    toggle.addEventListener('click', () => {
      const nowOpen = panel.hidden;
      panel.hidden = !nowOpen;
      toggle.setAttribute('aria-expanded', String(nowOpen));
      if (nowOpen) {
        openMove.add(m.id);
        panel.querySelector('button').focus();
      } else {
        openMove.delete(m.id);
      }
    });
    return h('div', { class: 'ms-actions' }, toggle, panel);
  }

  /** Work out where a key press or a button sends the card, then move it. */
  function move(m, direction) {
    if (moving) return;
    const visible = visibleOf(m.phase);
    const index = visible.findIndex((x) => x.id === m.id);
    const phaseIndex = PHASES.findIndex((p) => p.value === m.phase);
    const here = phaseName(m.phase);
    if (direction === 'up' || direction === 'down') {
      const neighbour = visible[index + (direction === 'up' ? -1 : 1)];
      if (!neighbour) {
        announce(`“${m.title}” is already ${direction === 'up' ? 'first' : 'last'} in ${here}.`);
        return;
      }
      const at = othersIn(m.phase, m).findIndex((x) => x.id === neighbour.id);
      doMove(m, m.phase, direction === 'up' ? at : at + 1);
      return;
    }
    const target = PHASES[phaseIndex + (direction === 'left' ? -1 : 1)];
    if (!target) {
      announce(`“${m.title}” is already in the ${direction === 'left' ? 'first' : 'last'} phase, ${here}.`);
      return;
    }
    const targetVisible = visibleOf(target.value);
    const slot = Math.min(index, targetVisible.length);
    const others = othersIn(target.value, m);
    const position = slot < targetVisible.length ? others.findIndex((x) => x.id === targetVisible[slot].id) : others.length;
    doMove(m, target.value, position);
  }

  async function doMove(m, phase, position) {
    if (phase === m.phase && phases.get(phase).findIndex((x) => x.id === m.id) === position) return;
    moving = true;
    hideMessage(alert);
    conflictSlot.replaceChildren();
    board.setAttribute('aria-busy', 'true');
    try {
      const { errors } = await mutate(MOVE, {
        input: { milestoneId: m.id, expectedVersion: m.version, phase, position },
      }, 'moveMilestone');
      if (!ctx.isCurrent()) return;
      const conflict = errors.find((e) => e.code === 'CONFLICT' && e.current);
      if (conflict) {
        showMoveConflict(m, conflict.current, phase, position);
        await load();
        return;
      }
      if (errors.length) {
        showMessage(alert, 'error', errors.map((e) => e.message));
        await load();
        return;
      }
      await load();
      const visible = visibleOf(phase);
      const at = visible.findIndex((x) => x.id === m.id);
      announce(`“${m.title}” moved to ${phaseName(phase)}, position ${at + 1} of ${visible.length}.`);
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') showMessage(alert, 'error', error.message);
    } finally {
      moving = false;
      board.setAttribute('aria-busy', 'false');
    }
  }

  function showMoveConflict(mine, current, phase, position) {
    const again = h('button', { type: 'button', class: 'button button-primary' }, 'Move it anyway');
    const keep = h('button', { type: 'button', class: 'button' }, 'Keep it as it is');
    const panel = h('div', { class: 'message message-warning conflict', role: 'alert' },
      h('p', { class: 'state-title' }, `“${current.title}” was changed by someone else before your move.`),
      h('p', {}, `It is now in ${phaseName(current.phase)} at position ${current.rank + 1}, `,
        `status ${statusName(current.status)}`, current.targetDate ? `, target ${formatDay(current.targetDate)}` : '', '. ',
        `Your move would put it in ${phaseName(phase)} at position ${position + 1}.`),
      h('div', { class: 'button-row' }, again, keep));
    again.addEventListener('click', () => {
      conflictSlot.replaceChildren();
      const limit = othersIn(phase, current).length;
      doMove({ ...current }, phase, Math.min(position, limit));
    });
    keep.addEventListener('click', () => {
      conflictSlot.replaceChildren();
      board.querySelector(`[data-key="ms-${CSS.escape(current.id)}"]`)?.focus();
    });
    clear(conflictSlot, panel);
    again.focus();
  }

  function clearDropMarks() {
    for (const el of board.querySelectorAll('.drop-before, .drop-target')) el.classList.remove('drop-before', 'drop-target');
    for (const el of board.querySelectorAll('.drop-end')) el.classList.remove('drop-end');
  }

  /** Index among the column's visible cards (the dragged one left out) where the pointer is. */
  function dropIndex(list, clientY) {
    const cards = [...list.querySelectorAll('.ms-card')].filter((c) => !c.classList.contains('is-dragging'));
    const before = cards.findIndex((c) => {
      const rect = c.getBoundingClientRect();
      return clientY < rect.top + rect.height / 2;
    });
    return { cards, index: before === -1 ? cards.length : before };
  }

  function wireDropZone(col, list, phase) {
    col.addEventListener('dragover', (event) => {
      if (!dragging) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      clearDropMarks();
      col.classList.add('drop-target');
      const { cards, index } = dropIndex(list, event.clientY);
      if (index < cards.length) cards[index].classList.add('drop-before');
      else list.classList.add('drop-end');
    });
    col.addEventListener('dragleave', (event) => {
      if (!col.contains(event.relatedTarget)) {
        col.classList.remove('drop-target');
        list.classList.remove('drop-end');
        for (const el of list.querySelectorAll('.drop-before')) el.classList.remove('drop-before');
      }
    });
    col.addEventListener('drop', (event) => {
      if (!dragging) return;
      event.preventDefault();
      const m = dragging;
      const { index } = dropIndex(list, event.clientY);
      clearDropMarks();
      const targetVisible = visibleOf(phase).filter((x) => x.id !== m.id);
      const others = othersIn(phase, m);
      const position = index < targetVisible.length
        ? others.findIndex((x) => x.id === targetVisible[index].id) : others.length;
      doMove(m, phase, position);
    });
  }

  showDropped.addEventListener('change', () => keepingFocus(board, async () => renderBoard()));

  if (newButton) {
    const form = createForm(partnership, ctx, async (created) => {
      await load();
      announce(`Milestone “${created.title}” added to ${phaseName(created.phase)}.`);
    });
    formSlot.append(form);
    newButton.addEventListener('click', () => {
      const open = formSlot.hidden;
      formSlot.hidden = !open;
      newButton.setAttribute('aria-expanded', String(open));
      if (open) form.querySelector('input')?.focus();
    });
  }

  onLiveChange(live, ctx, isMilestoneEvent, async (events) => {
    if (moving) return;
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed the roadmap; it is up to date.`);
  });

  load();
}

function createForm(partnership, ctx, onCreated) {
  const title = h('input', { type: 'text', maxlength: '200', required: true, autocomplete: 'off' });
  const phase = select({}, PHASES.map((p) => ({ value: p.value, label: `${p.name} (${p.term.toLowerCase()})` })), 'STABILIZE');
  const status = select({}, STATUS_OPTIONS, 'PLANNED');
  const targetDate = h('input', { type: 'date' });
  const owner = select({}, sideOptions(partnership), ownParty(partnership)?.id);
  const visibility = select({}, VISIBILITY_OPTIONS, 'SHARED');
  const description = h('textarea', { rows: '3', maxlength: '5000' });
  const errors = messageBox('error');
  const done = messageBox('success');
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Add milestone');
  const form = h('form', { class: 'form card new-milestone', id: 'new-milestone', novalidate: true, 'aria-labelledby': 'new-milestone-heading' },
    h('h3', { id: 'new-milestone-heading' }, 'New milestone'),
    errors, done,
    field({ label: 'Title', control: title, name: 'title' }),
    h('div', { class: 'form-row' },
      field({ label: 'Phase', control: phase, name: 'phase' }),
      field({ label: 'Status', control: status, name: 'status' }),
      field({ label: 'Target date', control: targetDate, name: 'targetDate', hint: 'Optional.' })),
    h('div', { class: 'form-row' },
      field({ label: 'Accountable side', control: owner, name: 'ownerPartyId' }),
      field({ label: 'Visibility', control: visibility, name: 'visibility' })),
    field({ label: 'Description', control: description, name: 'description', hint: 'What done looks like, and who is involved.' }),
    h('div', {}, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideMessage(done);
    clearFieldErrors(form);
    const local = [];
    if (!title.value.trim()) local.push({ field: 'title', message: 'Give the milestone a title.' });
    if (targetDate.value && !isIsoDay(targetDate.value)) local.push({ field: 'targetDate', message: 'Enter a valid date.' });
    if (visibility.value === 'INTERNAL' && owner.value !== ownParty(partnership)?.id) {
      local.push({ field: 'visibility', message: 'An internal milestone belongs to your side: choose your side as accountable.' });
    }
    if (local.length) {
      showUserErrors(form, errors, local);
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    let created = null;
    await busy(submit, 'Adding…', async () => {
      try {
        const { payload, errors: userErrors } = await mutate(CREATE, {
          input: {
            partnershipId: partnership.id,
            title: title.value.trim(),
            phase: phase.value,
            status: status.value,
            targetDate: targetDate.value || null,
            ownerPartyId: owner.value,
            visibility: visibility.value,
            description: description.value.trim(),
          },
        }, 'createMilestone');
        if (userErrors.length) {
          showUserErrors(form, errors, userErrors);
          (form.querySelector('[aria-invalid="true"]') ?? title).focus();
          return;
        }
        created = payload.milestone;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
      }
    });
    if (!created || !ctx.isCurrent()) return;
    hideMessage(errors);
    title.value = '';
    description.value = '';
    targetDate.value = '';
    showMessage(done, 'success', `Milestone “${created.title}” added to ${phaseName(created.phase)}.`);
    await onCreated(created);
    title.focus();
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// One milestone: its facts, the edit form with conflict handling, and its history.

const FIELD_LABELS = {
  title: 'Title',
  description: 'Description',
  target_date: 'Target date',
  targetDate: 'Target date',
  status: 'Status',
  phase: 'Phase',
  rank: 'Position',
  owner_party_id: 'Accountable side',
  ownerPartyId: 'Accountable side',
  visibility: 'Visibility',
};

/** Party global id → raw uuid, to name the sides the audit trail refers to by uuid. */
function rawId(globalId) {
  try {
    return atob(globalId).split(':').slice(1).join(':');
  } catch {
    return globalId;
  }
}

function renderMilestone(content, args, milestoneId) {
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);
  const back = h('p', { class: 'back-link' }, h('a', { href: partnershipHref(partnership.id, 'roadmap') }, '← Back to the roadmap'));
  const notice = liveNotice();
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the milestone…'));
  content.append(back, notice.el, body);

  const partyByRaw = new Map(partnership.parties.map((p) => [rawId(p.id), p]));
  let editor = null; // the open edit form, kept while it has unsaved changes

  function showValue(key, value) {
    if (value === null || value === undefined || value === '') return '—';
    if (key === 'status') return statusName(value);
    if (key === 'phase') return phaseName(value);
    if (key === 'rank') return String(Number(value) + 1);
    if (key === 'target_date' || key === 'targetDate') return formatDay(value);
    if (key === 'owner_party_id' || key === 'ownerPartyId') {
      const party = partyByRaw.get(String(value)) ?? partnership.parties.find((p) => p.id === value);
      return party ? party.organization.name : String(value);
    }
    if (key === 'visibility') return value === 'INTERNAL' ? 'Internal' : 'Shared';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  async function load({ keepEditor = false } = {}) {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(MILESTONE_QUERY, { id: milestoneId }).catch((error) => {
        if (error.code === 'NOT_FOUND') return { node: null };
        throw error;
      });
      if (!ctx.isCurrent()) return;
      const m = data.node;
      if (!m || !m.title) {
        clear(body, emptyState('Milestone not found',
          'It may have been removed, or it belongs to the other side only.',
          h('a', { class: 'button', href: partnershipHref(partnership.id, 'roadmap') }, 'Back to the roadmap')));
        return;
      }
      ctx.setTitle(`${m.title} · Roadmap · ${partnership.name}`);
      await keepingFocus(body, async () => render(m, keepEditor && editor?.isDirty()));
    } catch (error) {
      sectionError(body, error, args, () => load());
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function render(m, keepForm) {
    const heading = h('h3', { class: 'detail-title', id: 'milestone-heading', tabindex: '-1', 'data-key': 'milestone-heading' }, m.title);
    const facts = h('dl', { class: 'facts' },
      fact('Status', statusBadge(m.status, 'ms')),
      fact('Phase', phaseName(m.phase)),
      fact('Position', `${m.rank + 1} in ${phaseName(m.phase)}`),
      fact('Accountable side', sideChip(m.ownerParty)),
      fact('Target date', m.targetDate ? dayEl(m.targetDate) : 'None'),
      fact('Visibility', m.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal' }, 'Internal') : 'Shared with the partner'),
      fact('Last changed', timeEl(m.updatedAt)));
    const description = m.description
      ? h('p', { class: 'detail-description' }, m.description)
      : h('p', { class: 'muted' }, 'No description.');
    const history = historySection(m.history);
    // The open form is kept: unsaved edits stay (and will meet a conflict); otherwise it
    // takes the new values, so that a refresh never wipes its messages or focus.
    if (!editable) editor = null;
    else if (!editor) editor = editForm(m);
    else if (keepForm) editor.setCurrent(m);
    else editor.reset(m);
    clear(body,
      h('div', { class: 'detail-head' }, heading),
      facts, description,
      editor ? editor.el : null,
      history);
  }

  function fact(label, value) {
    return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
  }

  function historySection(history) {
    const headingId = 'milestone-history-heading';
    const events = history.nodes;
    return h('section', { class: 'block', 'aria-labelledby': headingId },
      h('h4', { id: headingId }, 'History'),
      events.length === 0
        ? h('p', { class: 'muted' }, 'No changes recorded yet.')
        : h('ol', { class: 'history', 'aria-labelledby': headingId }, events.map((e) => h('li', { class: 'history-item' },
          h('div', { class: 'history-head' },
            h('strong', {}, e.actor ? e.actor.displayName : 'System'),
            e.actorParty ? h('span', { class: 'muted' }, ` · ${e.actorParty.organization.name}`) : null,
            ' — ', actionName(e.action), ' · ', h('span', { class: 'muted' }, timeEl(e.createdAt))),
          changeList(e.changes)))),
      history.totalCount > events.length ? h('p', { class: 'muted small' }, `Showing the latest ${events.length} of ${history.totalCount} changes; the audit trail has them all.`) : null);
  }

  function actionName(action) {
    const names = {
      'milestone.created': 'created it', 'milestone.updated': 'edited it', 'milestone.moved': 'moved it',
      'milestone.dropped': 'dropped it',
    };
    return names[action] ?? action;
  }

  function changeList(changes) {
    const entries = changes && typeof changes === 'object' ? Object.entries(changes) : [];
    if (!entries.length) return null;
    return h('ul', { class: 'changes' }, entries.map(([key, change]) => {
      const shaped = change && typeof change === 'object' && ('from' in change || 'to' in change);
      const from = shaped ? change.from ?? null : null;
      const to = shaped ? change.to ?? null : change;
      const label = h('span', { class: 'change-field' }, FIELD_LABELS[key] ?? key);
      if (from === null) return h('li', {}, label, ': ', h('ins', { class: 'change-to' }, showValue(key, to)));
      return h('li', {}, label, ': ', h('del', { class: 'change-from' }, showValue(key, from)), ' → ',
        h('ins', { class: 'change-to' }, showValue(key, to)));
    }));
  }

  /** The edit form; its version is the one the user started from until they re-apply. */
  function editForm(m) {
    let base = m;
    let current = m;
    const title = h('input', { type: 'text', maxlength: '200', value: m.title, autocomplete: 'off', 'data-key': 'edit-title' });
    const description = h('textarea', { rows: '4', maxlength: '5000', 'data-key': 'edit-description' });
    description.value = m.description;
    const targetDate = h('input', { type: 'date', value: m.targetDate ?? '', 'data-key': 'edit-target' });
    const statusOptions = m.status === 'DROPPED' ? [...STATUS_OPTIONS, { value: 'DROPPED', label: 'Dropped' }] : STATUS_OPTIONS;
    const status = select({ 'data-key': 'edit-status' }, statusOptions, m.status);
    const owner = select({ 'data-key': 'edit-owner' }, sideOptions(partnership), m.ownerParty.id);
    owner.disabled = m.visibility === 'INTERNAL';
    const errors = messageBox('error');
    const done = messageBox('success');
    const conflictSlot = h('div');
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Save changes');
    const dropSlot = h('span', { class: 'inline-form' });
    const form = h('form', { class: 'form card', novalidate: true, 'aria-labelledby': 'edit-milestone-heading' },
      h('h4', { id: 'edit-milestone-heading' }, 'Edit milestone'),
      errors, done, conflictSlot,
      field({ label: 'Title', control: title, name: 'title' }),
      field({ label: 'Description', control: description, name: 'description' }),
      h('div', { class: 'form-row' },
        field({ label: 'Target date', control: targetDate, name: 'targetDate' }),
        field({ label: 'Status', control: status, name: 'status' }),
        field({ label: 'Accountable side', control: owner, name: 'ownerPartyId' })),
      h('div', { class: 'button-row' }, submit, dropSlot));

    const values = () => ({
      title: title.value.trim(),
      description: description.value.trim(),
      targetDate: targetDate.value || null,
      status: status.value,
      ownerPartyId: owner.value,
    });
    const valuesOf = (record) => ({
      title: record.title,
      description: record.description,
      targetDate: record.targetDate ?? null,
      status: record.status,
      ownerPartyId: record.ownerParty.id,
    });
    const isDirty = () => {
      const now = values();
      const was = valuesOf(base);
      return Object.keys(now).some((k) => now[k] !== was[k]);
    };

    function dropButton() {
      if (current.status === 'DROPPED') {
        clear(dropSlot, h('span', { class: 'muted' }, 'Dropped: it stays on record. Set another status to bring it back.'));
        return;
      }
      const drop = h('button', { type: 'button', class: 'button button-danger' }, 'Drop milestone');
      drop.addEventListener('click', () => {
        const yes = h('button', { type: 'button', class: 'button button-danger' }, 'Yes, drop it');
        const no = h('button', { type: 'button', class: 'button' }, 'Cancel');
        no.addEventListener('click', () => {
          dropButton();
          dropSlot.querySelector('button')?.focus();
        });
        yes.addEventListener('click', () => dropIt(yes));
        clear(dropSlot, h('span', { class: 'confirm-text' }, 'Drop this milestone? It stays on record as dropped.'), yes, no);
        yes.focus();
      });
      clear(dropSlot, drop);
    }

    async function dropIt(button) {
      hideMessage(errors);
      let ok = false;
      await busy(button, 'Dropping…', async () => {
        try {
          const { errors: userErrors } = await mutate(DROP, {
            input: { milestoneId: m.id, expectedVersion: base.version },
          }, 'dropMilestone');
          const conflict = userErrors.find((e) => e.code === 'CONFLICT' && e.current);
          if (conflict) {
            showConflict(conflict.current, { dropping: true });
            return;
          }
          if (userErrors.length) {
            showMessage(errors, 'error', userErrors.map((e) => e.message));
            return;
          }
          ok = true;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
        }
      });
      if (!ok || !ctx.isCurrent()) return;
      editor = null;
      await load();
      if (editor) {
        showMessage(editor.done, 'success', 'The milestone was dropped. It stays on record.');
        editor.focusFirst();
      }
    }

    async function save(expectedVersion) {
      hideMessage(done);
      clearFieldErrors(form);
      const input = values();
      if (!input.title) {
        showUserErrors(form, errors, [{ field: 'title', message: 'Give the milestone a title.' }]);
        title.focus();
        return;
      }
      let saved = null;
      await busy(submit, 'Saving…', async () => {
        try {
          const { payload, errors: userErrors } = await mutate(UPDATE, {
            input: {
              milestoneId: m.id,
              expectedVersion,
              ...input,
              ownerPartyId: owner.disabled ? null : input.ownerPartyId,
            },
          }, 'updateMilestone');
          const conflict = userErrors.find((e) => e.code === 'CONFLICT' && e.current);
          if (conflict) {
            showConflict(conflict.current);
            return;
          }
          if (userErrors.length) {
            showUserErrors(form, errors, userErrors);
            form.querySelector('[aria-invalid="true"]')?.focus();
            return;
          }
          saved = payload.milestone;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
        }
      });
      if (!saved || !ctx.isCurrent()) return;
      hideMessage(errors);
      conflictSlot.replaceChildren();
      editor = null;
      await load();
      const fresh = editor;
      if (fresh) {
        showMessage(fresh.done, 'success', 'Saved.');
        fresh.focusFirst();
      }
    }

    /**
     * Someone saved first: show what they changed and what we changed. Re-applying keeps their
     * values for the fields we did not touch and ours for those we did, on their version.
     */
    function showConflict(theirs, { dropping = false } = {}) {
      current = theirs;
      const mine = values();
      const was = valuesOf(base);
      const now = valuesOf(theirs);
      const keys = Object.keys(mine);
      const changedByMe = keys.filter((k) => mine[k] !== was[k]);
      const rows = keys.filter((k) => changedByMe.includes(k) || was[k] !== now[k]);
      const reapply = h('button', { type: 'button', class: 'button button-primary' }, dropping ? 'Drop it anyway' : 'Apply my changes again');
      const takeTheirs = h('button', { type: 'button', class: 'button' }, 'Use their version');
      const tableId = newId('conflict');
      const panel = h('div', { class: 'message message-warning conflict', role: 'alert' },
        h('p', { class: 'state-title', id: tableId }, 'Someone else saved this milestone after you opened it.'),
        h('p', {}, dropping
          ? 'Check what changed before dropping it.'
          : 'Nothing of yours was saved yet. Compare, then apply your changes on top of theirs, or keep their version.'),
        h('div', { class: 'table-wrap' }, h('table', { class: 'table conflict-table', 'aria-labelledby': tableId },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Your change'), h('th', { scope: 'col' }, 'Saved now'))),
          h('tbody', {}, rows.map((k) => h('tr', {},
            h('th', { scope: 'row' }, FIELD_LABELS[k]),
            h('td', { 'data-label': 'Your change' }, changedByMe.includes(k) ? showValue(k, mine[k]) : h('span', { class: 'muted' }, 'not changed by you')),
            h('td', { 'data-label': 'Saved now' }, showValue(k, now[k]))))))),
        h('div', { class: 'button-row' }, reapply, takeTheirs));
      reapply.addEventListener('click', async () => {
        // Their values where we changed nothing, ours where we did.
        for (const k of keys) {
          if (!changedByMe.includes(k)) setControl(k, now[k]);
        }
        base = theirs;
        conflictSlot.replaceChildren();
        if (dropping) await dropIt(reapply);
        else await save(theirs.version);
      });
      takeTheirs.addEventListener('click', async () => {
        conflictSlot.replaceChildren();
        editor = null;
        await load();
        editor?.focusFirst();
      });
      clear(conflictSlot, panel);
      reapply.focus();
    }

    function setControl(key, value) {
      const control = { title, description, targetDate, status, ownerPartyId: owner }[key];
      if (!control) return;
      if (control.tagName === 'SELECT' && value && !control.querySelector(`option[value="${CSS.escape(value)}"]`)) {
        control.append(h('option', { value }, showValue(key, value)));
      }
      control.value = value ?? '';
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      save(base.version);
    });
    dropButton();

    return {
      el: form,
      done,
      isDirty,
      focusFirst: () => title.focus(),
      /** A newer version arrived while the user edits: keep their input and their base. */
      setCurrent(record) {
        current = record;
      },
      /** A newer version arrived and nothing is being edited: show it. */
      reset(record) {
        const wasDropped = current.status === 'DROPPED';
        base = record;
        current = record;
        const now = valuesOf(record);
        for (const key of Object.keys(now)) setControl(key, now[key]);
        owner.disabled = record.visibility === 'INTERNAL';
        if (wasDropped !== (record.status === 'DROPPED')) dropButton();
      },
    };
  }

  onLiveChange(live, ctx, (e) => e.objectType === 'Milestone', async (events) => {
    const mine = events.some((e) => e.resync || e.objectId === milestoneId);
    if (!mine) return;
    const dirty = editor?.isDirty();
    await load({ keepEditor: true });
    if (byOtherSide(events)) {
      notice.show(dirty
        ? `${partnerName(partnership)} just changed this milestone. Your unsaved edits are kept; saving will show both versions.`
        : `${partnerName(partnership)} just changed this milestone; it is up to date.`, null, { sticky: Boolean(dirty) });
    }
  });

  load();
}
