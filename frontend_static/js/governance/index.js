// The governance section: disclosures and the decision log, or one disclosure.

import { html, mount } from '../ui/html.js';
import { DisclosurePage } from './disclosure.js';
import { GovernancePage } from './list.js';

export { disclosureHref } from './links.js';

export function renderGovernance(content, args) {
  mount(content, args.itemId
    ? html`<${DisclosurePage} args=${args} disclosureId=${args.itemId} />`
    : html`<${GovernancePage} args=${args} />`);
}
