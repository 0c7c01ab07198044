// A data table that stays readable on a phone: every cell carries its column's label
// (data-label), which the narrow layout shows beside the value (a cell's content sits in one
// wrapper, so that the label | value grid holds whatever the content is).

import { html } from './html.js';

/**
 * columns: [{ label, cell: (row) => content, rowHeader?: true }]; the row header column is a
 * <th scope="row">, so a screen reader names each row by it.
 */
export function Table({ columns, rows, rowKey, labelledBy, className = '' }) {
  return html`<div class="table-wrap">
    <table class=${`table ${className}`.trim()} aria-labelledby=${labelledBy}>
      <thead><tr>${columns.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
      <tbody>
        ${rows.map((row) => html`<tr key=${rowKey(row)}>
          ${columns.map((c) => (c.rowHeader
            ? html`<th scope="row" data-label=${c.label}>${c.cell(row)}</th>`
            : html`<td data-label=${c.label}><div>${c.cell(row)}</div></td>`))}
        </tr>`)}
      </tbody>
    </table>
  </div>`;
}
