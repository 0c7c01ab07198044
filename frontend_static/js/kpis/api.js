// KPIs: the GraphQL documents.

import '../fragments.js';
import { graphql } from '../graphql.js';

graphql`fragment PortalKpiDefinition on Kpi {
  id name unit direction cadence status builtin visibility version
  baselineValue baselineDate targetValue targetDate warningThreshold criticalThreshold
  ownerParty { ...PortalParty }
}`;

graphql`fragment PortalKpiMeasurement on KpiMeasurement {
  period value source note recordedAt reportedBy { displayName }
  revisions { value note source replacedAt }
}`;

graphql`fragment PortalKpiEvidence on KpiEvidence {
  baselineValue baselineDate latestValue latestPeriod targetValue targetDate progressPercent trend { period value }
}`;

export const LIST_QUERY = graphql`query PortalKpis($id: ID!) {
  partnership(id: $id) {
    id
    kpis {
      ...PortalKpiDefinition
      evidence(trend: 12) { latestValue latestPeriod progressPercent trend { period value } }
    }
  }
}`;

export const KPI_QUERY = graphql`query PortalKpi($id: ID!) {
  node(id: $id) {
    id
    ... on Kpi {
      ...PortalKpiDefinition
      measurements(last: 104) { ...PortalKpiMeasurement }
      evidence(trend: 6) { ...PortalKpiEvidence }
    }
  }
}`;

// Built-in KPIs are computed, not stored: they are read from the partnership's list.
export const BUILTIN_QUERY = graphql`query PortalBuiltinKpis($id: ID!) {
  partnership(id: $id) {
    id
    kpis {
      ...PortalKpiDefinition
      measurements(last: 24) { ...PortalKpiMeasurement }
      evidence(trend: 6) { ...PortalKpiEvidence }
    }
  }
}`;

export const CREATE = graphql`mutation PortalCreateKpi($input: CreateKpiInput!) {
  createKpi(input: $input) {
    kpi { id name }
    userErrors { field code message current { ...PortalKpiDefinition } }
  }
}`;

export const UPDATE = graphql`mutation PortalUpdateKpi($input: UpdateKpiInput!) {
  updateKpi(input: $input) {
    kpi { id version }
    userErrors { field code message current { ...PortalKpiDefinition } }
  }
}`;

export const RECORD = graphql`mutation PortalRecordMeasurement($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) {
    created corrected unchanged
    measurements { period value }
    userErrors { field code message }
  }
}`;

export const RELEVANT = new Set(['Kpi', 'KpiMeasurement', 'Commitment']);
