// The roadmap's GraphQL documents.

import '../fragments.js';
import { graphql } from '../graphql.js';

graphql`fragment PortalMilestone on Milestone {
  id title description targetDate phase status rank visibility version
  createdAt updatedAt ownerParty { ...PortalParty }
}`;

export const ROADMAP_QUERY = graphql`query PortalRoadmap($id: ID!) {
  partnership(id: $id) {
    id
    roadmap { phases { phase milestones { ...PortalMilestone } } }
  }
}`;

export const MILESTONE_QUERY = graphql`query PortalMilestone($id: ID!) {
  node(id: $id) {
    id
    ... on Milestone {
      ...PortalMilestone
      history(first: 50) {
        totalCount
        nodes { id action changes createdAt actor { displayName } actorParty { ...PortalParty } }
      }
    }
  }
}`;

export const CREATE = graphql`mutation PortalCreateMilestone($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id title phase } userErrors { field code message } }
}`;

export const UPDATE = graphql`mutation PortalUpdateMilestone($input: UpdateMilestoneInput!) {
  updateMilestone(input: $input) {
    milestone { ...PortalMilestone }
    userErrors { field code message current { ...PortalMilestone } }
  }
}`;

export const MOVE = graphql`mutation PortalMoveMilestone($input: MoveMilestoneInput!) {
  moveMilestone(input: $input) {
    milestone { id phase rank version }
    userErrors { field code message current { ...PortalMilestone } }
  }
}`;

export const DROP = graphql`mutation PortalDropMilestone($input: DropMilestoneInput!) {
  dropMilestone(input: $input) {
    milestone { id status version }
    userErrors { field code message current { ...PortalMilestone } }
  }
}`;

export const isMilestoneEvent = (event) => event.objectType === 'Milestone';
