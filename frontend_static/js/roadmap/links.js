// Addresses of the roadmap pages.

import { partnershipHref } from '../pages/partnerships.js';

export function milestoneHref(partnershipId, milestoneId) {
  return `${partnershipHref(partnershipId, 'roadmap')}/${encodeURIComponent(milestoneId)}`;
}
