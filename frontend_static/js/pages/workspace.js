// One partnership's workspace: header with both parties, the domain navigation, and a section.

import { gql } from '../api.js';
import { clear, emptyState, errorState, h, loading, srOnly } from '../dom.js';
import { badge, roleName, timeEl, titleCase } from '../format.js';
import { renderAudit, eventSummary, AUDIT_EVENT_FIELDS } from './audit.js';
import { renderMembers } from './members.js';
import { renderTokens } from './tokens.js';
import { partnershipHref } from './partnerships.js';
import { headers, sectionError } from './section.js';

export { forgetWorkspaces } from './section.js';

const WORKSPACE_QUERY = `query PortalWorkspace($id: ID!) {
  partnership(id: $id) {
    id name status createdAt viewerRole viewerCanManageMembers
    parties { id label isOwn organization { name } }
  }
}`;

const OVERVIEW_QUERY = `query PortalOverview($id: ID!) {
  partnership(id: $id) {
    id
    everyone: members(first: 1) { totalCount }
    ownSide: members(first: 1, ownSideOnly: true) { totalCount }
    auditTrail(first: 5) { totalCount nodes { ${AUDIT_EVENT_FIELDS} } }
  }
}`;

const SOON = 'soon';

export const SECTIONS = [
  { slug: 'overview', name: 'Overview', render: renderOverview },
  { slug: 'roadmap', name: 'Roadmap', render: SOON,
    about: 'The shared recovery roadmap: milestones across the Stabilize, Rebuild and Deepen phases, co-edited by both sides.' },
  { slug: 'commitments', name: 'Commitments', render: SOON,
    about: 'What each side committed to, by when, whether it was delivered, and whether the partner confirmed it.' },
  { slug: 'kpis', name: 'KPIs', render: SOON,
    about: 'KPI definitions with a baseline and a target, and the measurements that show progress.' },
  { slug: 'risks', name: 'Risks', render: SOON,
    about: 'The joint risk register: likelihood × impact, treatments, reviews, and how each side scores a risk.' },
  { slug: 'governance', name: 'Governance', render: SOON,
    about: 'Disclosures, the decision log, and published risk and compliance reports the partner acknowledges.' },
  { slug: 'feedback', name: 'Feedback', render: SOON,
    about: 'Feedback from either side, answered within the agreed times and followed to closure.' },
  { slug: 'contingency', name: 'Contingency', render: SOON,
    about: 'Joint contingency plans with triggers and playbooks, their activations and drills.' },
  { slug: 'health', name: 'Health', render: SOON,
    about: 'The trust health index, what it is built from, the early-warning signals and pulse surveys.' },
  { slug: 'members', name: 'Members', render: renderMembers },
  { slug: 'audit', name: 'Audit trail', render: renderAudit },
  { slug: 'tokens', name: 'API tokens', render: renderTokens },
];


export function renderWorkspace(view, ctx) {
  const [id, slug = 'overview'] = ctx.match;
  const section = SECTIONS.find((s) => s.slug === slug);
  if (!section) {
    ctx.navigate(partnershipHref(id).slice(1));
    return;
  }
  const cached = headers.get(id);
  if (cached) {
    renderShell(view, ctx, cached, section, true);
    return;
  }
  ctx.setTitle('Partnership');
  async function load() {
    clear(view, h('h1', { class: 'sr-only' }, 'Partnership'), loading('Loading partnership…'));
    try {
      const data = await gql(WORKSPACE_QUERY, { id });
      if (!ctx.isCurrent()) return;
      headers.set(id, data.partnership);
      view.replaceChildren();
      renderShell(view, ctx, data.partnership, section, false);
    } catch (error) {
      if (error.code === 'UNAUTHENTICATED' || !ctx.isCurrent()) return;
      if (error.code === 'NOT_FOUND') renderNotFound(view, ctx);
      else clear(view, h('h1', {}, 'Partnership'), errorState(error, load));
    }
  }
  load();
}

function renderNotFound(view, ctx) {
  ctx.setTitle('Partnership not found');
  const heading = h('h1', {}, 'Partnership not found');
  clear(view, h('div', { class: 'state state-empty state-notfound' },
    heading,
    h('p', {}, 'There is no partnership at this address that you can open. It may not exist, or you may not be a member of it.'),
    h('p', { class: 'state-actions' }, h('a', { class: 'button button-primary', href: '#/' }, 'Back to your partnerships'))));
  ctx.focus(heading);
}

function renderShell(view, ctx, partnership, section, fromCache) {
  ctx.setTitle(`${section.name} · ${partnership.name}`);
  const own = partnership.parties.find((p) => p.isOwn);
  const other = partnership.parties.find((p) => !p.isOwn);
  const title = h('h1', { class: 'ws-title' }, partnership.name);
  const sectionHeading = h('h2', { id: 'section-heading' }, section.name);
  const content = h('section', { class: 'ws-content', 'aria-labelledby': 'section-heading' }, sectionHeading);

  view.append(
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('ol', {},
      h('li', {}, h('a', { href: '#/' }, 'Partnerships')),
      h('li', {}, h('a', { href: partnershipHref(partnership.id), 'aria-current': section.slug === 'overview' ? 'page' : null }, partnership.name)),
      section.slug !== 'overview' ? h('li', {}, h('span', { 'aria-current': 'page' }, section.name)) : null)),
    h('header', { class: 'ws-header' },
      h('div', { class: 'ws-title-row' }, title, badge(partnership.status)),
      h('div', { class: 'ws-parties' },
        partyCard(own, 'Your side'),
        h('span', { class: 'ws-parties-sep', 'aria-hidden': 'true' }, '↔'),
        partyCard(other, 'Partner')),
      h('p', { class: 'meta' }, 'Your role: ',
        h('strong', {}, partnership.viewerRole ? roleName(partnership.viewerRole) : 'Organization admin (not a member)'))),
    h('div', { class: 'ws-body' },
      h('nav', { class: 'ws-nav', 'aria-label': 'Workspace sections' }, h('ul', {},
        SECTIONS.map((s) => h('li', {}, h('a', {
          href: partnershipHref(partnership.id, s.slug === 'overview' ? null : s.slug),
          'aria-current': s.slug === section.slug ? 'page' : null,
          class: s.render === SOON ? 'is-soon' : null,
        }, s.name, s.render === SOON
          ? [h('span', { class: 'soon-tag', 'aria-hidden': 'true' }, 'soon'), srOnly('(not available yet)')]
          : null))))),
      content));

  ctx.focus(section.slug === 'overview' ? title : sectionHeading);
  if (section.render === SOON) {
    content.append(emptyState(`${section.name} is not available yet`,
      `${section.about} This part of Mutual has not been built yet, so there is nothing to show here.`));
  } else {
    section.render(content, { partnership, ctx, fromCache });
  }
}

function partyCard(party, role) {
  if (!party) return null;
  return h('div', { class: `ws-party${party.isOwn ? ' ws-party-own' : ''}` },
    h('span', { class: 'ws-party-role' }, `${role} · ${party.label}`),
    h('span', { class: 'ws-party-org' }, party.organization.name));
}

function renderOverview(content, args) {
  const { partnership, ctx } = args;
  const own = partnership.parties.find((p) => p.isOwn);
  const other = partnership.parties.find((p) => !p.isOwn);
  content.append(h('p', { class: 'lede' },
    `${titleCase(partnership.status)} partnership between ${own?.organization.name} (${own?.label}) and ${other?.organization.name} (${other?.label}), opened `,
    timeEl(partnership.createdAt, false), '.'));
  const details = h('div', { class: 'overview-grid', 'aria-busy': 'true' }, loading('Loading members and recent activity…'));
  content.append(details,
    h('p', { class: 'note' }, 'Roadmap, commitments, KPIs, risks, governance, feedback, contingency plans and the health index are not available yet; they will appear in this workspace as they are built.'));

  async function load() {
    try {
      const data = await gql(OVERVIEW_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      const p = data.partnership;
      const theirs = p.everyone.totalCount - p.ownSide.totalCount;
      const events = p.auditTrail.nodes;
      clear(details,
        h('section', { class: 'card', 'aria-labelledby': 'ov-members' },
          h('h3', { id: 'ov-members' }, 'Members'),
          h('p', { class: 'big-number' }, String(p.everyone.totalCount)),
          h('p', {}, `${p.ownSide.totalCount} on your side, ${theirs} on ${other?.organization.name ?? 'the partner'}'s side.`),
          h('p', {}, h('a', { href: partnershipHref(partnership.id, 'members') }, 'See all members'))),
        h('section', { class: 'card', 'aria-labelledby': 'ov-activity' },
          h('h3', { id: 'ov-activity' }, 'Recent activity'),
          events.length === 0
            ? h('p', { class: 'muted' }, 'Nothing has been recorded yet.')
            : h('ul', { class: 'activity' }, events.map((e) => h('li', {}, eventSummary(e)))),
          h('p', {}, h('a', { href: partnershipHref(partnership.id, 'audit') }, `Open the audit trail (${p.auditTrail.totalCount} events)`))));
    } catch (error) {
      sectionError(details, error, args, load);
    } finally {
      details.setAttribute('aria-busy', 'false');
    }
  }
  load();
}
