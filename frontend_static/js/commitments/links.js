// Addresses of the commitment pages.

import { partnershipHref } from '../pages/partnerships.js';

export function commitmentHref(partnershipId, commitmentId) {
  return `${partnershipHref(partnershipId, 'commitments')}/${encodeURIComponent(commitmentId)}`;
}
