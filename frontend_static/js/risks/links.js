// Addresses of the risk pages.

import { partnershipHref } from '../pages/partnerships.js';

export function riskHref(partnershipId, riskId) {
  return `${partnershipHref(partnershipId, 'risks')}/${encodeURIComponent(riskId)}`;
}
