// Previous / next pages of a connection (Relay pageInfo).

import { html } from './html.js';

export function Pager({ label, pageInfo, onPrevious, onNext }) {
  const { hasPreviousPage, hasNextPage } = pageInfo;
  return html`<nav class="pager" aria-label=${label} hidden=${!hasPreviousPage && !hasNextPage}>
    ${hasPreviousPage
      ? html`<button type="button" class="button" data-key="page-prev" onClick=${onPrevious}>← Previous page</button>`
      : html`<span></span>`}
    ${hasNextPage
      ? html`<button type="button" class="button" data-key="page-next" onClick=${onNext}>Next page →</button>`
      : html`<span></span>`}
  </nav>`;
}
