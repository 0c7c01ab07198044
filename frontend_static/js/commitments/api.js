// Commitments: the GraphQL documents, the lifecycle actions and how one is sent.

import '../fragments.js';
import { graphql } from '../graphql.js';
import { mutate } from '../pages/common.js';

graphql`fragment PortalCommitmentRow on Commitment {
  id title status dueDate version visibility updatedAt disputeReason dueDates
  pendingRenegotiation { proposedDueDate reason }
  ownerParty { ...PortalParty } proposedByParty { ...PortalParty }
  milestone { id title } evidence { url title }
  viewerActions
}`;

export const LIST_QUERY = graphql`query PortalCommitments($id: ID!, $first: Int, $after: String, $last: Int, $before: String,
  $filter: CommitmentFilterInput, $orderBy: CommitmentOrderInput) {
  partnership(id: $id) {
    id
    commitments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { ...PortalCommitmentRow }
    }
  }
}`;

export const CHOICES_QUERY = graphql`query PortalCommitmentChoices($id: ID!) {
  partnership(id: $id) {
    id
    roadmap { phases { phase milestones { id title status } } }
    kpis(includeBuiltin: false) { id name }
  }
}`;

export const RELIABILITY_QUERY = graphql`query PortalReliability($id: ID!, $from: Date!, $to: Date!) {
  partnership(id: $id) {
    id
    commitmentReliability(from: $from, to: $to) {
      due onTime onTimeRate missed renegotiations disputes party { ...PortalParty }
    }
  }
}`;

export const DETAIL_QUERY = graphql`query PortalCommitment($id: ID!) {
  node(id: $id) {
    id
    ... on Commitment {
      ...PortalCommitmentRow
      description createdAt deliveredAt confirmedAt
      kpi { id name }
      evidence { url title note createdAt }
      history {
        action fromStatus toStatus at reason dueDateBefore dueDateAfter
        actorParty { ...PortalParty } actor { displayName }
      }
    }
  }
}`;

export const PROPOSE = graphql`mutation PortalProposeCommitment($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id title status } userErrors { field code message } }
}`;

graphql`fragment PortalCommitmentStepPayload on CommitmentPayload {
  commitment { id title status version } userErrors { field code message current { id status version } }
}`;

/** Every action the portal offers, in the order the buttons appear. */
export const ACTIONS = {
  ACCEPT: {
    label: 'Accept', mutation: 'acceptCommitment', kind: 'primary', done: 'You accepted',
    document: graphql`mutation PortalAcceptCommitment($input: CommitmentActionInput!) {
      acceptCommitment(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  DECLINE: {
    label: 'Decline', mutation: 'declineCommitment', form: 'decline', kind: 'danger', done: 'You declined',
    document: graphql`mutation PortalDeclineCommitment($input: CommitmentActionInput!) {
      declineCommitment(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  START: {
    label: 'Start work', mutation: 'startCommitment', done: 'You started',
    document: graphql`mutation PortalStartCommitment($input: CommitmentActionInput!) {
      startCommitment(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  DELIVER: {
    label: 'Deliver', mutation: 'deliverCommitment', form: 'deliver', kind: 'primary', done: 'You delivered',
    document: graphql`mutation PortalDeliverCommitment($input: DeliverCommitmentInput!) {
      deliverCommitment(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  CONFIRM: {
    label: 'Confirm delivery', mutation: 'confirmCommitment', kind: 'primary', done: 'You confirmed the delivery of',
    document: graphql`mutation PortalConfirmCommitment($input: CommitmentActionInput!) {
      confirmCommitment(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  DISPUTE: {
    label: 'Dispute', mutation: 'disputeCommitment', form: 'dispute', kind: 'danger', done: 'You disputed the delivery of',
    document: graphql`mutation PortalDisputeCommitment($input: CommitmentActionInput!) {
      disputeCommitment(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  REQUEST_RENEGOTIATION: {
    label: 'Ask for a new due date', mutation: 'requestCommitmentRenegotiation', form: 'renegotiate', done: 'You asked for a new due date for',
    document: graphql`mutation PortalRequestCommitmentRenegotiation($input: RequestRenegotiationInput!) {
      requestCommitmentRenegotiation(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  ACCEPT_RENEGOTIATION: {
    label: 'Accept new due date', mutation: 'acceptCommitmentRenegotiation', kind: 'primary', done: 'You accepted the new due date of',
    document: graphql`mutation PortalAcceptCommitmentRenegotiation($input: CommitmentActionInput!) {
      acceptCommitmentRenegotiation(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
  DECLINE_RENEGOTIATION: {
    label: 'Keep current due date', mutation: 'declineCommitmentRenegotiation', done: 'You kept the current due date of',
    document: graphql`mutation PortalDeclineCommitmentRenegotiation($input: CommitmentActionInput!) {
      declineCommitmentRenegotiation(input: $input) { ...PortalCommitmentStepPayload } }`,
  },
};

export const isCommitmentEvent = (event) => event.objectType === 'Commitment' || event.objectType === 'CommitmentEvidence';

/**
 * Sends one lifecycle step with the version the page shows. Resolves to { ok: true },
 * { conflict: current } (the commitment changed meanwhile; current may be null), { errors }
 * (refused, or the request failed), or null (the page is gone, or the session ended).
 */
export async function sendStep(c, action, input, { ctx }) {
  const spec = ACTIONS[action];
  try {
    const { errors } = await mutate(spec.document, {
      input: { commitmentId: c.id, expectedVersion: c.version, ...input },
    }, spec.mutation);
    if (!ctx.isCurrent()) return null;
    if (!errors.length) return { ok: true };
    const conflict = errors.find((e) => e.code === 'CONFLICT');
    if (conflict) return { conflict: conflict.current ?? null };
    return { errors };
  } catch (error) {
    if (error.code === 'UNAUTHENTICATED' || !ctx.isCurrent()) return null;
    return { errors: [{ field: null, message: error.message }] };
  }
}
