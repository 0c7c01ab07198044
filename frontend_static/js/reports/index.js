// The reports section: risk and compliance reports, their downloads, acknowledgements and the
// check of a copy.

import { html, mount } from '../ui/html.js';
import { ReportList } from './list.js';

export function renderReports(content, args) {
  mount(content, html`<${ReportList} args=${args} />`);
}
