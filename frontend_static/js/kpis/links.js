// Addresses of the KPI pages.

import { partnershipHref } from '../pages/partnerships.js';

export function kpiHref(partnershipId, kpiId) {
  return `${partnershipHref(partnershipId, 'kpis')}/${encodeURIComponent(kpiId)}`;
}
