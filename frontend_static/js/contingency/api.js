// Contingency: the GraphQL documents.

import '../fragments.js';
import { graphql } from '../graphql.js';

graphql`fragment PortalPlanVersion on PlanVersion {
  id number status scenario severity protocol createdAt submittedAt approvedAt approvedByYourSide
  triggers { kind source count windowDays score threshold kpiId riskId kpiName riskTitle }
  steps { position title role actWithinMinutes ownerParty { ...PortalParty } }
  cadence { severity minutes }
  oversight { id displayName }
  approvals { approvedAt party { ...PortalParty } }
}`;

graphql`fragment PortalActivation on Activation {
  id drill source summary status severity escalationLevel startedAt closedAt nextUpdateDueAt
  updateOverdue missedUpdates updatesOnTime score
  plan { id title }
}`;

export const CONTINGENCY_QUERY = graphql`query PortalContingency($id: ID!) {
  partnership(id: $id) {
    id
    contingencyPlans {
      id title ownerParty { ...PortalParty }
      latest { ...PortalPlanVersion }
      inForce { id number }
    }
    activations { ...PortalActivation }
  }
}`;

export const PLAN_QUERY = graphql`query PortalContingencyPlan($id: ID!) {
  node(id: $id) {
    id
    ... on ContingencyPlan {
      title ownerParty { ...PortalParty }
      inForce { id number }
      versions { ...PortalPlanVersion }
    }
  }
}`;

export const ROOM_QUERY = graphql`query PortalActivationRoom($id: ID!) {
  node(id: $id) {
    id
    ... on Activation {
      ...PortalActivation
      planVersion { number protocol }
      steps { id position title role dueAt completedAt late ownerParty { ...PortalParty } }
      timeline { kind body at actorParty { ...PortalParty } }
      postMortem { summary rootCauses followUps { id title dueDate status } }
    }
  }
}`;

export const CREATE_PLAN = graphql`mutation PortalCreateContingencyPlan($input: CreateContingencyPlanInput!) {
  createContingencyPlan(input: $input) { plan { id title } userErrors { field code message } }
}`;

export const REVISE_PLAN = graphql`mutation PortalReviseContingencyPlan($input: ReviseContingencyPlanInput!) {
  reviseContingencyPlan(input: $input) { plan { id title latest { number } inForce { number } } userErrors { field code message } }
}`;

// What the plan form offers: the partnership's KPIs and risks for triggers, and both sides'
// members for the oversight group.
export const PLAN_FORM_CHOICES = graphql`query PortalContingencyPlanChoices($id: ID!) {
  partnership(id: $id) {
    id
    kpis(includeBuiltin: false) { id name }
    risks(first: 100) { nodes { id title } }
    members(first: 100) { nodes { id role user { id displayName } party { id } } }
  }
}`;

export const SUBMIT_VERSION = graphql`mutation PortalSubmitPlanVersion($id: ID!) {
  submitPlanVersion(planVersionId: $id) { plan { id title } userErrors { field code message } }
}`;

export const APPROVE_VERSION = graphql`mutation PortalApprovePlanVersion($input: ApprovePlanVersionInput!) {
  approvePlanVersion(input: $input) { plan { id title } userErrors { field code message } }
}`;

export const ACTIVATE_PLAN = graphql`mutation PortalActivatePlan($input: ActivatePlanInput!) {
  activatePlan(input: $input) { activation { id status } userErrors { field code message } }
}`;

export const COMPLETE_STEP = graphql`mutation PortalCompleteActivationStep($id: ID!) {
  completeActivationStep(stepId: $id) { activation { id status } userErrors { field code message } }
}`;

export const POST_UPDATE = graphql`mutation PortalPostActivationUpdate($id: ID!, $body: String!) {
  postActivationUpdate(activationId: $id, body: $body) { activation { id status } userErrors { field code message } }
}`;

export const ESCALATE = graphql`mutation PortalEscalateActivation($id: ID!, $reason: String!) {
  escalateActivation(activationId: $id, reason: $reason) { activation { id status } userErrors { field code message } }
}`;

export const CLOSE = graphql`mutation PortalCloseActivation($input: CloseActivationInput!) {
  closeActivation(input: $input) { activation { id status } userErrors { field code message } }
}`;

export const RELEVANT = new Set(['ContingencyPlan', 'Activation']);
