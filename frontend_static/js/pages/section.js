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
 * A section's load failed. NOT_FOUND means the partnership is gone from the caller's view:
 * drop the cached header and re-render the route once (the header load then shows the
 * not-found state). Anything else is shown in place with a retry button.
 */
export function sectionError(container, error, { partnership, ctx, fromCache }, retry) {
  if (error.code === 'UNAUTHENTICATED' || !ctx.isCurrent()) return;
  if (error.code === 'NOT_FOUND' && fromCache) {
    headers.delete(partnership.id);
    ctx.rerender();
    return;
  }
  clear(container, errorState(error, retry));
}
