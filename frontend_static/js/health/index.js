// The health section: the trust health index (gauge, components, history, what changed), the
// early-warning detectors with their evidence, and their thresholds both sides agree.

import { html, mount } from '../ui/html.js';
import { HealthPage } from './page.js';

export function renderHealth(content, args) {
  mount(content, html`<${HealthPage} args=${args} />`);
}
