// The workspace's sections, in the order of its navigation: one line per domain. A domain
// with a portal is its folder js/<domain>/ (an index.js exporting its render) plus its line
// here; `inNav: false` marks a section the navigation does not list.

import { renderAudit } from './audit/index.js';
import { renderCommitments } from './commitments/index.js';
import { renderContingency } from './contingency/index.js';
import { renderFeedback } from './feedback/index.js';
import { renderGovernance } from './governance/index.js';
import { renderHealth } from './health/index.js';
import { renderKpis } from './kpis/index.js';
import { renderMembers } from './members/index.js';
import { renderWebhooks } from './notify/index.js';
import { renderReports } from './reports/index.js';
import { renderOverview } from './pages/overview.js';
import { renderPulse } from './pulse/index.js';
import { renderRisks } from './risks/index.js';
import { renderRoadmap } from './roadmap/index.js';
import { renderSearch } from './search/index.js';
import { renderWaiting } from './search/index.js';
import { renderTokens } from './pages/tokens.js';

export const SECTIONS = [
  { slug: 'overview', name: 'Overview', render: renderOverview },
  { slug: 'waiting', name: 'Waiting on us', render: renderWaiting },
  { slug: 'roadmap', name: 'Roadmap', render: renderRoadmap, hasItems: true },
  { slug: 'commitments', name: 'Commitments', render: renderCommitments, hasItems: true },
  { slug: 'kpis', name: 'KPIs', render: renderKpis, hasItems: true },
  { slug: 'risks', name: 'Risks', render: renderRisks, hasItems: true },
  { slug: 'governance', name: 'Governance', render: renderGovernance, hasItems: true },
  { slug: 'reports', name: 'Reports', render: renderReports },
  { slug: 'feedback', name: 'Feedback', render: renderFeedback, hasItems: true },
  { slug: 'pulse', name: 'Pulse surveys', render: renderPulse },
  { slug: 'contingency', name: 'Contingency', render: renderContingency, hasItems: true },
  { slug: 'health', name: 'Health', render: renderHealth },
  { slug: 'members', name: 'Members', render: renderMembers },
  { slug: 'audit', name: 'Audit trail', render: renderAudit },
  { slug: 'tokens', name: 'API tokens', render: renderTokens },
  { slug: 'webhooks', name: 'Webhooks', render: renderWebhooks },
  // Reached from the workspace header's search box, not the navigation.
  { slug: 'search', name: 'Search', render: renderSearch, inNav: false },
];
