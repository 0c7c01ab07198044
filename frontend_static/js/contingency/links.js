// Addresses of the contingency pages: a plan or an activation room, by its id.

import { partnershipHref } from '../pages/partnerships.js';

export function contingencyHref(partnershipId, itemId) {
  return `${partnershipHref(partnershipId, 'contingency')}/${encodeURIComponent(itemId)}`;
}

/** The Node type a global id names ("Activation", "ContingencyPlan"), or null. */
export function nodeType(globalId) {
  try {
    const padded = globalId.replace(/-/g, '+').replace(/_/g, '/');
    return atob(padded + '='.repeat((4 - (padded.length % 4)) % 4)).split(':')[0];
  } catch {
    return null;
  }
}
