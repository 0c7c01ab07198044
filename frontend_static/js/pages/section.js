// Shared by the workspace sections: the header cache and what to do when a load fails.

import { clear, errorState } from '../dom.js';
import { closeLive } from '../live.js';

// Partnership headers already fetched in this session (moving between sections does not flicker).
export const headers = new Map();

export function forgetWorkspaces() {
  headers.clear();
  closeLive();
}

/**
 * A section's load failed: the error to show in place, or null when there is none to show.
 * UNAUTHENTICATED already sends the user to sign in, and a page left behind shows nothing.
 * NOT_FOUND means the partnership is gone from the caller's view: drop the cached header and
 * re-render the route once (the header load then shows the not-found state).
 */
export function errorToShow(error, { partnership, ctx, fromCache }) {
  if (error.code === 'UNAUTHENTICATED' || !ctx.isCurrent()) return null;
  if (error.code === 'NOT_FOUND' && fromCache) {
    headers.delete(partnership.id);
    ctx.rerender();
    return null;
  }
  return error;
}

/** A section's load failed: show it in the container, with a retry button (see errorToShow). */
export function sectionError(container, error, args, retry) {
  const shown = errorToShow(error, args);
  if (shown) clear(container, errorState(shown, retry));
}
