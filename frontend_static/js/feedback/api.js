// Feedback: the GraphQL documents, the lifecycle actions and their labels.

import '../fragments.js';
import { graphql } from '../graphql.js';

graphql`fragment PortalSlaClock on SlaClock {
  clock targetSeconds elapsedSeconds remainingSeconds dueAt paused stoppedAt atRisk breached
}`;

graphql`fragment PortalFeedbackRow on Feedback {
  id title status severity category version createdAt updatedAt dueAt submittedByUs
  submittedByParty { ...PortalParty } receivingParty { ...PortalParty }
  firstResponseClock { ...PortalSlaClock } resolutionClock { ...PortalSlaClock }
  viewerActions
}`;

export const LIST_QUERY = graphql`query PortalFeedbackList($id: ID!, $first: Int, $after: String, $last: Int, $before: String,
  $filter: FeedbackFilterInput) {
  partnership(id: $id) {
    id
    feedback(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { ...PortalFeedbackRow }
    }
  }
}`;

export const CHOICES_QUERY = graphql`query PortalFeedbackChoices($id: ID!) {
  partnership(id: $id) {
    id
    commitments(first: 100) { nodes { id title status } }
    roadmap { phases { phase milestones { id title status } } }
  }
}`;

export const DETAIL_QUERY = graphql`query PortalFeedback($id: ID!) {
  node(id: $id) {
    id
    ... on Feedback {
      ...PortalFeedbackRow
      body bodyHtml businessHours resolutionNote rating ratingComment reopenCount
      statusAt firstResponseAt resolvedAt closedAt closesAt
      submittedBy { displayName }
      commitment { id title } milestone { id title } kpi { id name }
      fixCommitment { id title status } fixMilestone { id title status } fixConfirmed
      comments { body bodyHtml internal createdAt authorParty { ...PortalParty } author { displayName } }
      history { action fromStatus toStatus at note actorParty { ...PortalParty } actor { displayName } }
    }
  }
}`;

export const SUBMIT = graphql`mutation PortalSubmitFeedback($input: SubmitFeedbackInput!) {
  submitFeedback(input: $input) { feedback { id title status } userErrors { field code message } }
}`;

export const COMMENT = graphql`mutation PortalAddFeedbackComment($input: AddFeedbackCommentInput!) {
  addFeedbackComment(input: $input) { comment { body internal } userErrors { field code message } }
}`;

graphql`fragment PortalFeedbackStepPayload on FeedbackPayload {
  feedback { id title status version } userErrors { field code message }
}`;

/** Every action, in the order the buttons appear; `form` asks for more before it is sent. */
export const ACTIONS = {
  ACKNOWLEDGE: {
    label: 'Acknowledge', mutation: 'acknowledgeFeedback', kind: 'primary', done: 'You acknowledged',
    document: graphql`mutation PortalAcknowledgeFeedback($input: FeedbackActionInput!) {
      acknowledgeFeedback(input: $input) { ...PortalFeedbackStepPayload } }`,
  },
  START: {
    label: 'Start work', mutation: 'startFeedback', done: 'You started work on',
    document: graphql`mutation PortalStartFeedback($input: FeedbackActionInput!) {
      startFeedback(input: $input) { ...PortalFeedbackStepPayload } }`,
  },
  ASK_SUBMITTER: {
    label: 'Ask the submitter', mutation: 'askFeedbackSubmitter', form: 'ask', done: 'You asked the submitter about',
    document: graphql`mutation PortalAskFeedbackSubmitter($input: FeedbackActionInput!) {
      askFeedbackSubmitter(input: $input) { ...PortalFeedbackStepPayload } }`,
  },
  RESUME: {
    label: 'Resume work', mutation: 'resumeFeedback', done: 'You resumed work on',
    document: graphql`mutation PortalResumeFeedback($input: FeedbackActionInput!) {
      resumeFeedback(input: $input) { ...PortalFeedbackStepPayload } }`,
  },
  RESOLVE: {
    label: 'Resolve', mutation: 'resolveFeedback', form: 'resolve', kind: 'primary', done: 'You resolved',
    document: graphql`mutation PortalResolveFeedback($input: ResolveFeedbackInput!) {
      resolveFeedback(input: $input) { ...PortalFeedbackStepPayload } }`,
  },
  ACCEPT: {
    label: 'Accept and rate', mutation: 'acceptFeedbackResolution', form: 'accept', kind: 'primary', done: 'You accepted and rated',
    document: graphql`mutation PortalAcceptFeedbackResolution($input: AcceptFeedbackResolutionInput!) {
      acceptFeedbackResolution(input: $input) { ...PortalFeedbackStepPayload } }`,
  },
  REOPEN: {
    label: 'Reopen', mutation: 'reopenFeedback', form: 'reopen', kind: 'danger', done: 'You reopened',
    document: graphql`mutation PortalReopenFeedback($input: ReopenFeedbackInput!) {
      reopenFeedback(input: $input) { ...PortalFeedbackStepPayload } }`,
  },
};

graphql`fragment PortalSlaPolicy on FeedbackPolicy {
  id number status version businessHours autoCloseDays note createdAt decidedAt effectiveAt viewerCanDecide
  proposedByParty { ...PortalParty }
  targets { severity firstResponseMinutes resolutionMinutes }
  calendars { timeZone workingDays start end holidays party { ...PortalParty } }
}`;

export const POLICIES_QUERY = graphql`query PortalSlaPolicies($id: ID!) {
  partnership(id: $id) { id feedbackPolicies { ...PortalSlaPolicy } }
}`;

export const FIGURES_QUERY = graphql`query PortalFeedbackFigures($id: ID!, $from: Date!, $to: Date!) {
  partnership(id: $id) {
    id
    feedbackFigures(from: $from, to: $to) {
      submitted firstResponseAttainment firstResponseMedianSeconds resolutionAttainment
      resolutionMedianSeconds rated csatAverage csatShare reopenRate party { ...PortalParty }
    }
  }
}`;

export const PROPOSE_POLICY = graphql`mutation PortalProposeSlaPolicy($input: ProposeSlaPolicyInput!) {
  proposeSlaPolicy(input: $input) { policy { id number status } userErrors { field code message } }
}`;

export const ACCEPT_POLICY = graphql`mutation PortalAcceptSlaPolicy($input: DecideSlaPolicyInput!) {
  acceptSlaPolicy(input: $input) { policy { id number status } userErrors { field code message } }
}`;

export const DECLINE_POLICY = graphql`mutation PortalDeclineSlaPolicy($input: DecideSlaPolicyInput!) {
  declineSlaPolicy(input: $input) { policy { id number status } userErrors { field code message } }
}`;

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
export const CATEGORIES = ['DELIVERY', 'QUALITY', 'COMMUNICATION', 'BILLING', 'OTHER'];
export const STATUSES = ['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'WAITING_ON_SUBMITTER', 'RESOLVED', 'CLOSED'];
export const BODY_LIMIT = 20000;

export const isFeedbackEvent = (event) => event.objectType === 'Feedback' || event.objectType === 'FeedbackPolicy';

export { feedbackHref, policyHref } from './links.js';

const LABELS = {
  SUBMITTED: 'Submitted', ACKNOWLEDGED: 'Acknowledged', IN_PROGRESS: 'In progress',
  WAITING_ON_SUBMITTER: 'Waiting on submitter', RESOLVED: 'Resolved', CLOSED: 'Closed',
  CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low',
  DELIVERY: 'Delivery', QUALITY: 'Quality', COMMUNICATION: 'Communication', BILLING: 'Billing', OTHER: 'Other',
  SUBMIT: 'Submitted', ACKNOWLEDGE: 'Acknowledged', START: 'Started work', ASK_SUBMITTER: 'Asked the submitter',
  RESUME: 'Resumed work', RESOLVE: 'Resolved', ACCEPT: 'Accepted and rated', REOPEN: 'Reopened',
  AUTO_CLOSE: 'Closed automatically', PROPOSED: 'Proposed', ACTIVE: 'In force', SUPERSEDED: 'Superseded',
  DECLINED: 'Declined',
};

export function label(value) {
  return LABELS[value] ?? value;
}

/** 5400 → "1 h 30 min" (business time). */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h && m) return `${h} h ${m} min`;
  if (h) return `${h} h`;
  return `${m} min`;
}

export function percent(share) {
  return share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`;
}
