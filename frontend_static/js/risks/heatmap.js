// The 5x5 heat map: a table per map, likelihood 5 to 1 down the rows, impact 1 to 5 across;
// each cell the number of risks a side's latest scores place there, and a mark where the
// other side places some of them elsewhere.

import { sideName } from '../pages/common.js';
import { html } from '../ui/html.js';
import { IMPACT, LIKELIHOOD, STEPS } from './model.js';

function band(score) {
  if (score <= 4) return 'low';
  if (score <= 9) return 'medium';
  if (score <= 14) return 'high';
  return 'critical';
}

function Cell({ cell }) {
  const score = cell.likelihood * cell.impact;
  const classes = [`heat-cell`, `heat-${band(score)}`, cell.count ? 'heat-filled' : '', cell.disputed ? 'heat-disputed' : ''];
  const what = cell.count === 1 ? '1 risk' : `${cell.count} risks`;
  return html`<td class=${classes.filter(Boolean).join(' ')}
    data-cell=${`${cell.likelihood}x${cell.impact}`} data-count=${cell.count} data-disputed=${cell.disputed}>
    ${cell.count ? html`<span class="heat-count">${cell.count}<span class="sr-only"> ${cell.count === 1 ? 'risk' : 'risks'}</span></span>` : html`<span class="sr-only">none</span>`}
    ${cell.disputed ? html`<span class="heat-mark" title=${`${cell.disputed} of ${what} scored elsewhere by the other side`}>≠ ${cell.disputed}<span class="sr-only"> scored differently by the other side</span></span>` : null}
  </td>`;
}

/** One map: `cells` as the API gives them (25, likelihood 5 first). */
export function HeatGrid({ title, cells, id }) {
  const at = new Map(cells.map((c) => [`${c.likelihood}x${c.impact}`, c]));
  return html`<figure class="heat-map" aria-labelledby=${id}>
    <figcaption id=${id} class="heat-title">${title}</figcaption>
    <table class="heat-table" aria-labelledby=${id}>
      <thead>
        <tr><td class="heat-corner"><span class="sr-only">Likelihood by impact</span></td>
          ${STEPS.map((i) => html`<th scope="col" class="heat-axis">${i} ${IMPACT[i - 1]}</th>`)}</tr>
      </thead>
      <tbody>
        ${[...STEPS].reverse().map((l) => html`<tr>
          <th scope="row" class="heat-axis">${l} ${LIKELIHOOD[l - 1]}</th>
          ${STEPS.map((i) => html`<${Cell} cell=${at.get(`${l}x${i}`) ?? { likelihood: l, impact: i, count: 0, disputed: 0 }} />`)}
        </tr>`)}
      </tbody>
    </table>
    <p class="heat-legend small muted">Rows: likelihood · columns: impact</p>
  </figure>`;
}

/** The combined map and one per side, own side first. */
export function HeatMaps({ map }) {
  const sides = [...map.sides].sort((a, b) => Number(b.party.isOwn) - Number(a.party.isOwn));
  return html`<section class="heat-maps" aria-labelledby="risk-heat-heading">
    <h3 id="risk-heat-heading">Heat map</h3>
    <p class="small" data-testid="disagreements">${map.disagreements === 0
      ? 'Both sides place every risk they both scored in the same cell.'
      : `The sides place ${map.disagreements === 1 ? '1 risk' : `${map.disagreements} risks`} in different cells (marked ≠).`}</p>
    <div class="heat-grid-row">
      <${HeatGrid} id="heat-combined" title="Both sides" cells=${map.combined} />
      ${sides.map((s) => html`<${HeatGrid} key=${s.party.id} id=${`heat-${s.party.isOwn ? 'own' : 'partner'}`}
        title=${sideName(s.party, { markOwn: true })} cells=${s.cells} />`)}
    </div>
  </section>`;
}
