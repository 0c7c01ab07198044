// The members section.

import { html, mount } from '../ui/html.js';
import { MemberList } from './list.js';

export function renderMembers(content, args) {
  mount(content, html`<${MemberList} args=${args} />`);
}
