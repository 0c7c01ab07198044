// Small labels: a record's status, the side a record belongs to, and "Internal".

import { statusName } from '../pages/common.js';
import { html } from './html.js';

/** A status badge with its colour; `prefix` tells the same word apart in two domains (ms, cm, kpi). */
export function StatusBadge({ status, prefix }) {
  return html`<span class=${`badge status-${prefix}-${status.toLowerCase()}`}>${statusName(status)}</span>`;
}

/** A chip naming a side, coloured for own and partner; nothing without a party. */
export function SideChip({ party }) {
  if (!party) return null;
  return html`<span class=${`side-chip${party.isOwn ? ' side-own' : ' side-partner'}`} title=${party.label}>${party.organization.name}</span>`;
}

/** The mark of a record only the viewer's side sees. */
export function InternalBadge({ title }) {
  return html`<span class="badge badge-internal" title=${title}>Internal</span>`;
}
