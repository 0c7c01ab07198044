// Members of both sides; a side's LEAD (or org admin) manages its own side here.

import { graphql } from '../graphql.js';
import { gql } from '../api.js';
import {
  busy, clear, clearFieldErrors, emptyState, field, h, hideMessage, loading, messageBox,
  showMessage, showUserErrors,
} from '../dom.js';
import { ROLE_HELP, ROLES, roleName } from '../format.js';
import { sectionError } from './section.js';

const MEMBERS_QUERY = graphql`query PortalMembers($id: ID!) {
  partnership(id: $id) {
    id viewerCanManageMembers
    members(first: 100) {
      totalCount
      nodes { id role user { email displayName } party { id label isOwn } }
    }
  }
}`;


const ADD_MEMBER = graphql`mutation PortalAddMember($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) { member { id role user { email displayName } } userErrors { field code message } }
}`;

const CHANGE_ROLE = graphql`mutation PortalChangeRole($input: ChangeWorkspaceMemberRoleInput!) {
  changeWorkspaceMemberRole(input: $input) { member { id role } userErrors { field code message } }
}`;

const REMOVE_MEMBER = graphql`mutation PortalRemoveMember($input: RemoveWorkspaceMemberInput!) {
  removeWorkspaceMember(input: $input) { removedMemberId userErrors { field code message } }
}`;

function roleSelect(attrs, selected, { withHelp = false } = {}) {
  return h('select', attrs, ROLES.map((role) => h('option', { value: role, selected: role === selected },
    withHelp ? `${roleName(role)} — ${ROLE_HELP[role]}` : roleName(role))));
}

export function renderMembers(content, args) {
  const { partnership, ctx } = args;
  const canManage = partnership.viewerCanManageMembers;
  const own = partnership.parties.find((p) => p.isOwn);
  const other = partnership.parties.find((p) => !p.isOwn);

  content.append(h('p', { class: 'lede' },
    "Everyone in this workspace, from both sides. Each side adds and removes only its own people."));
  if (!canManage) {
    content.append(h('p', { class: 'note' },
      "Only a Lead of your side or your organization's admin can add, change or remove members."));
  }

  const groups = [own, other].filter(Boolean).map((party) => {
    const headingId = `members-${party.isOwn ? 'own' : 'partner'}`;
    const heading = h('h3', { id: headingId, tabindex: '-1' },
      `${party.label} · ${party.organization.name}`, party.isOwn ? [' ', h('span', { class: 'tag' }, 'your side')] : null);
    const status = messageBox('success');
    const alert = messageBox('error');
    const body = h('div', { class: 'table-wrap', 'aria-busy': 'true' }, loading('Loading members…'));
    const section = h('section', { class: 'member-group', 'aria-labelledby': headingId }, heading, status, alert, body);
    content.append(section);
    return { party, heading, status, alert, body, section };
  });
  const ownGroup = groups.find((g) => g.party.isOwn);

  async function load() {
    for (const g of groups) g.body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(MEMBERS_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      const { members } = data.partnership;
      for (const g of groups) {
        const rows = members.nodes.filter((m) => m.party.id === g.party.id);
        clear(g.body, memberTable(rows, g, g.party.isOwn && canManage));
        g.body.setAttribute('aria-busy', 'false');
      }
      if (members.totalCount > members.nodes.length) {
        groups[groups.length - 1].body.append(h('p', { class: 'note' },
          `Showing the first ${members.nodes.length} of ${members.totalCount} members.`));
      }
    } catch (error) {
      for (const g of groups) {
        g.body.setAttribute('aria-busy', 'false');
        g.body.replaceChildren();
      }
      sectionError(groups[0].body, error, args, load);
    }
  }

  function memberTable(rows, group, manageable) {
    if (rows.length === 0) {
      return emptyState('No members on this side', group.party.isOwn && manageable
        ? 'Add the first member with the form below.' : null);
    }
    return h('table', { class: 'table', 'aria-labelledby': group.heading.id },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Name'),
        h('th', { scope: 'col' }, 'Email'),
        h('th', { scope: 'col' }, 'Role'),
        manageable ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')) : null)),
      h('tbody', {}, rows.map((member) => memberRow(member, group, manageable))));
  }

  function memberRow(member, group, manageable) {
    const { email, displayName } = member.user;
    const cells = [
      h('td', { 'data-label': 'Name' }, displayName),
      h('td', { 'data-label': 'Email' }, email),
    ];
    if (!manageable) {
      cells.push(h('td', { 'data-label': 'Role' }, h('span', { class: `role role-${member.role.toLowerCase()}` }, roleName(member.role))));
      return h('tr', {}, cells);
    }
    const select = roleSelect({ 'aria-label': `Role of ${email}`, class: 'select-compact', 'data-member': member.id }, member.role);
    const save = h('button', { type: 'button', class: 'button button-small', 'aria-label': `Save role for ${email}` }, 'Save role');
    save.addEventListener('click', () => changeRole(member, select, save, group));
    const actions = h('td', { class: 'actions', 'data-label': 'Actions' });
    const remove = h('button', { type: 'button', class: 'button button-small button-danger', 'aria-label': `Remove ${email}` }, 'Remove');
    remove.addEventListener('click', () => confirmRemoval(member, actions, remove, group));
    actions.append(remove);
    cells.push(h('td', { 'data-label': 'Role' }, h('div', { class: 'inline-form' }, select, save)), actions);
    return h('tr', {}, cells);
  }

  async function changeRole(member, select, button, group) {
    hideMessage(group.status);
    hideMessage(group.alert);
    if (select.value === member.role) {
      showMessage(group.status, 'success', `${member.user.email} already has the role ${roleName(member.role)}.`);
      return;
    }
    let changed = null;
    await busy(button, 'Saving…', async () => {
      try {
        const data = await gql(CHANGE_ROLE, { input: { memberId: member.id, role: select.value } });
        const payload = data.changeWorkspaceMemberRole;
        if (payload.userErrors.length) {
          showMessage(group.alert, 'error', payload.userErrors.map((e) => e.message));
          select.value = member.role;
          return;
        }
        changed = payload.member;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(group.alert, 'error', error.message);
      }
    });
    if (!ctx.isCurrent() || !changed) return;
    // Reload first, so the message appears with the table it describes.
    await load();
    showMessage(group.status, 'success', `${member.user.email} is now ${roleName(changed.role)}.`);
    content.querySelector(`select[data-member="${CSS.escape(member.id)}"]`)?.focus();
  }

  function confirmRemoval(member, cell, removeButton, group) {
    const yes = h('button', { type: 'button', class: 'button button-small button-danger', 'aria-label': `Yes, remove ${member.user.email}` }, 'Yes, remove');
    const no = h('button', { type: 'button', class: 'button button-small' }, 'Cancel');
    no.addEventListener('click', () => {
      clear(cell, removeButton);
      removeButton.focus();
    });
    yes.addEventListener('click', () => removeMember(member, yes, group));
    clear(cell, h('span', { class: 'confirm-text' }, `Remove ${member.user.displayName}?`), ' ', yes, ' ', no);
    yes.focus();
  }

  async function removeMember(member, button, group) {
    hideMessage(group.status);
    hideMessage(group.alert);
    let removed = false;
    await busy(button, 'Removing…', async () => {
      try {
        const data = await gql(REMOVE_MEMBER, { input: { memberId: member.id } });
        const payload = data.removeWorkspaceMember;
        if (payload.userErrors.length) {
          showMessage(group.alert, 'error', payload.userErrors.map((e) => e.message));
          return;
        }
        removed = true;
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') showMessage(group.alert, 'error', error.message);
      }
    });
    if (!ctx.isCurrent()) return;
    await load();
    if (removed) {
      showMessage(group.status, 'success', `${member.user.email} was removed from this workspace.`);
      group.heading.focus();
    }
  }

  if (canManage && ownGroup) {
    ownGroup.section.append(addForm(ownGroup));
  }

  function addForm(group) {
    const email = h('input', { type: 'email', autocomplete: 'off', spellcheck: 'false', required: true });
    const role = roleSelect({}, 'VIEWER', { withHelp: true });
    const errors = messageBox('error');
    const done = messageBox('success');
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Add member');
    const headingId = 'add-member-heading';
    const form = h('form', { class: 'form form-inline card', novalidate: true, 'aria-labelledby': headingId },
      h('h4', { id: headingId }, `Add a member of ${group.party.organization.name}`),
      errors, done,
      h('div', { class: 'form-row' },
        field({ label: 'Email', control: email, name: 'email', hint: 'A user of your own organization.' }),
        field({ label: 'Role', control: role, name: 'role' }),
        h('div', { class: 'field field-submit' }, submit)));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      hideMessage(done);
      clearFieldErrors(form);
      if (!email.value.trim()) {
        showUserErrors(form, errors, [{ field: 'email', message: 'Enter the email of the person to add.' }]);
        email.focus();
        return;
      }
      let added = null;
      await busy(submit, 'Adding…', async () => {
        try {
          const data = await gql(ADD_MEMBER, {
            input: { partnershipId: partnership.id, email: email.value.trim(), role: role.value },
          });
          const payload = data.addWorkspaceMember;
          if (payload.userErrors.length) {
            showUserErrors(form, errors, payload.userErrors);
            const bad = form.querySelector('[aria-invalid="true"]');
            (bad ?? email).focus();
            return;
          }
          added = payload.member;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') showMessage(errors, 'error', error.message);
        }
      });
      if (!added || !ctx.isCurrent()) return;
      hideMessage(errors);
      email.value = '';
      role.value = 'VIEWER';
      await load();
      showMessage(done, 'success', `${added.user.email} was added as ${roleName(added.role)}.`);
      email.focus();
    });
    return form;
  }

  load();
}
