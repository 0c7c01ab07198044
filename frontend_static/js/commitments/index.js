// The commitments section: the list, or one commitment when the address names it.

import { html, mount } from '../ui/html.js';
import { CommitmentPage } from './detail.js';
import { CommitmentList } from './list.js';

export { commitmentHref } from './links.js';

export function renderCommitments(content, args) {
  mount(content, args.itemId
    ? html`<${CommitmentPage} args=${args} commitmentId=${args.itemId} />`
    : html`<${CommitmentList} args=${args} />`);
}
