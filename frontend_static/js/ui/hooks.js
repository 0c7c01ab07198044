// Hooks the section views share: loading with stale answers dropped, live updates while the
// view is mounted, and keyboard focus kept (or moved) across a re-render.

import { onLiveChange } from '../live.js';
import { errorToShow } from '../pages/section.js';
import {
  useCallback, useEffect, useLayoutEffect, useRef, useState,
} from './html.js';

/** A ref that always holds the latest value (for callbacks registered once). */
export function useLatest(value) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

/**
 * A request counter: begin() starts a request and returns isLatest(), which turns false as soon
 * as a later request begins, so that an answer overtaken by a newer one is dropped.
 */
export function useRequestCounter() {
  const seq = useRef(0);
  return useCallback(() => {
    seq.current += 1;
    const mine = seq.current;
    return () => mine === seq.current;
  }, []);
}

/**
 * What a section view loads: [{ data, error, busy }, load]. load(...params) calls
 * fetch(...params) and resolves to the data (or null when it failed or was overtaken: only the
 * latest load's answer is shown). An error is shown in place unless the section handles it
 * otherwise (signed out, partnership gone: pages/section.js).
 */
export function useSectionLoad(fetch, args) {
  const [state, setState] = useState({ data: undefined, error: null, busy: true });
  const begin = useRequestCounter();
  const latest = useLatest({ fetch, args });
  const load = useCallback(async (...params) => {
    const isLatest = begin();
    setState((s) => (s.busy ? s : { ...s, busy: true }));
    try {
      const data = await latest.current.fetch(...params);
      if (!isLatest() || !latest.current.args.ctx.isCurrent()) return null;
      setState({ data, error: null, busy: false });
      return data;
    } catch (error) {
      if (!isLatest()) return null;
      const shown = errorToShow(error, latest.current.args);
      setState((s) => ({ ...s, error: shown, busy: false }));
      return null;
    }
  }, []);
  return [state, load];
}

/** Follow the workspace's live events while the view is on screen (live.js onLiveChange). */
export function useLiveChange(live, ctx, relevant, refresh) {
  const latest = useLatest({ relevant, refresh });
  useEffect(() => onLiveChange(
    live, ctx,
    (event) => latest.current.relevant(event),
    (events) => latest.current.refresh(events),
  ), [live, ctx]);
}

/**
 * Keyboard focus across re-renders of a view: returns [ref, focusLater]. Put ref on the view's
 * root. When the focused element (or its nearest ancestor) carries data-key and the re-render
 * loses focus (the element was rebuilt: a card moved to another column, say), the element with
 * the same key gets it back. focusLater(selector) focuses the first match after the next render.
 */
export function useFocus() {
  const ref = useRef(null);
  const [request, setRequest] = useState(null);
  // Read while rendering: the DOM on screen is still the one the user is in.
  const root = ref.current;
  const active = root ? document.activeElement : null;
  const keyed = active && root.contains(active) ? active.closest('[data-key]') : null;
  const key = keyed && root.contains(keyed) ? keyed.dataset.key : null;
  useLayoutEffect(() => {
    if (!key || !ref.current) return;
    // Only focus lost with its element: a view that moved focus on purpose keeps it there.
    const now = document.activeElement;
    if (now && now !== document.body && ref.current.contains(now)) return;
    ref.current.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus({ preventScroll: true });
  });
  useLayoutEffect(() => {
    if (request) ref.current?.querySelector(request.selector)?.focus();
  }, [request]);
  const focusLater = useCallback((selector) => setRequest({ selector }), []);
  return [ref, focusLater];
}

/** The data-key selector of an element, for focusLater. */
export function byKey(key) {
  return `[data-key="${CSS.escape(key)}"]`;
}


let uid = 0;

/** An id unique in the page, the same on every render of the component (label and aria wiring). */
export function useUid(prefix) {
  const [id] = useState(() => {
    uid += 1;
    return `${prefix}-${uid}`;
  });
  return id;
}
