// Banners: a success or an error message, and the "changed by the other side" notice.

import {
  html, useCallback, useEffect, useRef, useState,
} from './html.js';

/**
 * A success (role=status, announced politely) or error (role=alert) banner. Without messages
 * it stays in place, hidden, so that what it shows later is announced.
 */
export function Message({ kind = 'error', messages }) {
  const list = [messages].flat().filter(Boolean);
  return html`<div class=${`message message-${kind}`} role=${kind === 'error' ? 'alert' : 'status'} hidden=${list.length === 0}>
    ${list.length > 1 ? html`<ul>${list.map((m) => html`<li>${m}</li>`)}</ul>` : list[0]}
  </div>`;
}

const NOTICE_MS = 12000;
const FADE_MS = 600;

/**
 * The state of a page's live notice: { notice, show(text, { sticky }), hide() }. A notice that
 * is not sticky fades out after a while.
 */
export function useLiveNotice() {
  const [notice, setNotice] = useState(null);
  const timer = useRef(null);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const show = useCallback((text, { sticky = false } = {}) => {
    window.clearTimeout(timer.current);
    setNotice({ text, fading: false });
    if (sticky) return;
    timer.current = window.setTimeout(() => {
      setNotice((n) => n && { ...n, fading: true });
      timer.current = window.setTimeout(() => setNotice(null), FADE_MS);
    }, NOTICE_MS);
  }, []);
  const hide = useCallback(() => {
    window.clearTimeout(timer.current);
    setNotice(null);
  }, []);
  return { notice, show, hide };
}

/** "Contoso Retail just changed the roadmap; it is up to date." — subtle, announced politely. */
export function LiveNotice({ notice }) {
  return html`<div class=${`live-notice${notice?.fading ? ' is-fading' : ''}`} aria-live="polite" hidden=${!notice}>
    <span class="live-dot" aria-hidden="true"></span>
    <span class="live-notice-text">${notice?.text ?? ''}</span>
    <span class="live-notice-action"></span>
  </div>`;
}
