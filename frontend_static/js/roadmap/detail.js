// One milestone: its facts, the edit form with conflict handling, and its history.

import {
  busy, clear, clearFieldErrors, emptyState, field, h, hideMessage, loading, messageBox, newId,
  showMessage, showUserErrors,
} from '../dom.js';
import { timeEl } from '../format.js';
import { byOtherSide, onLiveChange } from '../live.js';
import { gql } from '../api.js';
import {
  canEdit, dayEl, formatDay, keepingFocus, liveNotice, mutate, partnerName, phaseName, select,
  sideChip, sideOptions, statusBadge, statusName,
} from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { sectionError } from '../pages/section.js';
import { DROP, MILESTONE_QUERY, UPDATE } from './api.js';
import { FIELD_LABELS, MilestoneHistory } from './history.js';
import { element, html } from '../ui/html.js';
import { Facts } from '../ui/facts.js';
import { STATUS_OPTIONS } from './forms.js';

/** Party global id → raw uuid, to name the sides the audit trail refers to by uuid. */
function rawId(globalId) {
  try {
    return atob(globalId).split(':').slice(1).join(':');
  } catch {
    return globalId;
  }
}

export function renderMilestone(content, args, milestoneId) {
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
    const facts = element(html`<${Facts} items=${[
      ['Status', statusBadge(m.status, 'ms')],
      ['Phase', phaseName(m.phase)],
      ['Position', `${m.rank + 1} in ${phaseName(m.phase)}`],
      ['Accountable side', sideChip(m.ownerParty)],
      ['Target date', m.targetDate ? dayEl(m.targetDate) : 'None'],
      ['Visibility', m.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal' }, 'Internal') : 'Shared with the partner'],
      ['Last changed', timeEl(m.updatedAt)]]} />`);
    const description = m.description
      ? h('p', { class: 'detail-description' }, m.description)
      : h('p', { class: 'muted' }, 'No description.');
    const history = element(html`<${MilestoneHistory} history=${m.history} showValue=${showValue} />`);
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
