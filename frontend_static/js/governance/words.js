// Names shown for governance's states and types, and who may act.

export const TYPE_NAMES = {
  DECISION_PROCESS: 'Decision process',
  CODE_OF_CONDUCT: 'Code of conduct',
  COMPLIANCE_POLICY: 'Compliance policy',
  THIRD_PARTY_ASSESSMENT: 'Third-party assessment',
  RISK_MANAGEMENT: 'Risk management',
  OTHER: 'Other',
};
export const TYPE_OPTIONS = Object.entries(TYPE_NAMES).map(([value, label]) => ({ value, label }));

const STATUS_NAMES = {
  DRAFT: 'Draft',
  IN_REVIEW: 'In review',
  PUBLISHED: 'Published',
  SUPERSEDED: 'Superseded',
  PROPOSED: 'Proposed',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
};

export function governanceStatus(status) {
  return STATUS_NAMES[status] ?? status;
}

/** GOVERNANCE members and LEADs write, review, publish and acknowledge disclosures. */
export function canGovern(partnership) {
  return partnership.viewerRole === 'LEAD' || partnership.viewerRole === 'GOVERNANCE';
}

/** LEADs, EDITORs and GOVERNANCE members propose decisions. */
export function canPropose(partnership) {
  return ['LEAD', 'EDITOR', 'GOVERNANCE'].includes(partnership.viewerRole);
}

export function shortHash(hash) {
  return hash ? `${hash.slice(0, 12)}…` : '';
}
