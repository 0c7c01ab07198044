// The audit trail's GraphQL documents.

import '../fragments.js';
import { graphql } from '../graphql.js';

graphql`fragment PortalAuditEvent on AuditEvent {
  id seq action objectType objectId objectTitle subjectId changes createdAt
  actor { id displayName email } actorParty { id label isOwn organization { name } }
}`;

export const TRAIL_QUERY = graphql`query PortalAuditTrail($id: ID!, $after: String, $filter: AuditTrailFilterInput) {
  partnership(id: $id) {
    id
    auditTrail(first: 25, after: $after, filter: $filter) {
      totalCount
      nodes { ...PortalAuditEvent }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

// The people whose events the trail can be filtered by: the members of both sides.
export const PEOPLE_QUERY = graphql`query PortalAuditPeople($id: ID!) {
  partnership(id: $id) {
    id
    members(first: 100) { nodes { id user { id displayName } party { id } } }
  }
}`;

export const VERIFY_QUERY = graphql`query PortalVerifyAudit($id: ID!) {
  partnership(id: $id) { id verifyAuditChain { intact checkedEvents firstBrokenSeq } }
}`;
