// Addresses of a workspace's records by their Node type, for the views that gather records of
// every domain (the audit trail, the search, what waits on your side).

import { commitmentHref } from './commitments/links.js';
import { feedbackHref, policyHref } from './feedback/links.js';
import { disclosureHref } from './governance/links.js';
import { kpiHref } from './kpis/links.js';
import { partnershipHref } from './pages/partnerships.js';
import { riskHref } from './risks/links.js';
import { milestoneHref } from './roadmap/links.js';

const ITEM_HREFS = {
  Milestone: milestoneHref, Commitment: commitmentHref, Kpi: kpiHref, Feedback: feedbackHref,
  FeedbackPolicy: (partnershipId) => policyHref(partnershipId), Risk: riskHref,
  Disclosure: disclosureHref,
};
const SECTION_OF = {
  WorkspaceMember: 'members', ApiToken: 'tokens', Decision: 'governance', Report: 'reports',
  ReportSchedule: 'reports',
};

/** What a record is called, by its Node (or audited object) type. */
export const RECORD_NAMES = {
  Milestone: 'Milestone',
  Commitment: 'Commitment',
  Kpi: 'KPI',
  KpiMeasurement: 'KPI measurement',
  Risk: 'Risk',
  WorkspaceMember: 'Member',
  Invitation: 'Invitation',
  ApiToken: 'API token',
  Feedback: 'Feedback',
  FeedbackPolicy: 'SLA policy',
  Disclosure: 'Disclosure',
  DisclosureVersion: 'Disclosure version',
  Decision: 'Decision',
  Report: 'Report',
  ReportSchedule: 'Report schedule',
  WebhookEndpoint: 'Webhook endpoint',
  UserNotifications: 'Notifications',
};

export function recordName(type) {
  return RECORD_NAMES[type] ?? type;
}

/** The page of a record (a Node's global id), or of the section listing it; null if none. */
export function recordHref(partnershipId, type, id) {
  if (ITEM_HREFS[type] && id) return ITEM_HREFS[type](partnershipId, id);
  if (SECTION_OF[type]) return partnershipHref(partnershipId, SECTION_OF[type]);
  return null;
}
