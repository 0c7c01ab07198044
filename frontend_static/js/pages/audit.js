// The audit trail: every write in the partnership, newest first, and the chain check.

import { graphql } from '../graphql.js';
import { gql } from '../api.js';
import { busy, clear, emptyState, h, loading } from '../dom.js';
import { timeEl } from '../format.js';
import { sectionError } from './section.js';

graphql`fragment PortalAuditEvent on AuditEvent {
  id seq action objectType objectId changes createdAt
  actor { displayName email } actorParty { label isOwn organization { name } }
}`;

const TRAIL_QUERY = graphql`query PortalAuditTrail($id: ID!, $after: String) {
  partnership(id: $id) {
    id
    auditTrail(first: 25, after: $after) {
      totalCount
      edges { node { ...PortalAuditEvent } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const VERIFY_QUERY = graphql`query PortalVerifyAudit($id: ID!) {
  partnership(id: $id) { id verifyAuditChain { intact checkedEvents firstBrokenSeq } }
}`;

/** "member.role_changed" → "Member role changed" */
export function actionLabel(action) {
  const words = action.replaceAll('.', ' ').replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function actorName(event) {
  return event.actor ? event.actor.displayName : 'System';
}

function sideName(event) {
  const party = event.actorParty;
  if (!party) return null;
  return `${party.organization.name}${party.isOwn ? ' (your side)' : ''}`;
}

/** One line for the overview: who did what, when. */
export function eventSummary(event) {
  return h('span', { class: 'event-summary' },
    h('strong', {}, actorName(event)), ' — ', actionLabel(event.action),
    ' ', h('span', { class: 'muted' }, '· ', timeEl(event.createdAt)));
}

function showValue(value) {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** field: old → new; a created field shows only its value, a cleared one its old value. */
function changesList(changes) {
  const entries = changes && typeof changes === 'object' ? Object.entries(changes) : [];
  if (entries.length === 0) return h('span', { class: 'muted' }, 'No field changes');
  return h('ul', { class: 'changes' }, entries.map(([name, change]) => {
    const hasShape = change && typeof change === 'object' && ('from' in change || 'to' in change);
    const from = hasShape ? change.from ?? null : null;
    const to = hasShape ? change.to ?? null : change;
    const parts = [h('span', { class: 'change-field' }, name), ': '];
    if (from === null) parts.push(h('ins', { class: 'change-to' }, showValue(to)));
    else if (to === null) parts.push(h('del', { class: 'change-from' }, showValue(from)), ' (cleared)');
    else {
      parts.push(h('del', { class: 'change-from' }, showValue(from)), ' → ',
        h('ins', { class: 'change-to' }, showValue(to)));
    }
    return h('li', {}, parts);
  }));
}

function eventRow(event) {
  const side = sideName(event);
  return h('tr', {},
    h('td', { 'data-label': 'When' }, timeEl(event.createdAt), h('div', { class: 'muted small' }, `#${event.seq}`)),
    h('td', { 'data-label': 'Who' }, h('div', {}, actorName(event)),
      event.actor ? h('div', { class: 'muted small' }, event.actor.email) : null,
      side ? h('div', { class: 'muted small' }, side) : null),
    h('td', { 'data-label': 'Action' }, h('div', {}, actionLabel(event.action)), h('code', { class: 'small' }, event.action)),
    h('td', { 'data-label': 'Object' }, h('div', {}, event.objectType),
      h('code', { class: 'small', title: event.objectId }, event.objectId.slice(0, 8))),
    h('td', { 'data-label': 'Changes' }, changesList(event.changes)));
}

export function renderAudit(content, args) {
  const { partnership, ctx } = args;
  const count = h('p', { class: 'lede' }, 'Every change in this workspace, newest first. Each event is hash-chained to the one before it.');
  const verifyButton = h('button', { type: 'button', class: 'button' }, 'Verify chain');
  const verifyResult = h('div', { class: 'verify-result', role: 'status', 'aria-label': 'Chain verification' });
  const tbody = h('tbody');
  const table = h('table', { class: 'table audit-table', 'aria-labelledby': 'section-heading' },
    h('thead', {}, h('tr', {},
      ['When', 'Who', 'Action', 'Object', 'Changes'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
  const more = h('button', { type: 'button', class: 'button' }, 'Load older events');
  const body = h('div', { class: 'table-wrap', 'aria-busy': 'true' }, loading('Loading the audit trail…'));
  const footer = h('div', { class: 'list-footer' });
  content.append(count,
    h('div', { class: 'toolbar' }, verifyButton, verifyResult),
    body, footer);

  let cursor = null;

  async function loadPage() {
    try {
      const data = await gql(TRAIL_QUERY, { id: partnership.id, after: cursor });
      if (!ctx.isCurrent()) return;
      const trail = data.partnership.auditTrail;
      if (cursor === null) {
        count.textContent = `${trail.totalCount} ${trail.totalCount === 1 ? 'event' : 'events'}, newest first. Each event is hash-chained to the one before it.`;
        if (trail.edges.length === 0) {
          clear(body, emptyState('No events yet', 'Changes made in this workspace will be listed here.'));
          return;
        }
        clear(body, table);
      }
      const firstNew = trail.edges.length ? eventRow(trail.edges[0].node) : null;
      if (firstNew) tbody.append(firstNew, ...trail.edges.slice(1).map((edge) => eventRow(edge.node)));
      cursor = trail.pageInfo.endCursor;
      clear(footer, h('p', { class: 'muted' }, `Showing ${tbody.children.length} of ${trail.totalCount}.`),
        trail.pageInfo.hasNextPage ? more : null);
      return firstNew;
    } catch (error) {
      sectionError(cursor === null ? body : footer, error, args, loadPage);
      return null;
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  more.addEventListener('click', async () => {
    const firstNew = await busy(more, 'Loading…', loadPage);
    // Keep keyboard users where the new rows start.
    const target = firstNew?.querySelector('td');
    if (target) {
      target.setAttribute('tabindex', '-1');
      target.focus();
    }
  });

  verifyButton.addEventListener('click', async () => {
    clear(verifyResult, 'Verifying the chain…');
    verifyResult.className = 'verify-result';
    await busy(verifyButton, 'Verifying…', async () => {
      try {
        const data = await gql(VERIFY_QUERY, { id: partnership.id });
        const result = data.partnership.verifyAuditChain;
        if (result.intact) {
          verifyResult.className = 'verify-result message message-success';
          clear(verifyResult, `Chain intact: all ${result.checkedEvents} events verified.`);
        } else {
          verifyResult.className = 'verify-result message message-error';
          clear(verifyResult, `Chain broken at event #${result.firstBrokenSeq}: ${result.checkedEvents} events checked. Events from #${result.firstBrokenSeq} on cannot be trusted.`);
        }
      } catch (error) {
        if (error.code === 'UNAUTHENTICATED') return;
        verifyResult.className = 'verify-result message message-error';
        clear(verifyResult, `The chain could not be verified: ${error.message}`);
      }
    });
  });

  loadPage();
}
