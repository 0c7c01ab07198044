// The portal's UI library: preact components written with htm templates (no build step).
// html`<${Component} prop=${value} />` builds a view; show() puts one into a container.

import { createContext, Fragment, h, render } from 'preact';
import htm from 'htm';

export { createContext, Fragment, h };
export {
  useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState,
} from 'preact/hooks';

export const html = htm.bind(h);

const mounted = new WeakSet();

/** Replace a container's content with a view (whatever was in it, preact's or not, goes). */
export function show(container, view) {
  unmount(container);
  container.replaceChildren();
  render(view, container);
  mounted.add(container);
  return container;
}

/**
 * Add a view after what a container already holds (a section's content under its heading),
 * in a host element of its own.
 */
export function mount(container, view) {
  const host = document.createElement('div');
  host.className = 'view-root';
  container.append(host);
  return show(host, view);
}

/** Take a view out of a container that show() filled; other containers are left alone. */
export function unmount(container) {
  if (!mounted.has(container)) return;
  render(null, container);
  mounted.delete(container);
}

/**
 * A view as a DOM element, for code that still builds the DOM by hand: the element is moved
 * out of its render root, so it suits views without state of their own.
 */
export function element(view) {
  const host = document.createElement('div');
  render(view, host);
  const node = host.childNodes.length === 1 ? host.firstChild : host;
  return node;
}
