// Pieces shared by the roadmap, commitment, KPI and overview pages: permissions, dates, numbers,
// mutations, status names and phases; and, for the overview (still built by hand), the "changed
// by the other side" notice, a status badge and keeping focus across a re-render. The component
// versions of those are in ui/ (message.js, badges.js, hooks.js).

import { gql } from '../api.js';
import { h } from '../dom.js';

const EDIT_ROLES = new Set(['LEAD', 'EDITOR']);

/** Leads and editors change the roadmap, commitments and KPIs; governance and viewers read. */
export function canEdit(partnership) {
  return EDIT_ROLES.has(partnership.viewerRole);
}

/**
 * Why the viewer cannot do what the page offers editors (`doing`: "propose commitments"), and
 * what to do about it; null for Leads and Editors.
 */
export function readOnlyReason(partnership, doing) {
  if (canEdit(partnership)) return null;
  const role = partnership.viewerRole;
  if (role === 'VIEWER') return `You have view access: ask a Lead of your side to change your role if you need to ${doing}.`;
  if (role === 'GOVERNANCE') {
    return `Your role, Governance, reads this part of the workspace: ask a Lead of your side to change your role if you need to ${doing}.`;
  }
  return `You see this workspace as your organization's admin, not as a member: ask a Lead of your side to add you if you need to ${doing}.`;
}

export function ownParty(partnership) {
  return partnership.parties.find((p) => p.isOwn);
}

export function otherParty(partnership) {
  return partnership.parties.find((p) => !p.isOwn);
}

/** "Northwind Components" — with "(you)" for the viewer's side when asked. */
export function sideName(party, { markOwn = false } = {}) {
  if (!party) return '';
  return markOwn && party.isOwn ? `${party.organization.name} (your side)` : party.organization.name;
}

/** "Contoso Retail's", "Northwind Components'": a name's possessive (a final s takes only '). */
export function possessive(name) {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

// Dates without a time (due dates, target dates, periods) are calendar days: format them in UTC
// so that no time zone moves them to the day before.
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function asUtcDay(iso) {
  return new Date(`${String(iso).slice(0, 10)}T00:00:00Z`);
}

export function formatDay(iso) {
  if (!iso) return '';
  const date = asUtcDay(iso);
  return Number.isNaN(date.getTime()) ? iso : dayFormat.format(date);
}

export function formatMonth(iso) {
  const date = asUtcDay(iso);
  return Number.isNaN(date.getTime()) ? iso : monthFormat.format(date);
}

export function formatShortDay(iso) {
  const date = asUtcDay(iso);
  return Number.isNaN(date.getTime()) ? iso : shortDayFormat.format(date);
}

/** Today in the user's calendar, as YYYY-MM-DD. */
export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Today in UTC, as YYYY-MM-DD: the server's today for due dates (DUE_DATE_IN_PAST). */
export function todayUtcIso() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * What is wrong with a date control's entry, or null: a date typed that does not exist or is
 * not complete (the control then holds no value at all), or one outside its min/max.
 */
export function dateProblem(input) {
  const { validity } = input;
  if (validity.badInput) {
    return 'This is not a full, real date: check the day, the month and the year (February has no 30th).';
  }
  if (validity.rangeUnderflow) {
    const today = input.min === todayUtcIso() ? ' (today, in UTC)' : '';
    return `Choose ${formatDay(input.min)}${today} or a later day.`;
  }
  if (validity.rangeOverflow) return `Choose ${formatDay(input.max)} or an earlier day.`;
  return null;
}

export function addDaysIso(iso, days) {
  const date = asUtcDay(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function addMonthsIso(iso, months) {
  const date = asUtcDay(iso);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
export function isIsoDay(value) {
  return ISO_DAY.test(value) && !Number.isNaN(asUtcDay(value).getTime());
}

/** Numbers as people write them: up to 2 decimals, no trailing zeros. */
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
export function formatNumber(value) {
  return value === null || value === undefined ? '—' : numberFormat.format(value);
}

export function withUnit(value, unit) {
  if (value === null || value === undefined) return '—';
  if (!unit) return formatNumber(value);
  return unit === '%' ? `${formatNumber(value)}%` : `${formatNumber(value)} ${unit}`;
}

/**
 * Run a mutation whose payload sits under `name`: resolves to {payload, errors}; top-level
 * failures (network, session) throw an ApiError for the caller to show.
 */
export async function mutate(document, variables, name) {
  const data = await gql(document, variables);
  const payload = data[name];
  return { payload, errors: payload?.userErrors ?? [] };
}

/**
 * Re-render part of a page and put keyboard focus back where it was: the focused element (or
 * its nearest ancestor) carries data-key, and the element with the same key gets focus after.
 */
export async function keepingFocus(container, work) {
  const active = document.activeElement;
  const keyed = active && container.contains(active) ? active.closest('[data-key]') : null;
  const key = keyed?.dataset.key;
  await work();
  if (!key) return;
  const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (again && document.activeElement !== again) again.focus({ preventScroll: true });
}

/**
 * The "changed by the other side" notice of a page: subtle, announced politely, hidden again
 * after a while. show(name) → "Updated by Contoso Retail just now."
 */
export function liveNotice() {
  const text = h('span', { class: 'live-notice-text' });
  const action = h('span', { class: 'live-notice-action' });
  const el = h('div', { class: 'live-notice', 'aria-live': 'polite', hidden: true },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }), text, action);
  let timer = null;
  return {
    el,
    show(message, button = null, { sticky = false } = {}) {
      window.clearTimeout(timer);
      text.textContent = message;
      action.replaceChildren();
      if (button) action.append(' ', button);
      el.hidden = false;
      el.classList.remove('is-fading');
      if (!sticky) {
        timer = window.setTimeout(() => {
          el.classList.add('is-fading');
          timer = window.setTimeout(() => { el.hidden = true; }, 600);
        }, 12000);
      }
    },
    hide() {
      window.clearTimeout(timer);
      el.hidden = true;
    },
  };
}

/** The partner's name for notices: "Contoso Retail". */
export function partnerName(partnership) {
  return otherParty(partnership)?.organization.name ?? 'The other side';
}

/** Milestone, commitment and KPI status names as people say them. */
const STATUS_NAMES = {
  PLANNED: 'Planned',
  IN_PROGRESS: 'In progress',
  DONE: 'Done',
  AT_RISK: 'At risk',
  DROPPED: 'Dropped',
  PROPOSED: 'Proposed',
  AGREED: 'Agreed',
  DECLINED: 'Declined',
  DELIVERED: 'Delivered',
  CONFIRMED: 'Confirmed',
  DISPUTED: 'Disputed',
  MISSED: 'Missed',
  ON_TRACK: 'On track',
  OFF_TRACK: 'Off track',
  STALE: 'Stale',
};

export function statusName(status) {
  return STATUS_NAMES[status] ?? status;
}

/** A status badge with its colour; `prefix` distinguishes the same word in two domains. */
export function statusBadge(status, prefix) {
  return h('span', { class: `badge status-${prefix}-${status.toLowerCase()}` }, statusName(status));
}

export const PHASES = [
  { value: 'STABILIZE', name: 'Stabilize', term: 'Short term', about: 'Candid communication, root causes, first remedies, joint oversight.' },
  { value: 'REBUILD', name: 'Rebuild', term: 'Mid term', about: 'Fixed processes, commitments kept and tracked with KPIs, regular reports.' },
  { value: 'DEEPEN', name: 'Deepen', term: 'Long term', about: 'Co-planning, continuous review, joint growth and early warning.' },
];

export function phaseName(phase) {
  return PHASES.find((p) => p.value === phase)?.name ?? phase;
}

/** The options for choosing a side: own first. */
export function sideOptions(partnership) {
  return [ownParty(partnership), otherParty(partnership)].filter(Boolean).map((p) => ({
    value: p.id, label: `${p.organization.name} (${p.label})${p.isOwn ? ' — your side' : ''}`,
  }));
}
