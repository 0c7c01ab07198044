// Live updates of one workspace: a single graphql-transport-ws socket per open partnership.
// Pages listen for the events they care about and re-fetch what they show (the events carry
// no data, only what changed). The socket reconnects with backoff; after a reconnect every
// listener is told to re-fetch, since events may have been missed while it was down.

import { graphql } from './graphql.js';

const SUBSCRIPTION = graphql`subscription PortalLive($id: ID!) {
  partnershipEvents(partnershipId: $id) { seq action objectType objectId subjectId visibility byOwnSide at }
}`;

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
// A connection that stayed up this long resets the backoff.
const STABLE_MS = 10000;

let current = null;

function socketUrl() {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/graphql`;
}

class LiveConnection {
  constructor(partnershipId) {
    this.partnershipId = partnershipId;
    this.listeners = new Set();
    this.stateListeners = new Set();
    this.state = 'connecting';
    this.attempt = 0;
    this.closed = false;
    this.everLive = false;
    this.socket = null;
    this.retryTimer = null;
    this.liveSince = 0;
    this.onVisible = () => {
      if (document.visibilityState === 'visible' && this.state === 'offline' && !this.closed) this.reconnectNow();
    };
    document.addEventListener('visibilitychange', this.onVisible);
    this.open();
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }

  open() {
    if (this.closed) return;
    this.setState(this.everLive ? 'reconnecting' : 'connecting');
    let socket;
    try {
      socket = new WebSocket(socketUrl(), 'graphql-transport-ws');
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    let subscribed = false;
    let fatal = false;
    const send = (message) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    };
    socket.addEventListener('open', () => send({ type: 'connection_init', payload: {} }));
    socket.addEventListener('message', (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      switch (data.type) {
        case 'connection_ack':
          send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id: this.partnershipId } } });
          // The server answers this ping after it has registered the subscription.
          send({ type: 'ping', payload: { purpose: 'subscribed' } });
          break;
        case 'ping':
          send({ type: 'pong' });
          break;
        case 'pong':
          if (!subscribed && data.payload?.purpose !== 'keepalive') {
            subscribed = true;
            const wasLive = this.everLive;
            this.everLive = true;
            this.liveSince = Date.now();
            this.setState('live');
            // Anything may have changed while the socket was down: re-fetch.
            if (wasLive) this.dispatch({ action: 'resync', objectType: '*', byOwnSide: false, resync: true });
          }
          break;
        case 'next': {
          const event = data.payload?.data?.partnershipEvents;
          if (event) this.dispatch(event);
          break;
        }
        case 'error':
          // The partnership is not (or no longer) visible: there is nothing to listen to.
          fatal = true;
          this.setState('offline');
          socket.close(1000);
          break;
        case 'complete':
          socket.close(1000);
          break;
        default:
          break;
      }
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      // 4401/4403: the session is gone; the next page load sends the user to sign in.
      if (fatal || event.code === 4401 || event.code === 4403) {
        this.setState('offline');
        return;
      }
      if (this.liveSince && Date.now() - this.liveSince > STABLE_MS) this.attempt = 0;
      this.liveSince = 0;
      this.scheduleRetry();
    });
  }

  scheduleRetry() {
    if (this.closed) return;
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    // Jitter, so that many portals do not come back at the same instant after a restart.
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.setState('reconnecting');
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.open(), delay);
  }

  reconnectNow() {
    window.clearTimeout(this.retryTimer);
    this.attempt = 0;
    if (!this.socket) this.open();
  }

  dispatch(event) {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One page's listener failing must not stop the others.
        window.setTimeout(() => { throw error; });
      }
    }
  }

  /** Listen for events; returns a function that stops listening. */
  listen(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Follow the connection state ('connecting', 'live', 'reconnecting', 'offline'). */
  watch(listener) {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  close() {
    this.closed = true;
    window.clearTimeout(this.retryTimer);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.listeners.clear();
    this.stateListeners.clear();
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  }
}

/** The live connection of a partnership, opened on first use (another one is closed). */
export function connectLive(partnershipId) {
  if (current && current.partnershipId === partnershipId && !current.closed) return current;
  closeLive();
  current = new LiveConnection(partnershipId);
  return current;
}

/** Leave the workspace: close the socket. */
export function closeLive() {
  if (current) current.close();
  current = null;
}

/**
 * A page's subscription: calls `refresh(events)` once per burst of relevant events (coalesced
 * over a short delay) while the page is current; stops by itself once the user navigated away.
 *   relevant(event) → boolean; resync events (after a reconnect) are always relevant.
 */
export function onLiveChange(live, ctx, relevant, refresh, { delay = 120 } = {}) {
  let pending = [];
  let timer = null;
  const stop = live.listen((event) => {
    if (!ctx.isCurrent()) {
      stop();
      window.clearTimeout(timer);
      return;
    }
    if (!event.resync && !relevant(event)) return;
    pending.push(event);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const events = pending;
      pending = [];
      if (ctx.isCurrent()) refresh(events);
      else stop();
    }, delay);
  });
  return stop;
}

/** Whether a burst of events includes a change made by the other side. */
export function byOtherSide(events) {
  return events.some((e) => !e.byOwnSide && !e.resync);
}
