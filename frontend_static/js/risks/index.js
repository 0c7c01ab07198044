// The risk section: the register with its heat map, or one risk when the address names it.

import { html, mount } from '../ui/html.js';
import { RiskPage } from './detail.js';
import { RiskRegister } from './list.js';

export { riskHref } from './links.js';

export function renderRisks(content, args) {
  mount(content, args.itemId
    ? html`<${RiskPage} args=${args} riskId=${args.itemId} />`
    : html`<${RiskRegister} args=${args} />`);
}
