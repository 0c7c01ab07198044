// Invitations (org admins): received ones to accept or decline, sent ones, and a form to invite.

import { graphql } from '../graphql.js';
import { gql } from '../api.js';
import {
  busy, clear, clearFieldErrors, emptyState, errorState, field, h, hideMessage, loading,
  messageBox, showMessage, showUserErrors,
} from '../dom.js';
import { timeEl } from '../format.js';
import { partnershipHref } from './partnerships.js';

const INVITATIONS_QUERY = graphql`query PortalInvitations {
  viewer {
    organization { name slug }
    pendingInvitations {
      id status direction partnershipName createdAt expiresAt message
      inviterOrganization { name } inviteeOrganization { name }
    }
  }
}`;


const ACCEPT = graphql`mutation PortalAcceptInvitation($input: DecideInvitationInput!) {
  acceptInvitation(input: $input) { invitation { id status } partnership { id name } userErrors { field code message } }
}`;

const DECLINE = graphql`mutation PortalDeclineInvitation($input: DecideInvitationInput!) {
  declineInvitation(input: $input) { invitation { id status } userErrors { field code message } }
}`;

const INVITE = graphql`mutation PortalInviteOrganization($input: InviteOrganizationInput!) {
  inviteOrganization(input: $input) {
    invitation { id partnershipName inviteeOrganization { name } }
    userErrors { field code message }
  }
}`;

export function renderInvitations(view, ctx) {
  ctx.setTitle('Invitations');
  const heading = h('h1', {}, 'Invitations');
  view.append(h('div', { class: 'page-head' }, h('div', {}, heading,
    h('p', { class: 'lede' }, "A partnership starts when one organization's admin invites another and that organization's admin accepts."))));
  ctx.focus(heading);

  if (ctx.viewer.user.orgRole !== 'ADMIN') {
    view.append(emptyState("Only your organization's admins manage invitations",
      'Ask an admin of your organization to invite a partner or to accept an invitation.'));
    return;
  }

  const status = messageBox('success');
  const alert = messageBox('error');
  const receivedBody = h('div', { 'aria-busy': 'true' }, loading('Loading invitations…'));
  const sentBody = h('div', { 'aria-busy': 'true' }, loading('Loading invitations…'));
  const receivedHeading = h('h2', { id: 'received-heading', tabindex: '-1' }, 'Received');
  view.append(status, alert,
    h('section', { class: 'block', 'aria-labelledby': receivedHeading.id }, receivedHeading, receivedBody),
    h('section', { class: 'block', 'aria-labelledby': 'sent-heading' }, h('h2', { id: 'sent-heading' }, 'Sent, awaiting an answer'), sentBody),
    h('section', { class: 'block', 'aria-labelledby': 'invite-heading' }, h('h2', { id: 'invite-heading' }, 'Invite an organization'), inviteForm()));

  async function load() {
    for (const el of [receivedBody, sentBody]) el.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(INVITATIONS_QUERY);
      if (!ctx.isCurrent()) return;
      const all = data.viewer.pendingInvitations;
      const received = all.filter((i) => i.direction === 'RECEIVED');
      const sent = all.filter((i) => i.direction !== 'RECEIVED');
      clear(receivedBody, received.length === 0
        ? emptyState('No invitations waiting for you', 'When another organization invites yours, it appears here.')
        : h('ul', { class: 'card-list', 'aria-labelledby': receivedHeading.id }, received.map(receivedCard)));
      clear(sentBody, sent.length === 0
        ? emptyState('No sent invitations pending', 'Invitations you send stay here until the other organization answers.')
        : h('ul', { class: 'card-list', 'aria-labelledby': 'sent-heading' }, sent.map(sentCard)));
    } catch (error) {
      if (error.code === 'UNAUTHENTICATED' || !ctx.isCurrent()) return;
      clear(receivedBody, errorState(error, load));
      sentBody.replaceChildren();
    } finally {
      for (const el of [receivedBody, sentBody]) el.setAttribute('aria-busy', 'false');
    }
  }

  function receivedCard(invitation) {
    const name = invitation.partnershipName;
    const accept = h('button', { type: 'button', class: 'button button-primary', 'aria-label': `Accept invitation to ${name}` }, 'Accept');
    const decline = h('button', { type: 'button', class: 'button', 'aria-label': `Decline invitation to ${name}` }, 'Decline');
    accept.addEventListener('click', () => decide(invitation, true, accept, [accept, decline]));
    decline.addEventListener('click', () => decide(invitation, false, decline, [accept, decline]));
    return h('li', { class: 'card invitation' },
      h('h3', { class: 'card-title' }, name),
      h('p', {}, 'From ', h('strong', {}, invitation.inviterOrganization.name)),
      invitation.message ? h('blockquote', { class: 'invitation-message' }, invitation.message) : null,
      h('p', { class: 'meta' }, 'Sent ', timeEl(invitation.createdAt, false), ' · expires ', timeEl(invitation.expiresAt)),
      h('div', { class: 'button-row' }, accept, decline));
  }

  function sentCard(invitation) {
    return h('li', { class: 'card invitation' },
      h('h3', { class: 'card-title' }, invitation.partnershipName),
      h('p', {}, 'To ', h('strong', {}, invitation.inviteeOrganization.name)),
      invitation.message ? h('blockquote', { class: 'invitation-message' }, invitation.message) : null,
      h('p', { class: 'meta' }, 'Sent ', timeEl(invitation.createdAt, false), ' · expires ', timeEl(invitation.expiresAt)));
  }

  async function decide(invitation, accept, button, buttons) {
    hideMessage(status);
    hideMessage(alert);
    for (const b of buttons) b.disabled = true;
    let outcome = null;
    await busy(button, accept ? 'Accepting…' : 'Declining…', async () => {
      try {
        const data = await gql(accept ? ACCEPT : DECLINE, { input: { invitationId: invitation.id } });
        const payload = accept ? data.acceptInvitation : data.declineInvitation;
        if (payload.userErrors.length) {
          showMessage(alert, 'error', payload.userErrors.map((e) => e.message));
          return;
        }
        outcome = accept && payload.partnership
          ? h('span', {}, `You accepted “${invitation.partnershipName}”. The shared workspace is ready. `,
            h('a', { href: partnershipHref(payload.partnership.id) }, `Open ${payload.partnership.name}`))
          : `You declined “${invitation.partnershipName}”.`;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(alert, 'error', error.message);
      }
    });
    for (const b of buttons) b.disabled = false;
    if (!ctx.isCurrent() || outcome === null) return;
    // Reload first, so the message appears with the lists it describes.
    await load();
    showMessage(status, 'success', [outcome]);
    status.setAttribute('tabindex', '-1');
    status.focus();
  }

  function inviteForm() {
    const slug = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'e.g. northwind' });
    const name = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: '200', placeholder: 'e.g. Supply recovery' });
    const ownLabel = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: '80', placeholder: 'e.g. Customer' });
    const inviteeLabel = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: '80', placeholder: 'e.g. Supplier' });
    const message = h('textarea', { rows: '3', maxlength: '2000' });
    const errors = messageBox('error');
    const done = messageBox('success');
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Send invitation');
    const form = h('form', { class: 'form card', novalidate: true, 'aria-labelledby': 'invite-heading' },
      errors, done,
      field({ label: 'Organization handle', control: slug, name: 'inviteeOrganizationSlug', hint: 'The short handle of the organization in Mutual.' }),
      field({ label: 'Partnership name', control: name, name: 'name' }),
      h('div', { class: 'form-row' },
        field({ label: "Your side's label", control: ownLabel, name: 'ownLabel' }),
        field({ label: "Their side's label", control: inviteeLabel, name: 'inviteeLabel' })),
      field({ label: 'Message (optional)', control: message, name: 'message' }),
      h('div', {}, submit));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      hideMessage(done);
      clearFieldErrors(form);
      const input = {
        inviteeOrganizationSlug: slug.value.trim().toLowerCase(),
        name: name.value.trim(),
        ownLabel: ownLabel.value.trim(),
        inviteeLabel: inviteeLabel.value.trim(),
        message: message.value.trim(),
      };
      const missing = [
        ['inviteeOrganizationSlug', 'Enter the handle of the organization to invite.'],
        ['name', 'Name the partnership.'],
        ['ownLabel', 'Label your side, e.g. Customer.'],
        ['inviteeLabel', 'Label their side, e.g. Supplier.'],
      ].filter(([key]) => !input[key]).map(([key, text]) => ({ field: key, message: text }));
      if (missing.length) {
        showUserErrors(form, errors, missing);
        form.querySelector('[aria-invalid="true"]')?.focus();
        return;
      }
      let invitation = null;
      await busy(submit, 'Sending…', async () => {
        try {
          const data = await gql(INVITE, { input });
          const payload = data.inviteOrganization;
          if (payload.userErrors.length) {
            showUserErrors(form, errors, payload.userErrors);
            (form.querySelector('[aria-invalid="true"]') ?? slug).focus();
            return;
          }
          invitation = payload.invitation;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
        }
      });
      if (!invitation || !ctx.isCurrent()) return;
      hideMessage(errors);
      form.reset();
      await load();
      showMessage(done, 'success', `Invitation to ${invitation.inviteeOrganization.name} sent for “${invitation.partnershipName}”.`);
      slug.focus();
    });
    return form;
  }

  load();
}
