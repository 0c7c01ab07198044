// A progress bar from 0 to 100 %, named for screen readers.

import { html } from './html.js';

export function ProgressBar({ value, label }) {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  return html`<span class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
    aria-valuenow=${String(Math.round(clamped))} aria-label=${label}>
    <span class="progress-fill" style=${{ width: `${clamped}%` }}></span>
  </span>`;
}
