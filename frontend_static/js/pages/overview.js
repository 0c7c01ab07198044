// The workspace overview: roadmap progress, open commitments, KPI statuses, members and the
// latest activity — all from the partnership's real records, refreshed live.

import { graphql } from '../graphql.js';
import { gql } from '../api.js';
import { clear, h, loading } from '../dom.js';
import { timeEl, titleCase } from '../format.js';
import { byOtherSide, onLiveChange } from '../live.js';
import { EventSummary } from '../audit/event.js';
import '../audit/api.js';
import { element, html } from '../ui/html.js';
import {
  keepingFocus, liveNotice, otherParty, ownParty, partnerName, PHASES, possessive, statusBadge,
  statusName, withUnit,
} from './common.js';
import { partnershipHref } from './partnerships.js';
import { sectionError } from './section.js';

const OPEN_STATUSES = ['PROPOSED', 'AGREED', 'IN_PROGRESS', 'DELIVERED', 'DISPUTED', 'MISSED'];
const KPI_STATUSES = ['ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'STALE'];

const OVERVIEW_QUERY = graphql`query PortalOverview($id: ID!, $open: [CommitmentStatus!]) {
  partnership(id: $id) {
    id
    everyone: members(first: 1) { totalCount }
    ownSide: members(first: 1, ownSideOnly: true) { totalCount }
    auditTrail(first: 5) { totalCount nodes { ...PortalAuditEvent } }
    roadmap { phases { phase milestones { id status } } }
    open: commitments(first: 100, filter: { status: $open }) {
      totalCount
      nodes { id status }
    }
    kpis { id name unit status builtin evidence(trend: 1) { latestValue } }
    waitingOnYourSide { objectId }
  }
}`;

const RELEVANT = new Set(['Milestone', 'Commitment', 'Kpi', 'KpiMeasurement', 'WorkspaceMember']);

export function renderOverview(content, args) {
  const { partnership, ctx, live } = args;
  const own = ownParty(partnership);
  const other = otherParty(partnership);
  const notice = liveNotice();
  content.append(h('p', { class: 'lede' },
    `${titleCase(partnership.status)} partnership between ${own?.organization.name} (${own?.label}) and ${other?.organization.name} (${other?.label}), opened `,
    timeEl(partnership.createdAt, false), '.'), notice.el);
  const details = h('div', { class: 'overview', 'aria-busy': 'true' }, loading('Loading the overview…'));
  content.append(details);
  const href = (slug) => partnershipHref(partnership.id, slug);

  async function load() {
    details.setAttribute('aria-busy', 'true');
    try {
      const data = await gql(OVERVIEW_QUERY, { id: partnership.id, open: OPEN_STATUSES });
      if (!ctx.isCurrent()) return;
      await keepingFocus(details, async () => render(data.partnership));
    } catch (error) {
      sectionError(details, error, args, load);
    } finally {
      details.setAttribute('aria-busy', 'false');
    }
  }

  function render(p) {
    clear(details,
      h('div', { class: 'overview-grid overview-grid-3' },
        roadmapCard(p.roadmap), commitmentsCard(p.open, p.waitingOnYourSide), kpisCard(p.kpis)),
      h('div', { class: 'overview-grid' }, membersCard(p), activityCard(p)));
  }

  function roadmapCard(roadmap) {
    const all = roadmap.phases.flatMap((ph) => ph.milestones).filter((m) => m.status !== 'DROPPED');
    const done = all.filter((m) => m.status === 'DONE').length;
    const atRisk = all.filter((m) => m.status === 'AT_RISK').length;
    const percent = all.length ? Math.round((done / all.length) * 100) : 0;
    return h('section', { class: 'card ov-card', 'aria-labelledby': 'ov-roadmap' },
      h('h3', { id: 'ov-roadmap' }, 'Roadmap progress'),
      all.length === 0
        ? h('p', { class: 'muted' }, 'No milestones yet.')
        : [
          h('p', { class: 'big-number' }, `${percent}%`),
          h('p', {}, `${done} of ${all.length} milestones done`, atRisk ? `, ${atRisk} at risk` : '', '.'),
          h('ul', { class: 'phase-progress' }, PHASES.map((phase) => {
            const list = roadmap.phases.find((x) => x.phase === phase.value)?.milestones.filter((m) => m.status !== 'DROPPED') ?? [];
            const phaseDone = list.filter((m) => m.status === 'DONE').length;
            const value = list.length ? Math.round((phaseDone / list.length) * 100) : 0;
            return h('li', {},
              h('span', { class: 'phase-progress-name' }, phase.name),
              progressBar(value, `${phase.name}: ${phaseDone} of ${list.length} done`),
              h('span', { class: 'phase-progress-count' }, `${phaseDone}/${list.length}`));
          })),
        ],
      h('p', {}, h('a', { href: href('roadmap') }, 'Open the roadmap')));
  }

  function commitmentsCard(open, waitingItems) {
    const counts = new Map(OPEN_STATUSES.map((s) => [s, 0]));
    for (const c of open.nodes) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    // What waits for this side's answer, across the workspace (the "waiting on us" view).
    const waiting = waitingItems.length;
    return h('section', { class: 'card ov-card', 'aria-labelledby': 'ov-commitments' },
      h('h3', { id: 'ov-commitments' }, 'Open commitments'),
      h('p', { class: 'big-number' }, String(open.totalCount)),
      open.totalCount === 0
        ? h('p', { class: 'muted' }, 'No open commitments.')
        : h('ul', { class: 'status-counts', 'aria-label': 'Open commitments by status' },
          OPEN_STATUSES.filter((s) => counts.get(s) > 0).map((s) => h('li', {},
            h('a', { href: `${href('commitments')}?status=${s}` }, statusBadge(s, 'cm'), ' ', String(counts.get(s)))))),
      waiting > 0
        ? h('p', { class: 'ov-waiting' }, h('a', { href: href('waiting') },
          `${waiting} ${waiting === 1 ? 'waits' : 'wait'} for your side to act.`))
        : h('p', { class: 'muted' }, 'Nothing waits for your side to act.'),
      h('p', {}, h('a', { href: href('commitments') }, 'Open the commitments')));
  }

  function kpisCard(kpis) {
    const counts = new Map(KPI_STATUSES.map((s) => [s, 0]));
    for (const k of kpis) counts.set(k.status, (counts.get(k.status) ?? 0) + 1);
    // The list names every KPI the counts count (the built-in on-time ones too).
    const shown = kpis;
    return h('section', { class: 'card ov-card', 'aria-labelledby': 'ov-kpis' },
      h('h3', { id: 'ov-kpis' }, 'KPI status'),
      kpis.length === 0
        ? h('p', { class: 'muted' }, 'No KPIs yet.')
        : [
          h('ul', { class: 'status-counts', 'aria-label': 'KPIs by status' },
            KPI_STATUSES.filter((s) => counts.get(s) > 0).map((s) => h('li', {},
              statusBadge(s, 'kpi'), ' ', String(counts.get(s))))),
          shown.length ? h('ul', { class: 'ov-kpi-list' }, shown.map((k) => h('li', {},
            h('a', { href: `${href('kpis')}/${encodeURIComponent(k.id)}` }, k.name),
            h('span', { class: 'ov-kpi-value' }, withUnit(k.evidence.latestValue, k.unit), ' ',
              h('span', { class: 'sr-only' }, `status ${statusName(k.status)}`),
              h('span', { class: `dot dot-${k.status.toLowerCase()}`, 'aria-hidden': 'true', title: statusName(k.status) }))))) : null,
        ],
      h('p', {}, h('a', { href: href('kpis') }, 'Open the KPIs')));
  }

  function membersCard(p) {
    const theirs = p.everyone.totalCount - p.ownSide.totalCount;
    return h('section', { class: 'card', 'aria-labelledby': 'ov-members' },
      h('h3', { id: 'ov-members' }, 'Members'),
      h('p', { class: 'big-number' }, String(p.everyone.totalCount)),
      h('p', {}, `${p.ownSide.totalCount} on your side, ${theirs} on ${other ? possessive(other.organization.name) : "the partner's"} side.`),
      h('p', {}, h('a', { href: href('members') }, 'See all members')));
  }

  function activityCard(p) {
    const events = p.auditTrail.nodes;
    return h('section', { class: 'card', 'aria-labelledby': 'ov-activity' },
      h('h3', { id: 'ov-activity' }, 'Recent activity'),
      events.length === 0
        ? h('p', { class: 'muted' }, 'Nothing has been recorded yet.')
        : h('ul', { class: 'activity' }, events.map((e) => h('li', {},
          element(html`<${EventSummary} event=${e} partnershipId=${partnership.id} />`)))),
      h('p', {}, h('a', { href: href('audit') }, `Open the audit trail (${p.auditTrail.totalCount} events)`)));
  }

  onLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just made a change; the overview is up to date.`);
  });

  load();
}

/** A progress bar (0–100) with an accessible name. */
export function progressBar(value, label) {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  const fill = h('span', { class: 'progress-fill' });
  fill.style.width = `${clamped}%`;
  return h('span', {
    class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': String(Math.round(clamped)), 'aria-label': label,
  }, fill);
}
