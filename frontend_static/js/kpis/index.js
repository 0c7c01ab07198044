// The KPI section: the list, or one KPI when the address names it.

import { html, mount } from '../ui/html.js';
import { KpiPage } from './detail.js';
import { KpiList } from './list.js';

export { kpiHref } from './links.js';

export function renderKpis(content, args) {
  mount(content, args.itemId
    ? html`<${KpiPage} args=${args} kpiId=${args.itemId} />`
    : html`<${KpiList} args=${args} />`);
}
