// One partnership's workspace: header with both parties, the domain navigation, and a section.

import { graphql } from '../graphql.js';
import { gql } from '../api.js';
import { clear, errorState, h, loading } from '../dom.js';
import { badge, roleName } from '../format.js';
import { connectLive } from '../live.js';
import { partnershipHref } from './partnerships.js';
import { headers } from './section.js';
import { SECTIONS } from '../domains.js';

export { forgetWorkspaces } from './section.js';

const WORKSPACE_QUERY = graphql`query PortalWorkspace($id: ID!) {
  partnership(id: $id) {
    id name status createdAt viewerRole viewerCanManageMembers
    parties { id label isOwn organization { name } }
  }
}`;

// The header's live indicator of the page on screen (the previous page's stops watching).
let stopWatchingLive = null;

const LIVE_TEXT = {
  connecting: 'Connecting live updates…',
  live: 'Live updates on',
  reconnecting: 'Reconnecting live updates…',
  offline: 'Live updates off — reload to see new changes',
};

export function renderWorkspace(view, ctx) {
  const [id, slug = 'overview', itemId] = ctx.match;
  const section = SECTIONS.find((s) => s.slug === slug);
  if (!section || (itemId && !section.hasItems)) {
    ctx.navigate(partnershipHref(id).slice(1));
    return;
  }
  const cached = headers.get(id);
  if (cached) {
    renderShell(view, ctx, cached, section, true, itemId);
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
      renderShell(view, ctx, data.partnership, section, false, itemId);
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

function renderShell(view, ctx, partnership, section, fromCache, itemId) {
  ctx.setTitle(`${section.name} · ${partnership.name}`);
  const own = partnership.parties.find((p) => p.isOwn);
  const other = partnership.parties.find((p) => !p.isOwn);
  const title = h('h1', { class: 'ws-title' }, partnership.name);
  const sectionHeading = h('h2', { id: 'section-heading' }, section.name);
  const content = h('section', { class: 'ws-content', 'aria-labelledby': 'section-heading' }, sectionHeading);
  // One live socket for the whole workspace; sections listen for what they show.
  const live = connectLive(partnership.id);
  const liveIndicator = h('p', { class: 'live-indicator', title: 'Changes made by either side appear without reloading.' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }), h('span', { class: 'live-text' }));
  stopWatchingLive?.();
  stopWatchingLive = live.watch((state) => {
    liveIndicator.dataset.state = state;
    liveIndicator.querySelector('.live-text').textContent = LIVE_TEXT[state] ?? state;
  });

  const searchInput = h('input', {
    type: 'search', name: 'q', id: 'ws-search-input', maxlength: '200', autocomplete: 'off',
    placeholder: 'Milestones, commitments…',
  });
  const searchForm = h('form', { class: 'ws-search', role: 'search', 'aria-label': 'Search this workspace' },
    h('label', { for: 'ws-search-input', class: 'sr-only' }, 'Search this workspace'),
    searchInput,
    h('button', { type: 'submit', class: 'button button-small' }, 'Search'));
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = searchInput.value.trim();
    ctx.navigate(`/p/${encodeURIComponent(partnership.id)}/search${text ? `?${new URLSearchParams({ q: text })}` : ''}`);
  });
  const navLinks = SECTIONS.filter((s) => s.inNav !== false).map((s) => h('li', {}, h('a', {
    href: partnershipHref(partnership.id, s.slug === 'overview' ? null : s.slug),
    'aria-current': s.slug === section.slug ? 'page' : null,
  }, s.name)));
  const nav = h('nav', { class: 'ws-nav', 'aria-label': 'Workspace sections' }, h('ul', {}, navLinks));

  view.append(
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('ol', {},
      h('li', {}, h('a', { href: '#/' }, 'Partnerships')),
      h('li', {}, h('a', { href: partnershipHref(partnership.id), 'aria-current': section.slug === 'overview' ? 'page' : null }, partnership.name)),
      section.slug !== 'overview' && !itemId ? h('li', {}, h('span', { 'aria-current': 'page' }, section.name)) : null,
      itemId ? h('li', {}, h('a', { href: partnershipHref(partnership.id, section.slug) }, section.name)) : null)),
    h('header', { class: 'ws-header' },
      h('div', { class: 'ws-title-row' }, title, badge(partnership.status)),
      h('div', { class: 'ws-parties' },
        partyCard(own, 'Your side'),
        h('span', { class: 'ws-parties-sep', 'aria-hidden': 'true' }, '↔'),
        partyCard(other, 'Partner')),
      h('div', { class: 'ws-meta-row' },
        h('p', { class: 'meta' }, 'Your role: ',
          h('strong', {}, partnership.viewerRole ? roleName(partnership.viewerRole) : 'Organization admin (not a member)')),
        liveIndicator,
        // The search view has a box of its own.
        section.slug === 'search' ? null : searchForm)),
    h('div', { class: 'ws-body' }, nav, content));
  // On a narrow screen the sections scroll sideways: the current one is brought into view, and
  // so is each one keyboard focus reaches (the browser alone leaves one half out of view).
  const list = nav.querySelector('ul');
  revealTab(list, nav.querySelector('[aria-current="page"]'));
  list.addEventListener('focusin', (event) => revealTab(list, event.target.closest('a')));

  ctx.focus(section.slug === 'overview' ? title : sectionHeading);
  section.render(content, { partnership, ctx, fromCache, live, itemId });
}

/** Scroll a sideways list of tabs (sideways only) so that a tab is wholly in view, centred. */
function revealTab(list, tab) {
  if (!tab || list.scrollWidth <= list.clientWidth) return;
  // The list is the offset parent of its links (position: relative).
  const start = tab.offsetLeft;
  const end = start + tab.offsetWidth;
  if (start >= list.scrollLeft && end <= list.scrollLeft + list.clientWidth) return;
  list.scrollLeft = start - (list.clientWidth - tab.offsetWidth) / 2;
}

function partyCard(party, role) {
  if (!party) return null;
  return h('div', { class: `ws-party${party.isOwn ? ' ws-party-own' : ''}` },
    h('span', { class: 'ws-party-role' }, `${role} · ${party.label}`),
    h('span', { class: 'ws-party-org' }, party.organization.name));
}
