// Risks: the GraphQL documents.

import '../fragments.js';
import { graphql } from '../graphql.js';

graphql`fragment PortalRiskScore on RiskScore { likelihood impact score band likelihoodLabel impactLabel }`;

graphql`fragment PortalRiskSides on Risk {
  divergence
  scores { party { ...PortalParty } latest { inherent { ...PortalRiskScore } residual { ...PortalRiskScore } assessedAt } }
}`;

graphql`fragment PortalRiskHeatCell on RiskHeatCell { likelihood impact count disputed }`;

export const REGISTER_QUERY = graphql`query PortalRiskRegister($id: ID!, $first: Int, $after: String, $filter: RiskFilterInput, $orderBy: RiskOrderInput, $mapFilter: RiskFilterInput, $basis: ScoreBasis) {
  partnership(id: $id) {
    id
    risks(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id title category status treatment visibility nextReviewOn reviewOverdue
        ownerParty { ...PortalParty }
        ...PortalRiskSides
      }
    }
    riskHeatMap(filter: $mapFilter, basis: $basis) {
      basis disagreements
      sides { party { ...PortalParty } cells { ...PortalRiskHeatCell } }
      combined { ...PortalRiskHeatCell }
    }
  }
}`;

export const RISK_QUERY = graphql`query PortalRisk($id: ID!) {
  node(id: $id) {
    id
    ... on Risk {
      title description category status treatment treatmentPlan visibility version
      reviewEveryDays nextReviewOn lastReviewedAt reviewOverdue createdAt updatedAt
      ownerParty { ...PortalParty }
      ...PortalRiskSides
      assessments {
        party { ...PortalParty } assessedAt rationale assessedBy { displayName }
        inherent { ...PortalRiskScore } residual { ...PortalRiskScore }
      }
      acceptances {
        reason expiresOn active createdAt endedAt endReason
        party { ...PortalParty } approver { displayName } acceptedBy { displayName }
      }
      actions { id title status dueDate overdue ownerParty { ...PortalParty } commitment { id title } }
      links { commitments { id title } milestones { id title } kpis { id name } }
    }
  }
}`;

export const CHOICES_QUERY = graphql`query PortalRiskChoices($id: ID!) {
  partnership(id: $id) {
    id
    roadmap { phases { milestones { id title } } }
    commitments(first: 100) { nodes { id title } }
    kpis(includeBuiltin: false) { id name }
    members(first: 100, ownSideOnly: true) { nodes { role user { id displayName email } } }
  }
}`;

graphql`fragment PortalRiskErrors on RiskError { field code message current { id version } }`;

export const CREATE = graphql`mutation PortalCreateRisk($input: CreateRiskInput!) {
  createRisk(input: $input) { risk { id title } userErrors { ...PortalRiskErrors } }
}`;

export const UPDATE = graphql`mutation PortalUpdateRisk($input: UpdateRiskInput!) {
  updateRisk(input: $input) { risk { id version } userErrors { ...PortalRiskErrors } }
}`;

export const ASSESS = graphql`mutation PortalAssessRisk($input: AssessRiskInput!) {
  assessRisk(input: $input) { risk { id version divergence } userErrors { ...PortalRiskErrors } }
}`;

export const TREAT = graphql`mutation PortalSetRiskTreatment($input: SetRiskTreatmentInput!) {
  setRiskTreatment(input: $input) { risk { id version status treatment } userErrors { ...PortalRiskErrors } }
}`;

export const REVIEW = graphql`mutation PortalReviewRisk($input: ReviewRiskInput!) {
  reviewRisk(input: $input) { risk { id version nextReviewOn } userErrors { ...PortalRiskErrors } }
}`;

export const ADD_ACTION = graphql`mutation PortalAddRiskAction($input: AddRiskActionInput!) {
  addRiskAction(input: $input) { risk { id } action { id title } userErrors { ...PortalRiskErrors } }
}`;

export const UPDATE_ACTION = graphql`mutation PortalUpdateRiskAction($input: UpdateRiskActionInput!) {
  updateRiskAction(input: $input) { risk { id } action { id status } userErrors { ...PortalRiskErrors } }
}`;

export const LINKS = graphql`mutation PortalSetRiskLinks($input: SetRiskLinksInput!) {
  setRiskLinks(input: $input) { risk { id } userErrors { ...PortalRiskErrors } }
}`;

export const isRiskEvent = (e) => e.objectType === 'Risk';
