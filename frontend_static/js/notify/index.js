// Notifications in the portal: the inbox in the header (live), the notifications page with the
// preferences (#/notifications), and a workspace's webhook settings.

import {
  html, mount, show, unmount,
} from '../ui/html.js';
import { InboxMenu } from './inbox.js';
import { NotificationsPage } from './page.js';
import { WebhookSettings } from './webhooks.js';

export function renderWebhooks(content, args) {
  mount(content, html`<${WebhookSettings} args=${args} />`);
}

/** The header's inbox, into its slot (the header is built again on every route). */
export function mountInbox(slot) {
  show(slot, html`<${InboxMenu} />`);
}

/** Takes the header's inbox down (signed out, or another user signed in). */
export function unmountInbox(slot) {
  unmount(slot);
}

export function renderNotificationsPage(view, ctx) {
  mount(view, html`<${NotificationsPage} ctx=${ctx} />`);
}
