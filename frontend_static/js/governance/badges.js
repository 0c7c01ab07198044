// Governance's status badge.

import { html } from '../ui/html.js';
import { governanceStatus } from './words.js';

export function GovStatus({ status }) {
  return html`<span class=${`badge status-gov-${status.toLowerCase()}`}>${governanceStatus(status)}</span>`;
}
