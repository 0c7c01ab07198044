// The login page: email + password, and SSO links for organizations that have them.

import { getJson, postJson } from '../api.js';
import { busy, field, h, hideMessage, messageBox, showMessage } from '../dom.js';

const SSO_ERROR = /^[A-Za-z_]{1,40}$/;

export function renderLogin(view, ctx) {
  ctx.setTitle('Sign in');
  const email = h('input', { type: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const error = messageBox('error');
  const notice = messageBox('success');
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Sign in');
  const form = h('form', { class: 'form', novalidate: true },
    error,
    field({ label: 'Email', control: email, name: 'email' }),
    field({ label: 'Password', control: password, name: 'password' }),
    submit);
  const sso = h('div', { class: 'sso', hidden: true, 'aria-busy': 'true' });
  const heading = h('h1', { id: 'login-heading' }, 'Sign in to Mutual');

  view.append(h('div', { class: 'auth' },
    h('section', { class: 'card auth-card', 'aria-labelledby': 'login-heading' },
      heading,
      h('p', { class: 'lede' }, 'The shared workspace where partners keep the evidence of their relationship.'),
      notice,
      form,
      sso)));

  if (ctx.params.get('signedOut')) showMessage(notice, 'success', 'You have signed out.');
  // The SSO callback sends refused sign-ins back to /?error=CODE; show it once, then drop it.
  const ssoError = ctx.params.get('error') ?? new URLSearchParams(window.location.search).get('error');
  if (window.location.search) {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  }
  if (ssoError) {
    const code = SSO_ERROR.test(ssoError) ? ` (${ssoError})` : '';
    showMessage(error, 'error', `Single sign-on did not complete${code}. Try again or sign in with your password.`);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideMessage(notice);
    if (!email.value.trim() || !password.value) {
      showMessage(error, 'error', 'Enter your email and your password.');
      (email.value.trim() ? password : email).focus();
      return;
    }
    const result = await busy(submit, 'Signing in…', () =>
      postJson('/auth/login', { email: email.value.trim(), password: password.value }));
    if (result.ok) {
      hideMessage(error);
      await ctx.signedIn(ctx.params.get('next'));
      return;
    }
    showMessage(error, 'error', loginMessage(result));
    password.value = '';
    password.focus();
  });

  loadSso(sso);
  if (!email.matches(':focus')) email.focus();
}

function loginMessage(result) {
  const message = result.body?.error?.message;
  if (result.status === 429) {
    return message || 'Too many sign-in attempts. Wait a few minutes and try again.';
  }
  if (result.status === 401 || result.status === 400) {
    return message || 'Email or password is incorrect.';
  }
  if (result.status === 0) return message;
  return message || `Signing in failed (status ${result.status}). Try again in a moment.`;
}

/** SSO is optional: a missing endpoint or an empty list shows no SSO section. */
async function loadSso(container) {
  const body = await getJson('/auth/sso/providers');
  container.setAttribute('aria-busy', 'false');
  const providers = Array.isArray(body?.providers)
    ? body.providers.filter((p) => typeof p?.slug === 'string' && p.slug && typeof p?.name === 'string')
    : [];
  if (providers.length === 0) return;
  container.append(
    h('p', { class: 'divider' }, h('span', {}, 'or')),
    h('ul', { class: 'sso-list' }, providers.map((provider) =>
      h('li', {}, h('a', {
        class: 'button button-block',
        href: `/auth/sso/${encodeURIComponent(provider.slug)}/start`,
      }, `Sign in with ${provider.name} SSO`)))));
  container.hidden = false;
}
