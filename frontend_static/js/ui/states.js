// The states a view is in besides showing its data: loading, empty, failed.

import { html } from './html.js';

/** A loading state announced politely. */
export function Loading({ text }) {
  return html`<p class="state state-loading" role="status"><span class="spinner" aria-hidden="true"></span>${text}</p>`;
}

/** An empty state: a short title, an explanation and optional actions (the children). */
export function Empty({ title, text, children }) {
  const actions = [children].flat().filter(Boolean);
  return html`<div class="state state-empty">
    <p class="state-title">${title}</p>
    ${text ? html`<p>${text}</p>` : null}
    ${actions.length ? html`<p class="state-actions">${actions}</p>` : null}
  </div>`;
}

/** An error state with the server's message and a retry button. */
export function Failed({ error, onRetry }) {
  return html`<div class="state state-error" role="alert">
    <p class="state-title">Something went wrong</p>
    <p>${error?.message || 'An unexpected error occurred.'}</p>
    ${onRetry ? html`<p class="state-actions"><button type="button" class="button" onClick=${onRetry}>Try again</button></p>` : null}
  </div>`;
}
