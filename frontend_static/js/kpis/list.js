// The KPIs of a partnership: status, latest value, progress and a sparkline per KPI.

import { byOtherSide } from '../live.js';
import { gql } from '../api.js';
import { sparkline } from '../chart.js';
import {
  canEdit, formatDay, partnerName, withUnit,
} from '../pages/common.js';
import { InternalBadge, SideChip, StatusBadge } from '../ui/badges.js';
import {
  html, useEffect, useMemo, useState,
} from '../ui/html.js';
import {
  byKey, useFocus, useLiveChange, useSectionLoad,
} from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { ReadOnlyNote } from '../ui/access.js';
import { ProgressBar } from '../ui/progress.js';
import { DomNode } from '../ui/slot.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { LIST_QUERY, RELEVANT } from './api.js';
import { CADENCES, DefineKpiForm } from './forms.js';
import { kpiHref } from './links.js';
import { periodName, progressOf, progressText } from './model.js';

const HEADING_ID = 'kpi-list-heading';

export function KpiList({ args }) {
  const { partnership, ctx, live } = args;
  const editable = canEdit(partnership);
  const [list, load] = useSectionLoad(async () => (await gql(LIST_QUERY, { id: partnership.id })).partnership.kpis, args);
  const [formOpen, setFormOpen] = useState(false);
  const [status, setStatus] = useState(null);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();

  useEffect(() => {
    load();
  }, []);
  useLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) {
      setStatus(null);
      notice.show(`${partnerName(partnership)} just changed the KPIs; they are up to date.`);
    }
  });

  function toggleForm() {
    const opening = !formOpen;
    setFormOpen(opening);
    if (opening) focusLater('#define-kpi input');
  }

  async function defined(created) {
    await load();
    setStatus(`KPI “${created.name}” defined. Record its first measurement on its page.`);
    focusLater(byKey(`kpi-${created.id}`));
    setFormOpen(false);
  }

  let body;
  if (list.error) body = html`<${Failed} error=${list.error} onRetry=${load} />`;
  else if (!list.data) body = html`<${Loading} text="Loading KPIs…" />`;
  else body = html`<${KpiGrid} kpis=${list.data} partnership=${partnership} editable=${editable} />`;

  // The list is a plain block with its heading: a <section> would be a second landmark named
  // like the workspace section around it.
  return html`<div ref=${root}>
    <p class="lede">Promises turned into numbers: each KPI has a baseline, a target and thresholds, and its measurements show whether the recovery is on track.</p>
    <${LiveNotice} notice=${notice.notice} />
    ${editable ? html`<div class="toolbar">
      <button type="button" class="button button-primary" aria-expanded=${String(formOpen)} aria-controls="define-kpi"
        onClick=${toggleForm}>Define a KPI</button>
    </div>
    <div hidden=${!formOpen}><${DefineKpiForm} partnership=${partnership} ctx=${ctx} onCreated=${defined} /></div>`
    : html`<${ReadOnlyNote} partnership=${partnership} doing="define KPIs or record their measurements" />`}
    <${Message} kind="success" messages=${status} />
    <div class="list-body">
      <h3 class="sr-only" id=${HEADING_ID}>KPIs</h3>
      <div aria-busy=${list.busy ? 'true' : 'false'}>${body}</div>
    </div>
  </div>`;
}

function KpiGrid({ kpis, partnership, editable }) {
  if (kpis.length === 0) {
    return html`<${Empty} title="No KPIs yet"
      text=${editable ? 'Define the first one with “Define a KPI”.' : 'KPIs appear here once a Lead or an Editor defines one.'} />`;
  }
  return html`<ul class="kpi-grid" aria-labelledby=${HEADING_ID}>
    ${kpis.map((kpi) => html`<${KpiCard} key=${kpi.id} kpi=${kpi} partnership=${partnership} />`)}
  </ul>`;
}

function KpiCard({ kpi, partnership }) {
  const ev = kpi.evidence;
  const progress = progressOf(ev);
  const cadence = CADENCES.find((c) => c.value === kpi.cadence)?.label ?? kpi.cadence;
  const direction = kpi.direction === 'HIGHER_IS_BETTER' ? 'higher is better' : 'lower is better';
  const trend = useMemo(() => sparkline(ev.trend.map((m) => m.value)), [ev.trend]);
  return html`<li class=${`kpi-card kpi-${kpi.status.toLowerCase()}`}>
    <div class="kpi-card-head">
      <h4 class="kpi-name"><a href=${kpiHref(partnership.id, kpi.id)} data-key=${`kpi-${kpi.id}`}>${kpi.name}</a></h4>
      <${StatusBadge} status=${kpi.status} prefix="kpi" />
    </div>
    <p class="kpi-tags">
      <${SideChip} party=${kpi.ownerParty} />
      ${kpi.builtin ? html`<span class="tag tag-builtin" title="Computed from the commitments, not typed in">Built-in</span>` : null}
      ${kpi.visibility === 'INTERNAL' ? html`<${InternalBadge} />` : null}
      <span class="muted small">${cadence} · ${direction}</span>
    </p>
    <div class="kpi-figures">
      <p class="kpi-latest">
        <span class="kpi-value">${withUnit(ev.latestValue, kpi.unit)}</span>
        <span class="muted">${ev.latestPeriod ? periodName(ev.latestPeriod, kpi.cadence) : 'No measurement yet'}</span>
      </p>
      <${DomNode} node=${trend} />
    </div>
    <p class="kpi-chain small">Baseline ${withUnit(kpi.baselineValue, kpi.unit)} → target ${withUnit(kpi.targetValue, kpi.unit)} by ${formatDay(kpi.targetDate)}</p>
    ${progress === null
      ? html`<p class="muted small">${ev.latestPeriod ? 'No progress figure: the target is not beyond the baseline.' : 'Progress appears with the first measurement.'}</p>`
      : html`<div class="kpi-progress">
          <${ProgressBar} value=${progress} label=${`${kpi.name}: ${progressText(progress)} from baseline to target`} />
          <span class="small">${progressText(progress)}</span>
        </div>`}
  </li>`;
}
