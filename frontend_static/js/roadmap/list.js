// The shared recovery roadmap: a board of milestones in three phases, co-edited by both sides.
// Cards move by drag and drop or with the keyboard (Alt + arrow keys, or the Move buttons);
// every move and edit carries the card's version, and a conflict shows what the other side saved.

import {
  clear, emptyState, h, hideMessage, loading, messageBox, newId, showMessage,
} from '../dom.js';
import { byOtherSide, onLiveChange } from '../live.js';
import { gql } from '../api.js';
import {
  canEdit, dayEl, formatDay, keepingFocus, liveNotice, mutate, partnerName, phaseName, PHASES,
  sideChip, statusBadge, statusName,
} from '../pages/common.js';
import { sectionError } from '../pages/section.js';
import { isMilestoneEvent, MOVE, ROADMAP_QUERY } from './api.js';
import { milestoneHref } from './links.js';
import { createForm } from './forms.js';

export function renderRoadmapBoard(content, args) {
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
