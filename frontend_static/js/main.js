// The portal: session, shell and a small hash router (#/path?query).

import { graphql } from './graphql.js';
import {
  gql, postJson, sessionStarted, setUnauthenticatedHandler,
} from './api.js';
import { clear, errorState, h } from './dom.js';
import { renderLogin } from './pages/login.js';
import { renderPartnerships } from './pages/partnerships.js';
import { renderInvitations } from './pages/invitations.js';
import { forgetWorkspaces, renderWorkspace } from './pages/workspace.js';
import { closeLive } from './live.js';
import { mountInbox, renderNotificationsPage, unmountInbox } from './notify/index.js';

const VIEWER_QUERY = graphql`query PortalViewer {
  viewer { user { email displayName orgRole } organization { name slug } }
}`;

const app = {
  viewer: null,
  seq: 0,
  rendered: false,
};

// The header's inbox lives in one slot kept across renders (its live socket stays open).
const inboxSlot = h('div', { class: 'inbox-slot' });
let inboxFor = null;

function dropInbox() {
  unmountInbox(inboxSlot);
  inboxFor = null;
}

const ROUTES = [
  { pattern: /^\/login$/, page: renderLogin, isPublic: true },
  { pattern: /^\/$/, page: renderPartnerships },
  { pattern: /^\/invitations$/, page: renderInvitations },
  { pattern: /^\/notifications$/, page: renderNotificationsPage },
  // A workspace, a section of it, and an item of a section (a milestone, commitment or KPI).
  { pattern: /^\/p\/([^/]+)(?:\/([a-z-]+)(?:\/([^/]+))?)?$/, page: renderWorkspace },
];

function parseHash() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { raw, path: path || '/', params: new URLSearchParams(query) };
}

export function navigate(target) {
  if (window.location.hash === `#${target}`) render();
  else window.location.hash = target;
}

function replaceRoute(target) {
  window.history.replaceState(null, '', `#${target}`);
  render();
}

function loginTarget() {
  const { raw, path } = parseHash();
  // Already there (a second request of the page found the session gone too): keep its `next`.
  return path === '/login' ? raw : `/login?next=${encodeURIComponent(raw)}`;
}

async function loadViewer() {
  try {
    const data = await gql(VIEWER_QUERY, {}, { quietAuth: true });
    app.viewer = data.viewer;
  } catch (error) {
    if (error.code !== 'UNAUTHENTICATED') throw error;
    app.viewer = null;
  }
  return app.viewer;
}

/** After a successful login: load who we are and go where the user was heading. */
async function signedIn(next) {
  sessionStarted();
  forgetWorkspaces();
  await loadViewer();
  const target = next && next.startsWith('/') && !next.startsWith('/login') ? next : '/';
  replaceRoute(target);
}

async function signOut(button) {
  button.disabled = true;
  const result = await postJson('/auth/logout');
  button.disabled = false;
  if (!result.ok && result.status !== 0) {
    window.alert('Signing out failed; please try again.');
    return;
  }
  app.viewer = null;
  forgetWorkspaces();
  dropInbox();
  replaceRoute('/login?signedOut=1');
}

function renderTopbar(path) {
  const topbar = document.getElementById('topbar');
  const brand = h('a', { class: 'brand', href: '#/' },
    h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'M'), h('span', { class: 'brand-name' }, 'Mutual'));
  if (!app.viewer) {
    clear(topbar, h('div', { class: 'topbar-inner' }, brand));
    return;
  }
  const { user, organization } = app.viewer;
  const link = (href, text, active) => h('a', { href: `#${href}`, 'aria-current': active ? 'page' : null }, text);
  const isAdmin = user.orgRole === 'ADMIN';
  const signOutButton = h('button', { type: 'button', class: 'button button-quiet' }, 'Sign out');
  if (inboxFor !== user.email) {
    dropInbox();
    mountInbox(inboxSlot);
    inboxFor = user.email;
  }
  signOutButton.addEventListener('click', () => signOut(signOutButton));
  clear(topbar, h('div', { class: 'topbar-inner' },
    brand,
    h('nav', { class: 'topnav', 'aria-label': 'Main' }, h('ul', {},
      h('li', {}, link('/', 'Partnerships', path === '/' || path.startsWith('/p/'))),
      isAdmin ? h('li', {}, link('/invitations', 'Invitations', path === '/invitations')) : null)),
    inboxSlot,
    h('div', { class: 'account' },
      h('p', { class: 'account-who' },
        h('span', { class: 'account-name' }, user.displayName),
        h('span', { class: 'account-org' }, organization.name)),
      signOutButton)));
}

function render() {
  const { path, params } = parseHash();
  const route = ROUTES.find((r) => r.pattern.test(path));
  if (!route) {
    replaceRoute('/');
    return;
  }
  if (!route.isPublic && !app.viewer) {
    replaceRoute(loginTarget());
    return;
  }
  if (path === '/login' && app.viewer) {
    replaceRoute('/');
    return;
  }
  // Live updates belong to a workspace: leaving it closes the socket.
  if (!path.startsWith('/p/')) closeLive();
  app.seq += 1;
  const seq = app.seq;
  const firstRender = !app.rendered;
  app.rendered = true;
  renderTopbar(path);
  const main = document.getElementById('main');
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  const match = path.match(route.pattern);
  const ctx = {
    viewer: app.viewer,
    params,
    match: match.slice(1).map((part) => (part === undefined ? undefined : decodeURIComponent(part))),
    isCurrent: () => seq === app.seq,
    navigate,
    rerender: render,
    signedIn,
    setTitle: (title) => {
      if (seq === app.seq) document.title = title ? `${title} · Mutual` : 'Mutual';
    },
    /** Move focus to a page's heading after navigation, so screen readers start there. */
    focus: (el) => {
      if (seq !== app.seq || firstRender || !el) return;
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
      el.focus({ preventScroll: false });
    },
  };
  route.page(view, ctx);
}

async function boot() {
  setUnauthenticatedHandler(() => {
    app.viewer = null;
    forgetWorkspaces();
    dropInbox();
    // A later answer of the same lost session must not draw the login form again: that would
    // clear what the user has begun to type in it.
    if (parseHash().path === '/login') return;
    replaceRoute(loginTarget());
  });
  document.getElementById('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  try {
    await loadViewer();
  } catch (error) {
    clear(document.getElementById('main'), errorState(error, () => window.location.reload()));
    return;
  }
  window.addEventListener('hashchange', render);
  render();
}

boot();
