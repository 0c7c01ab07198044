// Names the contingency pages show for the API's values.

export const VERSION_STATUS = {
  DRAFT: 'Draft',
  PENDING_APPROVAL: 'Waiting for approval',
  APPROVED: 'Approved, in force',
  SUPERSEDED: 'Superseded',
};

export const SEVERITY = { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export const ENTRY = {
  ACTIVATED: 'Activated',
  STEP_DONE: 'Step done',
  UPDATE: 'Status update',
  UPDATE_MISSED: 'Update missed',
  STEP_LATE: 'Step late',
  ESCALATED: 'Escalated',
  NOTE: 'Note',
  CLOSED: 'Closed',
};

export function triggerText(t) {
  if (t.kind === 'DETECTOR') return `Early-warning detector ${t.source.replace('detector.', '')} firing`;
  if (t.kind === 'SLA_BREACHES') return `${t.count} SLA breaches within ${t.windowDays} days`;
  if (t.kind === 'RISK_SCORE') return `${t.riskTitle ? `The risk “${t.riskTitle}”` : 'A risk'}: residual score at ${t.score} or more`;
  if (t.kind === 'KPI_OFF_TRACK') {
    const kpi = t.kpiName ? `The KPI “${t.kpiName}”` : 'A KPI';
    return t.threshold == null ? `${kpi} off track` : `${kpi} at ${t.threshold} or worse`;
  }
  return 'By hand';
}

export function minutesText(minutes) {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

export function sourceText(activation) {
  if (activation.drill) return 'Drill';
  if (activation.source === 'manual') return 'By hand';
  return `Trigger: ${activation.source}`;
}
