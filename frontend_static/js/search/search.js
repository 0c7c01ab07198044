// Text search over the workspace's milestones and commitments (PostgreSQL full text, on the
// server): results as you type, debounced, and an answer overtaken by a newer one is dropped.

import { gql } from '../api.js';
import { partnershipHref } from '../pages/partnerships.js';
import { recordHref, recordName } from '../records.js';
import { Field } from '../ui/field.js';
import {
  html, useEffect, useLayoutEffect, useRef, useState,
} from '../ui/html.js';
import { useSectionLoad } from '../ui/hooks.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { SEARCH_QUERY } from './api.js';

const HEADING_ID = 'search-results-heading';
const DEBOUNCE_MS = 250;
const MAX_LENGTH = 200;

export function SearchView({ args }) {
  const { partnership, ctx } = args;
  const [text, setText] = useState(() => ctx.params.get('q') ?? '');
  const [results, load] = useSectionLoad(async (wanted) => {
    if (!wanted.trim()) return { text: wanted, hits: null };
    const data = await gql(SEARCH_QUERY, { id: partnership.id, text: wanted });
    return { text: wanted, hits: data.partnership.search };
  }, args);
  const input = useRef(null);
  const first = useRef(true);

  useLayoutEffect(() => {
    input.current?.focus();
  }, []);
  useEffect(() => {
    const params = text.trim() ? `?${new URLSearchParams({ q: text.trim() })}` : '';
    window.history.replaceState(null, '', `${partnershipHref(partnership.id, 'search')}${params}`);
    // The text the address brought is searched at once; typing waits for a pause.
    if (first.current) {
      first.current = false;
      load(text);
      return undefined;
    }
    const timer = window.setTimeout(() => load(text), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const shown = results.data;
  let body;
  if (results.error) body = html`<${Failed} error=${results.error} onRetry=${() => load(text)} />`;
  else if (shown === undefined) body = text.trim() ? html`<${Loading} text="Searching…" />` : null;
  else if (shown.hits === null) body = html`<p class="muted">Type a few words: a title, or what a description says.</p>`;
  else if (shown.hits.length === 0) {
    body = html`<${Empty} title=${`Nothing found for “${shown.text.trim()}”`}
      text="Try fewer words, or the beginning of a word: “deliv” finds “delivery”." />`;
  } else {
    body = html`<ul class="found-list" aria-labelledby=${HEADING_ID}>
      ${shown.hits.map((hit) => html`<li class="found-item" key=${hit.objectId}>
        <p class="found-title">
          <a href=${recordHref(partnership.id, hit.objectType, hit.objectId)}>${hit.title}</a>
          <span class="tag tag-kind">${recordName(hit.objectType)}</span>
        </p>
        ${hit.excerpt ? html`<p class="found-excerpt muted">${hit.excerpt}</p>` : null}
      </li>`)}
    </ul>`;
  }
  const count = shown?.hits
    ? `${shown.hits.length} ${shown.hits.length === 1 ? 'result' : 'results'} for “${shown.text.trim()}”.`
    : '';

  return html`<div>
    <p class="lede">Find milestones and commitments by the words of their title or description.</p>
    <form class="search-form" role="search" aria-label="Search milestones and commitments" onSubmit=${(event) => {
      event.preventDefault();
      load(text);
    }}>
      <${Field} label="Search for">
        <input type="search" name="q" maxlength=${MAX_LENGTH} autocomplete="off" spellcheck=${false} ref=${input}
          value=${text} onInput=${(event) => setText(event.currentTarget.value)} />
      <//>
    </form>
    <section aria-labelledby=${HEADING_ID}>
      <h3 class="sr-only" id=${HEADING_ID}>Search results</h3>
      <p class="result-count" aria-live="polite">${count}</p>
      <div aria-busy=${results.busy && Boolean(text.trim()) ? 'true' : 'false'}>${body}</div>
    </section>
  </div>`;
}
