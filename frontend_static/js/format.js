// Formatting of dates, roles and statuses for display.

import { h } from './dom.js';

// Moments (created, recorded, expires) are shown in the reader's time zone, named: the two
// sides of a partnership may well be in different ones. A title gives the full moment and UTC.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const RELATIVE_STEPS = [['second', 60], ['minute', 60], ['hour', 24], ['day', 7], ['week', 4.35], ['month', 12], ['year', Infinity]];

function asMoment(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Dec 2, 2026" in the reader's time zone. */
export function formatDate(iso) {
  const date = asMoment(iso);
  return date ? dateFormat.format(date) : iso;
}

/** "Dec 2, 2026, 2:23 PM GMT+1": the reader's time zone, named. */
export function formatDateTime(iso) {
  const date = asMoment(iso);
  return date ? dateTimeFormat.format(date) : iso;
}

/** "Wednesday, December 2, 2026 at 2:23:05 PM GMT+1 (13:23 UTC)": a moment's title. */
export function describeMoment(iso) {
  const date = asMoment(iso);
  if (!date) return iso;
  const utc = date.toISOString();
  return `${fullFormat.format(date)} (${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC)`;
}

/** "5 minutes ago", "yesterday", "in 3 days". */
export function formatRelative(iso, now = Date.now()) {
  const date = asMoment(iso);
  if (!date) return iso;
  let amount = (date.getTime() - now) / 1000;
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) return relativeFormat.format(Math.round(amount), unit);
    amount /= size;
  }
  return formatDateTime(iso);
}

/**
 * A <time> element with the machine-readable value and the full moment (zone and UTC) as its
 * title; `withTime` false shows the day only, `relative` how long ago.
 */
export function timeEl(iso, withTime = true, { relative = false } = {}) {
  let text = withTime ? formatDateTime(iso) : formatDate(iso);
  if (relative) text = formatRelative(iso);
  return h('time', { datetime: iso, title: describeMoment(iso) }, text);
}

const ROLE_NAMES = { LEAD: 'Lead', EDITOR: 'Editor', GOVERNANCE: 'Governance', VIEWER: 'Viewer' };
export const ROLES = ['LEAD', 'EDITOR', 'GOVERNANCE', 'VIEWER'];
export const ROLE_HELP = {
  LEAD: 'manages your side and approves for it',
  EDITOR: 'edits roadmap, commitments and KPIs',
  GOVERNANCE: 'risks, disclosures, reports and plans',
  VIEWER: 'read-only',
};

export function roleName(role) {
  return ROLE_NAMES[role] ?? role;
}

export function titleCase(value) {
  return value ? value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ') : '';
}

/** A status badge: ACTIVE → "Active" with a colour per status. */
export function badge(status, kind = status) {
  return h('span', { class: `badge badge-${String(kind).toLowerCase()}` }, titleCase(status));
}
