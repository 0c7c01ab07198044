// The notifications page (#/notifications): every notification, newest first (unread only, if
// asked), live; and the preferences: for each kind, inbox only, email at once or a daily digest.

import { gql } from '../api.js';
import { Field, Select } from '../ui/field.js';
import { Button, Form, useForm } from '../ui/form.js';
import {
  html, useEffect, useState,
} from '../ui/html.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import {
  DELIVERY_LABELS, INBOX_QUERY, PREFERENCES_QUERY, SET_PREFERENCE,
} from './api.js';
import { markRead, NotificationLink } from './inbox.js';
import { onInboxChange } from './live.js';

const PAGE = 50;
const OPTIONS = Object.entries(DELIVERY_LABELS).map(([value, label]) => ({ value, label }));

function Inbox() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [state, setState] = useState({ data: null, error: null });
  const [marking, setMarking] = useState(false);
  const load = async () => {
    try {
      const viewer = (await gql(INBOX_QUERY, { first: PAGE, unreadOnly })).viewer;
      setState({ data: viewer, error: null });
    } catch (error) {
      setState({ data: null, error });
    }
  };
  useEffect(() => onInboxChange(() => load()), [unreadOnly]);
  useEffect(() => {
    load();
  }, [unreadOnly]);
  const markAll = async () => {
    setMarking(true);
    try {
      await markRead(null);
      await load();
    } finally {
      setMarking(false);
    }
  };
  const data = state.data;
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (!data) body = html`<${Loading} text="Loading your notifications…" />`;
  else if (data.notifications.nodes.length === 0) {
    body = html`<${Empty} title=${unreadOnly ? 'Nothing unread' : 'No notifications yet'}
      text="Proposals to accept, deliveries to confirm, feedback to answer and reminders appear here." />`;
  } else {
    body = html`<ul class="inbox-list inbox-list-page" aria-labelledby="inbox-page-heading">
      ${data.notifications.nodes.map((item) => html`<li key=${item.id}><${NotificationLink} item=${item} onOpen=${load} /></li>`)}
    </ul>`;
  }
  const unread = data?.unreadNotificationCount ?? 0;
  return html`<section class="card" aria-labelledby="inbox-page-heading">
    <div class="inbox-head">
      <h2 id="inbox-page-heading">Inbox</h2>
      <${Button} className="button" busy=${marking} busyLabel="Marking…" disabled=${!unread} onClick=${markAll}>Mark all read<//>
    </div>
    <p class="result-count" aria-live="polite">${data ? `${unread} unread of ${data.notifications.totalCount}.` : ''}</p>
    <p><label class="checkbox"><input type="checkbox" checked=${unreadOnly}
      onChange=${(e) => setUnreadOnly(e.currentTarget.checked)} /> Unread only</label></p>
    ${body}
  </section>`;
}

function PreferenceRow({ preference, onSaved }) {
  const form = useForm();
  const [value, setValue] = useState(preference.delivery);
  const save = () => form.run(async () => {
    const answer = (await gql(SET_PREFERENCE, { input: { kind: preference.kind, delivery: value } })).setNotificationPreference;
    if (answer.userErrors.length) return answer.userErrors;
    form.succeed(`Saved: ${DELIVERY_LABELS[value].toLowerCase()}.`);
    onSaved(answer.preference);
    return [];
  });
  const headingId = `pref-${preference.kind.replace(/[^a-z0-9]/gi, '-')}`;
  return html`<${Form} form=${form} heading=${preference.label} headingId=${headingId} className="form pref-row"
    withDone onSubmit=${save}>
    <${Field} label="How you are told" name="delivery" hint=${preference.isDefault ? 'The default.' : null}>
      <${Select} options=${OPTIONS} value=${value} onChange=${(e) => setValue(e.currentTarget.value)} />
    <//>
    <${Button} type="submit" className="button" busy=${form.busy}>Save<//>
  <//>`;
}

function Preferences() {
  const [state, setState] = useState({ items: null, error: null });
  const load = async () => {
    try {
      setState({ items: (await gql(PREFERENCES_QUERY)).viewer.notificationPreferences, error: null });
    } catch (error) {
      setState({ items: null, error });
    }
  };
  useEffect(() => {
    load();
  }, []);
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (!state.items) body = html`<${Loading} text="Loading your preferences…" />`;
  else {
    body = state.items.map((p) => html`<${PreferenceRow} key=${p.kind} preference=${p}
      onSaved=${(saved) => setState((s) => ({ ...s, items: s.items.map((x) => (x.kind === saved.kind ? saved : x)) }))} />`);
  }
  return html`<section class="card" aria-labelledby="prefs-heading">
    <h2 id="prefs-heading">Preferences</h2>
    <p class="lede">Every notice reaches your inbox; choose for each kind whether it is also emailed at once or gathered in one email a day.</p>
    ${body}
  </section>`;
}

export function NotificationsPage({ ctx }) {
  useEffect(() => ctx.setTitle('Notifications'), []);
  return html`<div class="notify-page">
    <h1 class="page-title">Notifications</h1>
    <${Inbox} />
    <${Preferences} />
  </div>`;
}
