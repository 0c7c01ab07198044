// Health: the GraphQL documents.

import { graphql } from '../graphql.js';

export const HEALTH_QUERY = graphql`query PortalHealth($id: ID!, $start: Date!, $end: Date!) {
  partnership(id: $id) {
    id viewerRole
    healthSummary { day value trend }
    health {
      asOf index
      components {
        key label explanation weight value
        inputs { name value }
        records { typeName id }
        perSide { party { id label isOwn organization { name } } value }
      }
      detectors {
        name label explanation status score watchAt fireAt customThresholds since
        inputs { name value }
        evidence { typeName id }
      }
      detectorHistory { detector status previous score at }
      thresholdProposals {
        id detector watch fire status createdAt
        proposedBy { id label isOwn organization { name } }
      }
      history(days: 190) { day value }
      whatChanged(start: $start, end: $end) {
        start end before after
        components { key label before after delta entered { typeName id } left { typeName id } }
      }
    }
  }
}`;

export const PROPOSE_THRESHOLDS = graphql`mutation PortalProposeDetectorThresholds($input: ProposeDetectorThresholdsInput!) {
  proposeDetectorThresholds(input: $input) { proposal { id status } userErrors { field code message } }
}`;

export const ACCEPT_THRESHOLDS = graphql`mutation PortalAcceptDetectorThresholds($input: DecideDetectorThresholdsInput!) {
  acceptDetectorThresholds(input: $input) { proposal { id status } userErrors { field code message } }
}`;

export const DECLINE_THRESHOLDS = graphql`mutation PortalDeclineDetectorThresholds($input: DecideDetectorThresholdsInput!) {
  declineDetectorThresholds(input: $input) { proposal { id status } userErrors { field code message } }
}`;

// Live events that move the page: its own records and everything its figures read.
export const RELEVANT = new Set([
  'DetectorThreshold', 'DetectorEvent', 'Commitment', 'Feedback', 'Risk', 'Decision',
  'DisclosureVersion', 'Kpi',
]);
