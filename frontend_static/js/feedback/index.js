// The feedback section: the list, one item when the address names it, or the SLA policy.

import { html, mount } from '../ui/html.js';
import { FeedbackPage } from './detail.js';
import { FeedbackList } from './list.js';
import { PolicyPage } from './policy.js';

export function renderFeedback(content, args) {
  let view;
  if (args.itemId === 'policy') view = html`<${PolicyPage} args=${args} />`;
  else if (args.itemId) view = html`<${FeedbackPage} args=${args} feedbackId=${args.itemId} />`;
  else view = html`<${FeedbackList} args=${args} />`;
  mount(content, view);
}
