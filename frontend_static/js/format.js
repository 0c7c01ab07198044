// Formatting of dates, roles and statuses for display.

import { h } from './dom.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });


export function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

export function formatDateTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** A <time> element with the machine-readable value. */
export function timeEl(iso, withTime = true) {
  return h('time', { datetime: iso }, withTime ? formatDateTime(iso) : formatDate(iso));
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
