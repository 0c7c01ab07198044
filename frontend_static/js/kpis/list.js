// The KPIs of a partnership: status, latest value, progress and a sparkline per KPI.

import { h, loading, messageBox, showMessage } from '../dom.js';
import { html, show } from '../ui/html.js';
import { DomNode } from '../ui/slot.js';
import { Empty } from '../ui/states.js';
import { byOtherSide, onLiveChange } from '../live.js';
import { gql } from '../api.js';
import { sparkline } from '../chart.js';
import {
  canEdit, formatDay, keepingFocus, liveNotice, partnerName, sideChip, statusBadge, withUnit,
} from '../pages/common.js';
import { sectionError } from '../pages/section.js';
import { progressBar } from '../pages/overview.js';
import { LIST_QUERY, RELEVANT } from './api.js';
import { kpiHref } from './links.js';
import { periodName, progressOf, progressText } from './model.js';
import { CADENCES, defineForm } from './forms.js';

export function renderKpiList(content, args) {
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);
  content.append(h('p', { class: 'lede' },
    'Promises turned into numbers: each KPI has a baseline, a target and thresholds, and its measurements show whether the recovery is on track.'));
  const notice = liveNotice();
  const status = messageBox('success');
  const defineButton = editable
    ? h('button', { type: 'button', class: 'button button-primary', 'aria-expanded': 'false', 'aria-controls': 'define-kpi' }, 'Define a KPI')
    : null;
  const formSlot = h('div', { hidden: true });
  const listHeading = h('h3', { class: 'sr-only', id: 'kpi-list-heading' }, 'KPIs');
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading KPIs…'));
  content.append(notice.el, defineButton ? h('div', { class: 'toolbar' }, defineButton) : null, formSlot, status,
    h('section', { 'aria-labelledby': listHeading.id }, listHeading, body));

  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(LIST_QUERY, { id: partnership.id });
      if (!ctx.isCurrent()) return;
      await keepingFocus(body, async () => render(data.partnership.kpis));
    } catch (error) {
      sectionError(body, error, args, load);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function render(kpis) {
    show(body, html`<${KpiGrid} kpis=${kpis} partnership=${partnership} editable=${editable} labelledBy=${listHeading.id} />`);
  }

  if (defineButton) {
    const form = defineForm(partnership, ctx, async (created) => {
      await load();
      showMessage(status, 'success', `KPI “${created.name}” defined. Record its first measurement on its page.`);
      body.querySelector(`[data-key="kpi-${CSS.escape(created.id)}"]`)?.focus();
      formSlot.hidden = true;
      defineButton.setAttribute('aria-expanded', 'false');
    });
    formSlot.append(form);
    defineButton.addEventListener('click', () => {
      const opening = formSlot.hidden;
      formSlot.hidden = !opening;
      defineButton.setAttribute('aria-expanded', String(opening));
      if (opening) form.querySelector('input')?.focus();
    });
  }

  onLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed the KPIs; they are up to date.`);
  });
  load();
}

function KpiGrid({ kpis, partnership, editable, labelledBy }) {
  if (kpis.length === 0) {
    return html`<${Empty} title="No KPIs yet"
      text=${editable ? 'Define the first one with “Define a KPI”.' : 'KPIs appear here once a Lead or an Editor defines one.'} />`;
  }
  return html`<ul class="kpi-grid" aria-labelledby=${labelledBy}>
    ${kpis.map((kpi) => html`<${KpiCard} key=${kpi.id} kpi=${kpi} partnership=${partnership} />`)}
  </ul>`;
}

function KpiCard({ kpi, partnership }) {
  const ev = kpi.evidence;
  const progress = progressOf(ev);
  const cadence = CADENCES.find((c) => c.value === kpi.cadence)?.label ?? kpi.cadence;
  const direction = kpi.direction === 'HIGHER_IS_BETTER' ? 'higher is better' : 'lower is better';
  return html`<li class=${`kpi-card kpi-${kpi.status.toLowerCase()}`}>
    <div class="kpi-card-head">
      <h4 class="kpi-name"><a href=${kpiHref(partnership.id, kpi.id)} data-key=${`kpi-${kpi.id}`}>${kpi.name}</a></h4>
      <${DomNode} node=${statusBadge(kpi.status, 'kpi')} />
    </div>
    <p class="kpi-tags">
      <${DomNode} node=${sideChip(kpi.ownerParty)} />
      ${kpi.builtin ? html`<span class="tag tag-builtin" title="Computed from the commitments, not typed in">Built-in</span>` : null}
      ${kpi.visibility === 'INTERNAL' ? html`<span class="badge badge-internal">Internal</span>` : null}
      <span class="muted small">${cadence} · ${direction}</span>
    </p>
    <div class="kpi-figures">
      <p class="kpi-latest">
        <span class="kpi-value">${withUnit(ev.latestValue, kpi.unit)}</span>
        <span class="muted">${ev.latestPeriod ? periodName(ev.latestPeriod, kpi.cadence) : 'No measurement yet'}</span>
      </p>
      <${DomNode} node=${sparkline(ev.trend.map((m) => m.value))} />
    </div>
    <p class="kpi-chain small">Baseline ${withUnit(kpi.baselineValue, kpi.unit)} → target ${withUnit(kpi.targetValue, kpi.unit)} by ${formatDay(kpi.targetDate)}</p>
    ${progress === null
      ? html`<p class="muted small">${ev.latestPeriod ? 'No progress figure: the target is not beyond the baseline.' : 'Progress appears with the first measurement.'}</p>`
      : html`<div class="kpi-progress">
          <${DomNode} node=${progressBar(progress, `${kpi.name}: ${progressText(progress)} from baseline to target`)} />
          <span class="small">${progressText(progress)}</span>
        </div>`}
  </li>`;
}
