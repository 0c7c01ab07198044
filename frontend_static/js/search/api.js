// The search's and the waiting list's GraphQL documents.

import { graphql } from '../graphql.js';

export const WAITING_QUERY = graphql`query PortalWaiting($id: ID!) {
  partnership(id: $id) {
    id
    waitingOnYourSide { objectType objectId title asked since }
  }
}`;

export const SEARCH_QUERY = graphql`query PortalSearch($id: ID!, $text: String!) {
  partnership(id: $id) {
    id
    search(text: $text, first: 30) { objectType objectId title excerpt }
  }
}`;

// The records whose changes can add to (or take from) what waits on a side.
export const WAITING_KINDS = new Set([
  'Milestone', 'Commitment', 'CommitmentEvidence', 'Kpi', 'Feedback', 'Risk', 'Disclosure',
  'DisclosureVersion', 'Decision', 'Report',
]);
