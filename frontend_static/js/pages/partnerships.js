// The partnership list, paged with the connection's cursors.

import { graphql } from '../graphql.js';
import { gql } from '../api.js';
import { clear, emptyState, errorState, h, loading } from '../dom.js';
import { badge, roleName } from '../format.js';

export const PAGE_SIZE = 20;

const PARTNERSHIPS_QUERY = graphql`query PortalPartnerships($first: Int, $after: String, $last: Int, $before: String) {
  viewer {
    user { email displayName }
    organization { name }
    partnerships(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { node { id name status viewerRole parties { label isOwn organization { name } } healthSummary { value trend } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

export function partnershipHref(id, section) {
  return `#/p/${encodeURIComponent(id)}${section ? `/${section}` : ''}`;
}

export function renderPartnerships(view, ctx) {
  ctx.setTitle('Partnerships');
  const heading = h('h1', {}, 'Partnerships');
  const summary = h('p', { class: 'lede' }, `${ctx.viewer.organization.name}`);
  const body = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' });
  view.append(h('div', { class: 'page-head' }, h('div', {}, heading, summary)), body);
  ctx.focus(heading);

  const after = ctx.params.get('after');
  const before = ctx.params.get('before');
  const variables = before ? { last: PAGE_SIZE, before } : { first: PAGE_SIZE, after };

  async function load() {
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(loading('Loading partnerships…'));
    try {
      const data = await gql(PARTNERSHIPS_QUERY, variables);
      if (!ctx.isCurrent()) return;
      const { viewer } = data;
      const connection = viewer.partnerships;
      const count = connection.totalCount;
      summary.textContent = `${viewer.organization.name} · ${count} ${count === 1 ? 'partnership' : 'partnerships'}`;
      clear(body, renderList(connection, ctx));
    } catch (error) {
      if (error.code === 'UNAUTHENTICATED' || !ctx.isCurrent()) return;
      body.replaceChildren(errorState(error, load));
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }
  load();
}

function renderList(connection, ctx) {
  const nodes = connection.edges.map((edge) => edge.node);
  if (nodes.length === 0) {
    if (connection.totalCount > 0) {
      return [emptyState('This page is empty', 'The list changed since you opened it.',
        h('a', { href: '#/', class: 'button' }, 'Back to the first page'))];
    }
    const isAdmin = ctx.viewer.user.orgRole === 'ADMIN';
    return [emptyState('No partnerships yet',
      isAdmin
        ? 'Invite a partner organization to open your first shared workspace.'
        : "Ask your organization's admin to invite a partner, or a partner's lead to add you.",
      isAdmin ? h('a', { href: '#/invitations', class: 'button button-primary' }, 'Invite an organization') : null)];
  }
  const list = h('ul', { class: 'card-list', 'aria-label': 'Your partnerships' },
    nodes.map((node) => h('li', { class: 'card partnership-card' },
      h('div', { class: 'partnership-card-head' },
        h('h2', { class: 'card-title' }, h('a', { href: partnershipHref(node.id) }, node.name)),
        badge(node.status)),
      partiesLine(node.parties),
      h('p', { class: 'meta' }, 'Your role: ',
        h('strong', {}, node.viewerRole ? roleName(node.viewerRole) : 'Organization admin (not a member)')),
      healthLine(node.healthSummary))));
  return [list, pager(connection.pageInfo)];
}

/** "Health index 72 · ▲ 3 over the week", from the daily snapshots; nothing before the first. */
function healthLine(summary) {
  if (!summary || summary.value === null) return null;
  const trend = summary.trend === null ? null
    : ` · ${summary.trend >= 0 ? '▲' : '▼'} ${Math.abs(summary.trend)} over the week`;
  return h('p', { class: 'meta partnership-health' }, 'Health index: ',
    h('strong', {}, String(Math.round(summary.value))), trend);
}

/** "Supplier · Northwind Components (your side) ↔ Customer · Contoso Retail" */
export function partiesLine(parties) {
  const ordered = [...parties].sort((a, b) => Number(b.isOwn) - Number(a.isOwn));
  const parts = [];
  ordered.forEach((party, index) => {
    if (index > 0) parts.push(h('span', { class: 'parties-sep', 'aria-hidden': 'true' }, '↔'), h('span', { class: 'sr-only' }, ' and '));
    parts.push(h('span', { class: `party-chip${party.isOwn ? ' party-own' : ''}` },
      h('span', { class: 'party-label' }, party.label), ' ',
      h('span', { class: 'party-org' }, party.organization.name),
      party.isOwn ? [' ', h('span', { class: 'tag' }, 'your side')] : null));
  });
  return h('p', { class: 'parties-line' }, parts);
}

function pager(pageInfo) {
  if (!pageInfo.hasNextPage && !pageInfo.hasPreviousPage) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Pages of partnerships' },
    pageInfo.hasPreviousPage && pageInfo.startCursor
      ? h('a', { class: 'button', href: `#/?before=${encodeURIComponent(pageInfo.startCursor)}` }, '← Previous page')
      : h('span'),
    pageInfo.hasNextPage && pageInfo.endCursor
      ? h('a', { class: 'button', href: `#/?after=${encodeURIComponent(pageInfo.endCursor)}` }, 'Next page →')
      : h('span'));
}
