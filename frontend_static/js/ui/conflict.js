// Someone saved first: what is saved now next to what the user changed, and the ways on.

import { html, useLayoutEffect, useRef } from './html.js';
import { useUid } from './hooks.js';

/**
 * rows: [{ key, label, mine, theirs }] (content), shown as a table when given; the children are
 * the buttons, and the first of them has focus when the panel appears.
 */
export function Conflict({ title, text, rows, mineLabel = 'Your change', children }) {
  const ref = useRef(null);
  const id = useUid('conflict');
  useLayoutEffect(() => {
    ref.current.querySelector('.button-row button')?.focus();
  }, []);
  return html`<div class="message message-warning conflict" role="alert" ref=${ref}>
    <p class="state-title" id=${id}>${title}</p>
    ${text ? html`<p>${text}</p>` : null}
    ${rows ? html`<div class="table-wrap">
      <table class="table conflict-table" aria-labelledby=${id}>
        <thead><tr><th scope="col">Field</th><th scope="col">${mineLabel}</th><th scope="col">Saved now</th></tr></thead>
        <tbody>
          ${rows.map((r) => html`<tr key=${r.key}>
            <th scope="row">${r.label}</th>
            <td data-label=${mineLabel}>${r.mine}</td>
            <td data-label="Saved now">${r.theirs}</td>
          </tr>`)}
        </tbody>
      </table>
    </div>` : null}
    <div class="button-row">${children}</div>
  </div>`;
}
