// The views that gather records of every domain: what waits on your side, and the search.

import { html, mount } from '../ui/html.js';
import { SearchView } from './search.js';
import { WaitingList } from './waiting.js';

export function renderWaiting(content, args) {
  mount(content, html`<${WaitingList} args=${args} />`);
}

export function renderSearch(content, args) {
  mount(content, html`<${SearchView} args=${args} />`);
}
