// One commitment: facts, evidence, every due date, the history, and the actions.

import {
  busy, clear, emptyState, h, hideMessage, loading, messageBox, showMessage,
} from '../dom.js';
import { timeEl } from '../format.js';
import { byOtherSide, onLiveChange } from '../live.js';
import { gql } from '../api.js';
import {
  dayEl, keepingFocus, liveNotice, partnerName, sideChip, statusBadge,
} from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { sectionError } from '../pages/section.js';
import { ACTIONS, DETAIL_QUERY, isCommitmentEvent, sendStep } from './api.js';
import { milestoneHref } from '../roadmap/links.js';
import { actionForm } from './forms.js';
import { EvidenceAndDueDates, History } from './record.js';
import { element, html } from '../ui/html.js';
import { Facts } from '../ui/facts.js';

export function renderCommitment(content, args, commitmentId) {
  const { partnership, ctx, live } = args;
  const back = h('p', { class: 'back-link' }, h('a', { href: partnershipHref(partnership.id, 'commitments') }, '← Back to the commitments'));
  const notice = liveNotice();
  const status = messageBox('success');
  const alert = messageBox('error');
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the commitment…'));
  content.append(back, notice.el, status, alert, body);
  let openForm = null;
  let acting = false;

  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(DETAIL_QUERY, { id: commitmentId }).catch((error) => {
        if (error.code === 'NOT_FOUND') return { node: null };
        throw error;
      });
      if (!ctx.isCurrent()) return;
      const c = data.node;
      if (!c || !c.title) {
        clear(body, emptyState('Commitment not found', 'It may not exist, or it is the other side’s internal commitment.',
          h('a', { class: 'button', href: partnershipHref(partnership.id, 'commitments') }, 'Back to the commitments')));
        return;
      }
      ctx.setTitle(`${c.title} · Commitments · ${partnership.name}`);
      if (openForm && !c.viewerActions.includes(openForm.action)) openForm = null;
      await keepingFocus(body, async () => render(c));
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function render(c) {
    const formHost = h('div', { class: 'cm-form-host' });
    if (openForm) formHost.append(openForm.el);
    const titleId = 'commitment-heading';
    clear(body,
      h('div', { class: 'detail-head' },
        h('h3', { class: 'detail-title', id: titleId, tabindex: '-1', 'data-key': 'commitment-heading' }, c.title),
        statusBadge(c.status, 'cm'),
        c.visibility === 'INTERNAL' ? h('span', { class: 'badge badge-internal' }, 'Internal') : null),
      element(html`<${Facts} items=${[
        ['Accountable side', sideChip(c.ownerParty)],
        ['Proposed by', sideChip(c.proposedByParty)],
        ['Due date', h('span', { class: c.status === 'MISSED' ? 'overdue' : null }, dayEl(c.dueDate))],
        ['Milestone', c.milestone ? h('a', { href: milestoneHref(partnership.id, c.milestone.id) }, c.milestone.title) : 'None'],
        ['KPI', c.kpi ? h('a', { href: `${partnershipHref(partnership.id, 'kpis')}/${encodeURIComponent(c.kpi.id)}` }, c.kpi.name) : 'None'],
        ['Delivered', c.deliveredAt ? timeEl(c.deliveredAt) : 'Not yet'],
        ['Confirmed', c.confirmedAt ? timeEl(c.confirmedAt) : 'Not yet']]} />`),
      c.description ? h('p', { class: 'detail-description' }, c.description) : null,
      c.pendingRenegotiation
        ? h('p', { class: 'message message-warning' }, `${c.ownerParty.isOwn ? 'Your side asks' : `${c.ownerParty.organization.name} asks`} to move the due date to `,
          dayEl(c.pendingRenegotiation.proposedDueDate), `: “${c.pendingRenegotiation.reason}”`)
        : null,
      c.status === 'DISPUTED' && c.disputeReason ? h('p', { class: 'message message-error' }, `Disputed: “${c.disputeReason}”`) : null,
      actions(c, titleId, formHost),
      formHost,
      element(html`<${EvidenceAndDueDates} c=${c} />`),
      element(html`<${History} c=${c} />`)
    );
  }

  function actions(c, titleId, formHost) {
    if (c.viewerActions.length === 0) return null;
    return h('div', { class: 'cm-actions cm-actions-detail', role: 'group', 'aria-label': 'Actions' },
      Object.keys(ACTIONS).filter((a) => c.viewerActions.includes(a)).map((action) => {
        const spec = ACTIONS[action];
        const button = h('button', {
          type: 'button', class: `button${spec.kind ? ` button-${spec.kind}` : ''}`,
          'aria-describedby': titleId, 'data-key': `act-${action}`,
        }, spec.label);
        button.addEventListener('click', () => {
          if (!spec.form) {
            act(c, action, {}, button);
            return;
          }
          const form = actionForm(c, action, {
            onSubmit: (input, submit) => act(c, action, input, submit, form),
            onCancel: () => {
              openForm = null;
              form.remove();
              body.querySelector(`[data-key="act-${action}"]`)?.focus();
            },
          });
          openForm = { action, el: form };
          clear(formHost, form);
          form.querySelector('input, textarea')?.focus();
        });
        return button;
      }));
  }

  async function act(c, action, input, button, form = null) {
    if (acting) return;
    acting = true;
    hideMessage(status);
    hideMessage(alert);
    const spec = ACTIONS[action];
    let ok = false;
    let reload = !form;
    try {
      await busy(button, 'Saving…', async () => {
        const outcome = await sendStep(c, action, input, {
          ctx, form, alert,
          conflictMessage: () => 'This commitment changed while you were looking at it. It is up to date now; check it and try again.',
        });
        if (outcome === 'conflict') {
          openForm = null;
          reload = true;
        }
        ok = outcome === 'ok';
      });
      if (!ctx.isCurrent()) return;
      if (ok) {
        openForm = null;
        reload = true;
      }
      if (reload) await load();
      if (ok) {
        showMessage(status, 'success', `${spec.done} “${c.title}”.`);
        body.querySelector('h3')?.focus();
      }
    } finally {
      acting = false;
    }
  }

  onLiveChange(live, ctx, isCommitmentEvent, async (events) => {
    if (acting) return;
    if (!events.some((e) => e.resync || e.objectId === commitmentId || e.objectType === 'CommitmentEvidence')) return;
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed this commitment; it is up to date.`);
  });

  load();
}
