// The inbox in the header: the unread count, live; a panel of the latest notifications, each a
// link to its item (opening one marks it read), "mark all read", and the way to every
// notification and the preferences.

import { gql } from '../api.js';
import { Button } from '../ui/form.js';
import {
  html, useEffect, useRef, useState,
} from '../ui/html.js';
import { useUid } from '../ui/hooks.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Moment } from '../ui/time.js';
import { INBOX_QUERY, MARK_READ } from './api.js';
import { onInboxChange } from './live.js';

const LATEST = 8;

export async function markRead(ids) {
  const input = ids ? { ids } : {};
  return (await gql(MARK_READ, { input })).markNotificationsRead;
}

/** One notification as a link to its item; following it marks it read. */
export function NotificationLink({ item, onOpen }) {
  const unread = !item.readAt;
  const open = () => {
    if (unread) markRead([item.id]).then(() => onOpen?.()).catch(() => {});
  };
  return html`<a class=${`inbox-link${unread ? ' is-unread' : ''}`} href=${`#${item.subject.link}`} onClick=${open}>
    <span class="inbox-title">${unread ? html`<span class="sr-only">Unread: </span>` : null}${item.title}</span>
    ${item.body ? html`<span class="inbox-body">${item.body}</span>` : null}
    <span class="inbox-when muted"><${Moment} iso=${item.createdAt} relative /></span>
  </a>`;
}

export function InboxMenu() {
  const [count, setCount] = useState(null);
  const [open, setOpen] = useState(false);
  const [state, setState] = useState({ items: null, error: null });
  const [marking, setMarking] = useState(false);
  const id = useUid('inbox');
  const root = useRef(null);

  const load = async () => {
    try {
      const viewer = (await gql(INBOX_QUERY, { first: LATEST })).viewer;
      setState({ items: viewer.notifications.nodes, error: null });
      setCount(viewer.unreadNotificationCount);
    } catch (error) {
      setState({ items: null, error });
    }
  };

  useEffect(() => onInboxChange((unread) => {
    setCount(unread);
  }), []);
  useEffect(() => {
    if (open) load();
  }, [open, count]);
  useEffect(() => {
    if (!open) return undefined;
    const away = (event) => {
      if (root.current && !root.current.contains(event.target)) setOpen(false);
    };
    const escape = (event) => {
      if (event.key === 'Escape') {
        setOpen(false);
        root.current?.querySelector('.inbox-button')?.focus();
      }
    };
    document.addEventListener('click', away);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('click', away);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  const markAll = async () => {
    setMarking(true);
    try {
      const answer = await markRead(null);
      setCount(answer.unreadCount);
      await load();
    } finally {
      setMarking(false);
    }
  };

  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (!state.items) body = html`<${Loading} text="Loading your notifications…" />`;
  else if (state.items.length === 0) body = html`<${Empty} title="Nothing for you yet" text="Proposals to accept, deliveries to confirm and reminders appear here." />`;
  else {
    body = html`<ul class="inbox-list">
      ${state.items.map((item) => html`<li key=${item.id}><${NotificationLink} item=${item} onOpen=${() => setOpen(false)} /></li>`)}
    </ul>`;
  }
  return html`<div class="inbox" ref=${root}>
    <button type="button" class="button button-quiet inbox-button" aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${`${id}-panel`} onClick=${() => setOpen(!open)}>
      Notifications${count ? html`<span class="sr-only">,</span> <span class="inbox-count">${count}<span class="sr-only"> unread</span></span>` : null}
    </button>
    <span class="sr-only" aria-live="polite">${count ? `${count} unread notifications` : ''}</span>
    <div class="inbox-panel card" id=${`${id}-panel`} hidden=${!open} role="region" aria-label="Your notifications">
      <div class="inbox-head">
        <h2 class="inbox-heading">Notifications</h2>
        <${Button} className="button button-quiet" busy=${marking} busyLabel="Marking…" disabled=${!count} onClick=${markAll}>Mark all read<//>
      </div>
      ${body}
      <p class="inbox-more"><a href="#/notifications" onClick=${() => setOpen(false)}>All notifications and your preferences</a></p>
    </div>
  </div>`;
}
