// A record's facts: a definition list of label → value (a string, a view, or a node built by hand).

import { html } from './html.js';
import { DomNode } from './slot.js';

/** items: [[label, value], ...] */
export function Facts({ items }) {
  return html`<dl class="facts">
    ${items.map(([label, value]) => html`<div class="fact" key=${label}>
      <dt>${label}</dt>
      <dd>${value instanceof Node ? html`<${DomNode} node=${value} />` : value}</dd>
    </div>`)}
  </dl>`;
}
