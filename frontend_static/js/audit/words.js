// How the audit trail reads: what each action did, the changed fields' names, and their values
// as people say them (statuses, days, moments with their time zone, sides by name).

import { formatDateTime, roleName, titleCase } from '../format.js';
import {
  formatDay, formatNumber, phaseName, statusName,
} from '../pages/common.js';

/** What the actor did, as a verb phrase before the object's title. */
const ACTIONS = {
  'milestone.created': 'added the milestone',
  'milestone.updated': 'edited the milestone',
  'milestone.moved': 'moved the milestone',
  'milestone.dropped': 'dropped the milestone',
  'commitment.proposed': 'proposed the commitment',
  'commitment.accept': 'accepted the commitment',
  'commitment.decline': 'declined the commitment',
  'commitment.start': 'started work on the commitment',
  'commitment.deliver': 'delivered the commitment',
  'commitment.confirm': 'confirmed the delivery of',
  'commitment.dispute': 'disputed the delivery of',
  'commitment.request_renegotiation': 'asked for a new due date for',
  'commitment.accept_renegotiation': 'accepted the new due date of',
  'commitment.decline_renegotiation': 'kept the current due date of',
  'kpi.created': 'defined the KPI',
  'kpi.updated': 'edited the KPI',
  'kpi.measurement_recorded': 'recorded a measurement of',
  'kpi.measurement_corrected': 'corrected a measurement of',
  'member.added': 'added the member',
  'member.role_changed': 'changed the role of',
  'member.removed': 'removed a member',
  'invitation.sent': 'sent the invitation',
  'invitation.accepted': 'accepted the invitation',
  'invitation.declined': 'declined the invitation',
  'api_token.created': 'created the API token',
  'api_token.revoked': 'revoked the API token',
  'notifications.read': 'marked read some of',
  'notifications.read_all': 'marked read all of',
  'notification_preference.set': 'changed a preference for',
  'webhook_endpoint.disabled': 'disabled after repeated failures the webhook endpoint',
};

/** "member.role_changed" → "Member role changed" (for an action this list does not know). */
export function actionLabel(action) {
  const words = action.replaceAll('.', ' ').replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "proposed the commitment" */
export function actionText(action) {
  return ACTIONS[action] ?? actionLabel(action).toLowerCase();
}

/** What a removed or hidden object is called when it has no title any more. */
export function untitled(event) {
  if (event.action === 'member.removed') return '';
  return 'an item no longer in this workspace';
}

const FIELDS = {
  title: 'Title', description: 'Description', phase: 'Phase', status: 'Status', rank: 'Position',
  target_date: 'Target date', due_date: 'Due date', owner_party_id: 'Accountable side',
  visibility: 'Visibility', delivered_at: 'Delivered', confirmed_at: 'Confirmed',
  dispute_reason: 'Reason for the dispute', renegotiation_due_date: 'Asked-for due date',
  renegotiation_reason: 'Reason for the new date', milestone_id: 'Milestone', kpi_id: 'KPI',
  period: 'Period', value: 'Value', source: 'Source', note: 'Note', name: 'Name', unit: 'Unit',
  direction: 'Direction', cadence: 'Cadence', baseline_value: 'Baseline', baseline_date: 'Baseline date',
  target_value: 'Target', warning_threshold: 'Warning threshold', critical_threshold: 'Critical threshold',
  user: 'Person', user_id: 'Person', role: 'Role', invitee: 'Invited organization', scopes: 'Scopes',
  revoked: 'Revoked',
};

/** "due_date" → "Due date" */
export function fieldName(key) {
  if (FIELDS[key]) return FIELDS[key];
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Fields the event's object already names (its title), or ids with nothing to show.
const UNSHOWN = new Set(['kpi_id', 'milestone_id', 'user_id', 'sort_key']);

export function shownFields(changes) {
  const entries = changes && typeof changes === 'object' ? Object.entries(changes) : [];
  return entries.filter(([key]) => !UNSHOWN.has(key));
}

const SOURCES = { MANUAL: 'By hand', API: 'API', COMPUTED: 'Computed' };
const DIRECTIONS = { HIGHER_IS_BETTER: 'Higher is better', LOWER_IS_BETTER: 'Lower is better' };
const OTHER_STATUSES = {
  PENDING: 'Pending', ACCEPTED: 'Accepted', EXPIRED: 'Expired', ACTIVE: 'Active', ENDED: 'Ended',
};
const NUMBERS = new Set(['value', 'baseline_value', 'target_value', 'warning_threshold', 'critical_threshold']);
const DAYS = new Set(['target_date', 'due_date', 'renegotiation_due_date', 'period', 'baseline_date']);

/** Party global id → raw uuid (the audit records sides by uuid). */
function rawId(globalId) {
  try {
    return atob(globalId).split(':').slice(1).join(':');
  } catch {
    return globalId;
  }
}

/**
 * valueText(key, value): a changed field's value as people say it; parties are named from the
 * partnership's two sides.
 */
export function valueNames(partnership) {
  const sides = new Map(partnership.parties.map((p) => [rawId(p.id), p]));
  return (key, value) => {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    if (Array.isArray(value)) return value.map((v) => titleCase(String(v))).join(', ');
    if (typeof value === 'object') return JSON.stringify(value);
    const text = String(value);
    if (key === 'status') return OTHER_STATUSES[text] ?? statusName(text);
    if (key === 'phase') return phaseName(text);
    if (key === 'rank') return Number.isFinite(Number(text)) ? String(Number(text) + 1) : text;
    if (key === 'role') return roleName(text);
    if (key === 'visibility') return text === 'INTERNAL' ? 'Internal' : 'Shared';
    if (key === 'source') return SOURCES[text] ?? titleCase(text);
    if (key === 'direction') return DIRECTIONS[text] ?? titleCase(text);
    if (key === 'cadence') return titleCase(text);
    if (key.endsWith('_party_id')) return sides.get(text)?.organization.name ?? 'a former side';
    if (DAYS.has(key)) return formatDay(text);
    if (key.endsWith('_at')) return formatDateTime(text);
    if (NUMBERS.has(key) && Number.isFinite(Number(text))) return formatNumber(Number(text));
    return text;
  };
}
