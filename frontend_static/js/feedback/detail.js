// One feedback item: facts, the body, its clocks, the actions of the side whose turn it is, the
// timeline (steps, comments and internal notes, marked as such) and the comment form.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { mutate, partnerName } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { commitmentHref } from '../commitments/links.js';
import { milestoneHref } from '../roadmap/links.js';
import { InternalBadge, SideChip } from '../ui/badges.js';
import { Facts } from '../ui/facts.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Moment } from '../ui/time.js';
import {
  ACTIONS, DETAIL_QUERY, duration, isFeedbackEvent, label,
} from './api.js';
import { ClockBadge } from './clock.js';
import { canWrite, CommentForm, StepForm } from './forms.js';

const TITLE_ID = 'feedback-heading';

async function fetchFeedback(feedbackId) {
  const data = await gql(DETAIL_QUERY, { id: feedbackId }).catch((error) => {
    if (error.code === 'NOT_FOUND') return { node: null };
    throw error;
  });
  return data.node && data.node.title ? data.node : null;
}

/** Sanitized on the server (markdown-it without raw HTML, then nh3): safe to insert. */
function Rendered({ markup, className }) {
  return html`<div class=${className} dangerouslySetInnerHTML=${{ __html: markup }}></div>`;
}

export function FeedbackPage({ args, feedbackId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchFeedback(feedbackId), args);
  const [status, setStatus] = useState(null);
  const [alert, setAlert] = useState(null);
  const [form, setForm] = useState(null);
  const [acting, setActing] = useState(null);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();
  const item = state.data;

  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    if (item) ctx.setTitle(`${item.title} · Feedback · ${partnership.name}`);
  }, [item]);

  useLiveChange(live, ctx, isFeedbackEvent, async (events) => {
    if (acting) return;
    if (!events.some((e) => e.resync || e.objectId === feedbackId)) return;
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed this feedback; it is up to date.`);
  });

  async function send(action, fields = {}) {
    const spec = ACTIONS[action];
    setActing(action);
    setAlert(null);
    try {
      const input = { feedbackId: item.id, expectedVersion: item.version, ...fields };
      const { errors } = await mutate(spec.document, { input }, spec.mutation);
      if (errors.length) {
        if (errors.some((e) => e.code === 'CONFLICT')) {
          await load();
          setAlert('This feedback changed while you were looking at it. It is up to date now; check it and try again.');
          setForm(null);
          return [];
        }
        if (spec.form) return errors;
        setAlert(errors.map((e) => e.message));
        return errors;
      }
      setForm(null);
      setStatus(`${spec.done} “${item.title}”.`);
      await load();
      focusLater(`#${TITLE_ID}`);
      return [];
    } finally {
      setActing(null);
    }
  }

  const back = partnershipHref(partnership.id, 'feedback');
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (item === undefined) body = html`<${Loading} text="Loading the feedback…" />`;
  else if (item === null) {
    body = html`<${Empty} title="Feedback not found" text="It may not exist, or it is not visible to you.">
      <a class="button" href=${back}>Back to the feedback</a>
    <//>`;
  } else {
    body = html`<${Feedback} item=${item} partnership=${partnership} acting=${acting} form=${form}
      onAction=${(action) => (ACTIONS[action].form ? setForm(ACTIONS[action].form) : send(action))}
      onSend=${(fields) => send(Object.keys(ACTIONS).find((a) => ACTIONS[a].form === form), fields)}
      onCancel=${() => setForm(null)}
      onCommented=${async (internal) => {
        setStatus(internal ? 'You added an internal note.' : 'You added a comment.');
        await load();
      }} />`;
  }

  return html`<div ref=${root}>
    <p class="back-link"><a href=${back}>← Back to the feedback</a></p>
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${status} />
    <${Message} kind="error" messages=${alert} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function Feedback({
  item, partnership, acting, form, onAction, onSend, onCancel, onCommented,
}) {
  const pid = partnership.id;
  const link = (record, href) => (record ? html`<a href=${href}>${record.title}</a>` : 'None');
  const facts = [
    ['Submitted by', html`<${SideChip} party=${item.submittedByParty} /> ${item.submittedBy?.displayName ?? ''}`],
    ['For', html`<${SideChip} party=${item.receivingParty} />`],
    ['Severity', label(item.severity)],
    ['Category', label(item.category)],
    ['Submitted', html`<${Moment} iso=${item.createdAt} />`],
    ['Clocks count', item.businessHours],
    ['About', item.commitment ? link(item.commitment, commitmentHref(pid, item.commitment.id))
      : link(item.milestone, item.milestone ? milestoneHref(pid, item.milestone.id) : '')],
  ];
  if (item.closesAt) facts.push(['Closes itself', html`<${Moment} iso=${item.closesAt} />`]);
  if (item.rating) facts.push(['Rating', `${item.rating} of 5${item.ratingComment ? `: “${item.ratingComment}”` : ''}`]);
  const fix = item.fixCommitment ?? item.fixMilestone;
  return html`
    <div class="detail-head">
      <h3 class="detail-title" id=${TITLE_ID} tabindex="-1">${item.title}</h3>
      <span class=${`badge fb-status-${item.status.toLowerCase()}`} data-testid="fb-status">${label(item.status)}</span>
      <span class=${`badge fb-severity-${item.severity.toLowerCase()}`}>${label(item.severity)}</span>
    </div>
    <div class="fb-clocks fb-clocks-detail" aria-label="SLA clocks" role="group">
      <${ClockDetail} clock=${item.firstResponseClock} /> <${ClockDetail} clock=${item.resolutionClock} />
    </div>
    <${Facts} items=${facts} />
    ${item.body ? html`<${Rendered} className="fb-body" markup=${item.bodyHtml} />` : null}
    ${item.resolutionNote
      ? html`<div class="message message-success fb-resolution"><strong>Resolution:</strong> ${item.resolutionNote}
          ${fix ? html` Fixed by <a href=${item.fixCommitment ? commitmentHref(pid, fix.id) : milestoneHref(pid, fix.id)}>${fix.title}</a>
            (${item.fixConfirmed ? 'confirmed' : 'not yet confirmed'}).` : null}</div>`
      : null}
    ${item.viewerActions.length
      ? html`<div class="fb-actions" role="group" aria-label="Actions">
          ${item.viewerActions.map((action) => html`<button type="button" data-key=${`act-${action}`}
            class=${`button${ACTIONS[action].kind ? ` button-${ACTIONS[action].kind}` : ''}`}
            disabled=${Boolean(acting)} aria-busy=${acting === action ? 'true' : undefined}
            onClick=${() => onAction(action)}>${ACTIONS[action].label}</button>`)}
        </div>`
      : null}
    ${form ? html`<${StepForm} kind=${form} item=${item} partnership=${partnership} send=${onSend} onCancel=${onCancel} />` : null}
    <${Timeline} item=${item} />
    ${canWrite(partnership) && item.status !== 'CLOSED' ? html`<${CommentForm} item=${item} onDone=${onCommented} />` : null}`;
}

function ClockDetail({ clock }) {
  return html`<div class="fb-clock-detail">
    <${ClockBadge} clock=${clock} />
    <span class="hint">${duration(clock.elapsedSeconds)} of ${duration(clock.targetSeconds)}${clock.dueAt
      ? html`, due <${Moment} iso=${clock.dueAt} />` : ''}</span>
  </div>`;
}

function Timeline({ item }) {
  const entries = [
    ...item.history.map((h) => ({ at: h.at, kind: 'step', h })),
    ...item.comments.map((c) => ({ at: c.createdAt, kind: 'comment', c })),
  ].sort((a, b) => (a.at < b.at ? -1 : 1));
  return html`<section class="fb-timeline" aria-labelledby="fb-timeline-heading">
    <h4 id="fb-timeline-heading">Timeline</h4>
    <ol class="timeline">
      ${entries.map((e) => (e.kind === 'step'
        ? html`<li class="timeline-step">
            <strong>${label(e.h.action)}</strong>
            ${e.h.actorParty ? html` by <${SideChip} party=${e.h.actorParty} /> ${e.h.actor?.displayName ?? ''}` : ' (automatically)'}
            · <${Moment} iso=${e.h.at} />
            ${e.h.note ? html`<p class="timeline-note">${e.h.note}</p>` : null}
          </li>`
        : html`<li class=${`timeline-comment${e.c.internal ? ' timeline-internal' : ''}`}>
            ${e.c.internal ? html`<${InternalBadge} title="Only your side sees this note" />` : null}
            <strong>${e.c.internal ? 'Internal note' : 'Comment'}</strong> by <${SideChip} party=${e.c.authorParty} />
            ${e.c.author?.displayName ?? ''} · <${Moment} iso=${e.c.createdAt} />
            <${Rendered} className="fb-comment-body" markup=${e.c.bodyHtml} />
          </li>`))}
    </ol>
  </section>`;
}
