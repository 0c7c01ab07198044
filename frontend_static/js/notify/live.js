// The live inbox: one graphql-transport-ws socket per page, subscribed to viewerNotices, shared
// by every view that shows the unread count (the header's inbox, the notifications page). It
// reconnects with backoff while anyone listens, and closes when nobody does.

import { graphql } from '../graphql.js';

const SUBSCRIPTION = graphql`subscription PortalViewerNotices { viewerNotices { unreadCount } }`;
const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000];

const listeners = new Set();
let socket = null;
let attempt = 0;
let retryTimer = null;
let last = null;

function socketUrl() {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  // Named apart from the workspace's socket (same endpoint), so that each shows as itself.
  return `${scheme}://${window.location.host}/graphql?socket=inbox`;
}

function tell(count) {
  last = count;
  for (const listener of [...listeners]) listener(count);
}

function open() {
  window.clearTimeout(retryTimer);
  let ended = false;
  const ws = new WebSocket(socketUrl(), 'graphql-transport-ws');
  socket = ws;
  ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init' }));
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'connection_ack') {
      ws.send(JSON.stringify({ id: 'inbox', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
    } else if (message.type === 'ping') {
      ws.send(JSON.stringify({ type: 'pong' }));
    } else if (message.type === 'next') {
      const data = message.payload?.data?.viewerNotices;
      if (data) {
        attempt = 0;
        tell(data.unreadCount);
      } else {
        // Signed out (UNAUTHENTICATED): no point in reconnecting.
        ended = true;
        ws.close();
      }
    } else if (message.type === 'error' || message.type === 'complete') {
      ended = true;
      ws.close();
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    if (ended || listeners.size === 0) return;
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    attempt += 1;
    retryTimer = window.setTimeout(() => {
      if (listeners.size && !socket) open();
    }, delay);
  };
}

/** Calls listener(unreadCount) now and whenever the inbox changes; returns the unsubscribe. */
export function onInboxChange(listener) {
  listeners.add(listener);
  if (last !== null) listener(last);
  if (!socket) open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      last = null;
      window.clearTimeout(retryTimer);
      if (socket) {
        const ws = socket;
        socket = null;
        ws.close();
      }
    }
  };
}
