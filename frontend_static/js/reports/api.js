// Reports: the GraphQL documents.

import { graphql } from '../graphql.js';

export const REPORTS_QUERY = graphql`query PortalReports($id: ID!) {
  partnership(id: $id) {
    id viewerCanPublishReports
    reports(first: 50) {
      totalCount
      nodes {
        id title asOf sha256 generatedAt scheduled pdfUrl csvUrl jsonUrl viewerCanAcknowledge
        ownerParty { id label isOwn organization { name } }
        acknowledgements { acknowledgedByName acknowledgedAt sha256 party { id label isOwn } }
      }
    }
    reportSchedules { id title cadence nextRunOn active version ownerParty { id label isOwn organization { name } } }
  }
}`;

export const GENERATE_REPORT = graphql`mutation PortalGenerateReport($input: GenerateReportInput!) {
  generateReport(input: $input) { report { id title sha256 } userErrors { field code message } }
}`;

export const ACKNOWLEDGE_REPORT = graphql`mutation PortalAcknowledgeReport($input: AcknowledgeReportInput!) {
  acknowledgeReport(input: $input) { report { id title sha256 } userErrors { field code message } }
}`;

export const VERIFY_REPORT = graphql`mutation PortalVerifyReport($input: VerifyReportInput!) {
  verifyReport(input: $input) {
    verification { kind sha256 report { id title asOf generatedAt ownerParty { label } } }
    userErrors { field code message }
  }
}`;

export const CREATE_SCHEDULE = graphql`mutation PortalCreateReportSchedule($input: CreateReportScheduleInput!) {
  createReportSchedule(input: $input) { schedule { id title } userErrors { field code message } }
}`;

export const CANCEL_SCHEDULE = graphql`mutation PortalCancelReportSchedule($input: CancelReportScheduleInput!) {
  cancelReportSchedule(input: $input) { schedule { id active } userErrors { field code message } }
}`;

export const RELEVANT = new Set(['Report', 'ReportSchedule']);
