// A DOM node built by hand (a chart, say) inside a component view.

import { html, useLayoutEffect, useRef } from './html.js';

export function DomNode({ node }) {
  const ref = useRef(null);
  useLayoutEffect(() => {
    ref.current.replaceChildren(...[node].flat().filter(Boolean));
  }, [node]);
  return html`<span class="dom-slot" ref=${ref}></span>`;
}
