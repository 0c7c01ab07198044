// The contingency section: the plans and activations, one plan, or one activation room.

import { html, mount } from '../ui/html.js';
import { nodeType } from './links.js';
import { ContingencyList } from './list.js';
import { PlanPage } from './plan.js';
import { ActivationRoom } from './room.js';

export { contingencyHref } from './links.js';

export function renderContingency(content, args) {
  let view = html`<${ContingencyList} args=${args} />`;
  if (args.itemId && nodeType(args.itemId) === 'Activation') {
    view = html`<${ActivationRoom} args=${args} activationId=${args.itemId} />`;
  } else if (args.itemId) {
    view = html`<${PlanPage} args=${args} planId=${args.itemId} />`;
  }
  mount(content, view);
}
