// The webhook settings of a workspace (your side's endpoints, for its LEADs and your
// organization's admins): add one (its secret is shown once), send a test event, disable or
// enable it, rotate its secret, remove it, and read its delivery log (status, response time).

import { gql } from '../api.js';
import { Field } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { Message } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Moment } from '../ui/time.js';
import {
  CREATE_ENDPOINT, DELETE_ENDPOINT, ENDPOINTS_QUERY, ROTATE_SECRET, SEND_TEST, UPDATE_ENDPOINT,
} from './api.js';

const STATUS_LABELS = {
  PENDING: 'Pending', RETRYING: 'Retrying', SUCCEEDED: 'Delivered', FAILED: 'Failed',
};

function splitTypes(text) {
  return text.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
}

function SecretShown({ secret }) {
  if (!secret) return null;
  return html`<div class="message message-success secret-shown" role="status">
    <p><strong>Signing secret</strong> (shown this once: store it in your receiver now)</p>
    <p><code class="secret">${secret}</code></p>
  </div>`;
}

function CreateEndpoint({ partnershipId, onCreated }) {
  const form = useForm();
  const { values, bind, setAll } = useValues({ url: '', description: '', eventTypes: '' });
  const submit = () => form.run(async () => {
    const answer = (await gql(CREATE_ENDPOINT, {
      input: {
        partnershipId, url: values.url, description: values.description, eventTypes: splitTypes(values.eventTypes),
      },
    })).createWebhookEndpoint;
    if (answer.userErrors.length) return answer.userErrors;
    setAll({ url: '', description: '', eventTypes: '' });
    onCreated(answer.secret);
    return [];
  });
  return html`<${Form} form=${form} heading="Add an endpoint" headingId="webhook-create-heading" onSubmit=${submit}>
    <${Field} label="URL" name="url" hint="https:// address of your receiver; private and local addresses are refused.">
      <input type="url" required ...${bind('url')} />
    <//>
    <${Field} label="Description" name="description"><input type="text" ...${bind('description')} /><//>
    <${Field} label="Events" name="eventTypes" hint="Empty for every event your side may read; or names and prefixes, e.g. commitment.* notice.*">
      <input type="text" ...${bind('eventTypes')} />
    <//>
    <${SubmitButton} busyLabel="Adding…">Add endpoint<//>
  <//>`;
}

function DeliveryLog({ endpoint }) {
  const rows = endpoint.deliveries.nodes;
  const headingId = `log-${endpoint.id}`;
  if (!rows.length) return html`<p class="muted" id=${headingId}>No deliveries yet.</p>`;
  return html`<div>
    <h4 id=${headingId}>Delivery log <span class="muted">(latest ${rows.length} of ${endpoint.deliveries.totalCount})</span></h4>
    <${Table} labelledBy=${headingId} rowKey=${(r) => r.id} rows=${rows} columns=${[
      { label: 'Event', rowHeader: true, cell: (r) => r.eventType },
      { label: 'Status', cell: (r) => html`<span class=${`tag delivery-${r.status.toLowerCase()}`}>${STATUS_LABELS[r.status]}</span>` },
      { label: 'Attempts', cell: (r) => String(r.attempts) },
      { label: 'Response', cell: (r) => (r.responseStatus ? `HTTP ${r.responseStatus}` : (r.error || '—')) },
      { label: 'Time', cell: (r) => (r.responseMs != null ? `${r.responseMs} ms` : '—') },
      { label: 'Sent', cell: (r) => html`<${Moment} iso=${r.lastAttemptAt || r.createdAt} relative />` },
    ]} />
  </div>`;
}

function EndpointCard({ endpoint, onChanged, onSecret }) {
  const [busy, setBusy] = useState(null);
  const [errors, setErrors] = useState([]);
  const act = async (name, work) => {
    setBusy(name);
    setErrors([]);
    try {
      const problems = await work();
      if (problems?.length) setErrors(problems.map((e) => e.message));
      else await onChanged();
    } catch (error) {
      setErrors([error.message]);
    } finally {
      setBusy(null);
    }
  };
  const test = () => act('test', async () => (await gql(SEND_TEST, { input: { endpointId: endpoint.id } })).sendTestWebhookEvent.userErrors);
  const toggle = () => act('toggle', async () => (await gql(UPDATE_ENDPOINT, {
    input: { endpointId: endpoint.id, expectedVersion: endpoint.version, enabled: !endpoint.enabled },
  })).updateWebhookEndpoint.userErrors);
  const rotate = () => act('rotate', async () => {
    const answer = (await gql(ROTATE_SECRET, { input: { endpointId: endpoint.id, expectedVersion: endpoint.version } })).rotateWebhookSecret;
    if (!answer.userErrors.length) onSecret(answer.secret);
    return answer.userErrors;
  });
  const remove = () => act('remove', async () => (await gql(DELETE_ENDPOINT, { input: { endpointId: endpoint.id } })).deleteWebhookEndpoint.userErrors);
  const headingId = `endpoint-${endpoint.id}`;
  return html`<article class="card webhook-endpoint" aria-labelledby=${headingId}>
    <h3 id=${headingId}><code>${endpoint.url}</code>
      <span class=${`tag ${endpoint.enabled ? 'tag-ok' : 'tag-off'}`}>${endpoint.enabled ? 'Enabled' : 'Disabled'}</span></h3>
    ${endpoint.description ? html`<p>${endpoint.description}</p>` : null}
    <p class="muted">Events: ${endpoint.eventTypes.length ? endpoint.eventTypes.join(', ') : 'every event your side may read'}
      ${endpoint.failureCount ? ` · ${endpoint.failureCount} failed in a row` : ''}</p>
    ${endpoint.disabledReason ? html`<p class="muted">${endpoint.disabledReason}</p>` : null}
    ${endpoint.previousSecretExpiresAt ? html`<p class="muted">The previous secret is accepted until <${Moment} iso=${endpoint.previousSecretExpiresAt} />.</p>` : null}
    <${Message} kind="error" messages=${errors} />
    <p class="button-row">
      <${Button} busy=${busy === 'test'} busyLabel="Sending…" disabled=${!endpoint.enabled} onClick=${test}>Send test event<//>
      <${Button} busy=${busy === 'toggle'} onClick=${toggle}>${endpoint.enabled ? 'Disable' : 'Enable'}<//>
      <${Button} busy=${busy === 'rotate'} busyLabel="Rotating…" onClick=${rotate}>Rotate secret<//>
      <${Button} className="button button-danger" busy=${busy === 'remove'} busyLabel="Removing…" onClick=${remove}>Remove<//>
    </p>
    <${DeliveryLog} endpoint=${endpoint} />
  </article>`;
}

export function WebhookSettings({ args }) {
  const { partnership, ctx, live } = args;
  const [secret, setSecret] = useState(null);
  const [state, load] = useSectionLoad(async () => (await gql(ENDPOINTS_QUERY, { id: partnership.id })).partnership, args);
  useEffect(() => {
    load();
  }, []);
  // A delivery's outcome is no audited change: refresh on any change, and now and then.
  useLiveChange(live, ctx, () => true, () => load());
  useEffect(() => {
    const timer = window.setInterval(() => load(), 5000);
    return () => window.clearInterval(timer);
  }, []);
  const data = state.data;
  if (state.error) return html`<${Failed} error=${state.error} onRetry=${load} />`;
  if (!data) return html`<${Loading} text="Loading the webhook settings…" />`;
  if (!data.viewerCanManageMembers) {
    return html`<${Empty} title="Webhooks are managed by your side's leads"
      text="A LEAD of your side or your organization's admin adds the endpoints your systems receive events at." />`;
  }
  const created = (shown) => {
    setSecret(shown);
    load();
  };
  return html`<div class="webhooks">
    <p class="lede">Your side's endpoints receive the events your side may read in this workspace and the notices addressed to it, signed per the Standard Webhooks spec. The other side never sees them.</p>
    <${SecretShown} secret=${secret} />
    ${data.webhookEndpoints.length === 0
      ? html`<${Empty} title="No endpoints yet" text="Add one below to receive events in your own systems." />`
      : data.webhookEndpoints.map((e) => html`<${EndpointCard} key=${e.id} endpoint=${e} onChanged=${load} onSecret=${setSecret} />`)}
    <${CreateEndpoint} partnershipId=${partnership.id} onCreated=${created} />
  </div>`;
}
