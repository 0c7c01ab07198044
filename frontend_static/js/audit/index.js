// The audit trail section.

import { html, mount } from '../ui/html.js';
import { AuditTrail } from './list.js';

export function renderAudit(content, args) {
  mount(content, html`<${AuditTrail} args=${args} />`);
}
