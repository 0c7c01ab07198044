// The KPI section: the list, or one KPI when the address names it.

import { renderKpi } from './detail.js';
import { renderKpiList } from './list.js';

export { kpiHref } from './links.js';

export function renderKpis(content, args) {
  if (args.itemId) renderKpi(content, args, args.itemId);
  else renderKpiList(content, args);
}
