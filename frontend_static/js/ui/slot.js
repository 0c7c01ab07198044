// Nodes built by hand inside a component view: a node (a sparkline, say), or a drawing that
// fills a box of its own (a chart that follows the box's width).

import { html, useLayoutEffect, useRef } from './html.js';

export function DomNode({ node }) {
  const ref = useRef(null);
  useLayoutEffect(() => {
    ref.current.replaceChildren(...[node].flat().filter(Boolean));
  }, [node]);
  return html`<span class="dom-slot" ref=${ref}></span>`;
}

/**
 * A box drawn into by hand: draw(box) fills it and may return a function that stops it (called
 * before the next drawing). It draws again whenever `draw` is a new function.
 */
export function Drawing({ className, draw }) {
  const ref = useRef(null);
  useLayoutEffect(() => draw(ref.current), [draw]);
  return html`<div class=${className} ref=${ref}></div>`;
}
