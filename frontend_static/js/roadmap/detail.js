// One milestone: its facts, the edit form with conflict handling, and its history.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import {
  canEdit, formatDay, mutate, partnerName, phaseName, sideOptions, statusName,
} from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { InternalBadge, SideChip, StatusBadge } from '../ui/badges.js';
import { ReadOnlyNote } from '../ui/access.js';
import { Conflict } from '../ui/conflict.js';
import { ConfirmDialog } from '../ui/dialog.js';
import { Facts } from '../ui/facts.js';
import { Field, Select } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import {
  html, useEffect, useLayoutEffect, useMemo, useRef, useState,
} from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Day, Moment } from '../ui/time.js';
import { DROP, MILESTONE_QUERY, UPDATE } from './api.js';
import { STATUS_OPTIONS } from './forms.js';
import { FIELD_LABELS, MilestoneHistory } from './history.js';

/** Party global id → raw uuid, to name the sides the audit trail refers to by uuid. */
function rawId(globalId) {
  try {
    return atob(globalId).split(':').slice(1).join(':');
  } catch {
    return globalId;
  }
}

/** showValue(key, value): a changed field's value as people say it. */
function valueNames(partnership) {
  const partyByRaw = new Map(partnership.parties.map((p) => [rawId(p.id), p]));
  return (key, value) => {
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
  };
}

async function fetchMilestone(milestoneId) {
  const data = await gql(MILESTONE_QUERY, { id: milestoneId }).catch((error) => {
    if (error.code === 'NOT_FOUND') return { node: null };
    throw error;
  });
  // null: not found (a node that is not a milestone counts as none).
  return data.node && data.node.title ? data.node : null;
}

export function MilestonePage({ args, milestoneId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchMilestone(milestoneId), args);
  const notice = useLiveNotice();
  const [root] = useFocus();
  // Bumped by each change of the other side: the edit form's "Saved." goes.
  const [partnerChanges, setPartnerChanges] = useState(0);
  // Whether the edit form holds unsaved changes (the form keeps this up to date).
  const dirty = useRef(false);
  const m = state.data;

  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    if (m) ctx.setTitle(`${m.title} · Roadmap · ${partnership.name}`);
  }, [m]);

  useLiveChange(live, ctx, (e) => e.objectType === 'Milestone', async (events) => {
    if (!events.some((e) => e.resync || e.objectId === milestoneId)) return;
    const wasDirty = dirty.current;
    await load();
    if (!byOtherSide(events)) return;
    setPartnerChanges((n) => n + 1);
    notice.show(wasDirty
      ? `${partnerName(partnership)} just changed this milestone. Your unsaved edits are kept; saving will show both versions.`
      : `${partnerName(partnership)} just changed this milestone; it is up to date.`, { sticky: wasDirty });
  });

  const back = partnershipHref(partnership.id, 'roadmap');
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (m === undefined) body = html`<${Loading} text="Loading the milestone…" />`;
  else if (m === null) {
    body = html`<${Empty} title="Milestone not found" text="It may have been removed, or it belongs to the other side only.">
      <a class="button" href=${back}>Back to the roadmap</a>
    <//>`;
  } else {
    body = html`<${Milestone} m=${m} partnership=${partnership} ctx=${ctx} reload=${load} dirty=${dirty}
      partnerChanges=${partnerChanges} />`;
  }

  return html`<div ref=${root}>
    <p class="back-link"><a href=${back}>← Back to the roadmap</a></p>
    <${LiveNotice} notice=${notice.notice} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function Milestone({
  m, partnership, ctx, reload, dirty, partnerChanges,
}) {
  const showValue = useMemo(() => valueNames(partnership), [partnership]);
  const facts = [
    ['Status', html`<${StatusBadge} status=${m.status} prefix="ms" />`],
    ['Phase', phaseName(m.phase)],
    ['Position', `${m.rank + 1} in ${phaseName(m.phase)}`],
    ['Accountable side', html`<${SideChip} party=${m.ownerParty} />`],
    ['Target date', m.targetDate ? html`<${Day} iso=${m.targetDate} />` : 'None'],
    ['Visibility', m.visibility === 'INTERNAL' ? html`<${InternalBadge} />` : 'Shared with the partner'],
    ['Last changed', html`<${Moment} iso=${m.updatedAt} />`],
  ];
  return html`
    <div class="detail-head">
      <h3 class="detail-title" id="milestone-heading" tabindex="-1" data-key="milestone-heading">${m.title}</h3>
    </div>
    <${Facts} items=${facts} />
    ${m.description
      ? html`<p class="detail-description">${m.description}</p>`
      : html`<p class="muted">No description.</p>`}
    ${canEdit(partnership)
      ? html`<${EditMilestone} key=${m.id} m=${m} partnership=${partnership} ctx=${ctx} reload=${reload}
          dirty=${dirty} showValue=${showValue} partnerChanges=${partnerChanges} />`
      : html`<${ReadOnlyNote} partnership=${partnership} doing="edit or drop milestones" />`}
    <${MilestoneHistory} history=${m.history} showValue=${showValue} />`;
}

/** The values a milestone's edit form starts from (the controls hold '' for no date). */
function controlsOf(record) {
  return {
    title: record.title,
    description: record.description,
    targetDate: record.targetDate ?? '',
    status: record.status,
    ownerPartyId: record.ownerParty.id,
  };
}

/** The controls' values as the API takes them, and as they compare with a saved record. */
function read(controls) {
  return {
    title: controls.title.trim(),
    description: controls.description.trim(),
    targetDate: controls.targetDate || null,
    status: controls.status,
    ownerPartyId: controls.ownerPartyId,
  };
}

const valuesOf = (record) => read(controlsOf(record));

/**
 * The edit form. Its version is the one the user started from: a newer one arriving while they
 * edit is kept aside (saving then meets a conflict that shows both); with nothing edited, the
 * form takes the new values, keeping its messages and focus.
 */
function EditMilestone({
  m, partnership, ctx, reload, dirty, showValue, partnerChanges,
}) {
  const form = useForm({ clearDoneOn: partnerChanges });
  const { values, bind, setAll } = useValues(() => controlsOf(m));
  const [base, setBase] = useState(m);
  const [current, setCurrent] = useState(m);
  const [conflict, setConflict] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const [dropping, setDropping] = useState(false);
  const title = useRef(null);
  const seen = useRef(m);
  // After our own save (or "use their version"), the next version is shown whatever the form holds.
  const takeNext = useRef(false);

  const mine = read(values);
  const was = valuesOf(base);
  const isDirty = Object.keys(mine).some((k) => mine[k] !== was[k]);
  dirty.current = isDirty;

  useLayoutEffect(() => {
    if (seen.current === m) return;
    seen.current = m;
    setCurrent(m);
    if (takeNext.current || !isDirty) {
      takeNext.current = false;
      setBase(m);
      setAll(controlsOf(m));
    }
  }, [m]);

  async function reloadFresh() {
    takeNext.current = true;
    await reload();
  }

  /** Save the controls' values over `from`, the version they were edited from. */
  async function save(controls, from) {
    const input = read(controls);
    if (!input.title) {
      form.fail([{ field: 'title', message: 'Give the milestone a title.' }]);
      return;
    }
    let saved = false;
    await form.run(async () => {
      const { errors } = await mutate(UPDATE, {
        input: {
          milestoneId: m.id,
          expectedVersion: from.version,
          ...input,
          ownerPartyId: from.visibility === 'INTERNAL' ? null : input.ownerPartyId,
        },
      }, 'updateMilestone');
      const clash = errors.find((e) => e.code === 'CONFLICT' && e.current);
      if (clash) {
        showConflict(clash.current, controls, from);
        return undefined;
      }
      if (errors.length) return errors;
      saved = true;
      return undefined;
    });
    if (!saved || !ctx.isCurrent()) return;
    setConflict(null);
    await reloadFresh();
    form.succeed('Saved.');
    title.current?.focus();
  }

  async function dropIt(from) {
    form.clear();
    setDropping(true);
    let dropped = false;
    try {
      const { errors } = await mutate(DROP, { input: { milestoneId: m.id, expectedVersion: from.version } }, 'dropMilestone');
      const clash = errors.find((e) => e.code === 'CONFLICT' && e.current);
      if (clash) showConflict(clash.current, values, from, { dropping: true });
      else if (errors.length) form.fail(errors.map((e) => e.message));
      else dropped = true;
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') form.fail(error.message);
    } finally {
      setDropping(false);
      setConfirming(false);
    }
    if (!dropped || !ctx.isCurrent()) return;
    setConflict(null);
    await reloadFresh();
    form.succeed('The milestone was dropped. It stays on record.');
    title.current?.focus();
  }

  /**
   * Someone saved first: show what they changed and what we changed. Re-applying keeps their
   * values for the fields we did not touch and ours for those we did, on their version.
   */
  function showConflict(theirs, controls, from, { dropping: forDrop = false } = {}) {
    setCurrent(theirs);
    const ours = read(controls);
    const before = valuesOf(from);
    const now = valuesOf(theirs);
    const keys = Object.keys(ours);
    const changedByMe = keys.filter((k) => ours[k] !== before[k]);
    const rows = keys.filter((k) => changedByMe.includes(k) || before[k] !== now[k]).map((k) => ({
      key: k,
      label: FIELD_LABELS[k],
      mine: changedByMe.includes(k) ? showValue(k, ours[k]) : html`<span class="muted">not changed by you</span>`,
      theirs: showValue(k, now[k]),
    }));
    setConflict({ theirs, controls, changedByMe, rows, dropping: forDrop });
  }

  async function applyAgain() {
    const { theirs, controls, changedByMe } = conflict;
    // Their values where we changed nothing, ours where we did.
    const theirControls = controlsOf(theirs);
    const merged = { ...controls };
    for (const k of Object.keys(merged)) {
      if (!changedByMe.includes(k)) merged[k] = theirControls[k];
    }
    setAll(merged);
    setBase(theirs);
    setConflict(null);
    if (conflict.dropping) await dropIt(theirs);
    else await save(merged, theirs);
  }

  async function useTheirs() {
    setConflict(null);
    await reloadFresh();
    title.current?.focus();
  }

  const statusOptions = [current.status, base.status, values.status].includes('DROPPED')
    ? [...STATUS_OPTIONS, { value: 'DROPPED', label: 'Dropped' }] : STATUS_OPTIONS;

  return html`<${Form} form=${form} heading="Edit milestone" headingId="edit-milestone-heading" withDone
    onSubmit=${() => save(values, base)}>
    ${conflict ? html`<${Conflict} title="Someone else saved this milestone after you opened it."
      text=${conflict.dropping
        ? 'Check what changed before dropping it.'
        : 'Nothing of yours was saved yet. Compare, then apply your changes on top of theirs, or keep their version.'}
      rows=${conflict.rows}>
      <button type="button" class="button button-primary" onClick=${applyAgain}>${conflict.dropping ? 'Drop it anyway' : 'Apply my changes again'}</button>
      <button type="button" class="button" onClick=${useTheirs}>Use their version</button>
    <//>` : null}
    <${Field} label="Title" name="title">
      <input type="text" maxlength="200" autocomplete="off" data-key="edit-title" ref=${title} ...${bind('title')} />
    <//>
    <${Field} label="Description" name="description">
      <textarea rows="4" maxlength="5000" data-key="edit-description" ...${bind('description')}></textarea>
    <//>
    <div class="form-row">
      <${Field} label="Target date" name="targetDate"><input type="date" data-key="edit-target" ...${bind('targetDate')} /><//>
      <${Field} label="Status" name="status"><${Select} data-key="edit-status" options=${statusOptions} ...${bind('status')} /><//>
      <${Field} label="Accountable side" name="ownerPartyId">
        <${Select} data-key="edit-owner" options=${sideOptions(partnership)} disabled=${base.visibility === 'INTERNAL'} ...${bind('ownerPartyId')} />
      <//>
    </div>
    <div class="button-row">
      <${SubmitButton}>Save changes<//>
      <span class="inline-form">
        ${current.status === 'DROPPED'
          ? html`<span class="muted">Dropped: it stays on record. Set another status to bring it back.</span>`
          : html`<button type="button" class="button button-danger" data-key="drop-milestone" onClick=${() => setConfirming(true)}>Drop milestone</button>`}
      </span>
    </div>
    <${ConfirmDialog} open=${confirming} title="Drop this milestone?" text="It stays on record as dropped."
      confirmLabel="Yes, drop it" busyLabel="Dropping…" danger busy=${dropping}
      onConfirm=${() => dropIt(base)} onCancel=${() => setConfirming(false)} />
  <//>`;
}
