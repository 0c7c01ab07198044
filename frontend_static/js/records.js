// Addresses of a workspace's records by their Node type, for the views that gather records of
// every domain (the audit trail, the search, what waits on your side).

import { commitmentHref } from './commitments/links.js';
import { kpiHref } from './kpis/links.js';
import { partnershipHref } from './pages/partnerships.js';
import { milestoneHref } from './roadmap/links.js';

const ITEM_HREFS = { Milestone: milestoneHref, Commitment: commitmentHref, Kpi: kpiHref };
const SECTION_OF = {
  WorkspaceMember: 'members', ApiToken: 'tokens', Report: 'reports', ReportSchedule: 'reports',
};

/** What a record is called, by its Node (or audited object) type. */
export const RECORD_NAMES = {
  Milestone: 'Milestone',
  Commitment: 'Commitment',
  Kpi: 'KPI',
  KpiMeasurement: 'KPI measurement',
  WorkspaceMember: 'Member',
  Invitation: 'Invitation',
  ApiToken: 'API token',
  Report: 'Report',
  ReportSchedule: 'Report schedule',
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
