// API tokens of the viewer's side: list, create (the secret is shown once), revoke.

import { graphql } from '../graphql.js';
import { gql } from '../api.js';
import {
  busy, clear, clearFieldErrors, emptyState, field, h, hideMessage, loading, messageBox,
  newId, showMessage, showUserErrors,
} from '../dom.js';
import { badge, timeEl } from '../format.js';
import { sectionError } from './section.js';

const TOKENS_QUERY = graphql`query PortalApiTokens($id: ID!) {
  partnership(id: $id) {
    id
    apiTokens { id name scopes createdAt expiresAt revokedAt isActive }
  }
}`;


const CREATE_TOKEN = graphql`mutation PortalCreateToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { apiToken { id name } secret userErrors { field code message } }
}`;

const REVOKE_TOKEN = graphql`mutation PortalRevokeToken($input: RevokeApiTokenInput!) {
  revokeApiToken(input: $input) { apiToken { id isActive revokedAt } userErrors { field code message } }
}`;

const SCOPES = [
  { value: 'READ', label: 'Read', help: 'read the workspace' },
  { value: 'KPI_WRITE', label: 'KPI write', help: 'push KPI measurements' },
  { value: 'REPORTS_READ', label: 'Reports read', help: 'download published reports' },
];

function scopeLabels(values) {
  const order = SCOPES.map((s) => s.value);
  return [...values]
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((value) => SCOPES.find((s) => s.value === value)?.label ?? value)
    .join(', ');
}

function tokenStatus(token) {
  if (token.revokedAt) return badge('Revoked', 'revoked');
  if (!token.isActive) return badge('Expired', 'expired');
  return badge('Active', 'active');
}

export function renderTokens(content, args) {
  const { partnership, ctx } = args;
  content.append(h('p', { class: 'lede' },
    "Tokens let your side's systems call the Mutual API for this partnership (for example to push KPI measurements). Each token is scoped, expires, and can be revoked at any time."));
  if (!partnership.viewerCanManageMembers) {
    content.append(emptyState('Only Leads manage API tokens',
      "Ask a Lead of your side or your organization's admin to create a token for you."));
    return;
  }

  const status = messageBox('success');
  const alert = messageBox('error');
  const listHeading = h('h3', { id: 'tokens-list-heading', tabindex: '-1' }, "Your side's tokens");
  const body = h('div', { class: 'table-wrap', 'aria-busy': 'true' }, loading('Loading API tokens…'));
  const secretSlot = h('div');
  content.append(createForm(), secretSlot,
    h('section', { 'aria-labelledby': listHeading.id }, listHeading, status, alert, body));

  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(TOKENS_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      const tokens = data.partnership.apiTokens;
      clear(body, tokens.length === 0
        ? emptyState('No API tokens yet', 'Create one with the form above.')
        : h('table', { class: 'table', 'aria-labelledby': listHeading.id },
          h('thead', {}, h('tr', {},
            ['Name', 'Scopes', 'Created', 'Expires', 'Status'].map((c) => h('th', { scope: 'col' }, c)),
            h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
          h('tbody', {}, tokens.map(tokenRow))));
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function tokenRow(token) {
    const actions = h('td', { class: 'actions', 'data-label': 'Actions' });
    if (token.isActive) {
      const revoke = h('button', { type: 'button', class: 'button button-small button-danger', 'aria-label': `Revoke ${token.name}` }, 'Revoke');
      revoke.addEventListener('click', () => confirmRevoke(token, actions, revoke));
      actions.append(revoke);
    }
    return h('tr', {},
      h('td', { 'data-label': 'Name' }, token.name),
      h('td', { 'data-label': 'Scopes' }, scopeLabels(token.scopes)),
      h('td', { 'data-label': 'Created' }, timeEl(token.createdAt, false)),
      h('td', { 'data-label': 'Expires' }, timeEl(token.expiresAt)),
      h('td', { 'data-label': 'Status' }, tokenStatus(token)),
      actions);
  }

  function confirmRevoke(token, cell, revokeButton) {
    const yes = h('button', { type: 'button', class: 'button button-small button-danger', 'aria-label': `Yes, revoke ${token.name}` }, 'Yes, revoke');
    const no = h('button', { type: 'button', class: 'button button-small' }, 'Cancel');
    no.addEventListener('click', () => {
      clear(cell, revokeButton);
      revokeButton.focus();
    });
    yes.addEventListener('click', async () => {
      let revoked = false;
      hideMessage(status);
      hideMessage(alert);
      await busy(yes, 'Revoking…', async () => {
        try {
          const data = await gql(REVOKE_TOKEN, { input: { tokenId: token.id } });
          const payload = data.revokeApiToken;
          if (payload.userErrors.length) {
            showMessage(alert, 'error', payload.userErrors.map((e) => e.message));
            return;
          }
          revoked = true;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') showMessage(alert, 'error', error.message);
        }
      });
      if (!ctx.isCurrent()) return;
      await load();
      if (revoked) showMessage(status, 'success', `${token.name} was revoked; it no longer works.`);
      listHeading.focus();
    });
    clear(cell, h('span', { class: 'confirm-text' }, `Revoke ${token.name}?`), ' ', yes, ' ', no);
    yes.focus();
  }

  function createForm() {
    const name = h('input', { type: 'text', maxlength: '100', autocomplete: 'off', required: true });
    const days = h('input', { type: 'number', min: '1', max: '366', value: '90', inputmode: 'numeric', required: true });
    const scopeBoxes = SCOPES.map((scope) => {
      const id = newId('scope');
      return {
        scope,
        input: h('input', { type: 'checkbox', id, name: 'scopes', value: scope.value, checked: scope.value === 'READ' }),
        id,
      };
    });
    const scopesError = h('p', { class: 'field-error', id: 'scopes-error', role: 'alert', hidden: true });
    const errors = messageBox('error');
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Create token');
    const form = h('form', { class: 'form card', novalidate: true, 'aria-labelledby': 'create-token-heading' },
      h('h3', { id: 'create-token-heading' }, 'Create a token'),
      errors,
      h('div', { class: 'form-row' },
        field({ label: 'Token name', control: name, name: 'name', hint: 'Where it is used, e.g. “ERP KPI export”.' }),
        field({ label: 'Expires in (days)', control: days, name: 'expiresInDays', hint: '1 to 366 days.' })),
      h('fieldset', { class: 'field checkboxes', 'aria-describedby': scopesError.id },
        h('legend', {}, 'Scopes'),
        scopeBoxes.map(({ scope, input, id }) => h('div', { class: 'checkbox' }, input,
          h('label', { for: id }, h('strong', {}, scope.label), ` — ${scope.help}`))),
        scopesError),
      h('div', {}, submit));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFieldErrors(form);
      scopesError.hidden = true;
      const scopes = scopeBoxes.filter((b) => b.input.checked).map((b) => b.scope.value);
      const local = [];
      if (!name.value.trim()) local.push({ field: 'name', message: 'Give the token a name.' });
      const dayCount = Number.parseInt(days.value, 10);
      if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 366) {
        local.push({ field: 'expiresInDays', message: 'A token expires in 1 to 366 days.' });
      }
      if (scopes.length === 0) local.push({ field: 'scopes', message: 'Choose at least one scope.' });
      if (local.length) {
        showErrors(local);
        return;
      }
      let created = null;
      await busy(submit, 'Creating…', async () => {
        try {
          const data = await gql(CREATE_TOKEN, {
            input: { partnershipId: partnership.id, name: name.value.trim(), scopes, expiresInDays: dayCount },
          });
          const payload = data.createApiToken;
          if (payload.userErrors.length) {
            showErrors(payload.userErrors);
            return;
          }
          created = payload;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
        }
      });
      if (!created || !ctx.isCurrent()) return;
      hideMessage(errors);
      name.value = '';
      await load();
      clear(secretSlot, secretPanel(created));
      secretSlot.querySelector('input')?.focus();
    });

    function showErrors(list) {
      showUserErrors(form, errors, list.filter((e) => e.field !== 'scopes'));
      const scopeError = list.find((e) => e.field === 'scopes');
      if (scopeError) {
        scopesError.textContent = scopeError.message;
        scopesError.hidden = false;
      }
      (form.querySelector('[aria-invalid="true"]') ?? scopeBoxes[0].input).focus();
    }
    return form;
  }

  function secretPanel(created) {
    const input = h('input', { type: 'text', readonly: true, value: created.secret, class: 'secret', spellcheck: 'false' });
    const copied = h('span', { role: 'status', class: 'copy-status' });
    const copy = h('button', { type: 'button', class: 'button button-primary' }, 'Copy');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(created.secret);
        copied.textContent = 'Copied to the clipboard.';
      } catch {
        input.select();
        copied.textContent = 'Select the token and copy it with your keyboard (Ctrl+C or ⌘C).';
      }
    });
    const dismiss = h('button', { type: 'button', class: 'button' }, 'I have stored it');
    const panel = h('section', { class: 'card secret-panel', 'aria-labelledby': 'secret-heading' },
      h('h3', { id: 'secret-heading' }, `Token “${created.apiToken.name}” created`),
      h('p', { class: 'message message-warning' }, 'Copy this token now. It is shown only once; Mutual stores only a hash of it.'),
      field({ label: 'Token secret', control: input }),
      h('div', { class: 'inline-form' }, copy, dismiss, copied));
    dismiss.addEventListener('click', () => {
      panel.remove();
      listHeading.focus();
    });
    return panel;
  }

  load();
}
