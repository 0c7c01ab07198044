// Talking to the server: GraphQL over POST and the JSON /auth endpoints.
// Every POST carries the CSRF header; cookies are same-origin only.

import { withFragments } from './graphql.js';
import './fragments.js';

const HEADERS = { 'content-type': 'application/json', 'x-mutual-csrf': '1' };

export class ApiError extends Error {
  constructor(code, message, { status = null, field = null } = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

let onUnauthenticated = () => {};
// Counts sign-ins: a request sent before the latest one that finds its session gone is old news
// (its answer may come after the user signed in again), and must not send them back to login.
let sessionEpoch = 0;

/** Called when any GraphQL call finds the session gone (the router sends the user to login). */
export function setUnauthenticatedHandler(handler) {
  onUnauthenticated = handler;
}

/** A new session began (the user signed in): answers to earlier requests no longer sign out. */
export function sessionStarted() {
  sessionEpoch += 1;
}

const NETWORK_MESSAGE = 'The server could not be reached. Check your connection and try again.';

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/**
 * Run a GraphQL operation and return its data. Top-level errors throw an ApiError carrying
 * extensions.code; UNAUTHENTICATED also triggers the handler unless `quietAuth` is set.
 */
export async function gql(query, variables = {}, { quietAuth = false } = {}) {
  const epoch = sessionEpoch;
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: HEADERS,
      credentials: 'same-origin',
      body: JSON.stringify({ query: withFragments(query), variables }),
    });
  } catch {
    throw new ApiError('NETWORK', NETWORK_MESSAGE);
  }
  const body = await readJson(response);
  if (body === null) {
    throw new ApiError(`HTTP_${response.status}`,
      `The server answered with an unexpected response (status ${response.status}).`,
      { status: response.status });
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const first = body.errors[0];
    const code = first.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED' && !quietAuth && epoch === sessionEpoch) onUnauthenticated();
    throw new ApiError(code, first.message || 'The request failed.', {
      status: response.status,
      field: first.extensions?.field ?? null,
    });
  }
  if (!response.ok || !body.data) {
    const error = body.error ?? {};
    throw new ApiError(error.code ?? `HTTP_${response.status}`,
      error.message ?? `The request failed (status ${response.status}).`,
      { status: response.status });
  }
  return body.data;
}

/** POST JSON to an /auth endpoint; returns {ok, status, body} and never throws on HTTP errors. */
export async function postJson(url, payload = {}) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: HEADERS,
      credentials: 'same-origin',
      body: JSON.stringify(payload),
    });
  } catch {
    return { ok: false, status: 0, body: { error: { code: 'NETWORK', message: NETWORK_MESSAGE } } };
  }
  return { ok: response.ok, status: response.status, body: await readJson(response) };
}

/** GET JSON; null when the endpoint is missing or answers anything but JSON. */
export async function getJson(url) {
  try {
    const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    return await readJson(response);
  } catch {
    return null;
  }
}
