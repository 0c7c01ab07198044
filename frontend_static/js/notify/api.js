// The GraphQL documents of notifications: the inbox, preferences and webhook endpoints.

import { graphql } from '../graphql.js';

graphql`fragment PortalNotification on Notification {
  id kind title body createdAt readAt subject { id type link partnershipId }
}`;

export const INBOX_QUERY = graphql`query PortalInbox($first: Int!, $unreadOnly: Boolean) {
  viewer {
    unreadNotificationCount
    notifications(first: $first, unreadOnly: $unreadOnly) {
      totalCount
      nodes { ...PortalNotification }
    }
  }
}`;

export const MARK_READ = graphql`mutation PortalMarkRead($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    unreadCount notifications { id readAt } userErrors { field code message }
  }
}`;

export const PREFERENCES_QUERY = graphql`query PortalNotificationPreferences {
  viewer { notificationPreferences { kind label delivery isDefault } }
}`;

export const SET_PREFERENCE = graphql`mutation PortalSetPreference($input: SetNotificationPreferenceInput!) {
  setNotificationPreference(input: $input) {
    preference { kind label delivery isDefault } userErrors { field code message }
  }
}`;

graphql`fragment PortalWebhookEndpoint on WebhookEndpoint {
  id url description eventTypes enabled disabledReason failureCount version createdAt previousSecretExpiresAt
}`;

export const ENDPOINTS_QUERY = graphql`query PortalWebhooks($id: ID!) {
  partnership(id: $id) {
    id viewerCanManageMembers
    webhookEndpoints {
      ...PortalWebhookEndpoint
      deliveries(first: 20) {
        totalCount
        nodes { id eventType status attempts responseStatus responseMs error createdAt lastAttemptAt messageId }
      }
    }
  }
}`;

export const CREATE_ENDPOINT = graphql`mutation PortalCreateWebhook($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id } secret userErrors { field code message } }
}`;

export const UPDATE_ENDPOINT = graphql`mutation PortalUpdateWebhook($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { endpoint { id enabled version } userErrors { field code message } }
}`;

export const ROTATE_SECRET = graphql`mutation PortalRotateWebhookSecret($input: RotateWebhookSecretInput!) {
  rotateWebhookSecret(input: $input) { endpoint { id version } secret userErrors { field code message } }
}`;

export const DELETE_ENDPOINT = graphql`mutation PortalDeleteWebhook($input: DeleteWebhookEndpointInput!) {
  deleteWebhookEndpoint(input: $input) { deletedEndpointId userErrors { field code message } }
}`;

export const SEND_TEST = graphql`mutation PortalSendTestWebhook($input: SendTestWebhookEventInput!) {
  sendTestWebhookEvent(input: $input) { delivery { id status } userErrors { field code message } }
}`;

export const DELIVERY_LABELS = {
  INBOX_ONLY: 'In the inbox only',
  EMAIL: 'By email at once',
  DAILY_DIGEST: 'In a daily email digest',
};
