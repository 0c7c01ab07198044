// Governance's GraphQL documents: disclosures with their versions, and the decision log.

import '../fragments.js';
import { graphql } from '../graphql.js';

graphql`fragment PortalDisclosureVersion on DisclosureVersion {
  id number title status contentHash publishedAt version visibility
  awaitingYourAcknowledgement supersededBeforeAcknowledgement
  acknowledgement { contentHash acknowledgedAt party { ...PortalParty } acknowledgedBy { displayName } }
}`;

graphql`fragment PortalDecision on Decision {
  id title context options rationale approvalCriteria decideBy status overdue version createdAt
  ownerParty { ...PortalParty } proposedBy { displayName }
  supersedes { id title } supersededBy { id title }
  sides { party { ...PortalParty } canDecide namedApprovers { id displayName }
          verdict { verdict comment at by { displayName } } }
}`;

export const GOVERNANCE_QUERY = graphql`query PortalGovernance($id: ID!) {
  partnership(id: $id) {
    id
    pendingAcknowledgements { id number title disclosure { id } }
    disclosures(first: 50) {
      totalCount
      nodes {
        id title type visibility updatedAt ownerParty { ...PortalParty }
        latestPublished { ...PortalDisclosureVersion }
        versions { id number status }
      }
    }
    decisions(first: 30) { totalCount nodes { ...PortalDecision } }
    members(first: 50, ownSideOnly: true) { nodes { id role user { id displayName } } }
  }
}`;

export const DISCLOSURE_QUERY = graphql`query PortalDisclosure($id: ID!) {
  node(id: $id) {
    id
    ... on Disclosure {
      title type visibility ownerParty { ...PortalParty }
      versions {
        ...PortalDisclosureVersion
        body bodyHtml previousNumber
        diffFromPrevious { kind text }
        attachments { id filename contentType size sha256 }
        createdBy { displayName } submittedBy { displayName } publishedBy { displayName }
      }
    }
  }
}`;

export const ATTACHMENT_QUERY = graphql`query PortalDisclosureAttachment($id: ID!) {
  node(id: $id) { id ... on DisclosureVersion { attachments { id filename contentType contentBase64 } } }
}`;

graphql`fragment PortalVersionStep on DisclosureVersion { id number status version disclosure { id } }`;

export const CREATE = graphql`mutation PortalCreateDisclosure($input: CreateDisclosureInput!) {
  createDisclosure(input: $input) { disclosure { id title } version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const UPDATE_DRAFT = graphql`mutation PortalUpdateDisclosureDraft($input: UpdateDisclosureDraftInput!) {
  updateDisclosureDraft(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const ATTACH = graphql`mutation PortalAddDisclosureAttachment($input: AddDisclosureAttachmentInput!) {
  addDisclosureAttachment(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const REMOVE_ATTACHMENT = graphql`mutation PortalRemoveDisclosureAttachment($input: RemoveDisclosureAttachmentInput!) {
  removeDisclosureAttachment(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const SUBMIT = graphql`mutation PortalSubmitDisclosureVersion($input: DisclosureVersionStepInput!) {
  submitDisclosureVersion(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const RETURN = graphql`mutation PortalReturnDisclosureVersion($input: DisclosureVersionStepInput!) {
  returnDisclosureVersion(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const PUBLISH = graphql`mutation PortalPublishDisclosureVersion($input: DisclosureVersionStepInput!) {
  publishDisclosureVersion(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const NEW_VERSION = graphql`mutation PortalCreateDisclosureVersion($input: CreateDisclosureVersionInput!) {
  createDisclosureVersion(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const ACKNOWLEDGE = graphql`mutation PortalAcknowledgeDisclosureVersion($input: AcknowledgeDisclosureVersionInput!) {
  acknowledgeDisclosureVersion(input: $input) { version { ...PortalVersionStep } userErrors { field code message } }
}`;

export const PROPOSE = graphql`mutation PortalProposeDecision($input: ProposeDecisionInput!) {
  proposeDecision(input: $input) { decision { ...PortalDecision } userErrors { field code message } }
}`;
export const APPROVE = graphql`mutation PortalApproveDecision($input: DecisionVerdictInput!) {
  approveDecision(input: $input) { decision { ...PortalDecision } userErrors { field code message } }
}`;
export const NAME_APPROVERS = graphql`mutation PortalNameDecisionApprovers($input: NameDecisionApproversInput!) {
  nameDecisionApprovers(input: $input) { decision { ...PortalDecision } userErrors { field code message } }
}`;
export const REJECT = graphql`mutation PortalRejectDecision($input: DecisionVerdictInput!) {
  rejectDecision(input: $input) { decision { ...PortalDecision } userErrors { field code message } }
}`;

const GOVERNANCE_TYPES = new Set(['Disclosure', 'DisclosureVersion', 'Decision']);
export const isGovernanceEvent = (event) => GOVERNANCE_TYPES.has(event.objectType);
