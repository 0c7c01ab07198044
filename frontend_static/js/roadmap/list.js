// The shared recovery roadmap: a board of milestones in three phases, co-edited by both sides.
// Cards move by drag and drop or with the keyboard (Alt + arrow keys, or the Move buttons);
// every move and edit carries the card's version, and a conflict shows what the other side saved.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import {
  canEdit, formatDay, mutate, partnerName, phaseName, PHASES, statusName,
} from '../pages/common.js';
import { InternalBadge, SideChip, StatusBadge } from '../ui/badges.js';
import { ReadOnlyNote } from '../ui/access.js';
import { Conflict } from '../ui/conflict.js';
import {
  html, useEffect, useRef, useState,
} from '../ui/html.js';
import {
  byKey, useFocus, useLiveChange, useSectionLoad,
} from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Day } from '../ui/time.js';
import { isMilestoneEvent, MOVE, ROADMAP_QUERY } from './api.js';
import { NewMilestoneForm } from './forms.js';
import { milestoneHref } from './links.js';

const HINT_ID = 'board-keyboard-hint';
const DIRECTIONS = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/** phase → milestones in rank order, dropped ones included (positions count them). */
function byPhase(data) {
  const phases = new Map(PHASES.map((p) => [p.value, []]));
  for (const phase of data.partnership.roadmap.phases) {
    phases.set(phase.phase, [...phase.milestones].sort((a, b) => a.rank - b.rank));
  }
  return phases;
}

const visibleIn = (phases, phase, showDropped) => phases.get(phase).filter((m) => showDropped || m.status !== 'DROPPED');
const othersIn = (phases, phase, milestone) => phases.get(phase).filter((m) => m.id !== milestone.id);

/** Where the pointer is in a column: the index among its cards, the dragged one left out. */
function dropIndex(list, clientY, draggedId) {
  const cards = [...list.querySelectorAll('.ms-card')].filter((c) => c.dataset.id !== draggedId);
  const before = cards.findIndex((c) => {
    const rect = c.getBoundingClientRect();
    return clientY < rect.top + rect.height / 2;
  });
  return { cards, index: before === -1 ? cards.length : before };
}

export function RoadmapBoard({ args }) {
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);
  const [board, load] = useSectionLoad(async () => byPhase(await gql(ROADMAP_QUERY, { id: partnership.id })), args);
  const phases = board.data;
  const [showDropped, setShowDropped] = useState(false);
  const [formOpen, setFormOpen] = useState(false);
  const [alert, setAlert] = useState(null);
  const [conflict, setConflict] = useState(null);
  const [openMove, setOpenMove] = useState(() => new Set());
  const [moving, setMoving] = useState(false);
  const [draggingId, setDraggingId] = useState(null);
  // Where a dragged card would land: { phase, before } (the id of the card it goes before, or null: the end).
  const [mark, setMark] = useState(null);
  const [announcement, setAnnouncement] = useState('');
  const busyMoving = useRef(false);
  const dragging = useRef(null);
  const announceTimer = useRef(null);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();
  // Bumped by each change of the other side: the new-milestone form's success message goes.
  const [partnerChanges, setPartnerChanges] = useState(0);

  useEffect(() => {
    load();
    return () => window.clearTimeout(announceTimer.current);
  }, []);

  useLiveChange(live, ctx, isMilestoneEvent, async (events) => {
    if (busyMoving.current) return;
    await load();
    if (byOtherSide(events)) {
      setPartnerChanges((n) => n + 1);
      notice.show(`${partnerName(partnership)} just changed the roadmap; it is up to date.`);
    }
  });

  function announce(text) {
    // Cleared first, so that the same sentence twice is announced twice.
    setAnnouncement('');
    window.clearTimeout(announceTimer.current);
    announceTimer.current = window.setTimeout(() => setAnnouncement(text), 30);
  }

  /** Work out where a key press or a button sends the card, then move it. */
  function move(m, direction) {
    if (busyMoving.current || !phases) return;
    const visible = visibleIn(phases, m.phase, showDropped);
    const index = visible.findIndex((x) => x.id === m.id);
    const here = phaseName(m.phase);
    if (direction === 'up' || direction === 'down') {
      const neighbour = visible[index + (direction === 'up' ? -1 : 1)];
      if (!neighbour) {
        announce(`“${m.title}” is already ${direction === 'up' ? 'first' : 'last'} in ${here}.`);
        return;
      }
      const at = othersIn(phases, m.phase, m).findIndex((x) => x.id === neighbour.id);
      doMove(m, m.phase, direction === 'up' ? at : at + 1);
      return;
    }
    const target = PHASES[PHASES.findIndex((p) => p.value === m.phase) + (direction === 'left' ? -1 : 1)];
    if (!target) {
      announce(`“${m.title}” is already in the ${direction === 'left' ? 'first' : 'last'} phase, ${here}.`);
      return;
    }
    const targetVisible = visibleIn(phases, target.value, showDropped);
    const slot = Math.min(index, targetVisible.length);
    const others = othersIn(phases, target.value, m);
    const position = slot < targetVisible.length ? others.findIndex((x) => x.id === targetVisible[slot].id) : others.length;
    doMove(m, target.value, position);
  }

  async function doMove(m, phase, position) {
    if (phase === m.phase && phases.get(phase).findIndex((x) => x.id === m.id) === position) return;
    busyMoving.current = true;
    setMoving(true);
    setAlert(null);
    setConflict(null);
    try {
      const { errors } = await mutate(MOVE, {
        input: { milestoneId: m.id, expectedVersion: m.version, phase, position },
      }, 'moveMilestone');
      if (!ctx.isCurrent()) return;
      const clash = errors.find((e) => e.code === 'CONFLICT' && e.current);
      if (clash) {
        setConflict({ current: clash.current, phase, position });
        await load();
        return;
      }
      if (errors.length) {
        setAlert(errors.map((e) => e.message));
        await load();
        return;
      }
      const fresh = await load();
      if (!fresh) return;
      const visible = visibleIn(fresh, phase, showDropped);
      const at = visible.findIndex((x) => x.id === m.id);
      announce(`“${m.title}” moved to ${phaseName(phase)}, position ${at + 1} of ${visible.length}.`);
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') setAlert(error.message);
    } finally {
      busyMoving.current = false;
      setMoving(false);
    }
  }

  function toggleMove(m) {
    const next = new Set(openMove);
    if (next.has(m.id)) {
      next.delete(m.id);
    } else {
      next.add(m.id);
      focusLater(byKey(`move-up-${m.id}`));
    }
    setOpenMove(next);
  }

  const drag = editable ? {
    start(event, m) {
      dragging.current = m;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', m.id);
      setDraggingId(m.id);
    },
    end() {
      dragging.current = null;
      setDraggingId(null);
      setMark(null);
    },
    over(event, phase) {
      if (!dragging.current) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      const list = event.currentTarget.querySelector('.board-list');
      const { cards, index } = dropIndex(list, event.clientY, dragging.current.id);
      const before = index < cards.length ? cards[index].dataset.id : null;
      setMark((now) => (now?.phase === phase && now.before === before ? now : { phase, before }));
    },
    leave(event, phase) {
      if (!event.currentTarget.contains(event.relatedTarget)) setMark((now) => (now?.phase === phase ? null : now));
    },
    drop(event, phase) {
      const m = dragging.current;
      if (!m) return;
      event.preventDefault();
      const list = event.currentTarget.querySelector('.board-list');
      const { index } = dropIndex(list, event.clientY, m.id);
      setMark(null);
      const targetVisible = visibleIn(phases, phase, showDropped).filter((x) => x.id !== m.id);
      const others = othersIn(phases, phase, m);
      const position = index < targetVisible.length
        ? others.findIndex((x) => x.id === targetVisible[index].id) : others.length;
      doMove(m, phase, position);
    },
  } : null;

  function toggleForm() {
    const opening = !formOpen;
    setFormOpen(opening);
    if (opening) focusLater('#new-milestone input');
  }

  const all = phases ? [...phases.values()].flat() : [];
  const total = all.filter((m) => m.status !== 'DROPPED').length;
  const dropped = all.length - total;

  let content;
  if (board.error) content = html`<${Failed} error=${board.error} onRetry=${load} />`;
  else if (!phases) content = html`<${Loading} text="Loading the roadmap…" />`;
  else {
    content = html`
      ${PHASES.map((phase) => html`<${Column} key=${phase.value} phase=${phase} partnership=${partnership}
        milestones=${visibleIn(phases, phase.value, showDropped)} editable=${editable} openMove=${openMove}
        draggingId=${draggingId} mark=${mark?.phase === phase.value ? mark : null} drag=${drag}
        onMove=${move} onToggleMove=${toggleMove} />`)}
      ${total === 0 && !showDropped ? html`<div class="board-empty-all"><${Empty} title="The roadmap is empty"
        text=${editable ? 'Add the first milestone with “New milestone”.' : 'Milestones appear here once a Lead or an Editor adds them.'} /></div>` : null}`;
  }

  return html`<div ref=${root}>
    <p class="lede">The recovery roadmap both sides work on: short-term stabilisation, mid-term rebuilding, long-term deepening.</p>
    <${LiveNotice} notice=${notice.notice} />
    <div class="toolbar">
      ${editable ? html`<button type="button" class="button button-primary" aria-expanded=${String(formOpen)}
        aria-controls="new-milestone" onClick=${toggleForm}>New milestone</button>` : null}
      <div class="checkbox toolbar-end" hidden=${!phases || (dropped === 0 && !showDropped)}>
        <input type="checkbox" id="show-dropped" checked=${showDropped} onChange=${(e) => setShowDropped(e.currentTarget.checked)} />
        <label for="show-dropped">Show dropped milestones</label>
      </div>
    </div>
    ${editable ? html`<div hidden=${!formOpen}>
      <${NewMilestoneForm} partnership=${partnership} ctx=${ctx} partnerChanges=${partnerChanges} onCreated=${async (created) => {
        await load();
        announce(`Milestone “${created.title}” added to ${phaseName(created.phase)}.`);
      }} />
    </div>` : null}
    <${Message} kind="error" messages=${alert} />
    ${conflict ? html`<${MoveConflict} conflict=${conflict}
      onAgain=${() => {
        const { current, phase, position } = conflict;
        setConflict(null);
        doMove({ ...current }, phase, Math.min(position, othersIn(phases, phase, current).length));
      }}
      onKeep=${() => {
        setConflict(null);
        focusLater(byKey(`ms-${conflict.current.id}`));
      }} />` : null}
    ${editable
      ? html`<p class="hint board-hint" id=${HINT_ID}>To move a card, drag it, or focus its title and press Alt + ↑/↓ to reorder it within a phase and Alt + ←/→ to move it to another phase.</p>`
      : html`<${ReadOnlyNote} partnership=${partnership} doing="add or move milestones"
          prefix="You can read the roadmap; Leads and Editors change it." />`}
    <div class="board" aria-busy=${board.busy || moving ? 'true' : 'false'}>${content}</div>
    <div class="sr-only" aria-live="polite" aria-atomic="true" id="board-announcer">${announcement}</div>
  </div>`;
}

function MoveConflict({ conflict, onAgain, onKeep }) {
  const { current, phase, position } = conflict;
  const target = current.targetDate ? `, target ${formatDay(current.targetDate)}` : '';
  return html`<${Conflict} title=${`“${current.title}” was changed by someone else before your move.`}
    text=${`It is now in ${phaseName(current.phase)} at position ${current.rank + 1}, status ${statusName(current.status)}${target}. Your move would put it in ${phaseName(phase)} at position ${position + 1}.`}>
    <button type="button" class="button button-primary" onClick=${onAgain}>Move it anyway</button>
    <button type="button" class="button" onClick=${onKeep}>Keep it as it is</button>
  <//>`;
}

function Column({
  phase, partnership, milestones, editable, openMove, draggingId, mark, drag, onMove, onToggleMove,
}) {
  const headingId = `phase-${phase.value.toLowerCase()}`;
  const count = milestones.length;
  return html`<section class=${`board-col${mark ? ' drop-target' : ''}`} aria-labelledby=${headingId} data-phase=${phase.value}
    onDragOver=${drag && ((e) => drag.over(e, phase.value))}
    onDragLeave=${drag && ((e) => drag.leave(e, phase.value))}
    onDrop=${drag && ((e) => drag.drop(e, phase.value))}>
    <header class="board-col-head">
      <h3 id=${headingId}>${phase.name}${' '}<span class="count" aria-label=${`${count} milestones`}>${String(count)}</span></h3>
      <p class="phase-term">${phase.term} · ${phase.about}</p>
    </header>
    <ol class=${`board-list${mark && mark.before === null ? ' drop-end' : ''}`} aria-label=${`${phase.name} phase`} data-phase=${phase.value}>
      ${milestones.map((m, index) => html`<${Card} key=${m.id} m=${m} index=${index} count=${count}
        partnershipId=${partnership.id} editable=${editable} moveOpen=${openMove.has(m.id)}
        dragged=${draggingId === m.id} dropBefore=${mark?.before === m.id} drag=${drag}
        onMove=${onMove} onToggleMove=${onToggleMove} />`)}
    </ol>
    ${count === 0 ? html`<p class="board-col-empty">No milestones in this phase.</p>` : null}
  </section>`;
}

function Card({
  m, index, count, partnershipId, editable, moveOpen, dragged, dropBefore, drag, onMove, onToggleMove,
}) {
  const keydown = (event) => {
    const direction = DIRECTIONS[event.key];
    if (!direction || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    onMove(m, direction);
  };
  const classes = ['ms-card', `ms-${m.status.toLowerCase()}`, dragged ? 'is-dragging' : null, dropBefore ? 'drop-before' : null];
  return html`<li class=${classes.filter(Boolean).join(' ')} data-id=${m.id} draggable=${editable ? 'true' : undefined}
    onKeyDown=${editable ? keydown : undefined}
    onDragStart=${drag && ((e) => drag.start(e, m))} onDragEnd=${drag && (() => drag.end())}>
    <div class="ms-card-top">
      <a class="ms-title" href=${milestoneHref(partnershipId, m.id)} data-key=${`ms-${m.id}`}
        aria-describedby=${editable ? HINT_ID : undefined}>${m.title}</a>
      ${m.visibility === 'INTERNAL' ? html`<${InternalBadge} title="Only your side sees this milestone" />` : null}
    </div>
    ${m.description ? html`<p class="ms-desc">${m.description}</p>` : null}
    <div class="ms-meta">
      <${StatusBadge} status=${m.status} prefix="ms" />
      <${SideChip} party=${m.ownerParty} />
      ${m.targetDate
        ? html`<span class="ms-date">Target <${Day} iso=${m.targetDate} /></span>`
        : html`<span class="ms-date muted">No target date</span>`}
    </div>
    <span class="sr-only">${`Position ${index + 1} of ${count}.`}</span>
    ${editable ? html`<${MoveControls} m=${m} open=${moveOpen} onMove=${onMove} onToggle=${() => onToggleMove(m)} />` : null}
  </li>`;
}

function MoveControls({ m, open, onMove, onToggle }) {
  const panelId = `move-${m.id}`;
  const arrow = (direction, symbol, label) => html`<button type="button" class="button button-small ms-move"
    data-key=${`move-${direction}-${m.id}`} aria-label=${`${label}: ${m.title}`} title=${label}
    onClick=${() => onMove(m, direction)}>${symbol}</button>`;
  return html`<div class="ms-actions">
    <button type="button" class="button button-small button-quiet ms-move-toggle" aria-expanded=${String(open)}
      aria-controls=${panelId} data-key=${`move-toggle-${m.id}`} aria-label=${`Move ${m.title}`} onClick=${onToggle}>Move</button>
    <div class="ms-move-panel" id=${panelId} role="group" aria-label=${`Move ${m.title}`} hidden=${!open}>
      ${arrow('up', '↑', 'Move up')}${arrow('down', '↓', 'Move down')}
      ${arrow('left', '←', 'Move to the previous phase')}${arrow('right', '→', 'Move to the next phase')}
    </div>
  </div>`;
}
