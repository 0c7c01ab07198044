// How a KPI reads: its periods, progress and trend in words, and who reports it.

import { canEdit, formatMonth, formatNumber, formatShortDay, withUnit } from '../pages/common.js';

export function periodName(iso, cadence) {
  if (cadence === 'WEEKLY') return `Week of ${formatShortDay(iso)}`;
  if (cadence === 'QUARTERLY') {
    const month = Number(iso.slice(5, 7));
    return `Q${Math.floor((month - 1) / 3) + 1} ${iso.slice(0, 4)}`;
  }
  return formatMonth(iso);
}

export function axisPeriod(iso, cadence) {
  return cadence === 'WEEKLY' ? formatShortDay(iso) : periodName(iso, cadence);
}

/** The API leaves progress out when there is none to report (no value, or a baseline already on target). */
export function progressOf(evidence) {
  return evidence.progressPercent ?? null;
}

export function progressText(progress) {
  if (progress >= 100) return 'Target reached';
  if (progress < 0) return `${formatNumber(Math.abs(progress))}% behind the baseline`;
  return `${formatNumber(progress)}% of the way`;
}

/** Owner-side leads and editors report measurements and edit the definition. */
export function canReport(partnership, kpi) {
  return canEdit(partnership) && kpi.ownerParty.isOwn && !kpi.builtin;
}

/** "up 3.2 over the last 6 measurements — improving" */
export function trendText(kpi, trend) {
  if (trend.length < 2) return 'Not enough measurements for a trend yet.';
  const first = trend[0].value;
  const last = trend[trend.length - 1].value;
  const change = last - first;
  if (Math.abs(change) < 1e-9) return `Flat over the last ${trend.length} measurements.`;
  const better = (change > 0) === (kpi.direction === 'HIGHER_IS_BETTER');
  return `${change > 0 ? 'Up' : 'Down'} ${withUnit(Math.abs(change), kpi.unit)} over the last ${trend.length} measurements — ${better ? 'improving' : 'worsening'}.`;
}
