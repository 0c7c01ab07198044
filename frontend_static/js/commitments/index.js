// The commitments section: the list, or one commitment when the address names it.

import { renderCommitment } from './detail.js';
import { renderCommitmentList } from './list.js';

export { commitmentHref } from './links.js';

export function renderCommitments(content, args) {
  if (args.itemId) renderCommitment(content, args, args.itemId);
  else renderCommitmentList(content, args);
}
