// Members of both sides; a side's LEAD (or org admin) manages its own side here: roles change
// in place, a removal is confirmed in a dialog, and the partner's changes arrive live.

import { gql } from '../api.js';
import { ROLE_HELP, ROLES, roleName } from '../format.js';
import { byOtherSide } from '../live.js';
import { otherParty, ownParty, partnerName } from '../pages/common.js';
import { ConfirmDialog } from '../ui/dialog.js';
import { Field, Select } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import {
  html, useEffect, useRef, useState,
} from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import {
  ADD_MEMBER, CHANGE_ROLE, MEMBERS_QUERY, REMOVE_MEMBER,
} from './api.js';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: roleName(role) }));
const ROLE_CHOICES = ROLES.map((role) => ({ value: role, label: `${roleName(role)} — ${ROLE_HELP[role]}` }));
const NO_BANNER = { status: null, alert: null };

const headingIdOf = (party) => `members-${party.isOwn ? 'own' : 'partner'}`;

export function MemberList({ args }) {
  const { partnership, ctx, live } = args;
  const canManage = partnership.viewerCanManageMembers;
  const [state, load] = useSectionLoad(
    async () => (await gql(MEMBERS_QUERY, { id: partnership.id })).partnership.members,
    args,
  );
  const [banner, setBanner] = useState(NO_BANNER);
  const [saving, setSaving] = useState(null);
  const [confirming, setConfirming] = useState(null);
  const [removing, setRemoving] = useState(false);
  // Bumped when a refused role change puts the selects back to the saved roles.
  const [resets, setResets] = useState(0);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();
  const busy = useRef(false);
  // Bumped by each change of the other side: the add form's success message goes too.
  const [partnerChanges, setPartnerChanges] = useState(0);
  const parties = [ownParty(partnership), otherParty(partnership)].filter(Boolean);

  useEffect(() => {
    load();
  }, []);
  useLiveChange(live, ctx, (e) => e.objectType === 'WorkspaceMember', async (events) => {
    if (busy.current) return;
    await load();
    if (byOtherSide(events)) {
      // What the banner said was of the list before this change.
      setBanner(NO_BANNER);
      setPartnerChanges((n) => n + 1);
      notice.show(`${partnerName(partnership)} just changed its members; the list is up to date.`);
    }
  });

  async function changeRole(member, role) {
    setBanner(NO_BANNER);
    if (role === member.role) {
      setBanner({ ...NO_BANNER, status: `${member.user.email} already has the role ${roleName(role)}.` });
      return;
    }
    busy.current = true;
    setSaving(member.id);
    let changed = null;
    try {
      const data = await gql(CHANGE_ROLE, { input: { memberId: member.id, role } });
      const payload = data.changeWorkspaceMemberRole;
      if (payload.userErrors.length) {
        setBanner({ ...NO_BANNER, alert: payload.userErrors.map((e) => e.message) });
        setResets((n) => n + 1);
      } else {
        changed = payload.member;
      }
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') setBanner({ ...NO_BANNER, alert: error.message });
    } finally {
      busy.current = false;
      setSaving(null);
    }
    if (!changed || !ctx.isCurrent()) return;
    // Reload first, so that the message appears with the table it describes.
    await load();
    setBanner({ ...NO_BANNER, status: `${member.user.email} is now ${roleName(changed.role)}.` });
    focusLater(`select[data-member="${CSS.escape(member.id)}"]`);
  }

  async function remove(member) {
    busy.current = true;
    setRemoving(true);
    setBanner(NO_BANNER);
    let removed = false;
    let refused = null;
    try {
      const data = await gql(REMOVE_MEMBER, { input: { memberId: member.id } });
      const payload = data.removeWorkspaceMember;
      if (payload.userErrors.length) refused = payload.userErrors.map((e) => e.message);
      else removed = true;
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') refused = error.message;
    } finally {
      busy.current = false;
      setRemoving(false);
      setConfirming(null);
    }
    if (!ctx.isCurrent()) return;
    await load();
    if (removed) {
      setBanner({ ...NO_BANNER, status: `${member.user.email} was removed from this workspace.` });
      focusLater(`#${headingIdOf(ownParty(partnership))}`);
    } else if (refused) {
      setBanner({ ...NO_BANNER, alert: refused });
    }
  }

  async function added(member) {
    setBanner(NO_BANNER);
    await load();
    return `${member.user.email} was added as ${roleName(member.role)}.`;
  }

  const members = state.data;
  return html`<div ref=${root}>
    <p class="lede">Everyone in this workspace, from both sides. Each side adds and removes only its own people.</p>
    ${canManage ? null : html`<p class="note">Only a Lead of your side or your organization's admin can add, change or remove members.</p>`}
    <${LiveNotice} notice=${notice.notice} />
    ${state.error && !members ? html`<${Failed} error=${state.error} onRetry=${load} />` : null}
    ${parties.map((party) => {
      const manageable = party.isOwn && canManage;
      const headingId = headingIdOf(party);
      const rows = members?.nodes.filter((m) => m.party.id === party.id);
      let body;
      if (!members) body = state.error ? null : html`<${Loading} text="Loading members…" />`;
      else if (rows.length === 0) {
        body = html`<${Empty} title="No members on this side"
          text=${manageable ? 'Add the first member with the form below.' : null} />`;
      } else {
        body = html`<${MemberTable} rows=${rows} headingId=${headingId} manageable=${manageable}
          saving=${saving} resets=${resets} onSaveRole=${changeRole} onRemove=${setConfirming} />`;
      }
      return html`<section class="member-group" aria-labelledby=${headingId} key=${party.id}>
        <h3 id=${headingId} tabindex="-1">${`${party.label} · ${party.organization.name}`}${party.isOwn
          ? html`${' '}<span class="tag">your side</span>` : null}</h3>
        ${party.isOwn ? html`<${Message} kind="success" messages=${banner.status} />
          <${Message} kind="error" messages=${banner.alert} />` : null}
        <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
        ${manageable ? html`<${AddMemberForm} party=${party} partnership=${partnership} ctx=${ctx}
          partnerChanges=${partnerChanges} onAdded=${added} />` : null}
      </section>`;
    })}
    ${members && members.totalCount > members.nodes.length
      ? html`<p class="note">${`Showing the first ${members.nodes.length} of ${members.totalCount} members.`}</p>` : null}
    <${ConfirmDialog} open=${Boolean(confirming)} danger busy=${removing} busyLabel="Removing…"
      title=${confirming ? `Remove ${confirming.user.displayName}?` : ''}
      text=${confirming ? `${confirming.user.email} will no longer see or change anything in this workspace. You can add them again later.` : ''}
      confirmLabel=${confirming ? `Yes, remove ${confirming.user.email}` : 'Yes, remove'}
      onConfirm=${() => remove(confirming)} onCancel=${() => setConfirming(null)} />
  </div>`;
}

function MemberTable({
  rows, headingId, manageable, saving, resets, onSaveRole, onRemove,
}) {
  return html`<div class="table-wrap">
    <table class="table members-table" aria-labelledby=${headingId}>
      <thead><tr>
        <th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th>
        ${manageable ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : null}
      </tr></thead>
      <tbody>
        ${rows.map((member) => html`<tr key=${member.id}>
          <td data-label="Name">${member.user.displayName}</td>
          <td data-label="Email">${member.user.email}</td>
          ${manageable
            ? html`<td data-label="Role"><${RoleControl} key=${`${member.role}-${resets}`} member=${member}
                busy=${saving === member.id} onSave=${onSaveRole} /></td>
              <td class="actions" data-label="Actions">
                <button type="button" class="button button-small button-danger" aria-label=${`Remove ${member.user.email}`}
                  data-key=${`remove-${member.id}`} onClick=${() => onRemove(member)}>Remove</button>
              </td>`
            : html`<td data-label="Role"><span class=${`role role-${member.role.toLowerCase()}`}>${roleName(member.role)}</span></td>`}
        </tr>`)}
      </tbody>
    </table>
  </div>`;
}

function RoleControl({ member, busy, onSave }) {
  const [role, setRole] = useState(member.role);
  const { email } = member.user;
  return html`<div class="inline-form">
    <${Select} options=${ROLE_OPTIONS} value=${role} class="select-compact" aria-label=${`Role of ${email}`}
      data-member=${member.id} onChange=${(event) => setRole(event.currentTarget.value)} />
    <${Button} className="button button-small" busy=${busy} aria-label=${`Save role for ${email}`}
      onClick=${() => onSave(member, role)}>Save role<//>
  </div>`;
}

/** The add-a-member form of the viewer's own side; onAdded(member) resolves to the message. */
function AddMemberForm({
  party, partnership, ctx, partnerChanges, onAdded,
}) {
  const form = useForm({ clearDoneOn: partnerChanges });
  const { values, bind, setAll } = useValues(() => ({ email: '', role: 'VIEWER' }));
  const email = useRef(null);

  function submit() {
    const wanted = values.email.trim();
    if (!wanted) {
      form.fail([{ field: 'email', message: 'Enter the email of the person to add.' }]);
      return;
    }
    form.run(async () => {
      const data = await gql(ADD_MEMBER, { input: { partnershipId: partnership.id, email: wanted, role: values.role } });
      const payload = data.addWorkspaceMember;
      if (payload.userErrors.length) return payload.userErrors;
      if (!ctx.isCurrent()) return undefined;
      setAll({ email: '', role: 'VIEWER' });
      form.succeed(await onAdded(payload.member));
      email.current?.focus();
      return undefined;
    });
  }

  return html`<${Form} form=${form} className="form form-inline card" heading=${`Add a member of ${party.organization.name}`}
    headingId="add-member-heading" withDone onSubmit=${submit}>
    <div class="form-row">
      <${Field} label="Email" name="email" hint="A user of your own organization.">
        <input type="email" autocomplete="off" spellcheck=${false} ref=${email} ...${bind('email')} />
      <//>
      <${Field} label="Role" name="role"><${Select} options=${ROLE_CHOICES} ...${bind('role')} /><//>
      <div class="field field-submit"><${SubmitButton} busyLabel="Adding…">Add member<//></div>
    </div>
  <//>`;
}
