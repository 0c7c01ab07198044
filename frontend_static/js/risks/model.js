// The 5x5 matrix as people read it: labels of each step, bands, names of categories,
// statuses and treatments, and who may keep the register.

export const LIKELIHOOD = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'];
export const IMPACT = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'];
export const STEPS = [1, 2, 3, 4, 5];

export const CATEGORIES = [
  { value: 'DELIVERY', label: 'Delivery' },
  { value: 'QUALITY', label: 'Quality' },
  { value: 'FINANCIAL', label: 'Financial' },
  { value: 'COMPLIANCE', label: 'Compliance' },
  { value: 'SECURITY', label: 'Security' },
  { value: 'RELATIONSHIP', label: 'Relationship' },
  { value: 'OTHER', label: 'Other' },
];

export const STATUSES = [
  { value: 'OPEN', label: 'Open' },
  { value: 'ACCEPTED', label: 'Accepted' },
  { value: 'IN_REVIEW', label: 'In review' },
  { value: 'CLOSED', label: 'Closed' },
];

export const TREATMENTS = [
  { value: 'MITIGATE', label: 'Mitigate' },
  { value: 'ACCEPT', label: 'Accept' },
  { value: 'TRANSFER', label: 'Transfer' },
  { value: 'AVOID', label: 'Avoid' },
];

const label = (options, value) => options.find((o) => o.value === value)?.label ?? value ?? '';
export const categoryName = (value) => label(CATEGORIES, value);
export const riskStatusName = (value) => label(STATUSES, value);
export const treatmentName = (value) => (value ? label(TREATMENTS, value) : 'Not decided');
export const bandName = (band) => band.charAt(0) + band.slice(1).toLowerCase();

const KEEPERS = new Set(['LEAD', 'EDITOR', 'GOVERNANCE']);

/** Leads, editors and governance members keep the risk register; viewers read it. */
export function canKeep(partnership) {
  return KEEPERS.has(partnership.viewerRole);
}

export function readOnlyText(partnership) {
  if (canKeep(partnership)) return null;
  if (partnership.viewerRole === 'VIEWER') {
    return 'You have view access: ask a Lead of your side to change your role if you need to score or treat risks.';
  }
  return 'You see this workspace as your organization\'s admin, not as a member: ask a Lead of your side to add you if you need to score or treat risks.';
}

/** "4 × 4 = 16" */
export function scoreText(score) {
  return score ? `${score.likelihood} × ${score.impact} = ${score.score}` : '—';
}
