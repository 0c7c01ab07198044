// Addresses of the feedback pages.

import { partnershipHref } from '../pages/partnerships.js';

export function feedbackHref(partnershipId, feedbackId) {
  return `${partnershipHref(partnershipId, 'feedback')}/${encodeURIComponent(feedbackId)}`;
}

export function policyHref(partnershipId) {
  return `${partnershipHref(partnershipId, 'feedback')}/policy`;
}
