// Addresses of the governance pages.

import { partnershipHref } from '../pages/partnerships.js';

export function disclosureHref(partnershipId, disclosureId) {
  return `${partnershipHref(partnershipId, 'governance')}/${encodeURIComponent(disclosureId)}`;
}
